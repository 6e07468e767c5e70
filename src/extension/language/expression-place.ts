// Where in a (possibly half-typed) assertion, output value or trigger template a position is: a reference name
// after `attr:`/`var:`/`env:`, a filter after `|`, an operand (attribute, variable, function, value), or the
// comparator after the left side. No vscode import.
import { tokenize, type Token } from '../../core/expression/lexer';

/** Assertions have a comparator; output values are one expression; templates are text with `${…}` parts. */
export type ExpressionMode = 'assertion' | 'expression' | 'template';

export type ExpressionPlace =
  | { role: 'ref'; store: 'attr' | 'var' | 'env'; partial: string; start: number; end: number }
  | { role: 'filter'; partial: string; start: number; end: number }
  | { role: 'comparator'; partial: string; start: number; end: number }
  /** An operand; `comparedAttr` is the attribute on the left of the comparator, whose observed values fit here. */
  | { role: 'operand'; partial: string; start: number; end: number; comparedAttr?: string; inString?: '"' | "'" };

interface Region {
  /** Start of the expression text the cursor is in (0, or just after `${`). */
  start: number;
  /** Set when the cursor is inside a quoted string (of that region); its opening quote's index. */
  stringStart?: number;
  quote?: '"' | "'";
}

/** Finds the innermost expression around the end of `prefix`, skipping strings and `${…}` parts before it. */
function regionOf(prefix: string, mode: ExpressionMode): Region | undefined {
  type Frame = { kind: 'expr'; start: number } | { kind: 'string'; quote: '"' | "'"; start: number } | { kind: 'text' };
  const stack: Frame[] = [mode === 'template' ? { kind: 'text' } : { kind: 'expr', start: 0 }];
  for (let i = 0; i < prefix.length; i++) {
    const top = stack[stack.length - 1]!;
    const c = prefix[i]!;
    if (top.kind === 'expr') {
      if (c === '"' || c === "'") stack.push({ kind: 'string', quote: c, start: i });
      else if (c === '}' && stack.length > 1) stack.pop();
      continue;
    }
    if (top.kind === 'string' && c === '\\' && prefix[i + 1] === top.quote) {
      i++;
      continue;
    }
    if (top.kind === 'string' && c === top.quote) {
      stack.pop();
      continue;
    }
    if (c === '$' && prefix[i + 1] === '{') {
      stack.push({ kind: 'expr', start: i + 2 });
      i++;
    }
  }
  const top = stack[stack.length - 1]!;
  if (top.kind === 'text') return undefined;
  if (top.kind === 'expr') return { start: top.start };
  const enclosing = [...stack].reverse().find((f) => f.kind === 'expr') as { start: number } | undefined;
  return { start: enclosing?.start ?? 0, stringStart: top.start, quote: top.quote };
}

const REF = /\b(attr|var|env):([A-Za-z0-9_.-]*)$/;
const FILTER = /\|\s*([A-Za-z_]\w*)?$/;
const WORD = /[A-Za-z_][A-Za-z0-9_]*$/;
const NOT_CONTAINS = /\bnot-[a-z]*$/;
const NAME_REST = /^[A-Za-z0-9_.-]*/;
const WORD_REST = /^[A-Za-z0-9_-]*/;

