// OpenTelemetry semantic conventions renamed many attributes (HTTP in 1.23, databases in 1.26–1.33, messaging in
// 1.24–1.27). Tracetest's rules read only the pre-2023 names; these lists give each attribute's current name first,
// then its older ones, and every rule accepts any of them, so a service is judged the same on either generation.
import type { Span } from '../trace/model';

export type Names = readonly [current: string, ...older: string[]];

export const ATTR = {
  httpMethod: ['http.request.method', 'http.method'],
  httpRoute: ['http.route'],
  urlTemplate: ['url.template'],
  url: ['url.full', 'http.url'],
  scheme: ['url.scheme', 'http.scheme'],
  target: ['url.path', 'http.target'],
  /** A server span's own host. */
  hostName: ['server.address', 'net.host.name'],
  /** The host a client span calls. */
  peerName: ['server.address', 'net.peer.name'],
  dbSystem: ['db.system.name', 'db.system'],
  dbOperation: ['db.operation.name', 'db.operation'],
  dbNamespace: ['db.namespace', 'db.name'],
  dbCollection: ['db.collection.name', 'db.sql.table'],
  dbQuerySummary: ['db.query.summary'],
  dbStatement: ['db.query.text', 'db.statement'],
  dbConnectionString: ['db.connection_string'],
  rpcSystem: ['rpc.system'],
  rpcService: ['rpc.service'],
  rpcMethod: ['rpc.method'],
  messagingSystem: ['messaging.system'],
  messagingOperation: ['messaging.operation.name', 'messaging.operation.type', 'messaging.operation'],
  messagingDestination: ['messaging.destination.template', 'messaging.destination.name', 'messaging.destination'],
  faasTrigger: ['faas.trigger'],
  faasInvokedName: ['faas.invoked_name'],
  faasInvokedProvider: ['faas.invoked_provider'],
} as const satisfies Record<string, Names>;

/**
 * The value of the first of the names among the span's own attributes: the ones `tracetest.span.type` is decided by,
 * and where instrumentations put these conventions.
 */
export function read(span: Span, names: Names): string | undefined {
  for (const name of names) {
    const value = span.attributes.get(name);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** `url.full (or the older http.url)`: the attribute as a message names it. */
export function nameOf(names: Names): string {
  const [current, ...older] = names;
  return older.length === 0 ? current : `${current} (or the older ${older.join(', ')})`;
}
