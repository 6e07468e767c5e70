// OTLP/HTTP: POST /v1/traces with a binary protobuf or JSON ExportTraceServiceRequest, optionally compressed.
// Every reply is an OTLP message in the request's encoding; CORS is answered so browser exporters on allowed
// origins (cors.ts) can send too, and requests from other web pages are refused before their body is read.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './body';
import type { CorsPolicy } from './cors';
import { ingestJson, ingestProtobuf, type IngestContext, type IngestOutcome } from './ingest';
import { CONTENT_TYPES, encodeExportResponse, encodeStatus, RPC_CODES, type OtlpEncoding } from './messages';

export const TRACES_PATH = '/v1/traces';

export interface HttpReceiverOptions extends IngestContext {
  maxBodyBytes: number;
  cors: CorsPolicy;
  timeouts: HttpTimeouts;
}

export interface HttpTimeouts {
  /** A request's headers must have arrived this long after it started (a connection that sends nothing included). */
  headersMs: number;
  /** The whole request, body included, must have arrived this long after it started: a slow body is cut. */
  requestMs: number;
  /** A kept-alive connection with no request is closed after this long. */
  idleMs: number;
}

export interface RunningHttpServer {
  port: number;
  close(): Promise<void>;
}

/** Time in-flight requests get to finish when the server closes before their connections are cut. */
const CLOSE_GRACE_MS = 200;

/** Listens on host:port; rejects with the listen error (e.g. EADDRINUSE) as Node reports it. */
export function startHttpServer(host: string, port: number, options: HttpReceiverOptions): Promise<RunningHttpServer> {
  const { headersMs, requestMs, idleMs } = options.timeouts;
  const server = http.createServer(
    {
      headersTimeout: headersMs,
      requestTimeout: Math.max(requestMs, headersMs),
      // Node enforces both timeouts when it checks its connections, every 30 s by default: too late to matter.
      connectionsCheckingInterval: Math.min(1000, Math.max(10, Math.floor(headersMs / 4))),
    },
    (request, response) => void handle(request, response, options),
  );
  // Exporters keep connections alive between batches; longer than Node's 5 s default saves reconnects.
  server.keepAliveTimeout = idleMs;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      // An error on the listening server must not crash the process (malformed HTTP from a client is answered
      // by Node's own clientError handling).
      server.on('error', (e) => options.onWarning?.(`OTLP/HTTP server: ${e.message}`));
      resolve({ port: (server.address() as AddressInfo).port, close: () => closeServer(server) });
    });
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    const timer = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
    timer.unref();
    server.once('close', () => clearTimeout(timer));
  });
}

async function handle(request: http.IncomingMessage, response: http.ServerResponse, options: HttpReceiverOptions): Promise<void> {
  try {
    const encoding = encodingOf(request.headers['content-type']);
    const origin = request.headers.origin;
    if (origin !== undefined) {
      if (!options.cors.allows(origin)) return refuseOrigin(response, origin, encoding ?? 'json');
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Vary', 'Origin');
    }
    const path = (request.url ?? '/').split('?', 1)[0]!;
    if (path !== TRACES_PATH && path !== `${TRACES_PATH}/`) {
      const message = `no such endpoint ${request.method} ${path}: this receiver takes traces only, at POST ${TRACES_PATH}`;
      return reply(response, 404, encoding ?? 'json', encodeStatus(encoding ?? 'json', RPC_CODES.NOT_FOUND, message));
    }
    if (request.method === 'OPTIONS') return preflight(request, response, options.cors);
    if (request.method !== 'POST') {
      response.setHeader('Allow', 'POST, OPTIONS');
      const message = `${request.method} is not allowed on ${TRACES_PATH}: send an ExportTraceServiceRequest with POST`;
      return reply(response, 405, encoding ?? 'json', encodeStatus(encoding ?? 'json', RPC_CODES.UNIMPLEMENTED, message));
    }
    if (!encoding) {
      const got = request.headers['content-type'] ? `"${request.headers['content-type']}"` : 'no Content-Type';
      const message = `unsupported content type ${got}: send ${CONTENT_TYPES.protobuf} or ${CONTENT_TYPES.json}`;
      return reply(response, 415, 'json', encodeStatus('json', RPC_CODES.INVALID_ARGUMENT, message));
    }

    const body = await readBody(request, options.maxBodyBytes);
    if (!body.ok) {
      if (body.status === 413) response.setHeader('Connection', 'close');
      const code = body.status === 413 ? RPC_CODES.RESOURCE_EXHAUSTED : RPC_CODES.INVALID_ARGUMENT;
      return reply(response, body.status, encoding, encodeStatus(encoding, code, body.message));
    }
    const outcome: IngestOutcome = encoding === 'protobuf' ? ingestProtobuf(body.body, options) : ingestJson(body.body.toString('utf8'), options);
    if (!outcome.ok) return reply(response, 400, encoding, encodeStatus(encoding, RPC_CODES.INVALID_ARGUMENT, outcome.message));
    return reply(response, 200, encoding, encodeExportResponse(encoding, outcome.partial));
  } catch (e) {
    // A bug must cost one request, never the receiver.
    const message = `internal error: ${e instanceof Error ? e.message : String(e)}`;
    options.onWarning?.(`OTLP/HTTP ${message}`);
    if (!response.headersSent) reply(response, 500, 'json', encodeStatus('json', RPC_CODES.INTERNAL, message));
    else response.destroy();
  }
}

