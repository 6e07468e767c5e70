// Building trigger outcomes: the clock every trigger stamps its call with, and the failure/response shapes.
import type { TriggerFailure } from './types';

// Wall clock read once, advanced by the monotonic clock: nanosecond precision that never jumps backwards.
const WALL_ORIGIN_NS = BigInt(Date.now()) * 1_000_000n;
const HR_ORIGIN_NS = process.hrtime.bigint();

/** Unix time in nanoseconds. */
export function nowNanos(): bigint {
  return WALL_ORIGIN_NS + (process.hrtime.bigint() - HR_ORIGIN_NS);
}

export function failed(message: string, sent = false, times?: { startTime: bigint; endTime: bigint }): { ok: false; error: TriggerFailure } {
  return { ok: false, error: { message, sent, ...(times ?? {}) } };
}

/** "30s", "1.5s" or "250ms": how a person would write the timeout. */
export function formatTimeout(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)}s`;
}

/** The error text of anything thrown, without stack. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

export const ATTR_STATUS = 'tracetest.response.status';
export const ATTR_BODY = 'tracetest.response.body';
export const ATTR_HEADERS = 'tracetest.response.headers';
