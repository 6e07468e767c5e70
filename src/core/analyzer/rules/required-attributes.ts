// required-attributes: each span type carries what its conventions require (Tracetest's lists), under its
// current or its older name. Client and server requirements follow the span kind.
import type { Span } from '../../trace/model';
import { ATTR, nameOf, type Names } from '../conventions';
import { PASS, type Rule } from './rule';

interface Requirement {
  names: Names;
  /** Written once: a trace can have thousands of spans missing the same attribute. */
  message: string;
}

interface Requirements {
  all: Requirement[];
  client: Requirement[];
  server: Requirement[];
}

const REQUIRED: ReadonlyMap<string, Requirements> = new Map(
  (
    [
      ['http', [ATTR.httpMethod], [ATTR.url, ATTR.peerName], [ATTR.target, ATTR.scheme, ATTR.hostName]],
      ['database', [ATTR.dbSystem], [], []],
      ['rpc', [ATTR.rpcSystem, ATTR.peerName], [], []],
      ['messaging', [ATTR.messagingSystem, ATTR.messagingOperation], [], []],
      ['faas', [], [ATTR.faasInvokedName, ATTR.faasInvokedProvider], [ATTR.faasTrigger]],
    ] as const
  ).map(([type, all, client, server]) => {
    const of = (list: readonly Names[], on: string) => list.map((names) => ({ names, message: `missing ${nameOf(names)}, required on ${on}` }));
    return [type, { all: of(all, `${type} spans`), client: of(client, `${type} client spans`), server: of(server, `${type} server spans`) }];
  }),
);

export const requiredAttributes: Rule = {
  id: 'required-attributes',
  check(span, type) {
    const required = REQUIRED.get(type);
    if (!required) return PASS;
    let errors = missing(span, required.all, undefined);
    if (span.kind === 'client') errors = missing(span, required.client, errors);
    else if (span.kind === 'server') errors = missing(span, required.server, errors);
    return errors ?? PASS;
  },
};

function missing(span: Span, requirements: readonly Requirement[], errors: string[] | undefined): string[] | undefined {
  for (const { names, message } of requirements) if (!has(span, names)) (errors ??= []).push(message);
  return errors;
}

function has(span: Span, names: Names): boolean {
  for (const name of names) if (span.attributes.has(name)) return true;
  return false;
}
