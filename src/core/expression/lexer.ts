// Tokens of the expression language. Strings are scanned with their `${...}` parts located (not yet parsed), so
// the parser can parse each interpolation over the same source text and every offset stays absolute.
import type { ArithmeticOperator, Comparator, DurationUnit, Quote } from './ast';
import type { Attempt, Problem } from './errors';
import { fail, ok, quoted } from './errors';

/** Nesting limit for parentheses, arrays, calls, strings in interpolations and arithmetic chains. */
export const MAX_DEPTH = 128;
const UNTERMINATED_STRING = 'unterminated string';

export interface RawText {
  kind: 'text';
  value: string;
  offset: number;
  length: number;
}

/** `${...}` whose content (`start`..`end`, exclusive) is still to be parsed. */
export interface RawInterpolation {
  kind: 'interpolation';
  start: number;
  end: number;
  offset: number;
  length: number;
}

export type RawPart = RawText | RawInterpolation;

interface At {
  offset: number;
  length: number;
}

export type Token =
  | (At & { type: 'number'; text: string })
  | (At & { type: 'duration'; amount: string; unit: DurationUnit })
  | (At & { type: 'string'; quote: Quote; parts: RawPart[]; nestedQuote: Quote | undefined })
  | (At & { type: 'ref'; store: 'attr' | 'var' | 'env'; name: string; nameOffset: number })
  | (At & { type: 'ident'; text: string })
  | (At & { type: 'comparator'; text: Comparator })
  | (At & { type: 'op'; text: ArithmeticOperator })
  | (At & { type: 'punct'; text: '(' | ')' | '[' | ']' | ',' | '|' })
  | (At & { type: 'eof' })
  | (At & { type: 'invalid'; problem: Problem });

const UNITS: readonly DurationUnit[] = ['ns', 'us', 'ms', 's', 'm', 'h'];
const PUNCTUATION = '()[],|';
const OPERATORS = '+-*/';

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isWordStart = (c: string | undefined): boolean => c !== undefined && /[A-Za-z_]/.test(c);
const isWordChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_]/.test(c);
const isNameChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_.-]/.test(c);

/**
 * Tokens of `text[start, end)`, ending with `eof`, or with `invalid` at the first thing that is not a token.
 * `escapedQuote` is set inside an interpolation of a string quoted with it: there `\'` (or `\"`) delimits a nested
 * string, the way Tracetest files write `'${attr:x | json_path \'$.id\'}'`.
 */
export function tokenize(text: string, start: number, end: number, escapedQuote: Quote | undefined, depth: number): Token[] {
  const tokens: Token[] = [];
  let i = start;
  const push = (token: Token): void => {
    tokens.push(token);
    i = token.offset + token.length;
  };
  while (i < end) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (isDigit(c)) push(numberToken(text, i, end));
    else if (isWordStart(c)) push(wordToken(text, i, end));
    else if (c === '"' || c === "'" || (c === '\\' && escapedQuote !== undefined && text[i + 1] === escapedQuote && i + 1 < end)) {
      const quote = c === '\\' ? escapedQuote! : c;
      const scanned = scanString(text, i, end, quote, c === '\\', depth);
      if (!scanned.ok) push({ type: 'invalid', problem: scanned.error, offset: i, length: 1 });
      else {
        const { next, parts } = scanned.value;
        push({ type: 'string', quote, parts, nestedQuote: c === '\\' ? undefined : quote, offset: i, length: next - i });
      }
    } else if (PUNCTUATION.includes(c)) push({ type: 'punct', text: c as '(' | ')' | '[' | ']' | ',' | '|', offset: i, length: 1 });
    else if (OPERATORS.includes(c)) push({ type: 'op', text: c as ArithmeticOperator, offset: i, length: 1 });
    else push(symbolToken(text, i, end));
    if (tokens[tokens.length - 1]?.type === 'invalid') return tokens;
  }
  tokens.push({ type: 'eof', offset: end, length: 0 });
  return tokens;
}

function numberToken(text: string, start: number, end: number): Token {
  let i = start;
  while (i < end && isDigit(text[i])) i++;
  if (text[i] === '.' && i + 1 < end && isDigit(text[i + 1])) {
    i++;
    while (i < end && isDigit(text[i])) i++;
  }
  const number = text.slice(start, i);
  // `25ms` or `25 ms`: at most one space before the unit, and the unit must end the word.
  const unitAt = text[i] === ' ' ? i + 1 : i;
  for (const unit of UNITS) {
    const after = unitAt + unit.length;
    if (after <= end && text.startsWith(unit, unitAt) && !(after < end && isWordChar(text[after]))) {
      return { type: 'duration', amount: number, unit, offset: start, length: after - start };
    }
  }
  return { type: 'number', text: number, offset: start, length: i - start };
}

