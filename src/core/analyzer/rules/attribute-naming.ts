// attribute-naming: keys are lower-case dotted names (`namespace.name`, snake_case words) and no key is also a
// namespace of another key of the span (`service.instance` beside `service.instance.id`). The span's own, scope and
// resource attributes are judged together, as Tracetest merged them; synthesized `tracetest.*` ones are not.
import type { Attributes, Span } from '../../trace/model';
import { PASS, quoted, type Memo, type Rule } from './rule';

const KEY = /^([a-z0-9_]+\.)+[a-z0-9_]+$/;

/**
 * Deprecated names that newer conventions reuse as namespaces (`db.system` → `db.system.name`): a service that emits
 * both generations while it migrates is not at fault.
 */
const SUPERSEDED = new Set(['db.system', 'db.operation', 'messaging.operation', 'messaging.destination', 'code.function', 'deployment.environment']);

interface KeyFacts {
  valid: boolean;
  /** Its proper prefixes at dots that could clash (`a.b` and `a` for `a.b.c`), superseded names left out. */
  namespaces: readonly string[];
}

interface ResourceFacts {
  /** What is wrong within the resource itself. */
  errors: readonly string[];
  /** Every namespace of its keys. */
  namespaces: ReadonlySet<string>;
}

export const attributeNaming: Rule = {
  id: 'attribute-naming',
  check(span, _type, memo) {
    const resource = memo.ofMap('attribute-naming', span.resource, resourceFacts);
    let errors = span.scope.attributes.size > 0 ? ownErrors(span, span.scope.attributes, resource, memo, undefined) : undefined;
    errors = ownErrors(span, span.attributes, resource, memo, errors);
    return errors ?? (resource.errors.length > 0 ? resource.errors : PASS);
  },
};

/** The errors of the span's own (or scope) attributes, added to `errors`; undefined while there is none. */
function ownErrors(span: Span, own: Attributes, resource: ResourceFacts, memo: Memo, errors: string[] | undefined): string[] | undefined {
  for (const key of own.keys()) {
    const facts = memo.ofKey('attribute-naming', key, keyFacts);
    if (!facts.valid) {
      errors = add(errors, resource, `${quoted(key)} is not a lower-case dotted name (namespace.name)`);
      continue;
    }
    if (resource.namespaces.has(key) && !SUPERSEDED.has(key)) errors = add(errors, resource, `${quoted(key)} is also the namespace of resource attributes`);
    for (const namespace of facts.namespaces) {
      if (hasOwn(span, namespace)) errors = add(errors, resource, `${quoted(namespace)} is also the namespace of other attributes`);
      else if (span.resource.has(namespace)) errors = add(errors, resource, `resource attribute ${quoted(namespace)} is also the namespace of span attributes`);
    }
  }
  return errors;
}

/** The span's errors so far (the resource's first) with one more, once. */
function add(errors: string[] | undefined, resource: ResourceFacts, error: string): string[] {
  const list = errors ?? [...resource.errors];
  if (!list.includes(error)) list.push(error);
  return list;
}

function hasOwn(span: Span, key: string): boolean {
  return span.attributes.has(key) || (span.scope.attributes.size > 0 && span.scope.attributes.has(key));
}

function keyFacts(key: string): KeyFacts {
  if (!KEY.test(key)) return { valid: false, namespaces: [] };
  const namespaces: string[] = [];
  for (let dot = key.indexOf('.'); dot > 0; dot = key.indexOf('.', dot + 1)) {
    const namespace = key.slice(0, dot);
    if (!SUPERSEDED.has(namespace)) namespaces.push(namespace);
  }
  return { valid: true, namespaces };
}

function resourceFacts(map: Attributes, memo: Memo): ResourceFacts {
  const errors: string[] = [];
  const namespaces = new Set<string>();
  for (const key of map.keys()) {
    const facts = memo.ofKey('attribute-naming', key, keyFacts);
    if (!facts.valid) errors.push(`resource attribute ${quoted(key)} is not a lower-case dotted name (namespace.name)`);
    for (const namespace of facts.namespaces) namespaces.add(namespace);
  }
  for (const key of map.keys()) if (namespaces.has(key)) errors.push(`resource attribute ${quoted(key)} is also the namespace of other attributes`);
  return { errors, namespaces };
}
