// The load engine: sends the prepared request on a schedule (open or closed model) through one undici pool, each
// request with its own trace context, and tallies what came back. What is done with a sampled request's answer is
// the caller's business (onAnswered), never awaited: checks never slow the load.
import { Pool } from 'undici';
import { newTraceContext, withTraceContext } from '../triggers/context';
import { sendHttp, type HttpCall } from '../triggers/http-send';
import type { TraceContext, TriggerOutcome } from '../triggers/types';
import { arrivalTime, vuStart } from './arrivals';
import { DurationHistogram } from './histogram';

export type LoadModel = { kind: 'open'; rate: number } | { kind: 'closed'; vus: number };

export interface LoadProfile {
  model: LoadModel;
  durationMs: number;
  /** The first part of the duration, over which the rate (or the number of virtual users) climbs from 0. */
  rampUpMs: number;
  /** Open model: requests in flight at most; an arrival beyond it is not sent, and counted as an error. */
  maxInFlight: number;
}

export interface LoadHooks {
  /** Before each request: whether its trace is to be checked. */
  sample(context: TraceContext): boolean;
  /** Each answer (or failure), with the time it came; for sampled requests, the trace is theirs to check. */
  onAnswered?(answer: Answer): void;
  /** Every second while the load runs. */
  onTick?(stats: LoadStats): void;
}

export interface Answer {
  context: TraceContext;
  sampled: boolean;
  outcome: TriggerOutcome;
  /** From sending to the whole answer body; undefined when no answer came. */
  latencyMs?: number;
  /** performance.now() when the answer (or the failure) came. */
  respondedAt: number;
}

export interface LoadStats {
  /** Requests started (sent or attempted), and arrivals not sent because too many requests were in flight. */
  requests: number;
  notSent: number;
  /** Answered or failed so far. */
  completed: number;
  /** Requests with no answer, or with a status of 400 or more (as k6 counts failed requests); and arrivals not sent. */
  errors: number;
  statusCodes: Record<string, number>;
  latency: DurationHistogram;
  /** Milliseconds since the load started. */
  elapsedMs: number;
}

const TICK_MS = 1000;

export async function runLoad(call: HttpCall, profile: LoadProfile, hooks: LoadHooks, signal?: AbortSignal): Promise<LoadStats> {
  const pool = new Pool(call.url.origin, {
    connections: profile.model.kind === 'closed' ? profile.model.vus : null,
    connect: { rejectUnauthorized: call.sslVerification, timeout: call.timeoutMs },
  });
  const started = performance.now();
  const stats: LoadStats = { requests: 0, notSent: 0, completed: 0, errors: 0, statusCodes: {}, latency: new DurationHistogram(), elapsedMs: 0 };
  const elapsed = () => performance.now() - started;
  let inFlight = 0;
  const ticker = setInterval(() => hooks.onTick?.({ ...stats, elapsedMs: elapsed() }), TICK_MS);

  const send = async (): Promise<void> => {
    const context = newTraceContext();
    const sampled = hooks.sample(context);
    stats.requests++;
    inFlight++;
    const outcome = await sendHttp({
      ...call,
      headers: withTraceContext(call.headers, context),
      traceId: context.traceId,
      dispatcher: pool,
      ...(signal ? { signal } : {}),
    });
    inFlight--;
    stats.completed++;
    let latencyMs: number | undefined;
    if (outcome.ok) {
      const status = outcome.value.status ?? 0;
      stats.statusCodes[status] = (stats.statusCodes[status] ?? 0) + 1;
      if (status >= 400) stats.errors++;
      latencyMs = Number(outcome.value.endTime - outcome.value.startTime) / 1e6;
      stats.latency.record(latencyMs);
    } else stats.errors++;
    hooks.onAnswered?.({ context, sampled, outcome, ...(latencyMs !== undefined ? { latencyMs } : {}), respondedAt: performance.now() });
  };

  try {
    if (profile.model.kind === 'open') await openModel(profile.model.rate, profile, send, () => inFlight, stats, started, signal);
    else await closedModel(profile.model.vus, profile, send, started, signal);
  } finally {
    clearInterval(ticker);
    await pool.close().catch(() => undefined);
  }
  stats.elapsedMs = elapsed();
  return stats;
}

/** Fires each arrival when it is due (all that are due at once when the timer wakes late), whatever is in flight. */
function openModel(
  rate: number,
  profile: LoadProfile,
  send: () => Promise<void>,
  inFlight: () => number,
  stats: LoadStats,
  started: number,
  signal?: AbortSignal,
): Promise<void> {
  const pending = new Set<Promise<void>>();
  return new Promise<void>((resolve) => {
    let k = 0;
    const tick = (): void => {
      const now = performance.now() - started;
      while (!signal?.aborted) {
        const due = arrivalTime(k, rate, profile.rampUpMs);
        if (due >= profile.durationMs) break;
        if (due > now) {
          setTimeout(tick, due - now);
          return;
        }
        k++;
        if (inFlight() >= profile.maxInFlight) {
          stats.notSent++;
          stats.errors++;
          continue;
        }
        const request = send();
        pending.add(request);
        void request.finally(() => pending.delete(request));
      }
      void Promise.all(pending).then(() => resolve());
    };
    tick();
  });
}

/** Each virtual user sends, waits for the answer, and sends again until the duration is over. */
async function closedModel(vus: number, profile: LoadProfile, send: () => Promise<void>, started: number, signal?: AbortSignal): Promise<void> {
  const user = async (i: number): Promise<void> => {
    await sleep(vuStart(i, vus, profile.rampUpMs), signal);
    while (!signal?.aborted && performance.now() - started < profile.durationMs) await send();
  };
  await Promise.all(Array.from({ length: vus }, (_, i) => user(i)));
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
