// SourceString from YAML scalars: the value plus, where the scalar style allows it, the file offset of every character.
import type { Scalar } from 'yaml';
import type { SourceString } from './model';

/**
 * Non-string scalars (`8080`, `true`) keep their source text, as Go's YAML decoder does for string fields;
 * null becomes ''.
 */
export function sourceString(text: string, node: Scalar.Parsed): SourceString {
  const [start, end] = node.range;
  const value = typeof node.value === 'string' ? node.value : node.value == null ? '' : text.slice(start, end);
  const offsets = firstMatch(candidates(text, node, start, end), value);
  return offsets ? { value, range: { start, end }, valueOffsets: offsets } : { value, range: { start, end } };
}

interface Mapped {
  chars: string;
  offsets: number[];
}

/** Reconstructions of the value with the offset of each character; escapes and `>` folding get none. */
function candidates(text: string, node: Scalar.Parsed, start: number, end: number): Mapped[] {
  switch (node.type) {
    case 'PLAIN':
      return [foldFlow(text, start, end, false)];
    case 'QUOTE_SINGLE':
      return [foldFlow(text, start + 1, end - 1, true)];
    case 'QUOTE_DOUBLE':
      return text.slice(start, end).includes('\\') ? [] : [foldFlow(text, start + 1, end - 1, false)];
    case 'BLOCK_LITERAL':
      return literal(text, start, end);
    default:
      return [];
  }
}

/** A reconstruction is only trusted when it reproduces the parser's value exactly. */
function firstMatch(mapped: Mapped[], value: string): number[] | undefined {
  for (const { chars, offsets } of mapped) {
    if (chars === value) return offsets;
    // Clipped/stripped block scalars drop trailing line breaks that the walk kept.
    if (chars.startsWith(value) && /^\n*$/.test(chars.slice(value.length))) return offsets.slice(0, value.length);
  }
  return undefined;
}

const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';

/**
 * Plain and quoted scalars: each line is trimmed, a single line break folds to a space (mapped to the break),
 * and every empty line in between becomes '\n' (mapped to that line's break).
 */
function foldFlow(text: string, start: number, end: number, singleQuoted: boolean): Mapped {
  const chars: string[] = [];
  const offsets: number[] = [];
  const emit = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      chars.push(text[i]!);
      offsets.push(i);
      if (singleQuoted && text[i] === "'" && text[i + 1] === "'") i++;
    }
  };
  const lines: Array<[number, number]> = [];
  let lineStart = start;
  for (let i = start; i < end; i++) {
    if (text[i] === '\n') {
      lines.push([lineStart, i]);
      lineStart = i + 1;
    }
  }
  lines.push([lineStart, end]);
  const last = lines.length - 1;
  let pendingBreak = -1;
  const emptyBreaks: number[] = [];
  lines.forEach(([from, to], index) => {
    let a = from;
    let b = to;
    if (index > 0) while (a < b && isBlank(text[a])) a++;
    if (index < last) while (b > a && (isBlank(text[b - 1]) || text[b - 1] === '\r')) b--;
    if (index > 0 && index < last && a === b) {
      emptyBreaks.push(to);
      return;
    }
    if (pendingBreak >= 0) {
      if (emptyBreaks.length === 0) {
        chars.push(' ');
        offsets.push(pendingBreak);
      }
      for (const at of emptyBreaks) {
        chars.push('\n');
        offsets.push(at);
      }
      emptyBreaks.length = 0;
    }
    emit(a, b);
    pendingBreak = to;
  });
  return { chars: chars.join(''), offsets };
}

/**
 * `|` block scalars: every content character and line break is in the file verbatim once the indentation is
 * removed. The indentation is the first content line's unless an explicit indicator says otherwise (it is relative
 * to the parent, which we do not know), so with an indicator each smaller indentation is tried.
 */
function literal(text: string, start: number, end: number): Mapped[] {
  const headerEnd = text.indexOf('\n', start);
  if (headerEnd < 0 || headerEnd >= end) return [{ chars: '', offsets: [] }];
  const explicit = /^\|[+-]?[1-9]/.test(text.slice(start, headerEnd));
  const firstIndent = firstContentIndent(text, headerEnd + 1, end);
  const out = [literalLines(text, headerEnd + 1, end, firstIndent)];
  if (explicit) for (let indent = firstIndent - 1; indent >= 0; indent--) out.push(literalLines(text, headerEnd + 1, end, indent));
  return out;
}

function firstContentIndent(text: string, from: number, end: number): number {
  let indent = 0;
  for (let i = from; i < end; i++) {
    const c = text[i];
    if (c === ' ') indent++;
    else if (c === '\n' || c === '\r') indent = 0;
    else return indent;
  }
  return indent;
}

function literalLines(text: string, from: number, end: number, indent: number): Mapped {
  const chars: string[] = [];
  const offsets: number[] = [];
  let lineStart = from;
  while (lineStart < end) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0 || lineEnd > end) lineEnd = end;
    const contentEnd = text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
    for (let i = Math.min(lineStart + indent, contentEnd); i < contentEnd; i++) {
      chars.push(text[i]!);
      offsets.push(i);
    }
    if (lineEnd < end) {
      chars.push('\n');
      offsets.push(lineEnd);
    }
    lineStart = lineEnd + 1;
  }
  return { chars: chars.join(''), offsets };
}
