// Percentiles of many durations in bounded memory: values fall into buckets 1% wide (log scale), so a run of any
// length keeps a few thousand counters, and a percentile is within 1% of the exact one.
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
/** Durations are kept in microseconds; anything below 1 µs counts as 1 µs. */
const UNIT_PER_MS = 1000;

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export class DurationHistogram {
  private readonly buckets = new Map<number, number>();
  private total = 0;
  private maxMs = 0;

  get count(): number {
    return this.total;
  }

  record(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    const index = Math.floor(Math.log(Math.max(1, ms * UNIT_PER_MS)) / LOG_GROWTH);
    this.buckets.set(index, (this.buckets.get(index) ?? 0) + 1);
    this.total++;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  /** Milliseconds at quantile q (0..1): the middle of its bucket, never above the largest value seen. */
  quantile(q: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (const index of [...this.buckets.keys()].sort((a, b) => a - b)) {
      seen += this.buckets.get(index)!;
      if (seen >= rank) return Math.min(this.maxMs, (GROWTH ** index * (1 + GROWTH)) / 2 / UNIT_PER_MS);
    }
    return this.maxMs;
  }

  /** Rounded to `digits` decimals, as reports show them; all zero when nothing was recorded. */
  percentiles(digits = 1): Percentiles {
    const round = (ms: number) => Number(ms.toFixed(digits));
    return { p50: round(this.quantile(0.5)), p95: round(this.quantile(0.95)), p99: round(this.quantile(0.99)), max: round(this.maxMs) };
  }
}
