// JSON text to a value, with two things JSON.parse lacks: a syntax error that says what was expected at which
// line and column (engines' messages differ and often carry no position), and integers beyond 2^53 kept exact
// (as decimal strings, which the decoders read as bigint) instead of being rounded.
import type { Result, SourceError } from '../../text-position';
import { sourceError } from '../../text-position';

export function parseJsonText(text: string): Result<unknown, SourceError> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const found = findSyntaxError(text) ?? { offset: 0, message: e instanceof Error ? e.message : String(e) };
    return { ok: false, error: sourceError(text, found.offset, found.offset < text.length ? 1 : 0, found.message) };
  }
  // Cheap pre-check: only a run of 16+ digits after a colon, bracket or comma can be an unsafe integer (OTLP JSON's
  // nanosecond times are strings, which a bare run of digits would match in every span).
  const quoted = UNSAFE_INTEGER_CANDIDATE.test(text) ? quoteUnsafeIntegers(text) : undefined;
  return { ok: true, value: quoted === undefined ? value : JSON.parse(quoted) };
}

const UNSAFE_INTEGER_CANDIDATE = /(?:^|[:[,])[ \t\n\r]*-?\d{16}/;
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;

/** Rewrites integer literals outside strings that a double cannot hold exactly as strings; undefined when there are none. Expects valid JSON. */
function quoteUnsafeIntegers(text: string): string | undefined {
  let out = '';
  let copied = 0;
  for (let i = 0; i < text.length;) {
    const c = text[i]!;
    if (c === '"') {
      i = scanString(text, i);
      continue;
    }
    if (c !== '-' && (c < '0' || c > '9')) {
      i++;
      continue;
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text)!;
    const end = i + m[0].length;
    if (m[1] === undefined && m[2] === undefined && !Number.isSafeInteger(Number(m[0]))) {
      out += `${text.slice(copied, i)}"${m[0]}"`;
      copied = end;
    }
    i = end;
  }
  return copied === 0 ? undefined : out + text.slice(copied);
}

/** Index just past the string starting at `start`, or -(offset of the problem) - 1. */
function scanString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c === 0x5c) {
      const next = text[i + 1];
      if (next === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return -i - 1;
        i += 6;
        continue;
      }
      if (next === undefined || !'"\\/bfnrt'.includes(next)) return -i - 1;
      i += 2;
      continue;
    }
    if (c < 0x20) return -i - 1;
    i++;
  }
  return -start - 1;
}

type Expect = 'value' | 'value-or-]' | 'key' | 'key-or-}' | ':' | ',-or-close' | 'end';

/** The first syntax error in `text`: an iterative scan, so deep nesting cannot overflow the stack. */
function findSyntaxError(text: string): { offset: number; message: string } | undefined {
  const open: string[] = [];
  let expect: Expect = 'value';
  let i = 0;
  const afterValue = (): Expect => (open.length > 0 ? ',-or-close' : 'end');
  const expected: Record<Expect, string> = {
    value: 'a value',
    'value-or-]': 'a value or `]`',
    key: 'a property name in double quotes',
    'key-or-}': 'a property name in double quotes or `}`',
    ':': '`:`',
    ',-or-close': '',
    end: 'the end of the text',
  };
  const describeExpected = (): string => (expect === ',-or-close' ? `\`,\` or \`${open[open.length - 1] === '{' ? '}' : ']'}\`` : expected[expect]);

  for (;;) {
    WHITESPACE.lastIndex = i;
    WHITESPACE.exec(text);
    i = WHITESPACE.lastIndex;
    if (i >= text.length) return expect === 'end' ? undefined : { offset: i, message: `unexpected end of text: expected ${describeExpected()}` };
    const c = text[i]!;
    const fail = (): { offset: number; message: string } => ({ offset: i, message: `expected ${describeExpected()}, found \`${c}\`` });

    if (expect === 'end') return { offset: i, message: `unexpected \`${c}\` after the end of the JSON value` };
    if (expect === ':') {
      if (c !== ':') return fail();
      i++;
      expect = 'value';
      continue;
    }
    if (expect === ',-or-close') {
      const top = open[open.length - 1];
      if (c === ',') {
        i++;
        expect = top === '{' ? 'key' : 'value';
        continue;
      }
      if ((top === '{' && c === '}') || (top === '[' && c === ']')) {
        open.pop();
        i++;
        expect = afterValue();
        continue;
      }
      return fail();
    }
    if ((expect === 'key-or-}' && c === '}') || (expect === 'value-or-]' && c === ']')) {
      open.pop();
      i++;
      expect = afterValue();
      continue;
    }
    if (expect === 'key' || expect === 'key-or-}') {
      if (c !== '"') return fail();
      const end = scanString(text, i);
      if (end < 0) return stringError(text, i, -end - 1);
      i = end;
      expect = ':';
      continue;
    }
    // a value
    if (c === '{' || c === '[') {
      open.push(c);
      i++;
      expect = c === '{' ? 'key-or-}' : 'value-or-]';
      continue;
    }
    if (c === '"') {
      const end = scanString(text, i);
      if (end < 0) return stringError(text, i, -end - 1);
      i = end;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (!m) return { offset: i, message: 'invalid number' };
      i += m[0].length;
    } else {
      const literal = ['true', 'false', 'null'].find((word) => text.startsWith(word, i));
      if (!literal) return fail();
      i += literal.length;
    }
    expect = afterValue();
  }
}

function stringError(text: string, start: number, at: number): { offset: number; message: string } {
  if (at === start) return { offset: start, message: 'unterminated string' };
  return text[at] === '\\'
    ? { offset: at, message: 'invalid escape in string' }
    : { offset: at, message: 'control character in string (escape it, e.g. `\\n`)' };
}