export function expressionPlaceAt(text: string, index: number, mode: ExpressionMode): ExpressionPlace | undefined {
  const prefix = text.slice(0, index);
  const region = regionOf(prefix, mode);
  if (!region) return undefined;
  const rest = text.slice(index);
  if (region.stringStart !== undefined) {
    // Inside a string literal: only the right side of `attr:x = "…"` has something to offer.
    const left = comparedAttribute(text, region.start, region.stringStart);
    if (!left) return undefined;
    const close = rest.indexOf(region.quote!);
    return {
      role: 'operand',
      partial: prefix.slice(region.stringStart + 1),
      start: region.stringStart,
      end: close < 0 ? text.length : index + close + 1,
      comparedAttr: left,
      inString: region.quote!,
    };
  }
  const local = prefix.slice(region.start);
  const ref = REF.exec(local);
  if (ref) {
    const end = index + (NAME_REST.exec(rest)?.[0].length ?? 0);
    return { role: 'ref', store: ref[1] as 'attr' | 'var' | 'env', partial: ref[2]!, start: index - ref[2]!.length, end };
  }
  const filter = FILTER.exec(local);
  if (filter) {
    const partial = filter[1] ?? '';
    return { role: 'filter', partial, start: index - partial.length, end: index + (WORD_REST.exec(rest)?.[0].length ?? 0) };
  }
  const partial = NOT_CONTAINS.exec(local)?.[0] ?? WORD.exec(local)?.[0] ?? '';
  if (partial !== '' && /[\d.]$/.test(local.slice(0, local.length - partial.length))) return undefined; // a duration unit
  const start = index - partial.length;
  const end = index + (WORD_REST.exec(rest)?.[0].length ?? 0);
  const tokens = tokenize(text, region.start, start, undefined, 0);
  const lastToken = tokens[tokens.length - 1];
  if (lastToken?.type === 'invalid') return undefined;
  const meaningful = tokens.filter((t) => t.type !== 'eof');
  const previous = meaningful[meaningful.length - 1];
  if (!previous || expectsOperand(previous)) {
    const attr = previous?.type === 'comparator' ? comparedAttribute(text, region.start, previous.offset) : undefined;
    return { role: 'operand', partial, start, end, ...(attr ? { comparedAttr: attr } : {}) };
  }
  const spaced = previous.offset + previous.length < start;
  if (!spaced) return undefined;
  const hasComparator = meaningful.some((t) => t.type === 'comparator');
  if (mode === 'assertion' && region.start === 0 && !hasComparator) return { role: 'comparator', partial, start, end };
  return undefined;
}

function expectsOperand(t: Token): boolean {
  if (t.type === 'comparator' || t.type === 'op') return true;
  return t.type === 'punct' && (t.text === '(' || t.text === '[' || t.text === ',');
}

/** `attr:NAME` when the left side of the comparator at `comparatorAt` is exactly that reference. */
function comparedAttribute(text: string, from: number, comparatorAt: number): string | undefined {
  const left = text.slice(from, comparatorAt);
  const m = /^\s*attr:([A-Za-z0-9_.-]+)\s*(?:=|!=|<=?|>=?|contains|not-contains)?\s*$/.exec(left);
  return m?.[1];
}

export type ExpressionWord =
  | { role: 'ref'; store: 'attr' | 'var' | 'env'; name: string; start: number; end: number }
  | { role: 'filter' | 'function' | 'comparator' | 'duration'; text: string; start: number; end: number };

/** The reference, filter, function, comparator or duration under `index`, for hover. */
export function expressionWordAt(text: string, index: number): ExpressionWord | undefined {
  const isWordChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_.:-]/.test(c);
  let start = index;
  while (start > 0 && isWordChar(text[start - 1])) start--;
  let end = index;
  while (end < text.length && isWordChar(text[end])) end++;
  const word = text.slice(start, end);
  const ref = /^(attr|var|env):([A-Za-z0-9_.-]+)$/.exec(word);
  if (ref) return { role: 'ref', store: ref[1] as 'attr' | 'var' | 'env', name: ref[2]!, start, end };
  if (word === 'contains' || word === 'not-contains') return { role: 'comparator', text: word, start, end };
  if (/^\d+(\.\d+)?(ns|us|ms|s|m|h)$/.test(word)) return { role: 'duration', text: word, start, end };
  if (/^[A-Za-z_]\w*$/.test(word)) {
    if (/\|\s*$/.test(text.slice(0, start))) return { role: 'filter', text: word, start, end };
    if (/^\s*\(/.test(text.slice(end))) return { role: 'function', text: word, start, end };
  }
  let s = index;
  while (s > 0 && /[=!<>]/.test(text[s - 1]!)) s--;
  let e = index;
  while (e < text.length && /[=!<>]/.test(text[e]!)) e++;
  const symbol = text.slice(s, e);
  if (['=', '!=', '<', '<=', '>', '>='].includes(symbol)) return { role: 'comparator', text: symbol, start: s, end: e };
  return undefined;
}
