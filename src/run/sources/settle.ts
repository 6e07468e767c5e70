// What every trace source needs to decide "the trace is complete" and to say what it saw when it gave up.
import type { RawSpan } from '../../core/trace/model';
import type { CollectProgress } from './types';

/** Span count and the distinct resource `service.name` values, sorted. */
export function summarise(spans: readonly RawSpan[]): CollectProgress {
  return { spans: spans.length, services: servicesOf(spans) };
}

/** The distinct resource `service.name` values of the spans, sorted. */
export function servicesOf(spans: readonly RawSpan[]): string[] {
  const services = new Set<string>();
  for (const span of spans) services.add(serviceOf(span));
  return [...services].sort();
}

/** A span's `service.name`; spans without one count as `unknown_service`, as OpenTelemetry SDKs name them. */
export function serviceOf(span: RawSpan): string {
  return span.resource.get('service.name') || 'unknown_service';
}

/** `4bf92f…`: enough to recognise a trace in a message; the result carries the full id. */
export function shortTraceId(traceId: string): string {
  return traceId.length > 6 ? `${traceId.slice(0, 6)}…` : traceId;
}

/** `250ms`, `1.5s`, `30s`, `2m`, `1m30s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds ? `${minutes}m${seconds}s` : `${minutes}m`;
}

export interface ParentGap {
  /** The parent span id that is neither the trigger span nor a span of the trace. */
  parentId: string;
  /** Spans waiting for that parent. */
  spans: RawSpan[];
}

/**
 * Spans whose parent has not arrived: the parent id is neither the trigger span's id nor the id of another span
 * of the trace. Spans with no parent at all are roots, not gaps. One entry per missing parent, in arrival order.
 */
export function parentGaps(spans: readonly RawSpan[], triggerSpanId: string): ParentGap[] {
  const ids = new Set<string>();
  for (const span of spans) ids.add(span.id);
  const gaps = new Map<string, RawSpan[]>();
  for (const span of spans) {
    const parent = span.parentId;
    if (!parent || parent === triggerSpanId || ids.has(parent)) continue;
    const waiting = gaps.get(parent);
    if (waiting) waiting.push(span);
    else gaps.set(parent, [span]);
  }
  return [...gaps].map(([parentId, waiting]) => ({ parentId, spans: waiting }));
}

/** `span "GET /x" (api) has parent 1a2b3c4d5e6f7081, which never arrived`, for warnings and timeout messages. */
export function describeGaps(gaps: readonly ParentGap[]): string {
  const shown = gaps.slice(0, 3).map((gap) => {
    const [first] = gap.spans;
    const who = gap.spans.length === 1 && first ? `span "${first.name}" (${serviceOf(first)})` : `${gap.spans.length} spans`;
    return `${who} with parent ${gap.parentId}`;
  });
  const more = gaps.length > 3 ? ` and ${gaps.length - 3} more` : '';
  return `${shown.join(', ')}${more}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export interface TimeoutReport {
  traceId: string;
  timeoutMs: number;
  /** The source's description: "the embedded OTLP receiver (…)", "Jaeger at http://…". */
  sourceDescription: string;
  spans: readonly RawSpan[];
  /** Selectors that still matched nothing when time ran out. */
  unmatchedSelectors: readonly string[];
  /** Missing parents when time ran out. */
  gaps?: readonly ParentGap[];
  /** Why the trace was not seen as settled, e.g. "spans were still arriving", "the span count was still changing". */
  stillChanging?: string;
  /** What the run still expected when time ran out (expectations.ts), e.g. "spans from worker (seen in the last run)". */
  expected?: readonly string[];
  /** Pull sources: the last failed request, e.g. "Jaeger at http://127.0.0.1:16686 answered 401 Unauthorized". */
  lastError?: string;
  /** For zero spans, what to check; defaults to the advice for services exporting OTLP. */
  zeroSpanHint?: string;
}

export const OTLP_ZERO_SPAN_HINT = 'is the service exporting OTLP to it, and does it propagate the traceparent header?';
export const PULL_ZERO_SPAN_HINT = 'do the services export their spans there, and do they propagate the traceparent header?';

/** The error of a collect that ran out of time: what was seen, and what was still missing. */
export function timeoutMessage(report: TimeoutReport): string {
  const id = shortTraceId(report.traceId);
  const after = formatDuration(report.timeoutMs);
  if (report.spans.length === 0) {
    if (report.lastError) return `could not read trace ${id} within ${after}: ${report.lastError}`;
    return `no spans of trace ${id} arrived at ${report.sourceDescription} within ${after} — ${report.zeroSpanHint ?? OTLP_ZERO_SPAN_HINT}`;
  }
  const { spans, services } = summarise(report.spans);
  const parts = [`${plural(spans, 'span')} from ${services.join(', ')}`];
  if (report.unmatchedSelectors.length > 0) parts.push(`selectors that matched nothing: ${report.unmatchedSelectors.join(', ')}`);
  if (report.gaps && report.gaps.length > 0) parts.push(`missing parent spans: ${describeGaps(report.gaps)}`);
  if (report.expected && report.expected.length > 0) parts.push(`still waiting for ${report.expected.join('; ')}`);
  if (report.stillChanging) parts.push(report.stillChanging);
  if (report.lastError) parts.push(`last error: ${report.lastError}`);
  return `trace ${id} was not complete after ${after}: ${parts.join('; ')}`;
}

export const CANCELLED = 'cancelled';

/** Calls the unmatched-selectors callback without letting a bug in it end the collect. */
export function safeUnmatched(unmatched: (spans: readonly RawSpan[]) => string[], spans: readonly RawSpan[]): { unmatched: string[]; error?: string } {
  try {
    return { unmatched: unmatched(spans) };
  } catch (e) {
    return { unmatched: [], error: `checking the selectors failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** Progress callbacks are the caller's code: an exception there must not break span delivery. */
export function safeProgress(onProgress: ((p: CollectProgress) => void) | undefined, progress: CollectProgress): void {
  if (!onProgress) return;
  try {
    onProgress(progress);
  } catch {
    // The caller's display failed; the collect goes on.
  }
}
