// What the engine benchmarks share: the median of repeated timings, and the machine they ran on.
import { cpus, totalmem } from 'node:os';

export function median(samples: number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median ms of `fn` after a warm-up: at least 5 runs, then more until the budget or 200 runs. */
export function measure(fn: () => unknown, budgetMs: number): number {
  fn(); // warm-up
  const samples: number[] = [];
  const deadline = performance.now() + budgetMs;
  while (samples.length < 5 || (performance.now() < deadline && samples.length < 200)) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

export function machine(): { cpu: string; cores: number; memoryGiB: number; node: string; platform: string } {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}
