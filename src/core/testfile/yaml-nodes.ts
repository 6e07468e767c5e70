// Small helpers over the `yaml` library's parsed nodes.
import { isAlias, isMap, isScalar, isSeq, type Document, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Range } from './model';

export type YamlDoc = Document.Parsed;
export type YamlNode = Scalar.Parsed | YAMLMap.Parsed | YAMLSeq.Parsed;
export type YamlPair = Pair<unknown, unknown>;

/** The node itself, or the node an alias (`*name`) stands for. */
export function resolveNode(doc: YamlDoc, node: unknown): YamlNode | undefined {
  const target = isAlias(node) ? node.resolve(doc) : node;
  return isScalar(target) || isMap(target) || isSeq(target) ? (target as YamlNode) : undefined;
}

export function findPair(map: YAMLMap, key: string): YamlPair | undefined {
  return map.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === key);
}

export function nodeRange(node: { range: [number, number, number] }): Range {
  return { start: node.range[0], end: node.range[1] };
}

/** A block collection's range runs to the start of the next line; this one ends at its last character. */
export function contentRange(text: string, start: number, end: number): Range {
  let last = end;
  while (last > start && /\s/.test(text[last - 1]!)) last--;
  return { start, end: last };
}

/** The node's first line: a collection is pointed at by its start, not underlined in full. */
export function headRange(text: string, node: YamlNode): Range {
  const { start, end } = nodeRange(node);
  const lineEnd = text.indexOf('\n', start);
  return { start, end: lineEnd >= 0 && lineEnd < end ? lineEnd : end };
}

/** Null/empty scalars (`key:` with nothing after it) have an empty range. */
export function isEmptyNode(node: YamlNode): boolean {
  return node.range[0] === node.range[1];
}
