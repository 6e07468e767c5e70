// Facts about the YAML document around an offset that completion and hover need: its index in the file, its
// `type`, the test id (together: the RunStore key), the outputs it defines, and the selector of the spec the
// offset is in. Read with the `yaml` parser, which keeps a best-effort tree even for text with errors.
import { isMap, isScalar, isSeq, parseAllDocuments, type Node } from 'yaml';

export interface DocumentInfo {
  index: number;
  typeName?: string;
  testId?: string;
  outputs: string[];
  /** The selector of the spec (or output) item around the offset, as written. */
  itemSelector?: string;
}

export function documentInfoAt(text: string, offset: number): DocumentInfo {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs) || docs.length === 0) return { index: 0, outputs: [] };
  let index = docs.findIndex((d) => offset >= d.range[0] && offset <= d.range[2]);
  if (index < 0) index = offset < docs[0]!.range[0] ? 0 : docs.length - 1;
  const doc = docs[index]!;
  const info: DocumentInfo = { index, outputs: [] };
  const root = doc.contents;
  if (!isMap(root)) return info;
  const typeName = scalarText(root.get('type', true));
  if (typeName) info.typeName = typeName;
  const spec = root.get('spec', true);
  if (!isMap(spec)) return info;
  const id = scalarText(spec.get('id', true));
  if (id) info.testId = id;
  const outputs = spec.get('outputs', true);
  if (isSeq(outputs)) {
    for (const item of outputs.items) {
      const name = isMap(item) ? scalarText(item.get('name', true)) : undefined;
      if (name) info.outputs.push(name);
    }
  }
  for (const listKey of ['specs', 'outputs']) {
    const list = spec.get(listKey, true);
    if (!isSeq(list)) continue;
    for (const item of list.items) {
      if (!isMap(item) || !item.range || offset < item.range[0] || offset > item.range[2]) continue;
      const selector = item.get('selector', true);
      const text = isMap(selector) ? scalarText(selector.get('query', true)) : scalarText(selector);
      if (text !== undefined) info.itemSelector = text;
    }
  }
  return info;
}

function scalarText(node: unknown): string | undefined {
  if (!isScalar(node as Node)) return undefined;
  const value = (node as { value: unknown }).value;
  return value === null || value === undefined ? undefined : String(value);
}
