// attribute-naming: keys are lower-case dotted names (`namespace.name`, snake_case words) and no key is also a
// namespace of another key of the span (`service.instance` beside `service.instance.id`). The span's own, scope and
// resource attributes are judged together, as Tracetest merged them; synthesized `tracetest.*` ones are not.
import type { Attributes, Span } from '../../trace/model';
import { quoted, type Memo, type Rule } from './rule';

const KEY = /^([a-z0-9_]+\.)+[a-z0-9_]+$/;

/**
 * Deprecated names that newer conventions reuse as namespaces (`db.system` → `db.system.name`): a service that emits
 * both generations while it migrates is not at fault.
 */
const SUPERSEDED = new Set(['db.system', 'db.operation', 'messaging.operation', 'messaging.destination', 'code.function', 'deployment.environment']);

interface MapFacts {
  invalid: string[];
  /** Every proper prefix (at a dot) of every key. */
  namespaces: Set<string>;
  /** Keys that are also a namespace of another key of the same map. */
  clashes: string[];
}

export const attributeNaming: Rule = {
  id: 'attribute-naming',
  check(span, memo) {
    const resource = memo.of('attribute-naming', span.resource, (map) => facts(map, memo));
    const errors: string[] = [];
    for (const key of resource.invalid) errors.push(`resource attribute ${quoted(key)} is not a lower-case dotted name (namespace.name)`);
    for (const key of resource.clashes) errors.push(`resource attribute ${quoted(key)} is also the namespace of other attributes`);
    const own = span.scope.attributes.size === 0 ? facts(span.attributes, memo) : facts(new Map([...span.scope.attributes, ...span.attributes]), memo);
    for (const key of own.invalid) errors.push(`${quoted(key)} is not a lower-case dotted name (namespace.name)`);
    for (const key of own.clashes) errors.push(`${quoted(key)} is also the namespace of other attributes`);
    for (const key of ownKeys(span)) {
      if (!own.clashes.includes(key) && resource.namespaces.has(key) && !SUPERSEDED.has(key)) errors.push(`${quoted(key)} is also the namespace of resource attributes`);
    }
    for (const namespace of own.namespaces) {
      if (span.resource.has(namespace) && !SUPERSEDED.has(namespace) && !resource.clashes.includes(namespace)) {
        errors.push(`resource attribute ${quoted(namespace)} is also the namespace of span attributes`);
      }
    }
    return errors;
  },
};

function* ownKeys(span: Span): Iterable<string> {
  yield* span.scope.attributes.keys();
  yield* span.attributes.keys();
}

function facts(map: Attributes, memo: Memo): MapFacts {
  const invalid: string[] = [];
  const namespaces = new Set<string>();
  for (const key of map.keys()) {
    let valid = memo.keys.get(key);
    if (valid === undefined) memo.keys.set(key, (valid = KEY.test(key)));
    if (!valid) {
      invalid.push(key);
      continue;
    }
    for (let dot = key.indexOf('.'); dot > 0; dot = key.indexOf('.', dot + 1)) namespaces.add(key.slice(0, dot));
  }
  const clashes = namespaces.size === 0 ? [] : [...map.keys()].filter((key) => namespaces.has(key) && !SUPERSEDED.has(key));
  return { invalid, namespaces, clashes };
}
