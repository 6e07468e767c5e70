// Turns ajv errors into Problems with human messages, located at the YAML node they are about.
import type { ErrorObject } from 'ajv';
import { isMap, isScalar, isSeq, type Scalar } from 'yaml';
import type { Problem, Range } from './model';
import { problemAt, type Locate } from './problems';
import { CONDITIONS } from './schema';
import { findPair, headRange, isEmptyNode, nodeRange, resolveNode, type YamlDoc, type YamlNode } from './yaml-nodes';

/** Singular names for items of the lists users write, for "unknown property `x` in <item>". */
const ITEM_NOUNS = new Map([
  ['specs', 'spec'],
  ['outputs', 'output'],
  ['headers', 'header'],
  ['metadata', 'metadata entry'],
  ['values', 'variable'],
  ['steps', 'step'],
  ['plugins', 'plugin'],
  ['rules', 'rule'],
]);

interface Location {
  node?: YamlNode;
  /** Key of the pair whose value `node` is. */
  key?: Scalar.Parsed;
  /** Dotted path below `spec`, e.g. `specs[0].selector`. */
  path: string;
  /** What the node is, for messages about its properties: `spec`, `httpRequest`, `Test spec`... */
  noun: string;
}

export function schemaProblems(text: string, locatePosition: Locate, doc: YamlDoc, typeName: string, errors: readonly ErrorObject[]): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const typeErrorPaths = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  for (const error of errors) {
    // `if` only repeats that its `then` failed; other errors at a wrongly typed value repeat the type error.
    if (error.keyword === 'if') continue;
    if (error.keyword !== 'type' && typeErrorPaths.has(error.instancePath)) continue;
    const location = locate(doc, typeName, error.instancePath);
    const { message, range } = describe(text, error, location);
    const id = `${range.start}:${message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    problems.push(problemAt(locatePosition, range, message, 'schema'));
  }
  return problems;
}

function describe(text: string, error: ErrorObject, at: Location): { message: string; range: Range } {
  const subject = `\`${at.path || (at.noun === 'resource' ? 'resource' : 'spec')}\``;
  const params = error.params as Record<string, unknown>;
  const parent = (error.parentSchema ?? {}) as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String(params['additionalProperty']);
      const expected = Object.keys((parent['properties'] as object | undefined) ?? {});
      const keyNode = isMap(at.node) ? findPair(at.node, name)?.key : undefined;
      const hint = expected.length > 0 ? ` (expected one of: ${expected.join(', ')})` : '';
      return {
        message: `unknown property \`${name}\` in ${at.noun}${hint}`,
        range: isScalar(keyNode) ? nodeRange(keyNode as Scalar.Parsed) : collectionRange(text, at),
      };
    }
    case 'required': {
      const condition = CONDITIONS.get(parent);
      const why = condition ? ` (${condition})` : '';
      const name = String(params['missingProperty']);
      return { message: `missing required property \`${name}\` in ${at.noun}${why}`, range: collectionRange(text, at) };
    }
    case 'type': {
      const types = String(params['type']).split(',').map(typeName);
      return { message: `${subject} must be ${listOr(types)}; got ${dataName(error.data)}`, range: valueRange(text, at) };
    }
    case 'enum': {
      const allowed = (params['allowedValues'] as unknown[]).map((v) => (v === '' ? '""' : String(v)));
      return { message: `${subject} must be one of ${allowed.join(', ')}; got ${quote(error.data)}`, range: valueRange(text, at) };
    }
    case 'const': {
      const allowed = String(params['allowedValue']);
      return { message: `${subject} must be \`${allowed}\`; got ${quote(error.data)}`, range: valueRange(text, at) };
    }
    case 'pattern': {
      const explained = parent['patternErrorMessage'];
      const rule = typeof explained === 'string' ? explained : `must match \`${String(params['pattern'])}\``;
      return { message: `${subject} ${rule}; got ${quote(error.data)}`, range: valueRange(text, at) };
    }
    case 'minItems': {
      const limit = Number(params['limit']);
      return { message: `${subject} must have at least ${limit} item${limit === 1 ? '' : 's'}`, range: valueRange(text, at) };
    }
    default:
      return { message: `${subject} ${error.message ?? 'is not valid'}`, range: valueRange(text, at) };
  }
}

function locate(doc: YamlDoc, typeName: string, pointer: string): Location {
  const at: Location = { node: resolveNode(doc, doc.contents), path: '', noun: 'resource' };
  let containerKey: string | undefined;
  const segments =
    pointer === ''
      ? []
      : pointer
          .slice(1)
          .split('/')
          .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  segments.forEach((segment, index) => {
    const node = at.node;
    if (isSeq(node)) {
      at.node = resolveNode(doc, node.items[Number(segment)]);
      at.key = undefined;
      at.path += `[${segment}]`;
      at.noun = ITEM_NOUNS.get(containerKey ?? '') ?? `${containerKey ?? 'list'} item`;
    } else if (isMap(node)) {
      const pair = findPair(node, segment);
      at.node = resolveNode(doc, pair?.value);
      at.key = isScalar(pair?.key) ? (pair.key as Scalar.Parsed) : undefined;
      if (index === 0 && segment === 'spec') {
        at.noun = `${typeName} spec`;
      } else {
        at.noun = containerKey === 'specs' ? 'spec' : segment; // legacy map form: the key is a selector
        at.path += /^[A-Za-z_$][\w$-]*$/.test(segment) ? `${at.path ? '.' : ''}${segment}` : `[${JSON.stringify(segment)}]`;
      }
      containerKey = segment;
    }
  });
  return at;
}

/** Where to point for a problem with a map or list as a whole: the key it is under, else its first line. */
function collectionRange(text: string, at: Location): Range {
  if (at.node && !isEmptyNode(at.node)) return headRange(text, at.node);
  return at.key ? nodeRange(at.key) : { start: 0, end: 0 };
}

/** Where to point for a bad value: the value, or its key when the value is empty (`key:` and nothing else). */
function valueRange(text: string, at: Location): Range {
  if (at.node && !isEmptyNode(at.node)) return isScalar(at.node) ? nodeRange(at.node) : headRange(text, at.node);
  return at.key ? nodeRange(at.key) : { start: 0, end: 0 };
}

function typeName(type: string): string {
  switch (type) {
    case 'object':
      return 'a map';
    case 'array':
      return 'a list';
    case 'boolean':
      return 'true or false';
    case 'integer':
      return 'an integer';
    case 'null':
      return 'empty';
    default:
      return `a ${type}`;
  }
}

function dataName(data: unknown): string {
  if (data === null || data === undefined) return 'nothing';
  if (Array.isArray(data)) return 'a list';
  if (typeof data === 'object') return 'a map';
  return typeof data === 'string' ? `a string (${quote(data)})` : quote(data);
}

function quote(data: unknown): string {
  const text = String(data);
  return `\`${text.length > 40 ? `${text.slice(0, 39)}…` : text}\``;
}

function listOr(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
