// The messages between the extension and the load panel ("Run under load…"), declared once for both sides, with
// the check the host runs on what the page posts (a webview is a web page: nothing it posts is trusted as typed).
//
// Order: the page posts `ready` once its script runs; the host answers with `session` (everything so far: a page
// VS Code built again gets it all), then `tick` about once a second while the load runs, and `ended` once.
// The page posts `stop` (its Stop button) and `openTrace` (a click on a failing trace).

export const LOAD_VIEW_TYPE = 'tracelens.load';

/** Points a series keeps: one a second, so an hour; older points are dropped first. */
export const MAX_POINTS = 3600;
/** Failing traces listed, the newest first. */
export const MAX_FAILING_LISTED = 100;

/** One second of the load. Percentiles are null for a second with nothing to measure. */
export interface LoadPoint {
  /** Seconds since the load started, at the end of this second. */
  t: number;
  /** Requests a second the schedule asked for (null in the closed model: virtual users send as answered). */
  requested: number | null;
  /** Answers (or failures to get one) a second. */
  achieved: number;
  latencyP50: number | null;
  latencyP95: number | null;
  /** Per spec, in the test's order: pass rate of the traces judged this second, and the durations of the spans it selected. */
  specs: LoadSpecPoint[];
}

export interface LoadSpecPoint {
  passRate: number | null;
  spanP50: number | null;
  spanP95: number | null;
}

export interface FailingTrace {
  traceId: string;
  /** Epoch milliseconds when it was judged. */
  at: number;
  status: 'failed' | 'errored';
  /** Names (else selectors) of the specs that did not pass; empty when the test errored before any spec. */
  specs: string[];
  error?: string;
  /** Whether its trace is still kept, so it can be opened. */
  open: boolean;
}

export interface LoadTotals {
  elapsedMs: number;
  requests: number;
  errors: number;
  checked: number;
  passed: number;
  failed: number;
  errored: number;
  unresolved: number;
  passRate: number | null;
  latencyP95: number;
}

export interface LoadSessionInfo {
  test: { name: string; label: string };
  specs: string[];
  /** `20 req/s for 30s, sample 0.1`. */
  profile: string;
  durationMs: number;
}

export type LoadStatus = 'starting' | 'running' | 'passed' | 'failed' | 'stopped' | 'error';

export type LoadHostMessage =
  | {
      type: 'session';
      info: LoadSessionInfo;
      status: LoadStatus;
      message?: string;
      points: readonly LoadPoint[];
      failing: FailingTrace[];
      totals: LoadTotals | null;
    }
  | { type: 'tick'; point: LoadPoint; failing: FailingTrace[]; totals: LoadTotals }
  | { type: 'ended'; status: LoadStatus; message: string; failing: FailingTrace[]; totals: LoadTotals | null };

export type LoadWebviewMessage = { type: 'ready' } | { type: 'stop' } | { type: 'openTrace'; traceId: string };

export function checkLoadWebviewMessage(value: unknown): { ok: true; value: LoadWebviewMessage } | { ok: false; error: string } {
  const m = value as { type?: unknown; traceId?: unknown } | null;
  if (m?.type === 'ready' || m?.type === 'stop') return { ok: true, value: { type: m.type } };
  if (m?.type === 'openTrace') {
    return typeof m.traceId === 'string' && /^[0-9a-f]{32}$/.test(m.traceId)
      ? { ok: true, value: { type: 'openTrace', traceId: m.traceId } }
      : { ok: false, error: 'openTrace: traceId must be 32 hex digits' };
  }
  return { ok: false, error: `unknown message type ${JSON.stringify(m?.type)}` };
}
