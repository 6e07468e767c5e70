// Grafana Tempo's `GET {url}/api/traces/{traceId}`. Asked for `application/protobuf`, Tempo answers a
// tempopb.Trace, whose only field (1: repeated ResourceSpans `batches`) has the same number and type as OTLP's
// ExportTraceServiceRequest.resource_spans, so the OTLP protobuf decoder reads it. Otherwise (older versions,
// proxies that drop the Accept header) the answer is JSON: `{batches: [...]}`. 404 (empty body) means not yet.
import { parseJsonText } from '../../core/trace/decode/json-text';
import { decodeOtlpProtobuf, decodeTempoJson } from '../../core/trace/decode/index';
import type { DecodeError, DecodeResult } from '../../core/trace/decode/index';
import type { Result } from '../../core/text-position';
import { HttpTraceBackend, type HttpBackendConfig } from './http-backend';
import type { FetchResult } from './poll';

/** Tempo compares the Accept header with exactly this value. */
export const TEMPO_PROTOBUF = 'application/protobuf';

export class TempoSource extends HttpTraceBackend {
  constructor(config: HttpBackendConfig) {
    super(config, 'Tempo', TEMPO_PROTOBUF);
  }

  protected decode(body: Uint8Array, contentType: string): FetchResult {
    const decoded = /protobuf/i.test(contentType) ? decodeOtlpProtobuf(body) : decodeJson(body);
    if (!decoded.ok) {
      const where = decoded.error.path ? ` at ${decoded.error.path}` : '';
      return { kind: 'fatal', message: `${this.description} answered with something that is not a Tempo trace: ${decoded.error.message}${where}` };
    }
    if (decoded.value.spans.length === 0) return { kind: 'not-found' };
    return { kind: 'found', spans: decoded.value.spans, warnings: decoded.value.warnings };
  }
}

function decodeJson(body: Uint8Array): Result<DecodeResult, DecodeError> {
  const parsed = parseJsonText(new TextDecoder().decode(body));
  if (!parsed.ok) {
    const { message, line, column } = parsed.error;
    return { ok: false, error: { message: `the body is neither protobuf nor JSON (${message} at ${line}:${column}) — is the URL Tempo's HTTP API?` } };
  }
  return decodeTempoJson(parsed.value);
}
