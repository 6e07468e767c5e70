// One HTTP call with undici, shared by the `http` and `graphql` triggers: auth, checks on what will be sent, the
// timeout and cancellation, and the response as the trigger span's attributes.
// Redirects are not followed: the trigger records exactly what the service answered.
import { Agent, request, type Dispatcher } from 'undici';
import type { Pair, ResolvedAuth } from './interpolate';
import { ATTR_BODY, ATTR_HEADERS, ATTR_STATUS, failed, formatTimeout, nowNanos } from './outcome';
import type { TriggerFailure, TriggerOutcome } from './types';

/** Bodies above this are cut; `tracelens.response.body_truncated` is then "true". */
export const MAX_RESPONSE_BODY_BYTES = 1024 * 1024;

/**
 * Attributes beyond `tracetest.response.*`, kept few:
 * - `tracetest.request.method`, `tracetest.request.url`: what was sent (the URL without password or apiKey query);
 * - `tracelens.response.body_truncated`: "true" when the body was longer than MAX_RESPONSE_BODY_BYTES.
 */
export const ATTR_REQUEST_METHOD = 'tracetest.request.method';
export const ATTR_REQUEST_URL = 'tracetest.request.url';
export const ATTR_BODY_TRUNCATED = 'tracelens.response.body_truncated';

export interface HttpCall {
  method: string;
  url: URL;
  /** The URL for messages and attributes: no password, no apiKey query parameter. */
  shownUrl: string;
  headers: Pair[];
  body?: string;
  sslVerification: boolean;
  traceId: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Connections shared by many calls (a load test's pool); default: a connection of the call's own, closed after it. */
  dispatcher?: Dispatcher;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function checkMethod(method: string, field: string): TriggerFailure | undefined {
  return TOKEN.test(method) ? undefined : { message: `${field}: \`${method}\` is not an HTTP method`, sent: false };
}

/** undici would refuse these with a vague message; name the header instead. */
export function checkHeaders(headers: readonly Pair[], field: string): TriggerFailure | undefined {
  for (const [i, h] of headers.entries()) {
    if (!TOKEN.test(h.key)) return { message: `${field}[${i}].key: \`${h.key}\` is not a valid header name`, sent: false };
    if (/[\r\n\0]/.test(h.value)) return { message: `${field}[${i}].value: a header value cannot contain line breaks`, sent: false };
  }
  return undefined;
}

/** An apiKey header name must be a header name; no credential may contain line breaks. */
export function checkAuth(auth: ResolvedAuth | undefined, field: string): TriggerFailure | undefined {
  if (auth?.type === 'apiKey' && auth.in === 'header' && !TOKEN.test(auth.key)) {
    return { message: `${field}.apiKey.key: \`${auth.key}\` is not a valid header name`, sent: false };
  }
  const values = auth?.type === 'apiKey' ? [auth.value] : auth?.type === 'basic' ? [auth.username, auth.password] : auth ? [auth.token] : [];
  if (values.some((v) => /[\r\n\0]/.test(v))) return { message: `${field}: a credential cannot contain line breaks`, sent: false };
  return undefined;
}

/** An http(s) URL, or a failure that says what is wrong with it. */
export function parseHttpUrl(text: string, field: string): { ok: true; url: URL } | { ok: false; error: TriggerFailure } {
  const bad = (why: string): { ok: false; error: TriggerFailure } => ({ ok: false, error: { message: `${field}: ${why}`, sent: false } });
  if (text.trim() === '') return bad('the URL is empty');
  const trimmed = text.trim();
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(trimmed)) return bad(`\`${trimmed}\` is not a URL: add http:// or https:// in front`);
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return bad(`\`${trimmed}\` is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return bad(`\`${trimmed}\` is not an http or https URL`);
  return { ok: true, url };
}

/** A URL as shown to a person: the password hidden. */
export function shownUrl(url: URL): string {
  if (!url.password) return url.href;
  const copy = new URL(url.href);
  copy.password = '***';
  return copy.href;
}

function setHeader(headers: Pair[], key: string, value: string): Pair[] {
  return [...headers.filter((h) => h.key.toLowerCase() !== key.toLowerCase()), { key, value }];
}

export function basicCredentials(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

/**
 * Adds `auth` to the request; it replaces a user header of the same name. Credentials written in the URL
 * (`http://user:pass@host`) become basic auth when no `auth` is set, as browsers and Go's client do.
 */
export function applyHttpAuth(url: URL, headers: Pair[], auth: ResolvedAuth | undefined): { url: URL; headers: Pair[] } {
  const target = new URL(url.href);
  let result = headers;
  if (target.username || target.password) {
    if (!auth) result = setHeader(result, 'Authorization', basicCredentials(decodeURIComponent(target.username), decodeURIComponent(target.password)));
    target.username = '';
    target.password = '';
  }
  switch (auth?.type) {
    case 'basic':
      result = setHeader(result, 'Authorization', basicCredentials(auth.username, auth.password));
      break;
    case 'bearer':
      result = setHeader(result, 'Authorization', `Bearer ${auth.token}`);
      break;
    case 'apiKey':
      if (auth.in === 'query') target.searchParams.set(auth.key, auth.value);
      else result = setHeader(result, auth.key, auth.value);
      break;
  }
  return { url: target, headers: result };
}

export async function sendHttp(call: HttpCall): Promise<TriggerOutcome> {
  const what = `${call.method} ${call.shownUrl}`;
  const startTime = nowNanos();
  if (call.signal?.aborted) return failed(`${what}: cancelled`, false, { startTime, endTime: startTime });

  const agent = call.dispatcher ? undefined : new Agent({ connect: { rejectUnauthorized: call.sslVerification, timeout: call.timeoutMs } });
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, call.timeoutMs);
  const cancel = (): void => controller.abort();
  call.signal?.addEventListener('abort', cancel, { once: true });
  let phase: 'response' | 'body' = 'response';
  try {
    const response = await request(call.url, {
      method: call.method as 'GET',
      headers: call.headers.flatMap((h) => [h.key, h.value]),
      ...(call.body !== undefined && call.body !== '' ? { body: call.body } : {}),
      dispatcher: call.dispatcher ?? agent,
      signal: controller.signal,
      headersTimeout: call.timeoutMs,
      bodyTimeout: call.timeoutMs,
    });
    phase = 'body';
    const body = await readLimited(response.body);
    const endTime = nowNanos();
    const attributes = new Map<string, string>([
      [ATTR_STATUS, String(response.statusCode)],
      [ATTR_BODY, body.text],
      [ATTR_HEADERS, JSON.stringify(headerList(response.headers))],
      [ATTR_REQUEST_METHOD, call.method],
      [ATTR_REQUEST_URL, call.shownUrl],
    ]);
    if (body.truncated) attributes.set(ATTR_BODY_TRUNCATED, 'true');
    return { ok: true, value: { traceId: call.traceId, startTime, endTime, status: response.statusCode, attributes, sent: true } };
  } catch (error) {
    const times = { startTime, endTime: nowNanos() };
    if (call.signal?.aborted) return failed(`${what}: cancelled`, true, times);
    const code = errorCode(error);
    if (timedOut || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
      const late = phase === 'response' ? 'no response' : 'the response body did not finish';
      return failed(`${what}: ${late} within ${formatTimeout(call.timeoutMs)}`, true, times);
    }
    const described = describeNetworkError(error, code);
    return failed(`${what}: ${described.reason}`, described.sent, times);
  } finally {
    clearTimeout(timer);
    call.signal?.removeEventListener('abort', cancel);
    agent?.destroy().catch(() => undefined);
  }
}

async function readLimited(body: AsyncIterable<unknown>): Promise<{ text: string; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    if (size + buffer.length > MAX_RESPONSE_BODY_BYTES) {
      chunks.push(buffer.subarray(0, MAX_RESPONSE_BODY_BYTES - size));
      return { text: Buffer.concat(chunks).toString('utf8'), truncated: true };
    }
    chunks.push(buffer);
    size += buffer.length;
  }
  return { text: Buffer.concat(chunks).toString('utf8'), truncated: false };
}

