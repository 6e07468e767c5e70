// required-attributes: each span type carries what its conventions require (Tracetest's lists), under its
// current or its older name. Client and server requirements follow the span kind.
import type { Span } from '../../trace/model';
import { ATTR, nameOf, spanType, type Names } from '../conventions';
import type { Rule } from './rule';

interface Requirements {
  all: readonly Names[];
  client?: readonly Names[];
  server?: readonly Names[];
}

const REQUIRED: Readonly<Record<string, Requirements>> = {
  http: { all: [ATTR.httpMethod], client: [ATTR.url, ATTR.peerName], server: [ATTR.target, ATTR.scheme, ATTR.hostName] },
  database: { all: [ATTR.dbSystem] },
  rpc: { all: [ATTR.rpcSystem, ATTR.peerName] },
  messaging: { all: [ATTR.messagingSystem, ATTR.messagingOperation] },
  faas: { all: [], client: [ATTR.faasInvokedName, ATTR.faasInvokedProvider], server: [ATTR.faasTrigger] },
};

export const requiredAttributes: Rule = {
  id: 'required-attributes',
  check(span) {
    const type = spanType(span);
    const required = REQUIRED[type];
    if (!required) return [];
    const byKind = span.kind === 'client' ? required.client : span.kind === 'server' ? required.server : undefined;
    const errors: string[] = [];
    for (const names of required.all) if (!has(span, names)) errors.push(`missing ${nameOf(names)}, required on ${type} spans`);
    for (const names of byKind ?? []) if (!has(span, names)) errors.push(`missing ${nameOf(names)}, required on ${type} ${span.kind} spans`);
    return errors;
  },
};

function has(span: Span, names: Names): boolean {
  return names.some((name) => span.flat.has(name));
}
