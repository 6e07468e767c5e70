// The polling loop shared by the pull sources (Jaeger, Tempo): fetch every retryDelayMs until the trace's span
// count is the same in two consecutive answers (and not zero), every selector matches (with up to
// selectorMatchRetries extra polls while some match nothing, after which the unmatched ones are left to the
// assertions) and nothing the run expects is still awaited (expectations.ts): "stable twice, 1 s apart" alone would
// judge a trace on the first service's 5 s batch. What is awaited is waited for until the span count has not
// changed for the export delay. Gives up at timeoutMs with a message that says what was seen and the last error.
import type { RawSpan } from '../../core/trace/model';
import { expiredWarnings, NO_EXPECTATIONS, waitReasons, type WaitReason } from './expectations';
import { CANCELLED, parentGaps, PULL_ZERO_SPAN_HINT, safeProgress, safeUnmatched, summarise, timeoutMessage } from './settle';
import type { CollectOutcome, CollectProgress, CollectRequest } from './types';

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
  const startedAt = performance.now();
  const deadline = Date.now() + request.timeoutMs;
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  signal?.addEventListener('abort', onAbort, { once: true });

  let spans: RawSpan[] = [];
  let warnings: string[];
  let previousCount = -1;
  let stable = false;
  let selectorRetries = 0;
  let unmatched: string[] = [];
  let lastError: string | undefined;
  let hadResult = false;
  let lastProgress = '';
  /** When the span count last changed: what is awaited is waited for until it has been still for the export delay. */
  let changedAt = startedAt;
  let awaited: WaitReason[] = [];
  const progress = (p: CollectProgress): void => {
    const key = `${p.spans} ${p.waiting?.reasons.join('\n') ?? ''}`;
    if (key === lastProgress) return;
    lastProgress = key;
    safeProgress(request.onProgress, p);
  };

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
        const now = performance.now();
        if (spans.length !== previousCount) changedAt = now;
        stable = spans.length > 0 && spans.length === previousCount;
        awaited = [];
        if (stable) {
          const checked = safeUnmatched(request.unmatchedSelectors, spans);
          unmatched = checked.unmatched;
          const retry = unmatched.length > 0 && selectorRetries < request.selectorMatchRetries;
          if (retry) selectorRetries++;
          const since = Math.max(request.respondedAt ?? startedAt, changedAt);
          const notAfter = startedAt + request.timeoutMs - request.retryDelayMs;
          // Nothing is learned about a remote store's delays: every service gets the export delay after the last change.
          const reasons = waitReasons(
            request.expectations ?? NO_EXPECTATIONS,
            { spans, triggerSpanId: request.triggerSpanId, unmatched, notAfter },
            () => since + request.exportDelayMs,
          );
          awaited = reasons.filter((r) => r.until > now);
          if (!retry && awaited.length === 0) {
            const notes = [...warnings, ...expiredWarnings(reasons, request.timeoutMs), ...(checked.error ? [checked.error] : [])];
            return { ok: true, spans, warnings: notes };
          }
        }
        const until = Math.max(...awaited.map((r) => r.until));
        progress({
          ...summarise(spans),
          ...(awaited.length > 0 ? { waiting: { reasons: awaited.map((r) => r.text), until: Math.round(Date.now() + until - now) } } : {}),
        });
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
      expected: awaited.filter((r) => r.kind !== 'selector' && r.kind !== 'parent').map((r) => r.text),
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
