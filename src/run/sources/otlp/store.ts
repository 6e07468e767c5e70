// Spans received by the embedded OTLP receiver, kept per trace id in a store bounded in traces, spans per trace and
// bytes, that tells waiters as spans arrive.
import type { Attributes, InstrumentationScope, RawSpan } from '../../../core/trace/model';
import { SpanMeter } from './span-bytes';

export interface TraceStoreLimits {
  /** Traces kept; the trace that was updated least recently is evicted first. */
  maxTraces: number;
  /** Spans kept per trace; later spans of a full trace are dropped (and counted). */
  maxSpansPerTrace: number;
  /**
   * Estimated bytes of all the spans kept (see span-bytes.ts). Beyond it the least recently updated traces are
   * evicted; when only traces someone waits for are left, new spans are dropped instead.
   */
  maxBytes: number;
  /** Largest text kept, in UTF-8 bytes (attribute values and keys, names, messages): longer text is cut and marked (core/trace/truncate.ts). */
  maxTextBytes: number;
}

/** The smallest maxBytes flags and settings accept: a few ordinary traces. */
export const MIN_STORE_BYTES = 1024 * 1024;

export const DEFAULT_STORE_LIMITS: TraceStoreLimits = { maxTraces: 1000, maxSpansPerTrace: 100_000, maxBytes: 256 * 1024 * 1024, maxTextBytes: 64 * 1024 };

export interface StoredTrace {
  traceId: string;
  spans: RawSpan[];
  /** Spans dropped because the trace was at maxSpansPerTrace, or the store at maxBytes. */
  dropped: number;
  /** Date.now() of the last span added. */
  updatedAt: number;
  /** Estimated bytes its spans hold. */
  bytes: number;
}

/** What one add() did beyond adding spans: what the sender should be told. */
export interface AddOutcome {
  /** Spans dropped because their trace already held maxSpansPerTrace spans. */
  overSpanLimit: number;
  /** Spans dropped because the store held maxBytes and nothing could be evicted. */
  overByteLimit: number;
  /** Texts longer than maxTextBytes, cut. */
  truncated: number;
  /** Errors thrown by listeners: each listener is called whatever the others do, after the spans are stored. */
  listenerErrors: unknown[];
}

/** Called with the trace and how many spans this batch added to it. */
export type TraceListener = (trace: StoredTrace, added: number) => void;

interface Held extends StoredTrace {
  /** The resource and scope last counted for this trace: spans of one export share them, and they count once. */
  lastResource: Attributes | undefined;
  lastScope: InstrumentationScope | undefined;
  /** Spans the batch being added has added so far (0 between batches). */
  added: number;
}

export class TraceStore {
  readonly limits: TraceStoreLimits;
  /** Map order is recency order: a trace is re-inserted when updated, so the first key is the oldest. */
  private readonly traces = new Map<string, Held>();
  private readonly listeners = new Map<string, Set<TraceListener>>();
  private readonly anyListeners = new Set<TraceListener>();
  private heldBytes = 0;

  constructor(limits: Partial<TraceStoreLimits> = {}) {
    this.limits = { ...DEFAULT_STORE_LIMITS, ...limits };
  }

  /** Estimated bytes of every span held. */
  get bytes(): number {
    return this.heldBytes;
  }

