// Minimal text edits on a YAML file, computed from the parsed document's node ranges: the rest of the file (comments,
// blank lines, indentation, quoting) is left exactly as it was.
import type { Pair, Scalar, YAMLMap } from 'yaml';
import type { TextEdit } from './model';
import { contentRange, type YamlNode } from './yaml-nodes';

/** The text with non-overlapping edits applied (in any order). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = '';
  let at = 0;
  for (const e of [...edits].sort((a, b) => a.start - b.start || a.end - b.end)) {
    out += text.slice(at, e.start) + e.newText;
    at = e.end;
  }
  return out + text.slice(at);
}

/**
 * The edits of every group (a fix) that touches no text an earlier group touches: what "fix all" can apply at once.
 * Two insertions at one offset count as touching (their order would be a guess).
 */
export function compatibleEdits(groups: ReadonlyArray<readonly TextEdit[]>): TextEdit[] {
  const taken: TextEdit[] = [];
  const touches = (a: TextEdit, b: TextEdit): boolean => a.start === b.start || (a.start < b.end && b.start < a.end);
  for (const group of groups) if (!group.some((e) => taken.some((t) => touches(e, t)))) taken.push(...group);
  return taken;
}

/**
 * Removes `pair` from `map`: in a block map its whole lines (the key's line through the value's last line, with a
 * trailing comment), in a flow map the entry and one separating comma. Undefined when the map would be left empty
 * (an empty map is not what the author had) or the pair is not laid out on lines of its own.
 */
export function removePair(text: string, map: YAMLMap.Parsed, pair: Pair): TextEdit | undefined {
  const index = map.items.indexOf(pair as (typeof map.items)[number]);
  const key = pair.key as YamlNode | null;
  if (index < 0 || map.items.length < 2 || !key?.range) return undefined;
  const end = pairEnd(text, pair);
  if (map.flow) {
    if (index > 0) return { start: pairEnd(text, map.items[index - 1]!), end, newText: '' };
    const next = map.items[index + 1]?.key as YamlNode | null | undefined;
    return next?.range ? { start: key.range[0], end: next.range[0], newText: '' } : undefined;
  }
  const lineStart = text.lastIndexOf('\n', key.range[0] - 1) + 1;
  if (text.slice(lineStart, key.range[0]).trim() !== '') return undefined;
  const lineEnd = text.indexOf('\n', end);
  return { start: lineStart, end: lineEnd < 0 ? text.length : lineEnd + 1, newText: '' };
}

/** Replaces a map key's name, keeping its quotes if it has any. */
export function renameKey(text: string, key: Scalar.Parsed, name: string): TextEdit {
  const [start, end] = key.range;
  const quote = text[start];
  const quoted = (quote === '"' || quote === "'") && text[end - 1] === quote;
  return quoted ? { start: start + 1, end: end - 1, newText: name } : { start, end, newText: name };
}

/** Where a pair's text ends: its value's last character (a block collection's range runs on to the next line). */
function pairEnd(text: string, pair: Pair): number {
  const value = pair.value as YamlNode | null;
  const key = pair.key as YamlNode;
  if (!value?.range || value.range[0] === value.range[1]) return key.range[1];
  return contentRange(text, value.range[0], value.range[1]).end;
}
