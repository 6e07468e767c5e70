// "Where in the YAML is this offset?" for a file being typed: the key path, and whether the cursor is on a key or
// inside a scalar value (with the scalar's decoded text mapped back to file offsets). Works line by line on
// indentation instead of a YAML parser because half-typed text (`- sel`, `selector: "span[na`) rarely parses.
// No vscode import.

/** A path segment: a mapping key, or ITEM for "an item of this list". */
export const ITEM = '[]';
export type YamlPath = readonly string[];

/** A scalar's text as the YAML reader sees it, with the file offset of every character. */
export interface ScalarText {
  text: string;
  offsets: number[];
  /** File range of the whole scalar node, quotes included. */
  start: number;
  end: number;
  style: 'plain' | 'double' | 'single' | 'block';
}

export type YamlPosition =
  | {
      kind: 'key';
      /** Path of the mapping the key belongs to. */
      path: YamlPath;
      /** Key text typed so far (before the cursor). */
      partial: string;
      /** File range a completion replaces: the key word around the cursor. */
      start: number;
      end: number;
      /** Keys already present in that mapping. */
      siblings: string[];
      /** True when the line starts a new list item here (`- ` before the cursor). */
      inItem: boolean;
      /** Column of the key: snippets indent their continuation lines to it. */
      column: number;
    }
  | {
      kind: 'value';
      /** Path of the value itself, e.g. ['spec', 'specs', ITEM, 'selector']. */
      path: YamlPath;
      scalar: ScalarText;
      /** Index into scalar.text of the cursor. */
      cursor: number;
    };

interface Line {
  start: number;
  text: string;
}

interface ParsedLine {
  indent: number;
  /** Columns of the `- ` markers, outermost first. */
  dashes: number[];
  /** Column where the content after indentation and dashes starts. */
  content: number;
  key?: { name: string; column: number; colon: number; valueColumn: number };
  blank: boolean;
}

interface Frame {
  column: number;
  segment: string;
  line: number;
}

/** A scalar that may continue on more-indented lines below its first line. */
interface ScalarOwner {
  line: number;
  /** Lines more indented than this belong to the scalar. */
  column: number;
  /** Column where the scalar starts on its first line. */
  valueColumn: number;
  path: string[];
}

const KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{}[\]&*!|>%@`,-][^#]*?|-[^\s#][^#]*?)[ \t]*:(?=[ \t]|$)/;
const BLOCK_HEADER = /^[|>][-+0-9]*[ \t]*(?:#.*)?$/;

export function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    lines.push({ start, text: text.slice(start, end).replace(/\r$/, '') });
    if (nl < 0) return lines;
    start = nl + 1;
  }
}

export function parseLine(text: string): ParsedLine {
  const indent = text.length - text.trimStart().length;
  const dashes: number[] = [];
  let i = indent;
  while (text[i] === '-' && (text[i + 1] === ' ' || text[i + 1] === '\t' || i + 1 === text.length)) {
    dashes.push(i);
    i++;
    while (text[i] === ' ' || text[i] === '\t') i++;
  }
  const rest = text.slice(i);
  const blank = rest.trim() === '' || rest.trimStart().startsWith('#');
  const parsed: ParsedLine = { indent, dashes, content: i, blank: blank && dashes.length === 0 };
  const m = KEY.exec(rest);
  if (m) {
    const raw = m[1]!;
    const name = raw.startsWith('"') || raw.startsWith("'") ? raw.slice(1, -1) : raw.trimEnd();
    const colon = i + m[0].length - 1;
    let valueColumn = colon + 1;
    while (text[valueColumn] === ' ' || text[valueColumn] === '\t') valueColumn++;
    parsed.key = { name, column: i, colon, valueColumn };
  }
  return parsed;
}

/** The YAML document (between `---` lines) that holds `lineIndex`: [first line, last line]. */
function documentLines(lines: Line[], lineIndex: number): [number, number] {
  let first = 0;
  for (let i = lineIndex; i >= 0; i--) {
    if (/^---(\s|$)/.test(lines[i]!.text) && i !== lineIndex) {
      first = i + 1;
      break;
    }
  }
  let last = lines.length - 1;
  for (let i = lineIndex + 1; i < lines.length; i++) {
    if (/^(---|\.\.\.)(\s|$)/.test(lines[i]!.text)) {
      last = i - 1;
      break;
    }
  }
  return [first, last];
}

/** Pops frames that a key or dash at `column` closes. */
function closeFrames(stack: Frame[], column: number, dash: boolean): void {
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    // A dash at a key's own column is the compact list style (`specs:` / `- selector:` at the same indent).
    const keep = dash ? top.column < column || (top.column === column && top.segment !== ITEM) : top.column < column;
    if (keep) return;
    stack.pop();
  }
}

function lineOf(lines: Line[], offset: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lines[mid]!.start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * What the cursor at `offset` of `text` is on. Undefined inside comments. `isTextList(path)` says which lists
 * hold text items (assertions): there `- attr:x = var:` is one string, not a `key: value` map.
 */
export function yamlPositionAt(text: string, offset: number, isTextList: (path: YamlPath) => boolean = () => false): YamlPosition | undefined {
  const lines = splitLines(text);
  const cursorLine = lineOf(lines, offset);
  const [first, last] = documentLines(lines, cursorLine);
  const stack: Frame[] = [];
  let owner: ScalarOwner | undefined;
  for (let li = first; li < cursorLine; li++) {
    const line = parseLine(lines[li]!.text);
    if (line.blank) continue;
    if (owner && line.indent > owner.column) continue;
    owner = undefined;
    for (const d of line.dashes) {
      closeFrames(stack, d, true);
      stack.push({ column: d, segment: ITEM, line: li });
    }
    if (line.key) {
      closeFrames(stack, line.key.column, false);
      stack.push({ column: line.key.column, segment: line.key.name, line: li });
      if (line.key.valueColumn < lines[li]!.text.length && !lines[li]!.text.slice(line.key.valueColumn).startsWith('#')) {
        owner = { line: li, column: line.key.column, valueColumn: line.key.valueColumn, path: stack.map((f) => f.segment) };
      }
    } else if (line.dashes.length > 0) {
      owner = { line: li, column: line.dashes[line.dashes.length - 1]!, valueColumn: line.content, path: stack.map((f) => f.segment) };
    }
  }

  const current = lines[cursorLine]!;
  const column = offset - current.start;
  const line = parseLine(current.text);
  if (owner && (line.blank ? column > owner.column : line.indent > owner.column)) {
    return valuePosition(lines, owner, last, offset);
  }
  if (current.text.slice(line.content).trimStart().startsWith('#') && column >= line.content) return undefined;
  const dashesBefore = line.dashes.filter((d) => d < column);
  for (const d of dashesBefore) {
    closeFrames(stack, d, true);
    stack.push({ column: d, segment: ITEM, line: cursorLine });
  }
  const contentColumn = dashesBefore.length === line.dashes.length ? line.content : Math.max(column, line.indent);
  const keyPath = (col: number): string[] => {
    const copy = [...stack];
    closeFrames(copy, col, false);
    return copy.map((f) => f.segment);
  };

  const lastDash = line.dashes[line.dashes.length - 1];
  if (lastDash !== undefined && dashesBefore.length === line.dashes.length && isTextList(stack.map((f) => f.segment))) {
    const here: ScalarOwner = { line: cursorLine, column: lastDash, valueColumn: line.content, path: stack.map((f) => f.segment) };
    return valuePosition(lines, here, last, offset);
  }
  if (line.key && line.key.colon < column && dashesBefore.length === line.dashes.length) {
    const path = [...keyPath(line.key.column), line.key.name];
    const here: ScalarOwner = { line: cursorLine, column: line.key.column, valueColumn: line.key.valueColumn, path };
    if (column < line.key.valueColumn) {
      // Right after `key:`: an empty value.
      return { kind: 'value', path, scalar: { text: '', offsets: [], start: offset, end: offset, style: 'plain' }, cursor: 0 };
    }
    return valuePosition(lines, here, last, offset);
  }

  const parentPath = keyPath(contentColumn);
  const inItem = dashesBefore.length > 0 && dashesBefore.length === line.dashes.length;
  const typed = current.text.slice(contentColumn, Math.max(column, contentColumn));
  const word = /[^\s:]*$/.exec(current.text.slice(contentColumn, column))?.[0] ?? '';
  if (inItem && looksLikeScalarItem(typed)) {
    const here: ScalarOwner = { line: cursorLine, column: line.dashes[line.dashes.length - 1]!, valueColumn: contentColumn, path: parentPath };
    return valuePosition(lines, here, last, offset);
  }
  const after = /^[^\s:]*/.exec(current.text.slice(column))?.[0] ?? '';
  return {
    kind: 'key',
    path: parentPath,
    partial: word,
    start: offset - word.length,
    end: offset + after.length,
    siblings: siblingKeys(lines, first, last, cursorLine, contentColumn, inItem),
    inItem,
    column: contentColumn,
  };
}

/** `- attr:x = 1` or `- "quoted"`: list items that are plain text rather than `key: value` maps. */
function looksLikeScalarItem(typed: string): boolean {
  return /^["']/.test(typed) || /[^\w.\-\s]/.test(typed.replace(/:[ \t]*$/, ''));
}

/** Keys at `column` in the same mapping as the cursor line, above and below it. */
function siblingKeys(lines: Line[], first: number, last: number, cursorLine: number, column: number, inItem: boolean): string[] {
  const keys: string[] = [];
  const startsItem = (line: ParsedLine): boolean => line.dashes.length > 0 && line.content === column;
  // Upwards until the mapping starts: a shallower line, or the `- ` line that opened this list item.
  for (let li = cursorLine - 1; li >= first && !inItem; li--) {
    const line = parseLine(lines[li]!.text);
    if (line.blank) continue;
    if (startsItem(line)) {
      if (line.key) keys.push(line.key.name);
      break;
    }
    if (line.indent < column) break;
    if (line.indent === column && line.key) keys.push(line.key.name);
  }
  // Downwards until a shallower line or the next item of the same list.
  for (let li = cursorLine + 1; li <= last; li++) {
    const line = parseLine(lines[li]!.text);
    if (line.blank) continue;
    if (startsItem(line) || line.indent < column) break;
    if (line.indent === column && line.key) keys.push(line.key.name);
  }
  return keys;
}

/** The value whose first line is `owner.line`, extended over its continuation lines. */
function valuePosition(lines: Line[], owner: ScalarOwner, last: number, offset: number): YamlPosition {
  const scalar = readScalar(lines, owner, last);
  const lastOffset = scalar.offsets[scalar.offsets.length - 1];
  if (scalar.style === 'plain' && lastOffset !== undefined && offset > lastOffset + 1) {
    // Spaces typed after a plain value are trimmed by YAML but matter to the language: `attr:x |` → comparator.
    const gap = lines.find((l) => l.start <= lastOffset && lastOffset <= l.start + l.text.length);
    const between = gap ? gap.text.slice(lastOffset + 1 - gap.start, offset - gap.start) : '';
    if (gap && /^[ \t]+$/.test(between) && offset <= gap.start + gap.text.length) {
      for (let i = 0; i < between.length; i++) {
        scalar.text += between[i];
        scalar.offsets.push(lastOffset + 1 + i);
      }
    }
  }
  let cursor = 0;
  while (cursor < scalar.offsets.length && scalar.offsets[cursor]! < offset) cursor++;
  return { kind: 'value', path: owner.path, scalar, cursor };
}

export function readScalar(lines: Line[], owner: ScalarOwner, last: number): ScalarText {
  const firstLine = lines[owner.line]!;
  const head = firstLine.text.slice(owner.valueColumn);
  const start = firstLine.start + owner.valueColumn;
  const continuation: number[] = [];
  for (let li = owner.line + 1; li <= last; li++) {
    const t = lines[li]!.text;
    if (t.trim() !== '' && t.length - t.trimStart().length <= owner.column) break;
    continuation.push(li);
  }
  while (continuation.length > 0 && lines[continuation[continuation.length - 1]!]!.text.trim() === '') continuation.pop();

  if (BLOCK_HEADER.test(head)) {
    const content = continuation.filter((li) => lines[li]!.text.trim() !== '');
    const indent = content.length > 0 ? Math.min(...content.map((li) => lines[li]!.text.length - lines[li]!.text.trimStart().length)) : owner.column + 2;
    let text = '';
    const offsets: number[] = [];
    for (const li of continuation) {
      const l = lines[li]!;
      if (text !== '') {
        text += '\n';
        offsets.push(l.start - 1);
      }
      for (let c = indent; c < l.text.length; c++) {
        text += l.text[c];
        offsets.push(l.start + c);
      }
    }
    const endLine = lines[continuation[continuation.length - 1] ?? owner.line]!;
    return { text, offsets, start, end: endLine.start + endLine.text.length, style: 'block' };
  }

  const quote = head[0] === '"' || head[0] === "'" ? head[0] : undefined;
  // Folding: continuation lines join the first one with a space.
  const segments: Array<{ text: string; start: number }> = [{ text: head, start }];
  for (const li of continuation) {
    const l = lines[li]!;
    const indent = l.text.length - l.text.trimStart().length;
    segments.push({ text: l.text.slice(indent), start: l.start + indent });
  }
  let text = '';
  const offsets: number[] = [];
  let end = start;
  const push = (ch: string, at: number): void => {
    text += ch;
    offsets.push(at);
  };
  if (!quote) {
    segments.forEach((seg, i) => {
      const comment = /(^|[ \t])#/.exec(seg.text);
      const body = (comment ? seg.text.slice(0, comment.index) : seg.text).trimEnd();
      if (body === '') return;
      if (i > 0 && text !== '') push(' ', seg.start - 1);
      for (let c = 0; c < body.length; c++) push(body[c]!, seg.start + c);
      end = seg.start + body.length;
    });
    return { text, offsets, start, end: Math.max(end, start), style: 'plain' };
  }
  let closed = false;
  segments.forEach((seg, si) => {
    if (closed) return;
    if (si > 0) push(' ', seg.start - 1);
    for (let c = si === 0 ? 1 : 0; c < seg.text.length; c++) {
      const ch = seg.text[c]!;
      const at = seg.start + c;
      if (quote === "'" && ch === "'") {
        if (seg.text[c + 1] === "'") {
          push("'", at);
          c++;
          continue;
        }
        closed = true;
        end = at + 1;
        return;
      }
      if (quote === '"' && ch === '\\' && c + 1 < seg.text.length) {
        const next = seg.text[c + 1]!;
        push(next === 'n' ? '\n' : next === 't' ? '\t' : next, at);
        c++;
        continue;
      }
      if (quote === '"' && ch === '"') {
        closed = true;
        end = at + 1;
        return;
      }
      push(ch, at);
      end = at + 1;
    }
  });
  return { text, offsets, start, end, style: quote === '"' ? 'double' : 'single' };
}

/** `['spec', 'specs', '[]', 'selector']` → `spec.specs[].selector`, for messages and tests. */
export function formatPath(path: YamlPath): string {
  return path.reduce((out, seg) => (seg === ITEM ? `${out}[]` : out ? `${out}.${seg}` : seg), '');
}
