// One GET against a tracing backend's query API, with the configured headers, a timeout and cancellation. Every
// failure becomes a sentence that names the backend ("Jaeger at http://… answered 401 Unauthorized").
import { STATUS_CODES } from 'node:http';
import { request } from 'undici';
import { formatDuration } from './settle';

export type HttpAnswer =
  | { ok: true; status: number; contentType: string; body: Uint8Array }
  /** `timedOut`: no answer within timeoutMs (as opposed to a refused connection or a cancel). */
  | { ok: false; message: string; timedOut?: boolean };

export interface HttpGet {
  url: string;
  headers: Record<string, string>;
  /** Who is asked, for messages: "Jaeger at http://127.0.0.1:16686". */
  description: string;
  signal: AbortSignal;
  timeoutMs: number;
}

/** Responses larger than this are not read: no trace of a test run is that big, a wrong URL might be. */
export const MAX_BODY_BYTES = 256 * 1024 * 1024;

export async function httpGet(get: HttpGet): Promise<HttpAnswer> {
  const timeout = AbortSignal.timeout(Math.max(1, get.timeoutMs));
  try {
    const response = await request(get.url, {
      method: 'GET',
      headers: get.headers,
      signal: AbortSignal.any([get.signal, timeout]),
    });
    const length = Number(response.headers['content-length'] ?? 0);
    if (length > MAX_BODY_BYTES) {
      response.body.destroy();
      return { ok: false, message: `${get.description} answered with ${length} bytes, more than the ${MAX_BODY_BYTES} read` };
    }
    const body = new Uint8Array(await response.body.arrayBuffer());
    const contentType = headerText(response.headers['content-type']);
    return { ok: true, status: response.statusCode, contentType, body };
  } catch (e) {
    if (get.signal.aborted) return { ok: false, message: 'cancelled' };
    if (timeout.aborted) return { ok: false, message: `${get.description} did not answer within ${formatDuration(get.timeoutMs)}`, timedOut: true };
    return { ok: false, message: `cannot reach ${get.description}: ${networkError(e)}` };
  }
}

/** `401 Unauthorized`, plus the start of a short text body (proxies explain themselves there). */
export function statusText(status: number, contentType: string, body: Uint8Array): string {
  const reason = STATUS_CODES[status] ?? 'unknown status';
  const text = /^text\/|json/i.test(contentType) || contentType === '' ? new TextDecoder().decode(body.subarray(0, 300)).trim() : '';
  const firstLine = text.split(/\r?\n/)[0]?.trim() ?? '';
  return firstLine && !firstLine.startsWith('<') ? `${status} ${reason}: ${firstLine.slice(0, 200)}` : `${status} ${reason}`;
}

function headerText(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

function networkError(e: unknown): string {
  const error = e as NodeJS.ErrnoException & { cause?: unknown };
  const code = error.code ?? (error.cause as NodeJS.ErrnoException | undefined)?.code;
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'host not found (DNS lookup failed)',
    ECONNRESET: 'connection reset',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    UND_ERR_SOCKET: 'the connection closed unexpectedly',
    UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  };
  if (code && known[code]) return `${known[code]} (${code})`;
  return error.message || String(e);
}

/**
 * A 404 from the router rather than from the trace lookup (Go's `404 page not found`): the URL misses the query
 * API, which polling will not fix but a proxy coming up might, so it is kept as the error to report.
 */
export function wrongPath(description: string, body: Uint8Array): string | undefined {
  const text = new TextDecoder().decode(body.subarray(0, 200)).trim();
  return /^404 page not found$/i.test(text) ? `${description} answered 404 page not found — is the URL the query API's base address?` : undefined;
}
