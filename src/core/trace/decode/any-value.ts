// OTLP AnyValue / KeyValue lists (JSON objects or protobufjs messages, which share field names) to attribute text.
import type { AttributeTable } from '../attribute-rows';
import type { Attributes } from '../model';
import type { AttributeValue } from '../values';
import { formatAttributeValue } from '../values';
import { base64ToBytes } from './ids';
import { toBigInt } from './int64';
import { describe, isRecord } from './types';

/** An AnyValue as a native value for formatAttributeValue; an empty AnyValue is undefined (empty text). */
export function anyValueToNative(value: unknown): AttributeValue {
  if (!isRecord(value)) return isPrimitive(value) ? value : undefined;
  // protobufjs messages carry every oneof field with a null default, so test for null rather than presence.
  if (value.stringValue != null) return String(value.stringValue);
  if (value.boolValue != null) return value.boolValue === true || value.boolValue === 'true';
  if (value.intValue != null) return toBigInt(value.intValue) ?? numberOrText(value.intValue);
  if (value.doubleValue != null) return numberOrText(value.doubleValue);
  if (value.arrayValue != null) return listOf(value.arrayValue).map(anyValueToNative);
  if (value.kvlistValue != null) {
    const map: { [key: string]: AttributeValue } = {};
    for (const kv of listOf(value.kvlistValue)) {
      if (isRecord(kv) && typeof kv.key === 'string') {
        Object.defineProperty(map, kv.key, { value: anyValueToNative(kv.value), enumerable: true, writable: true, configurable: true });
      }
    }
    return map;
  }
  if (value.bytesValue != null) {
    const bytes = value.bytesValue;
    if (bytes instanceof Uint8Array) return bytes;
    return typeof bytes === 'string' ? (base64ToBytes(bytes) ?? bytes) : undefined;
  }
  return undefined;
}

/**
 * A KeyValue list as attributes; later keys win, entries without a key are skipped with a warning. With a table,
 * the list becomes its next row (a span's attributes, see attribute-rows.ts); without, a Map.
 */
export function keyValuesToAttributes(list: unknown, path: string, warnings: string[], table?: AttributeTable): Attributes {
  const map = table ? undefined : new Map<string, string>();
  if (list != null && !Array.isArray(list)) warnings.push(`${path}: expected an array of attributes, got ${describe(list)}; ignored`);
  else if (list != null) {
    for (let i = 0; i < list.length; i++) {
      const kv: unknown = list[i];
      if (!isRecord(kv) || typeof kv.key !== 'string') {
        warnings.push(`${path}[${i}]: attribute without a key; ignored`);
        continue;
      }
      const text = formatAttributeValue(anyValueToNative(kv.value));
      if (map) map.set(kv.key, text);
      else table!.add(kv.key, text);
    }
  }
  return map ?? table!.endRow();
}

function listOf(container: unknown): unknown[] {
  return isRecord(container) && Array.isArray(container.values) ? container.values : [];
}

/** Proto3 JSON writes doubles as numbers or as the strings "NaN", "Infinity", "-Infinity". */
export function numberOrText(value: unknown): AttributeValue {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const n = Number(value);
    return value.trim() !== '' && !Number.isNaN(n) ? n : value === 'NaN' ? NaN : value;
  }
  return toBigInt(value);
}

function isPrimitive(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
