// Syntax trees of assertions, expressions and templates (language.md §3, §4). Every node records where it sits in
// the source text (0-based offset, length in UTF-16 units) so the editor can hover, complete and colour it.

export interface NodeRange {
  offset: number;
  length: number;
}

export type Comparator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'contains' | 'not-contains';
export const COMPARATORS: readonly Comparator[] = ['=', '!=', '<', '<=', '>', '>=', 'contains', 'not-contains'];

export type ArithmeticOperator = '+' | '-' | '*' | '/';
export type DurationUnit = 'ns' | 'us' | 'ms' | 's' | 'm' | 'h';
export type Quote = '"' | "'";
export type VariableStore = 'var' | 'env';

export interface NumberNode extends NodeRange {
  kind: 'number';
  text: string;
}

export interface DurationNode extends NodeRange {
  kind: 'duration';
  /** The number as written, e.g. `1.5`. */
  amount: string;
  unit: DurationUnit;
}

export interface TextPart extends NodeRange {
  kind: 'text';
  /** The text with the enclosing quote's escapes resolved. */
  value: string;
}

/** `${expr}`: the range covers `${` through `}`. */
export interface InterpolationPart extends NodeRange {
  kind: 'interpolation';
  expr: ExprNode;
}

export interface StringNode extends NodeRange {
  kind: 'string';
  quote: Quote;
  parts: Array<TextPart | InterpolationPart>;
}

export interface AttributeNode extends NodeRange {
  kind: 'attr';
  name: string;
  nameOffset: number;
}

export interface VariableNode extends NodeRange {
  kind: 'var';
  store: VariableStore;
  name: string;
  nameOffset: number;
}

export interface CallNode extends NodeRange {
  kind: 'call';
  name: string;
  args: ExprNode[];
}

export interface ArrayNode extends NodeRange {
  kind: 'array';
  items: ExprNode[];
}

/** `( expr )`, kept so the parentheses have a range of their own. */
export interface GroupNode extends NodeRange {
  kind: 'group';
  expr: ExprNode;
}

export interface BinaryNode extends NodeRange {
  kind: 'binary';
  op: ArithmeticOperator;
  opOffset: number;
  left: ExprNode;
  right: ExprNode;
}

/** `| name args...`: the range starts at the `|`. */
export interface FilterNode extends NodeRange {
  name: string;
  nameOffset: number;
  args: ExprNode[];
}

export interface FilteredNode extends NodeRange {
  kind: 'filtered';
  input: ExprNode;
  filters: FilterNode[];
}

export type ExprNode = NumberNode | DurationNode | StringNode | AttributeNode | VariableNode | CallNode | ArrayNode | GroupNode | BinaryNode | FilteredNode;

/** A lone expression, e.g. an output's `value`. */
export interface ExprAst extends NodeRange {
  kind: 'expression';
  source: string;
  body: ExprNode;
}

export interface AssertionAst extends NodeRange {
  kind: 'assertion';
  source: string;
  left: ExprNode;
  comparator: Comparator;
  comparatorOffset: number;
  comparatorLength: number;
  right: ExprNode;
}

/** `${NAME}` with a bare name in a template: reads the process environment. */
export interface ProcessEnvPart extends NodeRange {
  kind: 'process-env';
  name: string;
}

export interface TemplateAst extends NodeRange {
  kind: 'template';
  source: string;
  parts: Array<TextPart | InterpolationPart | ProcessEnvPart>;
}

/** Direct sub-expressions of a node, in source order (filter arguments and interpolations included). */
export function childrenOf(node: ExprNode): ExprNode[] {
  switch (node.kind) {
    case 'string':
      return node.parts.flatMap((p) => (p.kind === 'interpolation' ? [p.expr] : []));
    case 'call':
      return node.args;
    case 'array':
      return node.items;
    case 'group':
      return [node.expr];
    case 'binary':
      return [node.left, node.right];
    case 'filtered':
      return [node.input, ...node.filters.flatMap((f) => f.args)];
    default:
      return [];
  }
}

/** True if some node of the tree satisfies `test`. Iterative: trees can be as deep as the parser allows. */
export function someNode(root: ExprNode, test: (node: ExprNode) => boolean): boolean {
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (test(node)) return true;
    stack.push(...childrenOf(node));
  }
  return false;
}
