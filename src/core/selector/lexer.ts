// Splits a selector into tokens. Whitespace (newlines included: selectors come from YAML block scalars) only
// separates tokens. Words are runs of identifier characters plus `.` and `+`, so keys (`http.status_code`),
// numbers (`-1.5`), `contains`/`not-contains` and pseudo-class names are single tokens that the parser reads
// according to where they stand.
import { positionAt } from '../text-position';

export type Token =
  | { type: 'word'; text: string; offset: number; length: number }
  | { type: 'string'; text: string; quote: '"' | "'"; offset: number; length: number }
  | { type: 'punct'; text: '[' | ']' | ',' | ':' | '(' | ')'; offset: number; length: number }
  | { type: 'op'; text: '=' | '!=' | '<' | '<=' | '>' | '>='; offset: number; length: number }
  | { type: 'end'; offset: number; length: 0 }
  /** Lexing stops here; the parser reports `message` when it reaches this token. */
  | { type: 'invalid'; message: string; offset: number; length: number };

/** Identifier characters (letters and digits of any script, `_`, `-`) plus `.` and `+`. */
const WORD = /[\p{L}\p{N}_.+-]+/uy;
const WHITESPACE = /\s+/uy;

/** `line:column` of an offset, as error messages print it. */
export function where(text: string, offset: number): string {
  const { line, column } = positionAt(text, offset);
  return `${line}:${column}`;
}

/** Tokens up to the end of the text, or up to and including the first `invalid` token. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const skipped = matchAt(WHITESPACE, text, i);
    if (skipped) {
      i += skipped.length;
      continue;
    }
    const ch = text[i]!;
    if (ch === '"' || ch === "'") {
      const token = readString(text, i);
      tokens.push(token);
      if (token.type === 'invalid') return tokens;
      i += token.length;
      continue;
    }
    if (ch === '[' || ch === ']' || ch === ',' || ch === ':' || ch === '(' || ch === ')') {
      tokens.push({ type: 'punct', text: ch, offset: i, length: 1 });
      i++;
      continue;
    }
    if (ch === '=' || ch === '<' || ch === '>') {
      const withEquals = ch !== '=' && text[i + 1] === '=';
      const op = withEquals ? (ch === '<' ? '<=' : '>=') : ch;
      tokens.push({ type: 'op', text: op, offset: i, length: op.length });
      i += op.length;
      continue;
    }
    if (ch === '!') {
      if (text[i + 1] === '=') {
        tokens.push({ type: 'op', text: '!=', offset: i, length: 2 });
        i += 2;
        continue;
      }
      tokens.push({ type: 'invalid', message: `unexpected \`!\` at ${where(text, i)} (did you mean \`!=\`?)`, offset: i, length: 1 });
      return tokens;
    }
    const word = matchAt(WORD, text, i);
    if (word) {
      tokens.push({ type: 'word', text: word, offset: i, length: word.length });
      i += word.length;
      continue;
    }
    const c = text.codePointAt(i)!;
    const width = c > 0xffff ? 2 : 1;
    tokens.push({ type: 'invalid', message: `unexpected character ${showChar(c)} at ${where(text, i)}`, offset: i, length: width });
    return tokens;
  }
  tokens.push({ type: 'end', offset: text.length, length: 0 });
  return tokens;
}

function matchAt(pattern: RegExp, text: string, offset: number): string | undefined {
  pattern.lastIndex = offset;
  return pattern.exec(text)?.[0];
}

/**
 * A backslash before the enclosing quote stands for the quote; every other backslash is kept as written
 * (language.md §3), so JSON and regular expressions inside quotes keep their own escapes.
 */
function readString(text: string, start: number): Token {
  const quote = text[start] as '"' | "'";
  let value = '';
  let runStart = start + 1;
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\\' && text[i + 1] === quote) {
      value += text.slice(runStart, i) + quote;
      i += 2;
      runStart = i;
      continue;
    }
    if (ch === quote) {
      value += text.slice(runStart, i);
      return { type: 'string', text: value, quote, offset: start, length: i + 1 - start };
    }
    i++;
  }
  return { type: 'invalid', message: `unterminated string starting at ${where(text, start)}`, offset: start, length: text.length - start };
}

function showChar(codePoint: number): string {
  const control = codePoint <= 32 || (codePoint >= 127 && codePoint < 0xa0);
  const surrogate = codePoint >= 0xd800 && codePoint <= 0xdfff;
  const printable = !control && !surrogate && codePoint !== 96;
  return printable ? `\`${String.fromCodePoint(codePoint)}\`` : `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}
