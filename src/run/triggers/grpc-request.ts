// The gRPC request as JSON text → a plain object protobufjs can encode, checked against the message type first:
// protobufjs itself drops unknown fields and coerces wrong types silently, which would send a request the user did
// not write. Accepts the proto3 JSON forms: lowerCamelCase or original field names, enum names or numbers,
// 64-bit integers as strings, bytes as base64, null for "not set".
import * as protobuf from 'protobufjs';
import { errorText } from './outcome';

type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

export function requestMessage(type: protobuf.Type, text: string | undefined): Checked<Record<string, unknown>> {
  if (text === undefined || text.trim() === '') return { ok: true, value: {} };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `not valid JSON (${errorText(error)})` };
  }
  try {
    return { ok: true, value: message(type, json, '') };
  } catch (error) {
    if (error instanceof RequestError) return { ok: false, reason: error.message };
    throw error;
  }
}

class RequestError extends Error {}

const typeName = (t: protobuf.ReflectionObject): string => t.fullName.replace(/^\./, '');
const shown = (v: unknown): string => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
};
const at = (path: string): string => (path === '' ? 'the request' : `\`${path}\``);
const lowerCamel = (name: string): string => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function message(type: protobuf.Type, value: unknown, path: string): Record<string, unknown> {
  if (!isObject(value)) throw new RequestError(`${at(path)}: expected a JSON object (message ${typeName(type)}), got ${shown(value)}`);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const field = type.fields[key] ?? type.fields[lowerCamel(key)];
    const fieldPath = path === '' ? key : `${path}.${key}`;
    if (!field) {
      throw new RequestError(`unknown field \`${fieldPath}\` in message ${typeName(type)} (fields: ${Object.keys(type.fields).join(', ') || 'none'})`);
    }
    if (v === null) continue;
    field.resolve();
    out[field.name] = fieldValue(field, v, fieldPath);
  }
  return out;
}

function fieldValue(field: protobuf.Field, v: unknown, path: string): unknown {
  if (field instanceof protobuf.MapField) {
    if (!isObject(v)) throw new RequestError(`\`${path}\`: expected a JSON object (map), got ${shown(v)}`);
    const entries = Object.entries(v).map(([k, item]) => {
      if (field.keyType !== 'string' && field.keyType !== 'bool' && !/^-?\d+$/.test(k)) {
        throw new RequestError(`\`${path}\`: map key \`${k}\` is not an integer (${field.keyType})`);
      }
      return [k, single(field, item, `${path}.${k}`)];
    });
    return Object.fromEntries(entries);
  }
  if (field.repeated) {
    if (!Array.isArray(v)) throw new RequestError(`\`${path}\`: expected a JSON array (repeated ${field.type}), got ${shown(v)}`);
    return v.map((item, i) => single(field, item, `${path}[${i}]`));
  }
  return single(field, v, path);
}

const INT32 = new Set(['int32', 'sint32', 'sfixed32', 'uint32', 'fixed32']);
const INT64 = new Set(['int64', 'sint64', 'sfixed64', 'uint64', 'fixed64']);

function single(field: protobuf.Field, v: unknown, path: string): unknown {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) return message(resolved, v, path);
  if (resolved instanceof protobuf.Enum) {
    if ((typeof v === 'string' && v in resolved.values) || (typeof v === 'number' && Number.isInteger(v))) return v;
    throw new RequestError(`\`${path}\`: expected one of ${Object.keys(resolved.values).join(', ')} (enum ${typeName(resolved)}), got ${shown(v)}`);
  }
  const bad = (expected: string): never => {
    throw new RequestError(`\`${path}\`: expected ${expected} (${field.type}), got ${shown(v)}`);
  };
  const type = field.type;
  if (type === 'string') return typeof v === 'string' ? v : bad('a string');
  if (type === 'bool') return typeof v === 'boolean' ? v : bad('true or false');
  if (type === 'bytes') return typeof v === 'string' && /^[A-Za-z0-9+/_-]*={0,2}$/.test(v) ? v : bad('base64 text');
  if (type === 'double' || type === 'float') {
    if (typeof v === 'number') return v;
    return typeof v === 'string' && (/^(NaN|-?Infinity)$/.test(v) || (v.trim() !== '' && Number.isFinite(Number(v)))) ? v : bad('a number');
  }
  if (INT32.has(type) || INT64.has(type)) {
    const integer = (typeof v === 'number' && Number.isInteger(v)) || (typeof v === 'string' && /^-?\d+$/.test(v));
    if (!integer) bad('an integer');
    const unsigned = type.startsWith('uint') || type.startsWith('fixed');
    const n = BigInt(v as number | string);
    const bits = INT32.has(type) ? 32n : 64n;
    const [min, max] = unsigned ? [0n, (1n << bits) - 1n] : [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n];
    if (n < min || n > max) bad(`an integer from ${min} to ${max}`);
    return v;
  }
  return v;
}
