// A trace source delivers the spans of one trace id once the trace is complete (settled) or the timeout passes.
import type { RawSpan } from '../../core/trace/model';
import type { Expectations } from './expectations';
import type { LateSpans } from './lateness';

export interface CollectProgress {
  spans: number;
  /** Distinct service.name values seen so far, sorted. */
  services: string[];
  /** Set while the trace is quiet but the run still expects more (see expectations.ts). */
  waiting?: WaitingFor;
}

export interface WaitingFor {
  /** What is awaited, for a person, most important first: `spans from pokeshop-worker (seen in the last run)`. */
  reasons: string[];
  /** Date.now() at which the run stops waiting for them, unless more spans arrive. */
  until: number;
}

export interface CollectRequest {
  traceId: string;
  /** The trigger span's id: spans whose parent is it are the trace's roots in the system under test. */
  triggerSpanId: string;
  /**
   * Spec/output selectors that matched nothing in these spans (built into a trace under the trigger span).
   * The source keeps waiting (up to selectorMatchRetries extra windows) while this is non-empty.
   */
  unmatchedSelectors: (spans: readonly RawSpan[]) => string[];
  timeoutMs: number;
  /** Push sources: no new span for this long means settled (default 300). */
  quietMs: number;
  /** Pull sources: delay between polls (default 1000). */
  retryDelayMs: number;
  /** Extra quiet windows / polls allowed while selectors still match nothing. */
  selectorMatchRetries: number;
  /**
   * How long spans of a service not known to be faster may take to arrive: what is still expected is waited for
   * until nothing has arrived for this long (default 5.5 s, for the SDKs' 5 s batches).
   */
  exportDelayMs: number;
  /** What the test expects beyond matching selectors: counted specs, named services, its last trace's shape. */
  expectations?: Expectations;
  /** performance.now() when the trigger's response arrived; absent when nothing was sent (traceid triggers). */
  respondedAt?: number;
  /**
   * Wait for a service as long as the receiver learned it takes (the default). Off under load, where how late a
   * service's spans come grows with the load: what they took before says nothing, and the export delay holds.
   */
  learnedLateness?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: CollectProgress) => void;
  /** Spans of the trace that arrived after it was judged (push sources, for a while after the collect). */
  onLateSpans?: (late: LateSpans) => void;
}

export type CollectOutcome =
  /** `warnings`: what the collect noticed, e.g. a service of the last run that did not report this time. */
  | { ok: true; spans: RawSpan[]; warnings: string[] }
  /** `message` says what was seen: span count, services, unmatched selectors; `spans` is what arrived anyway. */
  | { ok: false; message: string; spans: RawSpan[] };

export interface TraceSource {
  /** For messages: "the embedded OTLP receiver (127.0.0.1:4318 HTTP, 127.0.0.1:4317 gRPC)", "Jaeger at http://…". */
  readonly description: string;
  collect(request: CollectRequest): Promise<CollectOutcome>;
}
