// The embedded OTLP receiver as a trace source: event-driven, no polling. Spans are pushed into the TraceStore by
// the receiver; a collect listens for its trace id and judges the trace once it is complete.
//
// Complete means, at the end of a quiet window (no new span for quietMs) after at least one span arrived:
//   - nothing the run expects is still awaited (expectations.ts: an unmatched selector, a counted spec, a service of
//     the last run, a missing parent), each awaited at most until nothing has arrived for its bound: the export
//     delay, or what the receiver learned about the services involved (lateness.ts);
//   - while a selector matches nothing, also selectorMatchRetries more quiet windows have passed (Tracetest's
//     meaning; new spans restart the window but do not give back retries).
// Expectations that ran out become warnings (a service of the last run that did not report) or are left to the
// assertions (a selector that matched nothing fails there, or passes a spec that claims the span is absent). The
// collect stops at timeoutMs with an error that says what was seen and what was still awaited, and at once when the
// signal aborts.
import type { RawSpan } from '../../core/trace/model';
import { expiredWarnings, NO_EXPECTATIONS, waitReasons, type WaitReason } from './expectations';
import { ArrivalLateness, type LatenessWatch } from './lateness';
import { formatBytes } from './otlp/limits';
import type { StoredTrace, TraceStore } from './otlp/store';
import { CANCELLED, OTLP_ZERO_SPAN_HINT, parentGaps, safeProgress, safeUnmatched, serviceOf, timeoutMessage } from './settle';
import type { CollectOutcome, CollectRequest, TraceSource, WaitingFor } from './types';

/** onProgress is called at most this often while spans arrive, plus once at the end. */
export const PROGRESS_INTERVAL_MS = 100;

export class ReceiverSource implements TraceSource {
  /** What this receiver learned about how late each service's spans arrive: kept for as long as the source. */
  readonly lateness: ArrivalLateness;

  constructor(
    /** The receiver's traces: a load run in the editor lets its unsampled ones go from it. */
    readonly store: TraceStore,
    readonly description: string,
  ) {
    this.lateness = new ArrivalLateness(store);
  }

  collect(request: CollectRequest): Promise<CollectOutcome> {
    return new Promise((resolve) => new ReceiverCollect(this.store, this.lateness, this.description, request, resolve).start());
  }

  dispose(): void {
    this.lateness.dispose();
  }
}

/** One collect's state; every exit goes through finish(), which releases the subscription and all timers. */
class ReceiverCollect {
  private readonly spans: RawSpan[] = [];
  private readonly services = new Set<string>();
  private readonly startedAt = performance.now();
  private lastSpanAt = 0;
  private selectorRetries = 0;
  /** Fires at the end of the quiet window after the last batch. */
  private quietTimer: NodeJS.Timeout | undefined;
  /** Fires when the next thing awaited runs out (or for the next selector retry) while the trace stays quiet. */
  private waitTimer: NodeJS.Timeout | undefined;
  private timeoutTimer: NodeJS.Timeout | undefined;
  private progressTimer: NodeJS.Timeout | undefined;
  private lastProgressAt = 0;
  private waiting: WaitingFor | undefined;
  private awaited: WaitReason[] = [];
  private unsubscribe: (() => void) | undefined;
  private watch: LatenessWatch | undefined;
  private done = false;

  constructor(
    private readonly store: TraceStore,
    private readonly lateness: ArrivalLateness,
    private readonly description: string,
    private readonly request: CollectRequest,
    private readonly resolve: (outcome: CollectOutcome) => void,
  ) {}

  start(): void {
    const { signal, traceId, respondedAt } = this.request;
    if (signal?.aborted) return this.finish({ ok: false, message: CANCELLED, spans: [] });
    signal?.addEventListener('abort', this.onAbort, { once: true });
    this.timeoutTimer = setTimeout(this.onTimeout, Math.max(0, this.request.timeoutMs));
    if (respondedAt !== undefined) this.watch = this.lateness.watch(traceId, respondedAt, this.request.exportDelayMs, this.request.onLateSpans);
    // Spans may have arrived before collect() was called (a fast service, a slow trigger): take them first.
    // Reading and subscribing happen in the same tick, so no batch can fall between them.
    const existing = this.store.get(traceId);
    this.unsubscribe = this.store.subscribe(traceId, this.onSpans);
    if (existing && existing.spans.length > 0) this.add(existing.spans);
  }

  private readonly onSpans = (trace: StoredTrace, added: number): void => {
    // The store appends a batch's spans before telling listeners, so they are the last `added` ones.
    if (added > 0) this.add(trace.spans.slice(trace.spans.length - added));
  };

  /** Called from inside the receiver's request handling: cheap, and never throws. */
  private add(spans: readonly RawSpan[]): void {
    if (this.done || spans.length === 0) return;
    for (const span of spans) {
      this.spans.push(span);
      this.services.add(serviceOf(span));
    }
    this.lastSpanAt = performance.now();
    this.waiting = undefined;
    clearTimeout(this.waitTimer);
    // One timer for the quiet window: refresh() restarts it without allocating a new one per batch.
    if (this.quietTimer) this.quietTimer.refresh();
    else this.quietTimer = setTimeout(this.check, this.request.quietMs);
    this.scheduleProgress();
  }

