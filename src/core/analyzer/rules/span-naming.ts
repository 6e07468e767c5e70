// span-naming: a span's name is the one its conventions give it, built from its attributes. Each generation's
// forms are accepted (HTTP `{method} {route}`; databases `{operation} {db}.{table}` before 1.26, `{operation}
// {collection}` or `{db.query.summary}` after; messaging `{destination} {operation}` before 1.24, `{operation}
// {destination}` after), with the fallbacks the conventions allow when an attribute is missing. A span whose
// attributes do not say what its name should be is left to required-attributes.
import type { Span } from '../../trace/model';
import { ATTR, read } from '../conventions';
import { PASS, quoted, type Rule } from './rule';

export const spanNaming: Rule = {
  id: 'span-naming',
  check(span, type, memo) {
    const accepted = acceptedNames(span, type);
    if (!accepted || accepted.includes(span.name.trim()) || (type === 'database' && isRedisCommand(span))) return PASS;
    // Spans in loops fail alike: one message for all of them.
    return memo.ofKey('span-naming', `${span.name}\u0000${accepted[0]}\u0000${accepted[1] ?? ''}`, message);
  },
};

function message(key: string): readonly string[] {
  const [name, expected, alternative] = key.split('\u0000') as [string, string, string];
  return [`named ${quoted(name)}; the conventions name it ${quoted(expected)}${alternative ? ` or ${quoted(alternative)}` : ''}`];
}

/** Names the conventions accept for the span, the preferred first; undefined when its attributes cannot say. */
function acceptedNames(span: Span, type: string): string[] | undefined {
  switch (type) {
    case 'http':
      return httpNames(span);
    case 'database':
      return databaseNames(span);
    case 'rpc':
      return rpcNames(span);
    case 'messaging':
      return messagingNames(span);
    default:
      return undefined;
  }
}

function httpNames(span: Span): string[] | undefined {
  const method = read(span, ATTR.httpMethod);
  if (!method) return undefined;
  // Current conventions: a method the instrumentation does not know is recorded as _OTHER and named HTTP.
  const m = method === '_OTHER' ? 'HTTP' : method;
  if (span.kind === 'client') {
    const template = read(span, ATTR.urlTemplate);
    return template ? [`${m} ${template}`, m] : [m];
  }
  const route = read(span, ATTR.httpRoute);
  return route ? [`${m} ${route}`] : [m];
}

function databaseNames(span: Span): string[] | undefined {
  const names: string[] = [];
  const summary = read(span, ATTR.dbQuerySummary);
  if (summary) names.push(summary);
  const operation = read(span, ATTR.dbOperation);
  const db = read(span, ATTR.dbNamespace);
  const table = read(span, ATTR.dbCollection);
  const current = span.attributes.has('db.operation.name') || span.attributes.has('db.collection.name') || span.attributes.has('db.namespace');
  if (operation) {
    const older = db && table ? `${operation} ${db}.${table}` : undefined;
    const newer = table || db ? `${operation} ${table ?? db}` : undefined;
    for (const form of current ? [newer, older] : [older, newer]) if (form && !names.includes(form)) names.push(form);
    if (!table && !db) names.push(operation);
  } else {
    for (const target of [table, db]) if (target) names.push(target);
  }
  const system = read(span, ATTR.dbSystem);
  if (names.length === 0 && system) names.push(system);
  return names.length > 0 ? names : undefined;
}

/** Redis spans are named after the command, which starts the statement (Tracetest's reading, kept). */
function isRedisCommand(span: Span): boolean {
  if (read(span, ATTR.dbSystem) !== 'redis') return false;
  const statement = read(span, ATTR.dbStatement)?.toLowerCase();
  const name = span.name.trim().toLowerCase();
  return !!statement && name !== '' && statement.startsWith(name);
}

function rpcNames(span: Span): string[] | undefined {
  const service = read(span, ATTR.rpcService);
  const method = read(span, ATTR.rpcMethod);
  if (!method) return undefined;
  if (service) return [`${service}/${method}`];
  return method.includes('/') ? [method] : undefined;
}

function messagingNames(span: Span): string[] | undefined {
  const destination = read(span, ATTR.messagingDestination);
  const operations: string[] = [];
  for (const name of ATTR.messagingOperation) {
    const value = span.attributes.get(name);
    if (value && !operations.includes(value)) operations.push(value);
  }
  // Before 1.24 a producer's operation was implicit: `{destination} send`.
  if (operations.length === 0 && span.kind === 'producer') operations.push('send');
  if (operations.length === 0) return undefined;
  if (!destination) return operations;
  const current = span.attributes.has('messaging.operation.type') || span.attributes.has('messaging.operation.name');
  const newer = operations.map((op) => `${op} ${destination}`);
  const older = operations.map((op) => `${destination} ${op}`);
  return current ? [...newer, ...older] : [...older, ...newer];
}
