// The trigger of a generated test: the request the trace's root span received (HTTP or gRPC, old or current
// semantic conventions), else a `traceid` trigger.
import { spanValue } from '../trace/build';
import type { Span, Trace } from '../trace/model';

export interface HeaderSuggestion {
  key: string;
  value: string;
  /** Set when the recorded value was left out of the file (a credential). */
  variable?: string;
}

export type TriggerSuggestion =
  | {
      type: 'http';
      method: string;
      url: string;
      /** Variables the URL references instead of recorded credentials (user info, a token in the query). */
      urlVariables: string[];
      headers: HeaderSuggestion[];
      body?: string;
      /** Variables the body references instead of recorded credentials (JSON fields such as `password`). */
      bodyVariables: string[];
      from: Span;
    }
  | { type: 'grpc'; address?: string; method: string; request?: string; from: Span }
  | { type: 'traceid'; reason: string };

/** Headers whose values are credentials: written as `${var:…}` references, never copied. */
const CREDENTIAL_HEADER =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|apikey|x-auth-token|x-csrf-token|x-xsrf-token)$|token|secret|password|api[-_]?key|session/i;
/** Query parameters whose values are credentials. */
const CREDENTIAL_PARAMETER = /token|secret|password|passwd|api[-_]?key|^key$|signature|^sig$|session|^auth|credential/i;
/** Headers the HTTP client or the tracing SDK sets itself; copying them would pin one connection or one trace. */
const TRANSPORT_HEADER =
  /^(host|content-length|connection|keep-alive|transfer-encoding|upgrade|te|trailer|traceparent|tracestate|baggage|b3|x-b3-.*|uber-trace-id|x-amzn-trace-id|x-request-id|x-forwarded-.*|x-real-ip|forwarded|via|accept-encoding|user-agent)$/i;
const REQUEST_HEADER_PREFIX = 'http.request.header.';
const BODY_KEYS = ['http.request.body', 'http.request.body.content', 'tracetest.request.body'];