/** Header names arrive lowercase; repeated headers (set-cookie) give one entry per value. */
function headerList(headers: Record<string, string | string[] | undefined>): Pair[] {
  return Object.entries(headers).flatMap(([key, value]) =>
    value === undefined ? [] : (Array.isArray(value) ? value : [value]).map((v) => ({ key, value: v })),
  );
}

function errorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | undefined;
  if (typeof e?.code === 'string') return e.code;
  return typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
}

const CONNECT_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'could not connect in time',
};

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** What went wrong, for a person, and whether the request may have reached the server. */
export function describeNetworkError(error: unknown, code = errorCode(error)): { reason: string; sent: boolean } {
  const message = error instanceof Error ? error.message : String(error);
  if (code && code in CONNECT_ERRORS) return { reason: `${CONNECT_ERRORS[code]} (${code})`, sent: false };
  if (code && TLS_CODES.has(code)) {
    return { reason: `the server's TLS certificate was rejected: ${message} (${code}); sslVerification is on`, sent: false };
  }
  if (code === 'EPROTO' || /SSL|TLS/.test(code ?? '')) return { reason: `TLS handshake failed: ${message}`, sent: false };
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return { reason: `the server closed the connection (${code})`, sent: true };
  return { reason: code ? `${message} (${code})` : message, sent: true };
}
