// What Jaeger and Tempo share: `GET {url}/api/traces/{traceId}` polled until the trace is there and stable.
// 404 means "not stored yet" (unless it is a router's 404 for a wrong path); other statuses are retried and
// named in the timeout message; a body that is not a trace stops the collect, since polling will not fix it.
import { displayUrl, traceUrl } from './backend-url';
import { httpGet, statusText, wrongPath } from './http-get';
import { pollTrace, type FetchResult } from './poll';
import type { CollectOutcome, CollectRequest, TraceSource } from './types';

export interface HttpBackendConfig {
  /** Base URL of the query API, e.g. `http://jaeger:16686`; may carry a path prefix and query parameters. */
  url: string;
  /** Sent with every request, e.g. `Authorization`. */
  headers: Record<string, string>;
}

export abstract class HttpTraceBackend implements TraceSource {
  readonly description: string;

  constructor(
    private readonly config: HttpBackendConfig,
    name: string,
    private readonly accept: string,
  ) {
    this.description = `${name} at ${displayUrl(config.url)}`;
  }

  collect(request: CollectRequest): Promise<CollectOutcome> {
    return pollTrace((signal, timeoutMs) => this.fetchTrace(request.traceId, signal, timeoutMs), request, this.description);
  }

  async fetchTrace(traceId: string, signal: AbortSignal, timeoutMs: number): Promise<FetchResult> {
    const answer = await httpGet({
      url: traceUrl(this.config.url, traceId),
      headers: { accept: this.accept, ...this.config.headers },
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
    return this.decode(answer.body, answer.contentType);
  }

  /** A 200 answer's body as spans (`found`, or `not-found` when empty), or why it is not a trace. */
  protected abstract decode(body: Uint8Array, contentType: string): FetchResult;
}
