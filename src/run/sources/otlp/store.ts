// Spans received by the embedded OTLP receiver, kept per trace id in a bounded store that tells waiters as spans arrive.
import type { RawSpan } from '../../../core/trace/model';

export interface TraceStoreLimits {
  /** Traces kept; the trace that was updated least recently is evicted first. */
  maxTraces: number;
  /** Spans kept per trace; later spans of a full trace are dropped (and counted). */
  maxSpansPerTrace: number;
}

export const DEFAULT_STORE_LIMITS: TraceStoreLimits = { maxTraces: 1000, maxSpansPerTrace: 100_000 };

export interface StoredTrace {
  traceId: string;
  spans: RawSpan[];
  /** Spans dropped because the trace was at maxSpansPerTrace. */
  dropped: number;
  /** Date.now() of the last span added. */
  updatedAt: number;
}

/** Called with the trace and how many spans this batch added to it. */
export type TraceListener = (trace: StoredTrace, added: number) => void;

export class TraceStore {
  /** Map order is recency order: a trace is re-inserted when updated, so the first key is the oldest. */
  private readonly traces = new Map<string, StoredTrace>();
  private readonly listeners = new Map<string, Set<TraceListener>>();
  private readonly anyListeners = new Set<TraceListener>();

  constructor(readonly limits: TraceStoreLimits = DEFAULT_STORE_LIMITS) {}

  /** Adds spans of any number of traces; notifies subscribers of each trace touched. */
  add(spans: readonly RawSpan[]): void {
    const added = new Map<StoredTrace, number>();
    const touched = new Map<string, StoredTrace>();
    for (const span of spans) {
      let trace = touched.get(span.traceId);
      if (!trace) touched.set(span.traceId, (trace = this.touch(span.traceId)));
      if (trace.spans.length >= this.limits.maxSpansPerTrace) trace.dropped++;
      else {
        trace.spans.push(span);
        added.set(trace, (added.get(trace) ?? 0) + 1);
      }
    }
    this.evict();
    for (const [trace, count] of added) {
      for (const listener of this.listeners.get(trace.traceId) ?? []) listener(trace, count);
      for (const listener of this.anyListeners) listener(trace, count);
    }
  }

  get(traceId: string): StoredTrace | undefined {
    return this.traces.get(traceId);
  }

  /** Trace ids, oldest update first. */
  traceIds(): string[] {
    return [...this.traces.keys()];
  }

  get size(): number {
    return this.traces.size;
  }

  /** Listens for spans of one trace id; returns the unsubscribe function. */
  subscribe(traceId: string, listener: TraceListener): () => void {
    let set = this.listeners.get(traceId);
    if (!set) this.listeners.set(traceId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(traceId) === set) this.listeners.delete(traceId);
    };
  }

  /** Listens for spans of every trace (e.g. `tracelens receiver` saving files). */
  subscribeAll(listener: TraceListener): () => void {
    this.anyListeners.add(listener);
    return () => this.anyListeners.delete(listener);
  }

  delete(traceId: string): void {
    this.traces.delete(traceId);
  }

  private touch(traceId: string): StoredTrace {
    let trace = this.traces.get(traceId);
    if (trace) this.traces.delete(traceId);
    else trace = { traceId, spans: [], dropped: 0, updatedAt: 0 };
    trace.updatedAt = Date.now();
    this.traces.set(traceId, trace);
    return trace;
  }

  private evict(): void {
    for (const traceId of this.traces.keys()) {
      if (this.traces.size <= this.limits.maxTraces) return;
      // A trace someone is waiting for is not evicted from under them.
      if (this.listeners.has(traceId)) continue;
      this.traces.delete(traceId);
    }
  }
}
