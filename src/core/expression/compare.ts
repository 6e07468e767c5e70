// The comparators of an assertion (language.md §3).
import type { Comparator, NodeRange } from './ast';
import { compareDecimals, truncateDecimal } from './decimal';
import { formatDuration, roundedNanoseconds } from './durations';
import type { Attempt } from './errors';
import { fail, ok, quoted } from './errors';
import { jsonContains } from './json-match';
import type { Value } from './values';
import { displayValue, elementsOf, numericValue } from './values';

export interface Comparison {
  holds: boolean;
  /** Both sides as shown to the user; in their display unit when compared as durations. */
  observed: string;
  expected: string;
}

export function compare(op: Comparator, left: Value, right: Value, leftAt: NodeRange, rightAt: NodeRange): Attempt<Comparison> {
  const leftNs = nanosecondsOf(left);
  const rightNs = nanosecondsOf(right);
  const textual = op === 'contains' || op === 'not-contains';
  if (!textual && (left.type === 'duration' || right.type === 'duration') && leftNs !== undefined && rightNs !== undefined) {
    const a = roundedNanoseconds(leftNs);
    const b = roundedNanoseconds(rightNs);
    return ok({ holds: ordered(op, a < b ? -1 : a > b ? 1 : 0), observed: formatDuration(leftNs), expected: formatDuration(rightNs) });
  }

  const observed = displayValue(left);
  const expected = displayValue(right);
  switch (op) {
    case '=':
      return ok({ holds: valuesEqual(left, right), observed, expected });
    case '!=':
      return ok({ holds: !valuesEqual(left, right), observed, expected });
    case 'contains':
      return ok({ holds: contains(left, right), observed, expected });
    case 'not-contains':
      return ok({ holds: !contains(left, right), observed, expected });
    default: {
      // Only a side that is neither a number nor a duration can get here (a duration next to a number was handled).
      const a = numericValue(left);
      const b = numericValue(right);
      if (a === undefined && leftNs === undefined) return notComparable(left, op, leftAt);
      if (b === undefined && rightNs === undefined) return notComparable(right, op, rightAt);
      return ok({ holds: ordered(op, compareDecimals(a!, b!)), observed, expected });
    }
  }
}

function ordered(op: Comparator, order: -1 | 0 | 1): boolean {
  switch (op) {
    case '=':
      return order === 0;
    case '!=':
      return order !== 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    default:
      return order >= 0;
  }
}

/** A duration's nanoseconds; a number next to a duration counts as nanoseconds, as in Tracetest. */
function nanosecondsOf(v: Value): bigint | undefined {
  if (v.type === 'duration') return v.ns;
  const d = numericValue(v);
  return d === undefined ? undefined : truncateDecimal(d);
}

function notComparable(v: Value, op: Comparator, at: NodeRange): Attempt<never> {
  const what = v.type === 'nil' ? 'the empty value' : quoted(displayValue(v));
  return fail('type', `${what} is not a number or a duration, so \`${op}\` cannot compare it`, at.offset, at.length);
}

/** Numbers numerically, arrays item by item, everything else by text (`"200" = 200` holds). */
export function valuesEqual(a: Value, b: Value): boolean {
  const x = numericValue(a);
  const y = numericValue(b);
  if (x !== undefined && y !== undefined) return compareDecimals(x, y) === 0;
  if (a.type === 'array' && b.type === 'array') {
    return a.items.length === b.items.length && a.items.every((item, i) => valuesEqual(item, b.items[i]!));
  }
  return displayValue(a) === displayValue(b);
}

function contains(container: Value, wanted: Value): boolean {
  if (wanted.type === 'json') {
    const actual = jsonOf(container);
    return actual === undefined ? displayValue(container).includes(wanted.text) : jsonContains(actual, wanted.json);
  }
  if (container.type === 'array' || (container.type === 'json' && wanted.type === 'array')) {
    return wanted.type === 'array' ? wanted.items.every((item) => isMember(container, item)) : isMember(container, wanted);
  }
  return displayValue(container).includes(displayValue(wanted));
}

function isMember(container: Value, item: Value): boolean {
  return elementsOf(container).some((element) => {
    if (item.type !== 'json') return valuesEqual(element, item);
    const actual = jsonOf(element);
    return actual !== undefined && jsonContains(actual, item.json);
  });
}

/** The JSON structure of a JSON or array value; undefined for scalars. */
function jsonOf(v: Value): unknown {
  if (v.type === 'json') return v.json;
  if (v.type === 'array') return v.items.map((item) => jsonOf(item) ?? displayValue(item));
  return undefined;
}
