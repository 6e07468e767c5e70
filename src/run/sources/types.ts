// A trace source delivers the spans of one trace id once the trace is complete (settled) or the timeout passes.
import type { RawSpan } from '../../core/trace/model';

export interface CollectProgress {
  spans: number;
  /** Distinct service.name values seen so far, sorted. */
  services: string[];
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
  signal?: AbortSignal;
  onProgress?: (progress: CollectProgress) => void;
}

export type CollectOutcome =
  | { ok: true; spans: RawSpan[]; warnings: string[] }
  /** `message` says what was seen: span count, services, unmatched selectors; `spans` is what arrived anyway. */
  | { ok: false; message: string; spans: RawSpan[] };

export interface TraceSource {
  /** For messages: "the embedded OTLP receiver (127.0.0.1:4318 HTTP, 127.0.0.1:4317 gRPC)", "Jaeger at http://…". */
  readonly description: string;
  collect(request: CollectRequest): Promise<CollectOutcome>;
}
