// `contains` with JSON on the right (language.md §3): a partial match. Every key of an expected object must be
// present in the actual one with a matching value, recursively; an expected array of objects needs each object to
// match some actual element; arrays of scalars must be equal.
import { compareDecimals, parseDecimal } from './decimal';

/** Structures deeper than this do not match rather than risk the stack. */
const MAX_MATCH_DEPTH = 200;

export function jsonContains(actual: unknown, expected: unknown, depth = 0): boolean {
  if (depth > MAX_MATCH_DEPTH) return false;
  if (isObject(expected)) {
    if (isObject(actual)) {
      return Object.entries(expected).every(([key, value]) => Object.hasOwn(actual, key) && jsonContains(actual[key], value, depth + 1));
    }
    return Array.isArray(actual) && actual.some((element) => jsonContains(element, expected, depth + 1));
  }
  if (Array.isArray(expected)) {
    if (expected.length > 0 && expected.every(isObject)) {
      const candidates = Array.isArray(actual) ? actual : [actual];
      return expected.every((e) => candidates.some((a) => jsonContains(a, e, depth + 1)));
    }
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => jsonContains(actual[i], e, depth + 1));
  }
  return !isObject(actual) && !Array.isArray(actual) && scalarsEqual(actual, expected);
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** As `=` does: numbers numerically, everything else by text (`"200"` matches `200`). */
function scalarsEqual(a: unknown, b: unknown): boolean {
  const x = String(a);
  const y = String(b);
  if (x === y) return true;
  const dx = parseDecimal(x);
  const dy = parseDecimal(y);
  return dx !== undefined && dy !== undefined && compareDecimals(dx, dy) === 0;
}
