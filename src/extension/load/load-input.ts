// What "Run under load…" asks: the rate, the duration and the sample rate, each read as the CLI reads its flag
// (`--rate 20/s`, `--duration 30s`, `--sample 0.1`), with the reason when a value does not fit.
import { parseGoDuration } from '../../core/testfile/durations';

export interface LoadInput {
  rate: number;
  durationMs: number;
  sample: number;
}

export const LOAD_INPUT_DEFAULTS = { rate: '10', duration: '30s', sample: '0.1' };

/** Above it, one editor process is not where the load should come from. */
const MAX_RATE = 5000;
/** An editor session is for watching a load; longer runs belong to `tracelens load` in a terminal or CI. */
const MAX_DURATION_MS = 60 * 60_000;

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** `20`, `20/s`: requests a second. */
export function parseRate(text: string): Parsed<number> {
  const match = /^(\d+(?:\.\d+)?)\s*(?:\/s)?$/.exec(text.trim());
  const rate = match ? Number(match[1]) : NaN;
  if (!(rate > 0)) return { ok: false, message: 'Requests a second, such as 20 or 20/s' };
  if (rate > MAX_RATE) return { ok: false, message: `At most ${MAX_RATE} requests a second from the editor; use tracelens load for more` };
  return { ok: true, value: rate };
}

/** `30s`, `2m`, `1m30s`. */
export function parseLoadDuration(text: string): Parsed<number> {
  const ms = parseGoDuration(text.trim());
  if (ms === undefined || ms <= 0) return { ok: false, message: 'A duration such as 30s, 2m or 1m30s' };
  if (ms < 1000) return { ok: false, message: 'At least 1s' };
  if (ms > MAX_DURATION_MS) return { ok: false, message: 'At most 1h from the editor; use tracelens load for longer runs' };
  return { ok: true, value: ms };
}

/** The share of requests whose trace is checked, 0 to 1; `5%` reads as 0.05. */
export function parseSample(text: string): Parsed<number> {
  const trimmed = text.trim();
  const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(trimmed);
  const value = percent ? Number(percent[1]) / 100 : /^\d*\.?\d+$/.test(trimmed) ? Number(trimmed) : NaN;
  if (!(value >= 0 && value <= 1)) return { ok: false, message: 'A share from 0 to 1, such as 0.1 (or 10%)' };
  return { ok: true, value };
}

/** `20 req/s for 30s, sample 0.1`: the panel's subtitle. */
export function describeLoad(input: LoadInput): string {
  const seconds = input.durationMs / 1000;
  const duration = seconds >= 60 && seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
  return `${input.rate} req/s for ${duration}, sample ${input.sample}`;
}
