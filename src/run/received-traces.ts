// What the editor's Traces view lists of the traces the embedded receiver holds: one summary per trace (root span,
// services, span count, duration, error), newest first, narrowed by the user's filter and bounded by a setting. Part
// of the run bundle: it is needed only once the receiver runs.
import type { RawSpan } from '../core/trace/model';
import { formatDuration, servicesOf } from './sources/settle';

/** A trace as the receiver's store holds it (only what the list reads). */
export interface HeldTrace {
  traceId: string;
  spans: readonly RawSpan[];
  /** Date.now() of the last span added. */
  updatedAt: number;
}

export interface TraceSummary {
  traceId: string;
  /** The root span's name (the earliest span without a parent in the trace, else the earliest span). */
  name: string;
  services: string[];
  spans: number;
  durationMs: number;
  /** Some span's status is an error. */
  error: boolean;
  /** Date.now() of the last span received. */
  at: number;
}

/** `checkout service:api is:error`: every part must match (words in the root span's name or the trace id). */
export interface TraceFilter {
  text: string;
  words: string[];
  services: string[];
  errorsOnly: boolean;
}

export const NO_FILTER: TraceFilter = { text: '', words: [], services: [], errorsOnly: false };

/** The filter typed in the view's filter box; an unknown `key:` is an error naming it. */
export function parseTraceFilter(text: string): { ok: true; value: TraceFilter } | { ok: false; error: string } {
  const filter: TraceFilter = { text: text.trim(), words: [], services: [], errorsOnly: false };
  for (const part of filter.text.split(/\s+/).filter(Boolean)) {
    const colon = part.indexOf(':');
    const key = colon > 0 ? part.slice(0, colon).toLowerCase() : '';
    const value = part.slice(colon + 1);
    if (!key) filter.words.push(part.toLowerCase());
    else if (key === 'service' && value) filter.services.push(value.toLowerCase());
    else if (key === 'is' && value.toLowerCase() === 'error') filter.errorsOnly = true;
    else return { ok: false, error: `"${part}" is not a filter: use words of the span name, service:<name> or is:error` };
  }
  return { ok: true, value: filter };
}

export function matches(summary: TraceSummary, filter: TraceFilter): boolean {
  if (filter.errorsOnly && !summary.error) return false;
  const services = summary.services.map((s) => s.toLowerCase());
  if (!filter.services.every((wanted) => services.some((s) => s.includes(wanted)))) return false;
  const name = summary.name.toLowerCase();
  return filter.words.every((w) => name.includes(w) || summary.traceId.startsWith(w));
}

export function summarize(trace: HeldTrace): TraceSummary {
  const ids = new Set(trace.spans.map((s) => s.id));
  let root: RawSpan | undefined;
  let first: RawSpan | undefined;
  let start: bigint | undefined;
  let end: bigint | undefined;
  let error = false;
  for (const span of trace.spans) {
    if (start === undefined || span.startTime < start) start = span.startTime;
    if (end === undefined || span.endTime > end) end = span.endTime;
    if (span.status.code === 'STATUS_CODE_ERROR') error = true;
    if (!first || span.startTime < first.startTime) first = span;
    const isRoot = !span.parentId || !ids.has(span.parentId);
    if (isRoot && (!root || span.startTime < root.startTime)) root = span;
  }
  return {
    traceId: trace.traceId,
    name: (root ?? first)?.name ?? '(no spans)',
    services: servicesOf(trace.spans),
    spans: trace.spans.length,
    durationMs: start === undefined || end === undefined ? 0 : Number(end - start) / 1e6,
    error,
    at: trace.updatedAt,
  };
}

export interface Listing {
  /** Newest first, at most the bound. */
  shown: TraceSummary[];
  /** Traces that match the filter (shown or not). */
  matching: number;
  total: number;
}

/**
 * Summaries of the traces held, kept while a trace does not change: the view refreshes every few seconds (ages) and
 * on every trace that settles, without going through every span of every trace again.
 */
export class TraceList {
  private cache = new Map<string, { spans: number; at: number; summary: TraceSummary }>();

  /** `traces` oldest first (the store's order). */
  list(traces: readonly HeldTrace[], filter: TraceFilter, max: number): Listing {
    const next = new Map<string, { spans: number; at: number; summary: TraceSummary }>();
    const matching: TraceSummary[] = [];
    for (let i = traces.length - 1; i >= 0; i--) {
      const trace = traces[i]!;
      const cached = this.cache.get(trace.traceId);
      const entry =
        cached && cached.spans === trace.spans.length && cached.at === trace.updatedAt
          ? cached
          : { spans: trace.spans.length, at: trace.updatedAt, summary: summarize(trace) };
      next.set(trace.traceId, entry);
      if (matches(entry.summary, filter)) matching.push(entry.summary);
    }
    // Traces the store let go of are forgotten.
    this.cache = next;
    matching.sort((a, b) => b.at - a.at);
    return { shown: matching.slice(0, Math.max(0, max)), matching: matching.length, total: traces.length };
  }
}

/** `just now`, `12 s ago`, `3 min ago`, `2 h ago`, `3 d ago`. */
export function ago(ms: number): string {
  const s = Math.floor(Math.max(0, ms) / 1000);
  if (s < 2) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

export interface TraceLabel {
  label: string;
  description: string;
  tooltip: string;
}

export function traceLabel(summary: TraceSummary, now: number): TraceLabel {
  const spans = `${summary.spans} span${summary.spans === 1 ? '' : 's'}`;
  const services = summary.services.join(', ');
  return {
    label: summary.name,
    description: `${services} · ${spans} · ${formatDuration(summary.durationMs)} · ${ago(now - summary.at)}`,
    tooltip: [
      `${summary.name}${summary.error ? ' (has errors)' : ''}`,
      `Trace ${summary.traceId}`,
      `${spans} from ${summary.services.length === 1 ? services : `${summary.services.length} services: ${services}`}`,
      `Duration ${formatDuration(summary.durationMs)}, received ${ago(now - summary.at)}`,
    ].join('\n'),
  };
}

/** What the view's message says above the list when it does not show every trace held. */
export function listingMessage(listing: Listing, filter: TraceFilter): string | undefined {
  const { shown, matching, total } = listing;
  if (filter.text) {
    if (matching === 0) return `No trace of ${total} matches "${filter.text}".`;
    return `${matching} of ${total} traces match "${filter.text}"${shown.length < matching ? ` (newest ${shown.length} shown)` : ''}.`;
  }
  if (shown.length < total) return `Newest ${shown.length} of ${total} traces (setting tracelens.traces.maxShown).`;
  return undefined;
}