function wordToken(text: string, start: number, end: number): Token {
  let i = start;
  while (i < end && isWordChar(text[i])) i++;
  const word = text.slice(start, i);
  if (text[i] === ':' && i < end) {
    if (word === 'attr' || word === 'var' || word === 'env') {
      let j = i + 1;
      while (j < end && isNameChar(text[j])) j++;
      if (j === i + 1) {
        const problem: Problem = { kind: 'parse', message: `expected a name after \`${word}:\``, offset: i + 1, length: 0 };
        return { type: 'invalid', problem, offset: start, length: i + 1 - start };
      }
      return { type: 'ref', store: word, name: text.slice(i + 1, j), nameOffset: i + 1, offset: start, length: j - start };
    }
    const problem: Problem = {
      kind: 'parse',
      message: `unknown prefix \`${word}:\` (use attr:, var: or env:)`,
      offset: start,
      length: i + 1 - start,
    };
    return { type: 'invalid', problem, offset: start, length: i + 1 - start };
  }
  if (word === 'contains') return { type: 'comparator', text: 'contains', offset: start, length: i - start };
  const notContainsEnd = i + '-contains'.length;
  if (word === 'not' && notContainsEnd <= end && text.startsWith('-contains', i) && !(notContainsEnd < end && isWordChar(text[notContainsEnd]))) {
    return { type: 'comparator', text: 'not-contains', offset: start, length: notContainsEnd - start };
  }
  return { type: 'ident', text: word, offset: start, length: i - start };
}

function symbolToken(text: string, i: number, end: number): Token {
  const c = text[i]!;
  const next = i + 1 < end ? text[i + 1] : undefined;
  const invalid = (message: string, length: number): Token => ({
    type: 'invalid',
    problem: { kind: 'parse', message, offset: i, length },
    offset: i,
    length,
  });
  if (c === '=') return next === '=' ? invalid('unexpected `==` (compare with a single `=`)', 2) : { type: 'comparator', text: '=', offset: i, length: 1 };
  if (c === '!') return next === '=' ? { type: 'comparator', text: '!=', offset: i, length: 2 } : invalid('unexpected `!` (did you mean `!=`?)', 1);
  if (c === '<' || c === '>') {
    const text2 = next === '=' ? (`${c}=` as '<=' | '>=') : c;
    return { type: 'comparator', text: text2, offset: i, length: text2.length };
  }
  if (c === '$' && next === '{') return invalid('`${...}` interpolation only works inside a quoted string', 2);
  const char = String.fromCodePoint(text.codePointAt(i)!);
  return invalid(`unexpected character ${quoted(char)}`, char.length);
}

/**
 * Scans a quoted string starting at `open`. Inside it, a backslash before the enclosing quote stands for that
 * quote; every other backslash is kept. When `escaped`, the string itself is delimited by `\'` (or `\"`).
 */
export function scanString(
  text: string,
  open: number,
  end: number,
  quote: Quote,
  escaped: boolean,
  depth: number,
): Attempt<{ next: number; parts: RawPart[] }> {
  if (depth > MAX_DEPTH) return fail('parse', `strings are nested more than ${MAX_DEPTH} levels deep`, open, 1);
  const delimiter = escaped ? 2 : 1;
  const parts: RawPart[] = [];
  let buffer = '';
  let bufferStart = open + delimiter;
  const flush = (at: number): void => {
    if (at > bufferStart) parts.push({ kind: 'text', value: buffer, offset: bufferStart, length: at - bufferStart });
    buffer = '';
  };
  let i = open + delimiter;
  while (i < end) {
    const c = text[i]!;
    const quoteFollows = i + 1 < end && text[i + 1] === quote;
    if (escaped ? c === '\\' && quoteFollows : c === quote) {
      flush(i);
      return ok({ next: i + delimiter, parts });
    }
    if (!escaped && c === '\\' && quoteFollows) {
      buffer += quote;
      i += 2;
      continue;
    }
    if (c === '$' && i + 1 < end && text[i + 1] === '{') {
      flush(i);
      const close = scanInterpolation(text, i + 2, end, escaped ? undefined : quote, depth + 1);
      if (!close.ok) return close;
      parts.push({ kind: 'interpolation', start: i + 2, end: close.value, offset: i, length: close.value + 1 - i });
      i = close.value + 1;
      bufferStart = i;
      continue;
    }
    buffer += c;
    i++;
  }
  return fail('parse', UNTERMINATED_STRING, open, end - open);
}

/** The offset of the `}` closing an interpolation whose content starts at `from`; nested strings are skipped. */
export function scanInterpolation(text: string, from: number, end: number, escapedQuote: Quote | undefined, depth: number): Attempt<number> {
  if (depth > MAX_DEPTH) return fail('parse', `interpolations are nested more than ${MAX_DEPTH} levels deep`, from - 2, 2);
  let i = from;
  while (i < end) {
    const c = text[i]!;
    if (c === '}') return ok(i);
    const escapedString = c === '\\' && escapedQuote !== undefined && i + 1 < end && text[i + 1] === escapedQuote;
    if (c === '"' || c === "'" || escapedString) {
      const nested = scanString(text, i, end, escapedString ? escapedQuote! : (c as Quote), escapedString, depth + 1);
      // A quote that never closes inside `${` most likely ends the enclosing string: the `${` is what is unclosed.
      if (!nested.ok) return nested.error.message === UNTERMINATED_STRING ? unclosed(from) : nested;
      i = nested.value.next;
      continue;
    }
    i++;
  }
  return unclosed(from);
}

function unclosed(contentStart: number): Attempt<never> {
  return fail('parse', 'expected `}` to close this `${`', contentStart - 2, 2);
}
