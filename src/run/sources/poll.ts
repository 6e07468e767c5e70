// The polling loop shared by the pull sources (Jaeger, Tempo): fetch every retryDelayMs until the trace's span
// count is the same in two consecutive answers (and not zero) and every selector matches — with up to
// selectorMatchRetries extra polls while some match nothing, after which the unmatched ones are left to the
// assertions. Gives up at timeoutMs with a message that says what was seen and the last error.
import type { RawSpan } from '../../core/trace/model';
import { CANCELLED, gapWarning, parentGaps, PULL_ZERO_SPAN_HINT, safeProgress, safeUnmatched, summarise, timeoutMessage } from './settle';
import type { CollectOutcome, CollectRequest } from './types';

/** One answer from the backend. */
export type FetchResult =
  | { kind: 'found'; spans: RawSpan[]; warnings: string[] }
  /** Not there (yet): keep polling. */
  | { kind: 'not-found' }
  /** Failed, maybe for now (5xx, 401, connection refused, no answer in time): keep polling, report it if time runs out. */
  | { kind: 'error'; message: string; timedOut?: boolean }
  /** An answer that polling again will not fix (not a trace at all): stop at once. */
  | { kind: 'fatal'; message: string };

/** Fetches the trace once; must honour the signal and give up by itself after timeoutMs. */
export type FetchTrace = (signal: AbortSignal, timeoutMs: number) => Promise<FetchResult>;

/** No single request waits longer than this, so a hanging backend still gets retried before the run times out. */
export const MAX_REQUEST_MS = 10_000;

export async function pollTrace(fetchTrace: FetchTrace, request: CollectRequest, description: string): Promise<CollectOutcome> {
  const { signal } = request;
  if (signal?.aborted) return { ok: false, message: CANCELLED, spans: [] };
  const deadline = Date.now() + request.timeoutMs;
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  signal?.addEventListener('abort', onAbort, { once: true });

  let spans: RawSpan[] = [];
  let warnings: string[] = [];
  let previousCount = -1;
  let stable = false;
  let selectorRetries = 0;
  let unmatched: string[] = [];
  let lastError: string | undefined;
  let hadResult = false;
  let lastProgress = -1;

  try {
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      const budget = Math.min(remaining, MAX_REQUEST_MS);
      const result = await fetchTrace(stop.signal, budget);
      if (stop.signal.aborted) return { ok: false, message: CANCELLED, spans };

      if (result.kind === 'fatal') return { ok: false, message: result.message, spans };
      // A request cut short by the run's own deadline says nothing new about a backend that answered before.
      const cutByDeadline = result.kind === 'error' && result.timedOut === true && budget < MAX_REQUEST_MS && hadResult;
      if (result.kind === 'error' && !cutByDeadline) lastError = result.message;
      if (result.kind !== 'error' || !result.timedOut) hadResult = true;
      if (result.kind === 'not-found') lastError = undefined;
      if (result.kind === 'found') {
        lastError = undefined;
        spans = result.spans;
        warnings = result.warnings;
        if (spans.length !== lastProgress) {
          lastProgress = spans.length;
          safeProgress(request.onProgress, summarise(spans));
        }
        stable = spans.length > 0 && spans.length === previousCount;
        if (stable) {
          const checked = safeUnmatched(request.unmatchedSelectors, spans);
          unmatched = checked.unmatched;
          if (unmatched.length === 0 || selectorRetries >= request.selectorMatchRetries) {
            const gaps = parentGaps(spans, request.triggerSpanId);
            const notes = [...warnings, ...(gaps.length > 0 ? [gapWarning(gaps)] : []), ...(checked.error ? [checked.error] : [])];
            return { ok: true, spans, warnings: notes };
          }
          selectorRetries++;
        }
        previousCount = spans.length;
      }

      if (!(await sleep(Math.min(request.retryDelayMs, deadline - Date.now()), stop.signal))) {
        return { ok: false, message: CANCELLED, spans };
      }
    }
    const message = timeoutMessage({
      traceId: request.traceId,
      timeoutMs: request.timeoutMs,
      sourceDescription: description,
      spans,
      unmatchedSelectors: unmatched,
      gaps: parentGaps(spans, request.triggerSpanId),
      ...(spans.length > 0 && !stable ? { stillChanging: 'the span count was not yet stable' } : {}),
      ...(lastError ? { lastError } : {}),
      zeroSpanHint: PULL_ZERO_SPAN_HINT,
    });
    return { ok: false, message, spans };
  } finally {
    signal?.removeEventListener('abort', onAbort);
    stop.abort();
    safeProgress(request.onProgress, summarise(spans));
  }
}

/** Resolves true after ms, false at once if the signal aborts first; leaves no timer or listener behind. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (value: boolean): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(value);
    };
    const onAbort = (): void => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