  /**
   * Adds spans of any number of traces, cutting text over the limit, then notifies subscribers of each trace
   * touched. Spans over a limit are dropped and counted in the outcome.
   */
  add(spans: readonly RawSpan[]): AddOutcome {
    const outcome: AddOutcome = { overSpanLimit: 0, overByteLimit: 0, truncated: 0, listenerErrors: [] };
    const meter = new SpanMeter(this.limits.maxTextBytes);
    /** Shared parts are measured once per batch, and counted once per trace that holds them. */
    const shared = new Map<object, number>();
    /** Traces this batch added to, in the order of their first span, each with its `added` count. */
    const added: Held[] = [];
    const touched = new Map<string, Held>();
    let full = false;
    // Spans of one trace arrive together: the last trace is checked before the batch's map.
    let trace: Held | undefined;
    // An indexed loop with no closure in it: per span, a for-of iterator's results and a closure's context were
    // most of what storing allocated.
    for (let i = 0; i < spans.length; i++) {
      const span = spans[i]!;
      if (trace === undefined || trace.traceId !== span.traceId) {
        trace = touched.get(span.traceId);
        if (!trace) touched.set(span.traceId, (trace = this.touch(span.traceId)));
      }
      if (trace.spans.length >= this.limits.maxSpansPerTrace) {
        trace.dropped++;
        outcome.overSpanLimit++;
        continue;
      }
      let bytes = meter.span(span);
      const newResource = span.resource !== trace.lastResource;
      const newScope = span.scope !== trace.lastScope;
      if (newResource) {
        let resourceBytes = shared.get(span.resource);
        if (resourceBytes === undefined) shared.set(span.resource, (resourceBytes = meter.attributes(span.resource)));
        bytes += resourceBytes;
      }
      if (newScope) {
        let scopeBytes = shared.get(span.scope);
        if (scopeBytes === undefined) shared.set(span.scope, (scopeBytes = meter.scope(span.scope)));
        bytes += scopeBytes;
      }
      if (full || (this.heldBytes + bytes > this.limits.maxBytes && !this.makeRoom(bytes, touched))) {
        // Once nothing more can be evicted, the rest of the batch is dropped without looking again.
        full = true;
        trace.dropped++;
        outcome.overByteLimit++;
        continue;
      }
      if (newResource) trace.lastResource = span.resource;
      if (newScope) trace.lastScope = span.scope;
      trace.spans.push(span);
      trace.bytes += bytes;
      this.heldBytes += bytes;
      if (trace.added++ === 0) added.push(trace);
    }
    outcome.truncated = meter.truncated;
    this.evictOverCount();
    const tell = (listener: TraceListener, trace: StoredTrace, count: number): void => {
      try {
        listener(trace, count);
      } catch (e) {
        outcome.listenerErrors.push(e);
      }
    };
    // Every count is taken before any listener runs, so that a listener adding spans starts its own.
    const counts = added.map((trace) => {
      const count = trace.added;
      trace.added = 0;
      return count;
    });
    for (const [i, trace] of added.entries()) {
      const count = counts[i]!;
      for (const listener of this.listeners.get(trace.traceId) ?? []) tell(listener, trace, count);
      for (const listener of this.anyListeners) tell(listener, trace, count);
    }
    return outcome;
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
    const trace = this.traces.get(traceId);
    if (trace) this.remove(trace);
  }

  private touch(traceId: string): Held {
    let trace = this.traces.get(traceId);
    if (trace) this.traces.delete(traceId);
    else trace = { traceId, spans: [], dropped: 0, updatedAt: 0, bytes: 0, lastResource: undefined, lastScope: undefined, added: 0 };
    trace.updatedAt = Date.now();
    this.traces.set(traceId, trace);
    return trace;
  }

  private remove(trace: Held): void {
    this.traces.delete(trace.traceId);
    this.heldBytes -= trace.bytes;
  }

  /** Evicts the least recently updated traces until `bytes` more fit; false when they still do not. */
  private makeRoom(bytes: number, batch: ReadonlyMap<string, Held>): boolean {
    for (const trace of this.traces.values()) {
      if (this.heldBytes + bytes <= this.limits.maxBytes) return true;
      // Neither a trace this batch adds to nor one someone is waiting for is evicted from under them.
      if (!batch.has(trace.traceId) && !this.listeners.has(trace.traceId)) this.remove(trace);
    }
    return this.heldBytes + bytes <= this.limits.maxBytes;
  }

  private evictOverCount(): void {
    for (const trace of this.traces.values()) {
      if (this.traces.size <= this.limits.maxTraces) return;
      // A trace someone is waiting for is not evicted from under them.
      if (!this.listeners.has(trace.traceId)) this.remove(trace);
    }
  }
}
