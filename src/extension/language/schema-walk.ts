// Walks the JSON schemas in `schemas/` along a YAML key path: which keys a mapping takes, which values a key
// takes, and the descriptions to show with them. The same schemas validate the file, so what completion offers
// is what validation accepts.
import { KIND_SCHEMA, SCHEMA_FILES } from '../../core/testfile/schema';
import { kindOfType } from '../../core/testfile/kinds';
import { ITEM, type YamlPath } from './yaml-position';

type Schema = Record<string, unknown>;

/** A schema together with the file its local `$ref`s resolve in. */
interface Located {
  schema: Schema;
  file: string;
}

export interface SchemaProperty {
  name: string;
  description?: string;
  required: boolean;
  /** Values the property takes when they are a closed set. */
  values: string[];
  /** `object`, `array`, `string`…: decides how the key is completed (`key:` + newline, or `key: `). */
  types: string[];
}

export interface SchemaNode {
  parts: Located[];
}

const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

function resolve(located: Located, seen = new Set<Schema>()): Located[] {
  const { schema, file } = located;
  if (seen.has(schema)) return [];
  seen.add(schema);
  const ref = schema['$ref'];
  const out: Located[] = [];
  if (typeof ref === 'string') {
    const [refFile, pointer] = ref.split('#') as [string, string | undefined];
    const target = refFile ? refFile : file;
    let node: unknown = SCHEMA_FILES[target];
    for (const part of (pointer ?? '').split('/').filter(Boolean)) node = isSchema(node) ? node[part] : undefined;
    if (isSchema(node)) out.push(...resolve({ schema: node, file: target }, seen));
  }
  out.push(located);
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    const list = schema[key];
    if (Array.isArray(list)) for (const s of list) if (isSchema(s)) out.push(...resolve({ schema: s, file }, seen));
  }
  const then = schema['then'];
  if (isSchema(then)) out.push(...resolve({ schema: then, file }, seen));
  return out;
}

/** The schema of the resource whose top-level `type` is `typeName` (or the generic resource schema). */
export function rootSchema(typeName: string | undefined): SchemaNode {
  const kind = typeName ? kindOfType(typeName) : undefined;
  const file = kind ? KIND_SCHEMA[kind] : 'tracelens.schema.json';
  return { parts: resolve({ schema: SCHEMA_FILES[file] as Schema, file }) };
}

export function schemaAt(typeName: string | undefined, path: YamlPath): SchemaNode | undefined {
  let node: SchemaNode | undefined = rootSchema(typeName);
  for (const segment of path) {
    if (!node) return undefined;
    node = child(node, segment);
  }
  return node;
}

function child(node: SchemaNode, segment: string): SchemaNode | undefined {
  const parts: Located[] = [];
  for (const { schema, file } of node.parts) {
    const next = segment === ITEM ? schema['items'] : (schema['properties'] as Schema | undefined)?.[segment];
    if (isSchema(next)) parts.push(...resolve({ schema: next, file }));
  }
  return parts.length > 0 ? { parts } : undefined;
}

export function describeSchema(node: SchemaNode): string | undefined {
  // The property's own description (last: written next to the `$ref`) says more than the referenced definition's.
  for (let i = node.parts.length - 1; i >= 0; i--) {
    const d = node.parts[i]!.schema['description'];
    if (typeof d === 'string') return d;
  }
  return undefined;
}

export function typesOf(node: SchemaNode): string[] {
  const types = new Set<string>();
  for (const { schema } of node.parts) {
    const t = schema['type'];
    for (const v of Array.isArray(t) ? t : [t]) if (typeof v === 'string') types.add(v);
  }
  return [...types];
}

/** Enum, const and boolean values a scalar at this node takes. */
export function valuesOf(node: SchemaNode): string[] {
  const values = new Set<string>();
  for (const { schema } of node.parts) {
    const e = schema['enum'];
    if (Array.isArray(e)) for (const v of e) if (v !== null && typeof v !== 'object') values.add(String(v));
    if ('const' in schema && typeof schema['const'] !== 'object') values.add(String(schema['const']));
  }
  if (values.size === 0 && typesOf(node).includes('boolean')) return ['true', 'false'];
  return [...values];
}

export function propertiesOf(node: SchemaNode): SchemaProperty[] {
  const byName = new Map<string, SchemaProperty>();
  const required = new Set<string>();
  for (const { schema } of node.parts) {
    const r = schema['required'];
    if (Array.isArray(r)) for (const k of r) if (typeof k === 'string') required.add(k);
  }
  for (const part of node.parts) {
    const props = part.schema['properties'];
    if (!isSchema(props)) continue;
    for (const [name, raw] of Object.entries(props)) {
      if (!isSchema(raw) || byName.has(name)) continue;
      const sub: SchemaNode = { parts: resolve({ schema: raw, file: part.file }) };
      const description = describeSchema(sub);
      byName.set(name, { name, required: false, values: valuesOf(sub), types: typesOf(sub), ...(description ? { description } : {}) });
    }
  }
  for (const p of byName.values()) p.required = required.has(p.name);
  return [...byName.values()];
}
