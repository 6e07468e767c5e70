// The assertion-expression language (language.md §3, §4): parse once, evaluate per span; errors are values.
export { parseAssertion, parseExpression, parseTemplate } from './parser';
export { evaluateAssertion, evaluateExpression, renderTemplate, readsSpan, SELECTED_SPANS_COUNT } from './evaluate';
export type { AssertionOutcome, AssertionStatus, EvalContext } from './evaluate';
export { displayValue } from './values';
export type { Value, ValueType } from './values';
export { formatDuration } from './durations';
export { COMPARATORS, childrenOf, someNode } from './ast';
export type * from './ast';
export type { ExpressionError, ExpressionErrorKind } from './errors';
export { FILTERS } from './filters';
export type { FilterSpec } from './filters';
export { FUNCTIONS } from './functions';
export type { FunctionSpec } from './functions';
