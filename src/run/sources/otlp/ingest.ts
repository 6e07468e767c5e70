// One export request, whichever transport brought it: decode, store the spans, and say what to answer.
import { decodeOtlpJson, decodeOtlpProtobuf } from '../../../core/trace/decode/index';
import { parseJsonText } from '../../../core/trace/decode/json-text';
import type { DecodeResult } from '../../../core/trace/decode/index';
import type { PartialSuccess } from './messages';
import { formatBytes } from './limits';
import type { TraceStore } from './store';

export type IngestOutcome =
  | { ok: true; spans: number; partial?: PartialSuccess }
  /** The payload cannot be decoded: the sender gets 400 / INVALID_ARGUMENT with `message`. */
  | { ok: false; message: string };

export interface IngestContext {
  store: TraceStore;
  /** "OTLP/HTTP", "OTLP/gRPC": names the transport in warnings. */
  transport: string;
  onWarning?: ((message: string) => void) | undefined;
}

const WARNINGS_SHOWN = 5;

export function ingestProtobuf(bytes: Uint8Array, context: IngestContext): IngestOutcome {
  // Strings over the store's limit are cut while decoding: the rest is never made into text.
  const decoded = decodeOtlpProtobuf(bytes, { maxTextBytes: context.store.limits.maxTextBytes });
  if (!decoded.ok) return { ok: false, message: decoded.error.message };
  return storeSpans(decoded.value, context);
}

export function ingestJson(text: string, context: IngestContext): IngestOutcome {
  // An empty body is taken as an empty request, as an empty protobuf body is.
  if (text.trim() === '') return { ok: true, spans: 0 };
  const doc = parseJson(text);
  if (!doc.ok) return { ok: false, message: doc.message };
  const decoded = decodeOtlpJson(doc.value);
  if (!decoded.ok) {
    const { message, path } = decoded.error;
    return { ok: false, message: `not an OTLP JSON ExportTraceServiceRequest: ${path ? `${path}: ` : ''}${message}` };
  }
  return storeSpans(decoded.value, context);
}

// An integer literal of 16+ digits after `:`, `,` or `[` may be beyond 2^53 (a nanosecond time written as a
// number): only then is the exact but slower parser needed. A false positive (such digits inside a string)
// just takes the slower path.
const UNQUOTED_LONG_INTEGER = /[:,[]\s*-?\d{16}/;

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  if (!UNQUOTED_LONG_INTEGER.test(text)) {
    try {
      return { ok: true, value: JSON.parse(text) as unknown };
    } catch {
      // Fall through for a message with the line and column.
    }
  }
  const parsed = parseJsonText(text);
  if (parsed.ok) return { ok: true, value: parsed.value };
  const { message, line, column } = parsed.error;
  return { ok: false, message: `invalid JSON: ${message} at ${line}:${column}` };
}

// The decoders' words for a span they left out (see otlp-spans.ts): `…: span skipped: …`, `…: span "name" skipped: …`.
const SPAN_SKIPPED = /: span (?:".*" )?skipped: /;

function storeSpans(decoded: DecodeResult, context: IngestContext): IngestOutcome {
  const { spans, warnings } = decoded;
  const { store } = context;
  const stored = store.add(spans);
  for (const e of stored.listenerErrors) context.onWarning?.(`a trace listener failed: ${e instanceof Error ? e.message : String(e)}`);

  const skipped = warnings.filter((w) => SPAN_SKIPPED.test(w)).length;
  const problems = [...warnings];
  const spanCount = (n: number) => `${n} span${n === 1 ? '' : 's'}`;
  if (stored.overSpanLimit > 0)
    problems.push(`${spanCount(stored.overSpanLimit)} dropped: the trace already holds ${store.limits.maxSpansPerTrace} spans, the receiver's limit`);
  if (stored.overByteLimit > 0) {
    problems.push(
      `${spanCount(stored.overByteLimit)} dropped: the receiver holds ${formatBytes(store.limits.maxBytes)} of spans, its limit, in traces that runs are waiting for`,
    );
  }
  const truncated = (decoded.truncated ?? 0) + stored.truncated;
  if (truncated > 0) {
    problems.push(
      `${truncated} text${truncated === 1 ? '' : 's'} (attribute values, names) longer than ${formatBytes(store.limits.maxTextBytes)} cut to that size`,
    );
  }
  if (problems.length === 0) return { ok: true, spans: spans.length };

  const shown = problems.slice(0, WARNINGS_SHOWN);
  const more = problems.length - shown.length;
  const summary = shown.join('; ') + (more > 0 ? `; and ${more} more` : '');
  context.onWarning?.(`${context.transport} export: ${summary}`);
  return { ok: true, spans: spans.length, partial: { rejectedSpans: skipped + stored.overSpanLimit + stored.overByteLimit, errorMessage: summary } };
}