const first = (span: Span, keys: readonly string[]): string | undefined => {
  for (const key of keys) {
    const value = spanValue(span, key);
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
};

/** The span the test's request reached: the saved trigger span of a Tracelens run, else the trace's top span. */
export function requestSpan(trace: Trace): Span | undefined {
  const saved = trace.root.attributes.size > 0 ? trace.root : undefined;
  if (saved && (saved.attributes.has('tracetest.request.url') || saved.attributes.has('tracetest.request.address'))) return saved;
  return trace.root.children[0];
}

export function inferTrigger(trace: Trace): TriggerSuggestion {
  const span = requestSpan(trace);
  if (!span) return { type: 'traceid', reason: 'the trace has no spans' };
  if (span.isTrigger) return fromSavedTrigger(span);
  // An internal or producer span at the top (a browser's page load, a job) received no request to replay.
  if (span.kind !== 'server' && span.kind !== 'client')
    return {
      type: 'traceid',
      reason: `the root span "${span.name}" is ${/^[aeiou]/.test(span.kind) ? 'an' : 'a'} ${span.kind} span, not a request a server received`,
    };
  const grpc = grpcTrigger(span);
  if (grpc) return grpc;
  const http = httpTrigger(span, span);
  if (http) return http;
  return {
    type: 'traceid',
    reason: `the root span "${span.name}" records no HTTP request (url.full, url.path, http.url, http.target) and no gRPC call (rpc.service, rpc.method)`,
  };
}

/** A trace saved by `tracelens run --save-trace`: the trigger span holds the request, its first server span the details. */
function fromSavedTrigger(trigger: Span): TriggerSuggestion {
  const server = trigger.children.find((c) => c.kind === 'server') ?? trigger.children[0];
  const url = trigger.attributes.get('tracetest.request.url');
  const method = trigger.attributes.get('tracetest.request.method');
  if (url) {
    const details = server && httpTrigger(server, trigger);
    return {
      type: 'http',
      method: method ?? details?.method ?? 'GET',
      ...withoutCredentials(url),
      headers: details?.headers ?? [],
      ...(details?.body !== undefined ? { body: details.body } : {}),
      bodyVariables: details?.bodyVariables ?? [],
      from: trigger,
    };
  }
  const address = trigger.attributes.get('tracetest.request.address');
  if (address && method) {
    const details = server && grpcTrigger(server);
    return { type: 'grpc', address, method: method.replace('/', '.'), ...(details?.request ? { request: details.request } : {}), from: trigger };
  }
  return { type: 'traceid', reason: "the trace's trigger span records no HTTP request or gRPC call" };
}

function grpcTrigger(span: Span): Extract<TriggerSuggestion, { type: 'grpc' }> | undefined {
  const service = spanValue(span, 'rpc.service');
  const method = spanValue(span, 'rpc.method');
  if (!service || !method || (spanValue(span, 'rpc.system') ?? 'grpc') !== 'grpc') return undefined;
  const host = first(span, ['server.address', 'net.host.name', 'net.peer.name']);
  const port = first(span, ['server.port', 'net.host.port', 'net.peer.port']);
  const request = first(span, ['rpc.request.body', 'rpc.message.body']);
  return {
    type: 'grpc',
    method: `${service}.${method}`,
    ...(host ? { address: port ? `${host}:${port}` : host } : {}),
    ...(request ? { request } : {}),
    from: span,
  };
}

function httpTrigger(span: Span, from: Span): Extract<TriggerSuggestion, { type: 'http' }> | undefined {
  const url = requestUrl(span);
  if (!url) return undefined;
  const recorded = first(span, BODY_KEYS);
  const { body, bodyVariables } = recorded === undefined ? { body: undefined, bodyVariables: [] } : bodyWithoutCredentials(recorded);
  return {
    type: 'http',
    method: first(span, ['http.request.method', 'http.method']) ?? 'GET',
    ...withoutCredentials(url),
    headers: requestHeaders(span),
    ...(body !== undefined ? { body } : {}),
    bodyVariables,
    from,
  };
}

/** The URL from `url.*` (current conventions) or `http.*` (before 1.21), as complete as the span allows. */
export function requestUrl(span: Span): string | undefined {
  const full = first(span, ['url.full', 'http.url']);
  if (full) return full;
  const path = first(span, ['url.path']);
  const target = path ? path + (first(span, ['url.query']) ? `?${first(span, ['url.query'])!.replace(/^\?/, '')}` : '') : first(span, ['http.target']);
  if (!target) return undefined;
  const scheme = first(span, ['url.scheme', 'http.scheme']) ?? 'http';
  const host = first(span, ['http.host']) ?? hostPort(first(span, ['server.address', 'net.host.name']), first(span, ['server.port', 'net.host.port']), scheme);
  return host ? `${scheme}://${host}${target.startsWith('/') ? '' : '/'}${target}` : undefined;
}

/** The URL with its user info and credential-like query values replaced by `${var:…}` references. */
export function withoutCredentials(url: string): { url: string; urlVariables: string[] } {
  const urlVariables: string[] = [];
  const parts = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#@]*@)?([^?#]*)(\?[^#]*)?(#.*)?$/i.exec(url);
  if (!parts) return { url, urlVariables };
  const [, scheme, userInfo, rest, query, fragment] = parts;
  let out = scheme!;
  if (userInfo) {
    urlVariables.push('URL_USER_INFO');
    out += '${var:URL_USER_INFO}@';
  }
  out += rest;
  if (query) {
    const params = query
      .slice(1)
      .split('&')
      .map((param) => {
        const [name = '', value] = param.split('=', 2);
        if (value === undefined || !CREDENTIAL_PARAMETER.test(decodeURIComponentSafe(name))) return param;
        const variable = variableName(name);
        urlVariables.push(variable);
        return `${name}=\${var:${variable}}`;
      });
    out += `?${params.join('&')}`;
  }
  return { url: out + (fragment ?? ''), urlVariables };
}

/** A JSON body with the string values of credential-like fields (at any depth) replaced by `${var:…}` references. */
export function bodyWithoutCredentials(text: string): { body: string; bodyVariables: string[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { body: text, bodyVariables: [] };
  }
  const bodyVariables: string[] = [];
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => {
        if (typeof v !== 'string' || !CREDENTIAL_PARAMETER.test(key)) return [key, visit(v)];
        const variable = variableName(key);
        bodyVariables.push(variable);
        return [key, `\${var:${variable}}`];
      }),
    );
  };
  const cleaned = visit(parsed);
  // Untouched bodies keep their recorded layout.
  return bodyVariables.length === 0 ? { body: text, bodyVariables } : { body: JSON.stringify(cleaned, null, 2), bodyVariables };
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function variableName(name: string): string {
  return decodeURIComponentSafe(name)
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
}

function hostPort(host: string | undefined, port: string | undefined, scheme: string): string | undefined {
  if (!host) return undefined;
  const name = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const defaultPort = scheme === 'https' ? '443' : '80';
  return port && port !== defaultPort ? `${name}:${port}` : name;
}

/** The header, or a `${var:…}` reference in place of its value when that is a credential. */
export function headerWithoutCredentials(key: string, value: string): HeaderSuggestion {
  if (!CREDENTIAL_HEADER.test(key)) return { key, value };
  const variable = variableName(key);
  return { key, value: `\${var:${variable}}`, variable };
}

/** `http.request.header.<name>` attributes (a string array in current conventions, a string before). */
function requestHeaders(span: Span): HeaderSuggestion[] {
  const out: HeaderSuggestion[] = [];
  for (const [key, text] of span.attributes) {
    if (!key.startsWith(REQUEST_HEADER_PREFIX)) continue;
    // Some SDKs write `content_type` for Content-Type: header names hardly ever hold an underscore.
    const name = key.slice(REQUEST_HEADER_PREFIX.length).replaceAll('_', '-');
    if (!name || TRANSPORT_HEADER.test(name)) continue;
    out.push(headerWithoutCredentials(name, headerValue(text)));
  }
  return out;
}

function headerValue(text: string): string {
  if (!text.startsWith('[')) return text;
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed) && parsed.every((v) => typeof v === 'string')) return parsed.join(', ');
  } catch {
    // Not an array after all: the text is the value.
  }
  return text;
}