/** The OTLP encoding a Content-Type names (parameters such as charset allowed); undefined for anything else. */
export function encodingOf(contentType: string | undefined): OtlpEncoding | undefined {
  const media = contentType?.split(';', 1)[0]!.trim().toLowerCase();
  if (media === 'application/x-protobuf' || media === 'application/protobuf') return 'protobuf';
  if (media === 'application/json') return 'json';
  return undefined;
}

// A reply's headers go to writeHead in one object: without a header set before (CORS), Node writes them as they are,
// with no headers store of its own. An empty body is not passed to end(), so the head goes out in one write, not a
// writev of the head and an empty chunk.
function reply(response: http.ServerResponse, status: number, encoding: OtlpEncoding, body: Uint8Array | string): void {
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  response.writeHead(status, length === 0 ? EMPTY_BODY_HEADERS[encoding] : { 'Content-Type': CONTENT_TYPES[encoding], 'Content-Length': length });
  if (length === 0) response.end();
  else response.end(body);
}

/** The headers of every full success over protobuf (an empty ExportTraceServiceResponse): Node only reads them. */
const EMPTY_BODY_HEADERS: Record<OtlpEncoding, Readonly<http.OutgoingHttpHeaders>> = {
  protobuf: Object.freeze({ 'Content-Type': CONTENT_TYPES.protobuf, 'Content-Length': 0 }),
  json: Object.freeze({ 'Content-Type': CONTENT_TYPES.json, 'Content-Length': 0 }),
};

/**
 * A web page the user has open, on an origin not allowed: refused before anything is read, with no CORS headers
 * (so the page cannot even read why); the body is not read, and the connection is closed.
 */
function refuseOrigin(response: http.ServerResponse, origin: string, encoding: OtlpEncoding): void {
  const message = `origin ${origin} may not send traces to this receiver: pages on this machine (localhost, 127.0.0.1, [::1]) may, others only when listed (setting tracelens.otlp.corsOrigins, tracelens run --otlp-cors-origin, tracelens receiver --cors-origin)`;
  response.setHeader('Connection', 'close');
  reply(response, 403, encoding, encodeStatus(encoding, RPC_CODES.PERMISSION_DENIED, message));
}

/** A preflight from an allowed origin (the caller has set Access-Control-Allow-Origin to it). */
function preflight(request: http.IncomingMessage, response: http.ServerResponse, cors: CorsPolicy): void {
  response.statusCode = 204;
  response.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
  response.setHeader('Access-Control-Allow-Headers', request.headers['access-control-request-headers'] ?? 'Content-Type, Content-Encoding');
  response.setHeader('Access-Control-Max-Age', '86400');
  // Chrome's Private Network Access: a page asking to reach this loopback receiver from a public or private
  // address is refused; only pages served from this machine are let through.
  const origin = request.headers.origin;
  if (request.headers['access-control-request-private-network'] === 'true' && origin !== undefined && cors.isLoopback(origin)) {
    response.setHeader('Access-Control-Allow-Private-Network', 'true');
  }
  response.setHeader('Content-Length', 0);
  response.end();
}
