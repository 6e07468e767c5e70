// One export request, whichever transport brought it: decode, store the spans, and say what to answer.
import { decodeOtlpJson, decodeOtlpProtobuf } from '../../../core/trace/decode/index';
import { parseJsonText } from '../../../core/trace/decode/json-text';
import type { DecodeResult } from '../../../core/trace/decode/index';
import type { RawSpan } from '../../../core/trace/model';
import type { PartialSuccess } from './messages';
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
  const decoded = decodeOtlpProtobuf(bytes);
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
  const droppedBefore = droppedCounts(context.store, spans);
  try {
    context.store.add(spans);
  } catch (e) {
    // Spans are stored before listeners run, so a listener failing does not lose them.
    context.onWarning?.(`a trace listener failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  let dropped = 0;
  for (const [traceId, before] of droppedBefore) dropped += (context.store.get(traceId)?.dropped ?? before) - before;

  const skipped = warnings.filter((w) => SPAN_SKIPPED.test(w)).length;
  const problems = [...warnings];
  if (dropped > 0) problems.push(`${dropped} span${dropped === 1 ? '' : 's'} dropped: the trace already holds ${context.store.limits.maxSpansPerTrace} spans, the receiver's limit`);
  if (problems.length === 0) return { ok: true, spans: spans.length };

  const shown = problems.slice(0, WARNINGS_SHOWN);
  const more = problems.length - shown.length;
  const summary = shown.join('; ') + (more > 0 ? `; and ${more} more` : '');
  context.onWarning?.(`${context.transport} export: ${summary}`);
  return { ok: true, spans: spans.length, partial: { rejectedSpans: skipped + dropped, errorMessage: summary } };
}

/** Per trace id in the batch, how many spans its stored trace had already dropped. */
function droppedCounts(store: TraceStore, spans: readonly RawSpan[]): Map<string, number> {
  const counts = new Map<string, number>();
  let last = '';
  for (const span of spans) {
    if (span.traceId === last) continue;
    last = span.traceId;
    if (!counts.has(last)) counts.set(last, store.get(last)?.dropped ?? 0);
  }
  return counts;
}
