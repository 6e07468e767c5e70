// A minimal router for node:http. Like a web framework's instrumentation, it tells the HTTP instrumentation which
// route matched, so server spans are named "POST /pokemon" and carry `http.route`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { context } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';

export interface Reply {
  status: number;
  body: unknown;
  /** For text bodies (the web page and its script); otherwise the body is sent as JSON. */
  contentType?: string;
}

export interface RouteRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  /** The body parsed as JSON; a Reply (400 or 413) when it cannot be. */
  json(): Promise<{ ok: true; value: unknown } | { ok: false; reply: Reply }>;
}

export interface Route {
  method: string;
  /** Segments; `:name` matches one segment. */
  path: string;
  handle(request: RouteRequest): Promise<Reply> | Reply;
}

const MAX_BODY_BYTES = 1024 * 1024;

export function createRouter(routes: Route[], onError: (error: unknown) => void) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const matches = routes.map((route) => ({ route, params: matchPath(route.path, url.pathname) })).filter((m) => m.params);
    const match = matches.find((m) => m.route.method === request.method);
    if (!match) {
      if (matches.length > 0) {
        const allow = [...new Set(matches.map((m) => m.route.method))].join(', ');
        return send(response, { status: 405, body: { error: `${request.method} is not allowed on ${url.pathname}; allowed: ${allow}` } }, { allow });
      }
      return send(response, { status: 404, body: { error: `no route for ${request.method} ${url.pathname}` } });
    }
    const rpc = getRPCMetadata(context.active());
    if (rpc?.type === RPCType.HTTP) rpc.route = match.route.path;

    const routeRequest: RouteRequest = { params: match.params!, query: url.searchParams, json: () => readJson(request) };
    Promise.resolve()
      .then(() => match.route.handle(routeRequest))
      .then(
        (reply) => send(response, reply),
        (error: unknown) => {
          onError(error);
          send(response, { status: 500, body: { error: 'internal error' } });
        },
      );
  };
}

function matchPath(pattern: string, pathname: string): Record<string, string> | undefined {
  const want = pattern.split('/').filter(Boolean);
  const got = pathname.split('/').filter(Boolean);
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const segment = want[i]!;
    if (segment.startsWith(':')) params[segment.slice(1)] = decodeURIComponent(got[i]!);
    else if (segment !== got[i]) return undefined;
  }
  return params;
}

function readJson(request: IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false; reply: Reply }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on('error', () => resolve({ ok: false, reply: { status: 400, body: { error: 'the request body could not be read' } } }));
    request.on('end', () => {
      if (tooLarge) return resolve({ ok: false, reply: { status: 413, body: { error: `the body is larger than ${MAX_BODY_BYTES} bytes` } } });
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve({ ok: true, value: JSON.parse(text) });
      } catch (error) {
        const reason = text.trim() === '' ? 'the body is empty' : (error as Error).message;
        resolve({ ok: false, reply: { status: 400, body: { error: `the body must be JSON: ${reason}` } } });
      }
    });
  });
}

function send(response: ServerResponse, reply: Reply, headers: Record<string, string> = {}): void {
  if (response.headersSent) return;
  const body = reply.contentType ? String(reply.body) : JSON.stringify(reply.body);
  const contentType = reply.contentType ?? 'application/json; charset=utf-8';
  response.writeHead(reply.status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...headers });
  response.end(body);
}
