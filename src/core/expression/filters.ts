// Filters: `expr | name args...` (language.md §3). The table also feeds completion and hover in the editor.
import type { Signature } from './signature';
import { JSONPath } from 'jsonpath-plus';
import type { FilterNode } from './ast';
import type { Attempt } from './errors';
import { fail, ok, quoted } from './errors';
import { compileRegex } from './regex';
import type { Value } from './values';
import { MAX_JSON_DEPTH, NIL, arrayValue, displayValue, elementsOf, nestedDeeperThan, numberValue, valueFromJson, valueFromText } from './values';

export type FilterSpec = Signature;

export const FILTERS: readonly FilterSpec[] = [
  {
    name: 'json_path',
    minArgs: 1,
    maxArgs: 1,
    usage: "json_path '<query>'",
    description: 'Query JSON: no match gives the empty value, one match the value, several an array.',
  },
  {
    name: 'regex',
    minArgs: 1,
    maxArgs: 1,
    usage: "regex '<regular expression>'",
    description: 'The matches of a regular expression: one match gives the text, several an array.',
  },
  {
    name: 'regex_group',
    minArgs: 1,
    maxArgs: 1,
    usage: "regex_group '<regular expression>'",
    description: 'The capture groups of every match: one gives the text, several an array.',
  },
  {
    name: 'get_index',
    minArgs: 1,
    maxArgs: 1,
    usage: "get_index <n | 'last'>",
    description: "The item at a 0-based index of an array, or the last one with 'last'.",
  },
  { name: 'length', minArgs: 0, maxArgs: 0, usage: 'length', description: 'Number of items of an array, or of characters of a text.' },
  { name: 'type', minArgs: 0, maxArgs: 0, usage: 'type', description: 'The type of the value: number, duration, json, array, string or nil.' },
];

export function filterSpec(name: string): FilterSpec | undefined {
  return FILTERS.find((f) => f.name === name);
}

export function applyFilter(node: FilterNode, input: Value, args: Value[]): Attempt<Value> {
  switch (node.name) {
    case 'json_path':
      return jsonPath(node, input, args[0]!);
    case 'regex':
      return regex(node, input, args[0]!, false);
    case 'regex_group':
      return regex(node, input, args[0]!, true);
    case 'get_index':
      return getIndex(node, input, args[0]!);
    case 'length':
      return ok(
        numberValue(
          String(
            input.type === 'array' || (input.type === 'json' && Array.isArray(input.json)) ? elementsOf(input).length : Array.from(displayValue(input)).length,
          ),
        ),
      );
    default:
      return ok(valueFromText(input.type));
  }
}

/** Several results become an array, one result the value itself, none the empty value (or an empty array). */
function results(values: Value[], none: Value): Value {
  if (values.length === 0) return none;
  return values.length === 1 ? values[0]! : arrayValue(values);
}

function jsonPath(node: FilterNode, input: Value, query: Value): Attempt<Value> {
  if (input.type === 'nil') return ok(NIL);
  let json: unknown;
  try {
    json = input.type === 'json' ? input.json : JSON.parse(input.text);
  } catch {
    return fail('invalid-argument', `json_path needs JSON, got ${quoted(displayValue(input))}`, node.nameOffset, node.name.length);
  }
  if (nestedDeeperThan(json, MAX_JSON_DEPTH)) {
    return fail('invalid-argument', `json_path input is nested more than ${MAX_JSON_DEPTH} levels deep`, node.nameOffset, node.name.length);
  }
  // Tracetest accepted paths without the leading `$`, e.g. `.id`.
  const path = /^[.[]/.test(query.text) ? `$${query.text}` : query.text;
  const arg = node.args[0]!;
  if (path.trim() === '') return fail('invalid-argument', 'json_path needs a query, e.g. $.id', arg.offset, arg.length);
  let found: unknown[];
  try {
    found = JSONPath({ path, json: json as object, wrap: true, eval: 'safe' }) as unknown[];
  } catch (e) {
    return fail('invalid-argument', `invalid JSONPath ${quoted(query.text)}: ${(e as Error).message}`, arg.offset, arg.length);
  }
  if (!Array.isArray(found)) return ok(NIL);
  return ok(
    results(
      found.map((x) => valueFromJson(x)),
      NIL,
    ),
  );
}

function regex(node: FilterNode, input: Value, pattern: Value, groups: boolean): Attempt<Value> {
  const arg = node.args[0]!;
  if (input.type === 'array')
    return fail('invalid-argument', `${node.name} works on text, got the array ${quoted(input.text)}`, node.nameOffset, node.name.length);
  const compiled = compileRegex(pattern.text);
  if (typeof compiled === 'string') return fail('invalid-argument', `invalid regular expression ${quoted(pattern.text)}: ${compiled}`, arg.offset, arg.length);
  const found: Value[] = [];
  for (const match of displayValue(input).matchAll(compiled)) {
    const texts = groups ? match.slice(1) : [match[0]];
    for (const text of texts) found.push(valueFromText(text ?? ''));
  }
  return ok(results(found, arrayValue([])));
}

function getIndex(node: FilterNode, input: Value, index: Value): Attempt<Value> {
  const arg = node.args[0]!;
  const items = elementsOf(input);
  let i: number;
  if (index.text === 'last') i = items.length - 1;
  else if (/^\d+$/.test(index.text)) i = Number(index.text);
  else return fail('invalid-argument', `get_index needs a whole number or 'last', got ${quoted(displayValue(index))}`, arg.offset, arg.length);
  if (i < 0 || i >= items.length) {
    const size = items.length === 1 ? '1 item' : `${items.length} items`;
    return fail('invalid-argument', `index ${index.text} is out of range: the value has ${size}`, arg.offset, arg.length);
  }
  return ok(items[i]!);
}
