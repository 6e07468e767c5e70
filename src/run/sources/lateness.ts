// How late each service's spans reach the receiver after a trigger's response, learned from the runs it serves.
//
// For every trace a run triggered, the receiver notes, per service, when that service's last span arrived relative
// to the trigger's response, for a while after the run was judged too (a sample learned only until the judgement
// would never see a service being slower than the wait it was given). Both ends are read on this process's clock, so
// clock skew between hosts plays no part.
//   - A service not seen in enough runs is waited for until nothing has arrived for the export delay.
//   - A service whose last five samples all came within a fraction of the export delay (an exporter batching every
//     100 ms) is waited for twice its worst lateness after the response, plus a margin.
//   - Any other known service (5 s batches, a slow consumer) is waited for the export delay after the response, or a
//     quarter more than its worst lateness if that is longer: not from its last span, which already came late.
// Spans that arrive after their run was judged are reported: the judgement may have been too early.
import type { StoredTrace, TraceStore } from './otlp/store';
import { serviceOf } from './settle';

/** Samples kept per service: one slow run keeps a service off the fast path for this many runs. */
const SAMPLES_KEPT = 20;
/** Samples needed before a service's wait is measured from the response instead of from its last span. */
const SAMPLES_NEEDED = 3;
/** Samples needed before a service may be waited for less than the export delay: five lucky ticks of a 5 s ticker
 * all within its first fifth (what would make it look fast) happen once in 3,000 runs. */
const SAMPLES_FOR_FAST = 5;
/** A fast service is waited for twice its worst lateness plus this. */
const FAST_MARGIN_MS = 100;
/** How long after the response a trace is watched at least, whatever the export delay. */
const MIN_WINDOW_MS = 10_000;
const SWEEP_MS = 1_000;

export interface LateSpans {
  service: string;
  spans: number;
  /** How long after the trigger's response they arrived. */
  afterResponseMs: number;
}

interface Watch {
  respondedAt: number;
  closesAt: number;
  /** Per service, the lateness of its latest span so far. */
  latest: Map<string, number>;
  judged: boolean;
  onLate: ((late: LateSpans) => void) | undefined;
}

export interface LatenessWatch {
  /** The collect is over: spans arriving from now on are late (and reported as such when it judged the trace). */
  judged(reportLate: boolean): void;
}

export class ArrivalLateness {
  private readonly watches = new Map<string, Watch>();
  private readonly samples = new Map<string, number[]>();
  private readonly unsubscribe: () => void;
  private sweeper: ReturnType<typeof setInterval> | undefined;

  private readonly now: () => number;
  private readonly minWindowMs: number;
  private readonly sweepMs: number;

  constructor(
    private readonly store: TraceStore,
    options: { now?: () => number; minWindowMs?: number; sweepMs?: number } = {},
  ) {
    this.now = options.now ?? (() => performance.now());
    this.minWindowMs = options.minWindowMs ?? MIN_WINDOW_MS;
    this.sweepMs = options.sweepMs ?? SWEEP_MS;
    this.unsubscribe = store.subscribeAll(this.onSpans);
  }

  /** Learns from the trace `traceId`, whose trigger was answered at `respondedAt`, for about twice the export delay. */
  watch(traceId: string, respondedAt: number, exportDelayMs: number, onLate?: (late: LateSpans) => void): LatenessWatch {
    const watch: Watch = {
      respondedAt,
      closesAt: respondedAt + Math.max(this.minWindowMs, 2 * exportDelayMs),
      latest: new Map(),
      judged: false,
      onLate,
    };
    // Spans already stored arrived before now: now is an upper bound of their lateness.
    const stored = this.store.get(traceId);
    if (stored) this.note(watch, stored.spans, this.now());
    this.watches.set(traceId, watch);
    this.sweeper ??= setInterval(this.sweep, this.sweepMs);
    this.sweeper.unref?.();
    return {
      judged: (reportLate) => {
        watch.judged = true;
        if (!reportLate) watch.onLate = undefined;
      },
    };
  }

  /**
   * When to stop waiting for spans of these services: the export delay after `since` (the later of the response and
   * the last span) while any of them is not known; for known ones, their learned bound after the response.
   */
  deadline(services: ReadonlySet<string>, at: { respondedAt: number; since: number; exportDelayMs: number }): number {
    let known = -Infinity;
    let unknown = services.size === 0;
    for (const service of services) {
      const bound = this.boundOf(service, at.exportDelayMs);
      if (bound === undefined) unknown = true;
      else known = Math.max(known, at.respondedAt + bound);
    }
    return Math.max(known, unknown ? at.since + at.exportDelayMs : -Infinity);
  }

  /** Samples of a service, oldest first (for tests and diagnostics). */
  samplesOf(service: string): readonly number[] {
    return this.samples.get(service) ?? [];
  }

  dispose(): void {
    this.unsubscribe();
    clearInterval(this.sweeper);
    this.sweeper = undefined;
    this.watches.clear();
  }

  /** How long after the response spans of the service may still come; undefined while it is not known. */
  boundOf(service: string, exportDelayMs: number): number | undefined {
    const samples = this.samples.get(service);
    if (!samples || samples.length < SAMPLES_NEEDED) return undefined;
    const worst = Math.max(...samples);
    const fast = 2 * worst + FAST_MARGIN_MS;
    if (samples.length >= SAMPLES_FOR_FAST && fast < exportDelayMs) return fast;
    return Math.max(exportDelayMs, Math.ceil(worst * 1.25));
  }

  /** Called inside the receiver's request handling: cheap, and never throws. */
  private readonly onSpans = (trace: StoredTrace, added: number): void => {
    const watch = this.watches.get(trace.traceId);
    if (!watch || added === 0) return;
    const late = this.note(watch, trace.spans.slice(trace.spans.length - added), this.now());
    if (!watch.judged || !watch.onLate) return;
    for (const [service, spans] of late) {
      try {
        watch.onLate({ service, spans, afterResponseMs: Math.round(this.now() - watch.respondedAt) });
      } catch {
        // The listener is the caller's display; ingest goes on.
      }
    }
  };

  /** Records the arrival of spans; returns how many spans of each service arrived. */
  private note(watch: Watch, spans: readonly StoredTrace['spans'][number][], at: number): Map<string, number> {
    const lateness = Math.max(0, at - watch.respondedAt);
    const counts = new Map<string, number>();
    for (const span of spans) {
      const service = serviceOf(span);
      counts.set(service, (counts.get(service) ?? 0) + 1);
    }
    for (const service of counts.keys()) watch.latest.set(service, Math.max(watch.latest.get(service) ?? 0, lateness));
    return counts;
  }

  private readonly sweep = (): void => {
    const now = this.now();
    for (const [traceId, watch] of this.watches) {
      if (watch.closesAt > now) continue;
      this.watches.delete(traceId);
      for (const [service, lateness] of watch.latest) {
        let samples = this.samples.get(service);
        if (!samples) this.samples.set(service, (samples = []));
        samples.push(lateness);
        if (samples.length > SAMPLES_KEPT) samples.shift();
      }
    }
    if (this.watches.size === 0) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  };
}
