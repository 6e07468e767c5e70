// Typed reads from a validated YAML document, keeping source positions.
import { isMap, isScalar, isSeq, type Scalar, type YAMLMap } from 'yaml';
import type { KeyValue, SourceString } from './model';
import { sourceString } from './scalars';
import { findPair, resolveNode, type YamlDoc, type YamlNode } from './yaml-nodes';

export class YamlReader {
  constructor(
    readonly text: string,
    readonly doc: YamlDoc,
  ) {}

  resolve(node: unknown): YamlNode | undefined {
    return resolveNode(this.doc, node);
  }

  node(map: YAMLMap | undefined, key: string): YamlNode | undefined {
    return map ? this.resolve(findPair(map, key)?.value) : undefined;
  }

  map(map: YAMLMap | undefined, key: string): YAMLMap.Parsed | undefined {
    const node = this.node(map, key);
    return isMap(node) ? node : undefined;
  }

  items(node: YamlNode | undefined): YamlNode[] {
    return isSeq(node) ? node.items.flatMap((item) => this.resolve(item) ?? []) : [];
  }

  list(map: YAMLMap | undefined, key: string): YamlNode[] {
    return this.items(this.node(map, key));
  }

  string(map: YAMLMap | undefined, key: string): SourceString | undefined {
    const node = this.node(map, key);
    return isScalar(node) ? this.scalar(node) : undefined;
  }

  /**
   * A property the schema requires. After validation it is always there; the empty fallback (at the map) only
   * keeps the types honest.
   */
  required(map: YAMLMap.Parsed, key: string): SourceString {
    return this.string(map, key) ?? { value: '', range: { start: map.range[0], end: map.range[0] } };
  }

  boolean(map: YAMLMap | undefined, key: string): boolean | undefined {
    const node = this.node(map, key);
    return isScalar(node) && typeof node.value === 'boolean' ? node.value : undefined;
  }

  number(map: YAMLMap | undefined, key: string): number | undefined {
    const node = this.node(map, key);
    return isScalar(node) && typeof node.value === 'number' ? node.value : undefined;
  }

  scalar(node: Scalar.Parsed): SourceString {
    return sourceString(this.text, node);
  }

  strings(map: YAMLMap | undefined, key: string): SourceString[] {
    return this.list(map, key).flatMap((item) => (isScalar(item) ? [this.scalar(item)] : []));
  }

  keyValues(map: YAMLMap | undefined, key: string): KeyValue[] {
    return this.list(map, key).flatMap((item) => (isMap(item) ? [{ key: this.required(item, 'key'), value: this.required(item, 'value') }] : []));
  }

  /** The node as plain data (maps become objects), for settings nobody needs positions of. */
  plain(node: YamlNode | undefined): unknown {
    return node?.toJS(this.doc);
  }
}
