/** What the editor shows for a filter or function (completion, hover) and what the parser checks arity against. */
export interface Signature {
  name: string;
  minArgs: number;
  maxArgs: number;
  usage: string;
  description: string;
}
