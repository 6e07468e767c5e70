// Span selectors (language.md §2): `span[tracetest.span.type="http" name="POST /pokemon"] span[kind="client"]:first`.

export type {
  ChainNode,
  FilterNode,
  FirstLastPseudoNode,
  KeyNode,
  NodeRange,
  NthChildPseudoNode,
  Operator,
  OperatorNode,
  PseudoNode,
  SelectorAst,
  StepNode,
  ValueNode,
} from './ast';
export { OPERATORS } from './ast';
export { describeChoice, selectorChoices } from './choices';
export type { SelectorChoice, SpecSelector } from './choices';
export { canonicalSelector, formatSelector, quoteSelectorValue } from './format';
export {
  assertionFor,
  assertionLiteral,
  isAssertableKey,
  isStableSelectorValue,
  outputNameFor,
  prepareSelectorCandidates,
  quoteExpressionString,
  selectorCandidates,
} from './generate';
export type { SelectorCandidate, SelectorCandidateOptions, SelectorStrategy } from './generate';
export { matchSelector } from './match';
export { parseSelector } from './parser';
export { select } from './select';
