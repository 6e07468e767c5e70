// Values and their types (language.md §3). A value's type is inferred from its text: number, duration, JSON
// (object, or array of objects), array, string. `nil` is the empty result of a filter (json_path with no match).
import type { Decimal } from './decimal';
import { parseDecimal } from './decimal';
import { formatDuration, parseDurationText } from './durations';

export interface NumberValue {
  type: 'number';
  text: string;
}

export interface DurationValue {
  type: 'duration';
  /** As written when typed from text (`25ms`); nanoseconds when computed, as Tracetest interpolates them. */
  text: string;
  ns: bigint;
}

export interface JsonValue {
  type: 'json';
  text: string;
  json: object;
}

export interface ArrayValue {
  type: 'array';
  text: string;
  items: Value[];
}

export interface StringValue {
  type: 'string';
  text: string;
}

export interface NilValue {
  type: 'nil';
  text: '';
}

export type Value = NumberValue | DurationValue | JsonValue | ArrayValue | StringValue | NilValue;
export type ValueType = Value['type'];

export const NIL: NilValue = { type: 'nil', text: '' };
const NUMBER_TEXT = /^\d+(\.\d+)?$/;
/** Deeper JSON stays text: converting or printing it would only risk the stack. */
export const MAX_JSON_DEPTH = 100;

export function valueFromText(text: string): Value {
  if (NUMBER_TEXT.test(text)) return { type: 'number', text };
  const ns = parseDurationText(text);
  if (ns !== undefined) return { type: 'duration', text, ns };
  const first = text.trimStart()[0];
  if (first === '{' || first === '[') {
    const json = parseJson(text);
    if (typeof json === 'object' && json !== null && !nestedDeeperThan(json, MAX_JSON_DEPTH)) return fromStructure(json, text);
  }
  return { type: 'string', text };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Iterative, so that measuring cannot overflow the stack either. */
export function nestedDeeperThan(json: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[json, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * A value found inside JSON of at most MAX_JSON_DEPTH levels: strings are typed from their text, other scalars
 * from their JSON text.
 */
export function valueFromJson(x: unknown): Value {
  if (typeof x === 'string') return valueFromText(x);
  if (typeof x === 'object' && x !== null) return fromStructure(x, JSON.stringify(x));
  return valueFromText(String(x));
}

function fromStructure(json: object, text: string): Value {
  if (!Array.isArray(json)) return { type: 'json', text, json };
  if (json.length > 0 && json.every(isPlainObject)) return { type: 'json', text, json };
  return { type: 'array', text, items: json.map((x: unknown) => valueFromJson(x)) };
}

function isPlainObject(x: unknown): boolean {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export function numberValue(text: string): NumberValue {
  return { type: 'number', text };
}

export function durationValue(ns: bigint): DurationValue {
  return { type: 'duration', text: ns.toString(), ns };
}

/** An array built from values (array literals, filters with several results); its text is JSON-like. */
export function arrayValue(items: Value[]): ArrayValue {
  return { type: 'array', text: `[${items.map(itemText).join(', ')}]`, items };
}

function itemText(v: Value): string {
  if (v.type === 'json' || v.type === 'array') return v.text;
  if (v.type === 'number') return v.text;
  return JSON.stringify(displayValue(v));
}

/** The value as shown to a user: durations in their display unit, everything else as its text. */
export function displayValue(v: Value): string {
  return v.type === 'duration' ? formatDuration(v.ns) : v.text;
}

/** Numeric reading of a value for comparisons and arithmetic: numbers, and text such as `-5` or `1e-7`. */
export function numericValue(v: Value): Decimal | undefined {
  return v.type === 'number' || v.type === 'string' ? parseDecimal(v.text) : undefined;
}

/** Elements of a value seen as a list: array items, the objects of a JSON array, or the value itself. */
export function elementsOf(v: Value): Value[] {
  if (v.type === 'array') return v.items;
  if (v.type === 'json' && Array.isArray(v.json)) return v.json.map((x: unknown) => valueFromJson(x));
  if (v.type === 'nil') return [];
  return [v];
}
