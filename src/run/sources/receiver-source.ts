// The embedded OTLP receiver as a trace source: event-driven, no polling. Spans are pushed into the TraceStore by
// the receiver; a collect listens for its trace id and finishes one quiet window after the trace has settled.
//
// Settled means, at the end of a quiet window (no new span for quietMs):
//   - at least one span arrived;
//   - every span's parent is the trigger span or another span of the trace — a missing parent gets one extra
//     quiet window to arrive, after which the collect goes on with a warning (the parent may come from a service
//     that does not export, e.g. an uninstrumented proxy);
//   - every spec/output selector matches a span — while some match nothing, up to selectorMatchRetries extra quiet
//     windows are waited (new spans restart the window but do not give back retries, so the retries bound the
//     extra wait, as Tracetest's selectorMatchRetries did); when they run out, the collect finishes OK and the
//     unmatched selectors are left to the assertions, which fail there with "no span matched".
// A gap window and a selector retry can be the same window. The collect stops at timeoutMs with an error that says
// what was seen, and at once when the signal aborts.
import type { RawSpan } from '../../core/trace/model';
import type { StoredTrace, TraceStore } from './otlp/store';
import {
  CANCELLED,
  gapWarning,
  OTLP_ZERO_SPAN_HINT,
  parentGaps,
  safeProgress,
  safeUnmatched,
  serviceOf,
  timeoutMessage,
} from './settle';
import type { CollectOutcome, CollectRequest, TraceSource } from './types';

/** onProgress is called at most this often while spans arrive, plus once at the end. */
export const PROGRESS_INTERVAL_MS = 100;

export class ReceiverSource implements TraceSource {
  constructor(
    private readonly store: TraceStore,
    readonly description: string,
  ) {}

  collect(request: CollectRequest): Promise<CollectOutcome> {
    return new Promise((resolve) => new ReceiverCollect(this.store, this.description, request, resolve).start());
  }
}

/** One collect's state; every exit goes through finish(), which releases the subscription and all timers. */
class ReceiverCollect {
  private readonly spans: RawSpan[] = [];
  private readonly services = new Set<string>();
  private readonly warnings: string[] = [];
  private lastSpanAt = 0;
  /** Missing parent ids that already had their extra quiet window. */
  private readonly gapsWaitedFor = new Set<string>();
  private selectorRetries = 0;
  private quietTimer: NodeJS.Timeout | undefined;
  private timeoutTimer: NodeJS.Timeout | undefined;
  private progressTimer: NodeJS.Timeout | undefined;
  private lastProgressAt = 0;
  private unsubscribe: (() => void) | undefined;
  private done = false;

  constructor(
    private readonly store: TraceStore,
    private readonly description: string,
    private readonly request: CollectRequest,
    private readonly resolve: (outcome: CollectOutcome) => void,
  ) {}

  start(): void {
    const { signal, traceId } = this.request;
    if (signal?.aborted) return this.finish({ ok: false, message: CANCELLED, spans: [] });
    signal?.addEventListener('abort', this.onAbort, { once: true });
    this.timeoutTimer = setTimeout(this.onTimeout, Math.max(0, this.request.timeoutMs));
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
    this.lastSpanAt = Date.now();
    // One timer for the quiet window: refresh() restarts it without allocating a new one per batch.
    if (this.quietTimer) this.quietTimer.refresh();
    else this.quietTimer = setTimeout(this.onQuiet, this.request.quietMs);
    this.scheduleProgress();
  }

  private readonly onQuiet = (): void => {
    if (this.done) return;
    const spans = this.spans;
    let waitAgain = false;

    const gaps = parentGaps(spans, this.request.triggerSpanId);
    const newGaps = gaps.filter((gap) => !this.gapsWaitedFor.has(gap.parentId));
    if (newGaps.length > 0) {
      for (const gap of newGaps) this.gapsWaitedFor.add(gap.parentId);
      waitAgain = true;
    }

    const { unmatched, error } = safeUnmatched(this.request.unmatchedSelectors, spans);
    if (unmatched.length > 0 && this.selectorRetries < this.request.selectorMatchRetries) {
      this.selectorRetries++;
      waitAgain = true;
    }

    if (waitAgain) {
      this.quietTimer!.refresh();
      return;
    }
    if (gaps.length > 0) this.warnings.push(gapWarning(gaps));
    if (error) this.warnings.push(error);
    this.finish({ ok: true, spans: spans.slice(), warnings: this.warnings });
  };

  private readonly onTimeout = (): void => {
    if (this.done) return;
    const spans = this.spans;
    const { unmatched } = spans.length > 0 ? safeUnmatched(this.request.unmatchedSelectors, spans) : { unmatched: [] };
    const stillArriving = spans.length > 0 && Date.now() - this.lastSpanAt < this.request.quietMs;
    const message = timeoutMessage({
      traceId: this.request.traceId,
      timeoutMs: this.request.timeoutMs,
      sourceDescription: this.description,
      spans,
      unmatchedSelectors: unmatched,
      gaps: parentGaps(spans, this.request.triggerSpanId),
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
    safeProgress(this.request.onProgress, { spans: this.spans.length, services: [...this.services].sort() });
  }

  private finish(outcome: CollectOutcome): void {
    if (this.done) return;
    this.done = true;
    this.unsubscribe?.();
    this.request.signal?.removeEventListener('abort', this.onAbort);
    clearTimeout(this.quietTimer);
    clearTimeout(this.timeoutTimer);
    clearTimeout(this.progressTimer);
    // The final progress call: the display ends on the counts the result holds.
    if (this.request.onProgress) this.reportProgress();
    this.resolve(outcome);
  }
}
