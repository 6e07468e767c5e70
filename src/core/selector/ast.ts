// Syntax tree of a span selector (language.md §2). Every node records where it came from (0-based offset and
// length in the selector text) so the editor can complete, hover and highlight; nodes built in code (the
// click-to-assert generator) may leave positions at 0, formatSelector ignores them.

export interface NodeRange {
  offset: number;
  length: number;
}

/** `chains` is empty for the empty selector, which selects every span. */
export interface SelectorAst extends NodeRange {
  kind: 'selector';
  chains: ChainNode[];
}

/** `span[...] span[...]`: each step selects inside the subtrees of the previous step's spans. */
export interface ChainNode extends NodeRange {
  kind: 'chain';
  steps: StepNode[];
}

/** One `span[...]` with its pseudo-classes. */
export interface StepNode extends NodeRange {
  kind: 'step';
  filters: FilterNode[];
  pseudos: PseudoNode[];
}

export interface FilterNode extends NodeRange {
  kind: 'filter';
  key: KeyNode;
  operator: OperatorNode;
  value: ValueNode;
}

export interface KeyNode extends NodeRange {
  kind: 'key';
  /** The key as read: `name` and `kind` are span properties, anything else an attribute. */
  name: string;
  /** Written as a quoted string (`"dapr-app-id"`). */
  quoted: boolean;
}

export type Operator = '=' | '!=' | 'contains' | 'not-contains' | '<' | '<=' | '>' | '>=';

export const OPERATORS: readonly Operator[] = ['=', '!=', 'contains', 'not-contains', '<', '<=', '>', '>='];

export interface OperatorNode extends NodeRange {
  kind: 'operator';
  operator: Operator;
}

export interface ValueNode extends NodeRange {
  kind: 'value';
  type: 'string' | 'number' | 'boolean';
  /** The value compared against: string content with escapes resolved, a number as written, `true`/`false`. */
  text: string;
}

export type PseudoNode = FirstLastPseudoNode | NthChildPseudoNode;

/** Covers the whole pseudo-class, colon included. */
export interface FirstLastPseudoNode extends NodeRange {
  kind: 'pseudo';
  name: 'first' | 'last';
}

export interface NthChildPseudoNode extends NodeRange {
  kind: 'pseudo';
  name: 'nth_child';
  /** 1-based position in the step's list. */
  n: number;
  argument: NodeRange;
}
