// Span selectors (language.md §2): `span[tracetest.span.type="http" name="POST /pokemon"] span[kind="client"]:first`.
import type { Result } from '../text-position';
import type { Span, Trace } from '../trace/model';
import { matchSelector } from './match';
import { parseSelector } from './parser';

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
export { assertionFor, assertionLiteral, isAssertableKey, isStableSelectorValue, outputNameFor, quoteExpressionString, selectorCandidates } from './generate';
export type { SelectorCandidate, SelectorCandidateOptions, SelectorStrategy } from './generate';
export { matchSelector } from './match';
export { parseSelector } from './parser';

/** Parses and matches; a selector that does not parse is an error, never "all spans". */
export function select(trace: Trace, selector: string): Result<Span[]> {
  const parsed = parseSelector(selector);
  return parsed.ok ? { ok: true, value: matchSelector(trace, parsed.value) } : parsed;
}
