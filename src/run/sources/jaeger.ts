// Jaeger's query HTTP API: `GET {url}/api/traces/{traceId}` answers `{data: [trace], errors: null}`, or 404 with
// `{data: null, errors: [{code: 404, msg: "trace not found"}]}` until the trace has been stored.
import { parseJsonText } from '../../core/trace/decode/json-text';
import { decodeJaegerJson } from '../../core/trace/decode/index';
import { displayUrl, traceUrl } from './backend-url';
import { httpGet, statusText, wrongPath } from './http-get';
import type { FetchResult } from './poll';
import { pollTrace } from './poll';
import type { CollectOutcome, CollectRequest, TraceSource } from './types';

export interface HttpBackendConfig {
  /** Base URL of the query API, e.g. `http://jaeger:16686`; may carry a path prefix and query parameters. */
  url: string;
  /** Sent with every request, e.g. `Authorization`. */
  headers: Record<string, string>;
}

export class JaegerSource implements TraceSource {
  readonly description: string;

  constructor(private readonly config: HttpBackendConfig) {
    this.description = `Jaeger at ${displayUrl(config.url)}`;
  }

  collect(request: CollectRequest): Promise<CollectOutcome> {
    return pollTrace((signal, timeoutMs) => this.fetchTrace(request.traceId, signal, timeoutMs), request, this.description);
  }

  async fetchTrace(traceId: string, signal: AbortSignal, timeoutMs: number): Promise<FetchResult> {
    const answer = await httpGet({
      url: traceUrl(this.config.url, traceId),
      headers: { accept: 'application/json', ...this.config.headers },
      description: this.description,
      signal,
      timeoutMs,
    });
    if (!answer.ok) return { kind: 'error', message: answer.message, ...(answer.timedOut ? { timedOut: true } : {}) };
    if (answer.status === 404) {
      const wrong = wrongPath(this.description, answer.body);
      return wrong ? { kind: 'error', message: wrong } : { kind: 'not-found' };
    }
    if (answer.status !== 200) return { kind: 'error', message: `${this.description} answered ${statusText(answer.status, answer.contentType, answer.body)}` };

    const parsed = parseJsonText(new TextDecoder().decode(answer.body));
    if (!parsed.ok) {
      const { message, line, column } = parsed.error;
      return { kind: 'fatal', message: `${this.description} answered with a body that is not JSON (${message} at ${line}:${column}) — is the URL Jaeger's query API?` };
    }
    const decoded = decodeJaegerJson(parsed.value);
    if (!decoded.ok) {
      // `{data: null, errors: [...]}` with 200 is Jaeger reporting a storage problem: it may pass.
      if (decoded.error.path === 'errors') return { kind: 'error', message: `${this.description}: ${decoded.error.message}` };
      const where = decoded.error.path ? ` at ${decoded.error.path}` : '';
      return { kind: 'fatal', message: `${this.description} answered with something that is not a Jaeger trace: ${decoded.error.message}${where}` };
    }
    if (decoded.value.spans.length === 0) return { kind: 'not-found' };
    return { kind: 'found', spans: decoded.value.spans, warnings: decoded.value.warnings };
  }
}