  /** The trace is quiet: judge it now, or wait for what is still expected. */
  private readonly check = (): void => {
    if (this.done) return;
    const now = performance.now();
    const spans = this.spans;
    const { unmatched, error } = safeUnmatched(this.request.unmatchedSelectors, spans);
    const retry = unmatched.length > 0 && this.selectorRetries < this.request.selectorMatchRetries;
    if (retry) this.selectorRetries++;

    const respondedAt = this.request.respondedAt ?? this.startedAt;
    const at = { respondedAt, since: Math.max(respondedAt, this.lastSpanAt), exportDelayMs: this.request.exportDelayMs };
    const notAfter = this.startedAt + this.request.timeoutMs - this.request.quietMs;
    const reasons = waitReasons(
      this.request.expectations ?? NO_EXPECTATIONS,
      { spans, triggerSpanId: this.request.triggerSpanId, unmatched, notAfter },
      (services) => (this.request.learnedLateness === false ? at.since + at.exportDelayMs : this.lateness.deadline(services, at)),
    );
    this.awaited = reasons.filter((r) => r.until > now);
    if (retry || this.awaited.length > 0) {
      const nextDeadline = Math.min(...this.awaited.map((r) => r.until));
      this.waitTimer = setTimeout(this.check, Math.max(1, Math.min(retry ? this.request.quietMs : Infinity, nextDeadline - now)));
      this.setWaiting(now);
      return;
    }

    // A parent that never came is not repeated here: the trace built from these spans lists it among its problems.
    const warnings = expiredWarnings(reasons, this.request.timeoutMs);
    if (error) warnings.push(error);
    const dropped = this.store.get(this.request.traceId)?.dropped ?? 0;
    if (dropped > 0) warnings.push(droppedWarning(dropped, this.store));
    this.finish({ ok: true, spans: spans.slice(), warnings });
  };

  private setWaiting(now: number): void {
    const reasons = this.awaited.map((r) => r.text);
    const until = Date.now() + Math.max(...this.awaited.map((r) => r.until)) - now;
    const before = this.waiting;
    if (reasons.length === 0) this.waiting = undefined;
    else this.waiting = { reasons, until: Math.round(until) };
    const changed = before?.reasons.join('\n') !== this.waiting?.reasons.join('\n') || Math.abs((before?.until ?? 0) - (this.waiting?.until ?? 0)) > 50;
    if (changed) this.scheduleProgress();
  }

  private readonly onTimeout = (): void => {
    if (this.done) return;
    const spans = this.spans;
    const { unmatched } = spans.length > 0 ? safeUnmatched(this.request.unmatchedSelectors, spans) : { unmatched: [] };
    const stillArriving = spans.length > 0 && performance.now() - this.lastSpanAt < this.request.quietMs;
    const expected = this.awaited.filter((r) => r.kind !== 'selector' && r.kind !== 'parent').map((r) => r.text);
    const message = timeoutMessage({
      traceId: this.request.traceId,
      timeoutMs: this.request.timeoutMs,
      sourceDescription: this.description,
      spans,
      unmatchedSelectors: unmatched,
      gaps: parentGaps(spans, this.request.triggerSpanId),
      expected,
      ...(stillArriving ? { stillChanging: 'spans were still arriving' } : {}),
      zeroSpanHint: OTLP_ZERO_SPAN_HINT,
    });
    this.finish({ ok: false, message, spans: spans.slice() });
  };

  private readonly onAbort = (): void => {
    if (!this.done) this.finish({ ok: false, message: CANCELLED, spans: this.spans.slice() });
  };

  private scheduleProgress(): void {
    if (!this.request.onProgress || this.progressTimer) return;
    const wait = this.lastProgressAt + PROGRESS_INTERVAL_MS - Date.now();
    if (wait <= 0) this.reportProgress();
    else this.progressTimer = setTimeout(this.onProgressTimer, wait);
  }

  private readonly onProgressTimer = (): void => {
    this.progressTimer = undefined;
    if (!this.done) this.reportProgress();
  };

  private reportProgress(): void {
    this.lastProgressAt = Date.now();
    safeProgress(this.request.onProgress, {
      spans: this.spans.length,
      services: [...this.services].sort(),
      ...(this.waiting && !this.done ? { waiting: this.waiting } : {}),
    });
  }

  private finish(outcome: CollectOutcome): void {
    if (this.done) return;
    this.done = true;
    this.watch?.judged(outcome.ok);
    this.unsubscribe?.();
    this.request.signal?.removeEventListener('abort', this.onAbort);
    clearTimeout(this.quietTimer);
    clearTimeout(this.waitTimer);
    clearTimeout(this.timeoutTimer);
    clearTimeout(this.progressTimer);
    // The final progress call: the display ends on the counts the result holds.
    if (this.request.onProgress) this.reportProgress();
    this.resolve(outcome);
  }
}

/** Spans the store had to drop leave a trace that is not the whole one: the run says so, and which limit to raise. */
function droppedWarning(dropped: number, store: TraceStore): string {
  const { maxSpansPerTrace, maxBytes } = store.limits;
  return (
    `${dropped} span${dropped === 1 ? ' was' : 's were'} dropped by the receiver, over its limits: ${maxSpansPerTrace} spans per trace ` +
    `(tracelens.otlp.maxSpansPerTrace, --otlp-max-spans-per-trace) or ${formatBytes(maxBytes)} of spans (tracelens.otlp.maxBytes, --otlp-max-bytes)`
  );
}
