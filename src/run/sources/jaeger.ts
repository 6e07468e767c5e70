// Jaeger's query HTTP API: `GET {url}/api/traces/{traceId}` answers `{data: [trace], errors: null}`, or 404 with
// `{data: null, errors: [{code: 404, msg: "trace not found"}]}` until the trace has been stored.
import { parseJsonText } from '../../core/trace/decode/json-text';
import { decodeJaegerJson } from '../../core/trace/decode/index';
import { HttpTraceBackend, type HttpBackendConfig } from './http-backend';
import type { FetchResult } from './poll';

export class JaegerSource extends HttpTraceBackend {
  constructor(config: HttpBackendConfig) {
    super(config, 'Jaeger', 'application/json');
  }

  protected decode(body: Uint8Array): FetchResult {
    const parsed = parseJsonText(new TextDecoder().decode(body));
    if (!parsed.ok) {
      const { message, line, column } = parsed.error;
      return {
        kind: 'fatal',
        message: `${this.description} answered with a body that is not JSON (${message} at ${line}:${column}) — is the URL Jaeger's query API?`,
      };
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
