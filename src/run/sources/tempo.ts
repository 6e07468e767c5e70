// Grafana Tempo's `GET {url}/api/traces/{traceId}`. Asked for `application/protobuf`, Tempo answers a
// tempopb.Trace, whose only field (1: repeated ResourceSpans `batches`) has the same number and type as OTLP's
// ExportTraceServiceRequest.resource_spans, so the OTLP protobuf decoder reads it. Otherwise (older versions,
// proxies that drop the Accept header) the answer is JSON: `{batches: [...]}`. 404 (empty body) means not yet.
import { parseJsonText } from '../../core/trace/decode/json-text';
import { decodeOtlpProtobuf, decodeTempoJson } from '../../core/trace/decode/index';
import type { DecodeError, DecodeResult } from '../../core/trace/decode/index';
import type { Result } from '../../core/source';
import { displayUrl, traceUrl } from './backend-url';
import { httpGet, statusText, wrongPath } from './http-get';
import type { HttpBackendConfig } from './jaeger';
import type { FetchResult } from './poll';
import { pollTrace } from './poll';
import type { CollectOutcome, CollectRequest, TraceSource } from './types';

/** Tempo compares the Accept header with exactly this value. */
export const TEMPO_PROTOBUF = 'application/protobuf';

export class TempoSource implements TraceSource {
  readonly description: string;

  constructor(private readonly config: HttpBackendConfig) {
    this.description = `Tempo at ${displayUrl(config.url)}`;
  }

  collect(request: CollectRequest): Promise<CollectOutcome> {
    return pollTrace((signal, timeoutMs) => this.fetchTrace(request.traceId, signal, timeoutMs), request, this.description);
  }

  async fetchTrace(traceId: string, signal: AbortSignal, timeoutMs: number): Promise<FetchResult> {
    const answer = await httpGet({
      url: traceUrl(this.config.url, traceId),
      headers: { accept: TEMPO_PROTOBUF, ...this.config.headers },
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

    const decoded = /protobuf/i.test(answer.contentType) ? decodeOtlpProtobuf(answer.body) : this.decodeJson(answer.body);
    if (!decoded.ok) {
      const where = decoded.error.path ? ` at ${decoded.error.path}` : '';
      return { kind: 'fatal', message: `${this.description} answered with something that is not a Tempo trace: ${decoded.error.message}${where}` };
    }
    if (decoded.value.spans.length === 0) return { kind: 'not-found' };
    return { kind: 'found', spans: decoded.value.spans, warnings: decoded.value.warnings };
  }

  private decodeJson(body: Uint8Array): Result<DecodeResult, DecodeError> {
    const parsed = parseJsonText(new TextDecoder().decode(body));
    if (!parsed.ok) {
      const { message, line, column } = parsed.error;
      return { ok: false, error: { message: `the body is neither protobuf nor JSON (${message} at ${line}:${column}) — is the URL Tempo's HTTP API?` } };
    }
    return decodeTempoJson(parsed.value);
  }
}
