// Short docs for the words of the two test languages (selectors and assertions), shown in completion and hover.
import { COMPARATORS } from '../../core/expression/index';
import { OPERATORS } from '../../core/selector/index';

export const SELECTOR_OPERATOR_DOCS: Readonly<Record<string, string>> = {
  '=': 'Equal: numerically when both sides are numbers (`0.5` matches `0.50`), else the exact text.',
  '!=': 'Not equal (the opposite of `=`).',
  contains: 'The value contains this text.',
  'not-contains': 'The value does not contain this text.',
  '<': 'Less than, numerically; a non-numeric value never matches.',
  '<=': 'Less than or equal, numerically.',
  '>': 'Greater than, numerically.',
  '>=': 'Greater than or equal, numerically.',
};

export const COMPARATOR_DOCS: Readonly<Record<string, string>> = {
  '=': 'Equal. Numbers compare numerically, durations after rounding to the display unit, anything else as text without quotes (`"200" = 200` holds).',
  '!=': 'Not equal (the opposite of `=`).',
  '<': 'Less than: numbers and durations (`attr:tracetest.span.duration < 500ms`).',
  '<=': 'Less than or equal: numbers and durations.',
  '>': 'Greater than: numbers and durations.',
  '>=': 'Greater than or equal: numbers and durations.',
  contains: 'Substring of a text, member of an array (`[31,35] contains 35`), or partial match of JSON (every key on the right present in the left).',
  'not-contains': 'The opposite of `contains`.',
};

export const PSEUDO_DOCS: Readonly<Record<string, { insert: string; doc: string }>> = {
  first: { insert: 'first', doc: 'Only the first span this step selects (in span order: depth-first, children by start time).' },
  last: { insert: 'last', doc: 'Only the last span this step selects.' },
  nth_child: { insert: 'nth_child(${1:1})', doc: 'Only the n-th span this step selects, 1-based; out of range selects nothing.' },
};

export const REFERENCE_DOCS: Readonly<Record<'attr' | 'var' | 'env', string>> = {
  attr: 'An attribute of each selected span (resource, scope and span attributes plus `tracetest.span.*`). A missing attribute is an error.',
  var: 'A variable: from the active variable set, or an output of this or an earlier test.',
  env: 'A variable, the same store as `var:` (kept for Tracetest files).',
};

export const DURATION_DOC = 'A duration: `ns`, `us`, `ms`, `s`, `m` or `h`. Compared in nanoseconds after rounding each side to its display unit.';

export const SPAN_PROPERTY_DOCS: Readonly<Record<string, string>> = {
  name: 'The span name (a span property, not an attribute).',
  kind: 'The span kind: `server`, `client`, `internal`, `producer`, `consumer` or `unspecified`.',
};

export const SPAN_KINDS = ['server', 'client', 'internal', 'producer', 'consumer', 'unspecified'];

/** Every selector operator and assertion comparator has a doc: a new one in core fails the language tests. */
export function undocumentedWords(): string[] {
  return [...OPERATORS.filter((o) => !SELECTOR_OPERATOR_DOCS[o]), ...COMPARATORS.filter((c) => !COMPARATOR_DOCS[c])];
}
