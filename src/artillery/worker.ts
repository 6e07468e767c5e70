// What one Artillery worker does with its sampled requests: judge their traces against the data store with the
// test's specs, counting the verdicts in Artillery's metrics, or append their trace ids to a file for
// `tracelens check --trace-ids`. A worker keeps no other state: each samples on its own, on any machine.
import { setMaxListeners } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import type { TestRunResult } from '../core/engine/result';
import type { TestDef } from '../core/testfile/model';
import { isJudged, TraceChecks } from '../run/load/checks';
import type { TestRunContext } from '../run/test-run';

/** The emitter Artillery hands its hooks: `counter` adds to a count, `histogram` records a value. */
export interface Metrics {
  emit(type: 'counter' | 'histogram', name: string, value: number): unknown;
}

export const METRIC = {
  sampled: 'tracelens.traces_sampled',
  checked: 'tracelens.traces_checked',
  passed: 'tracelens.traces_passed',
  failed: 'tracelens.traces_failed',
  errored: 'tracelens.traces_errored',
  unresolved: 'tracelens.traces_unresolved',
  skipped: 'tracelens.traces_skipped',
  checkMs: 'tracelens.check_ms',
} as const;

/** Failures a worker prints (with the trace id to look at); the counters hold them all. */
const FAILURES_PRINTED = 10;

export interface SampleSink {
  /** A sampled request was answered: its trace is judged, or its id written down. */
  answered(traceId: string, metrics: Metrics): void;
  /** Traces still being judged. */
  readonly inFlight: number;
  /** Resolves when no trace is being judged, or after `timeoutMs` (those left are counted unresolved). */
  drain(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** `tracelens.spec.<name>`: the spec's name (else its selector) in lower case, words joined by `_`, made unique. */
export function specMetricNames(test: TestDef): string[] {
  const seen = new Set<string>();
  return test.specs.map((spec, i) => {
    const base =
      (spec.name?.value ?? spec.selector.value)
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '_')
        .replace(/^_+|_+$/g, '')
        .slice(0, 60) || `spec_${i + 1}`;
    let name = base;
    for (let n = 2; seen.has(name); n++) name = `${base}_${n}`;
    seen.add(name);
    return `tracelens.spec.${name}`;
  });
}

/** Judges each sampled trace as `tracelens check` does (a `traceid` trigger naming it), in the background. */
export class WorkerChecks implements SampleSink {
  private readonly checks: TraceChecks;
  private readonly specMetrics: string[];
  private metrics: Metrics | undefined;
  /** Traces being judged, with when their request was answered. */
  private readonly pending = new Map<string, number>();
  private printed = 0;
  private draining: Promise<void> | undefined;
  /** Stops the checks still polling when the worker stops. */
  private readonly stop = new AbortController();

  constructor(
    run: TestRunContext,
    private readonly maxChecks: number,
    shown: (result: TestRunResult) => TestRunResult,
    private readonly print: (line: string) => void,
  ) {
    this.specMetrics = specMetricNames(run.test);
    // Every check in flight listens to it.
    setMaxListeners(0, this.stop.signal);
    // Under load, a service's spans come later the busier it is: no judgement before the export delay on what is missing.
    this.checks = new TraceChecks({
      run: { ...run, learnedLateness: false, signal: this.stop.signal },
      maxInFlight: maxChecks,
      shown,
      onChecked: (r) => this.checked(r),
    });
  }

  get inFlight(): number {
    return this.pending.size;
  }

  answered(traceId: string, metrics: Metrics): void {
    this.start(metrics);
    metrics.emit('counter', METRIC.sampled, 1);
    // Checks are bounded: beyond maxChecks a sampled trace is counted, not judged.
    if (this.checks.inFlight >= this.maxChecks) {
      metrics.emit('counter', METRIC.skipped, 1);
      return;
    }
    this.pending.set(traceId, performance.now());
    this.checks.traceId(traceId);
  }

  drain(timeoutMs: number): Promise<void> {
    this.draining ??= this.drainWithin(timeoutMs).finally(() => (this.draining = undefined));
    return this.draining;
  }

  async close(): Promise<void> {
    this.stop.abort();
    this.checks.dispose();
  }

  /** Every counter exists from the first answer on, at 0 if nothing adds to it: `ensure` can name any of them. */
  private start(metrics: Metrics): void {
    if (this.metrics) return;
    this.metrics = metrics;
    for (const name of [METRIC.sampled, METRIC.checked, METRIC.passed, METRIC.failed, METRIC.errored, METRIC.unresolved, METRIC.skipped])
      metrics.emit('counter', name, 0);
    for (const spec of this.specMetrics) for (const outcome of ['passed', 'failed', 'errored']) metrics.emit('counter', `${spec}.${outcome}`, 0);
  }

  private async drainWithin(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([this.checks.drain(), timeout]).finally(() => clearTimeout(timer));
    if (this.pending.size === 0) return;
    // The worker reports once this returns: what is left would never be counted.
    this.print(`tracelens: ${this.pending.size} sampled trace(s) still being judged after ${timeoutMs} ms at the end of the load: counted unresolved`);
    this.metrics?.emit('counter', METRIC.unresolved, this.pending.size);
    this.pending.clear();
  }

  private checked(result: TestRunResult): void {
    const answeredAt = this.pending.get(result.traceId);
    const metrics = this.metrics;
    // Given up on at the end of the load, and counted then.
    if (answeredAt === undefined || !metrics) return;
    this.pending.delete(result.traceId);
    if (!isJudged(result)) {
      metrics.emit('counter', METRIC.unresolved, 1);
      return;
    }
    metrics.emit('counter', METRIC.checked, 1);
    metrics.emit('counter', METRIC[result.status], 1);
    metrics.emit('histogram', METRIC.checkMs, Math.round(performance.now() - answeredAt));
    result.specs.forEach((spec, i) => {
      const name = this.specMetrics[i];
      if (name) metrics.emit('counter', `${name}.${spec.status}`, 1);
    });
    const failures = this.checks.tally.failures;
    for (; this.printed < Math.min(failures.length, FAILURES_PRINTED); this.printed++) {
      const f = failures[this.printed]!;
      const what = [f.spec, f.assertion].filter(Boolean).join(': ');
      this.print(`tracelens: trace ${f.traceId} ${result.status}: ${what}${what ? ' ' : ''}(observed ${f.observed || 'nothing'})`);
    }
  }
}

/** Appends the sampled trace ids, one a line, to a file that `tracelens check --trace-ids` reads. */
export class TraceIdWriter implements SampleSink {
  private readonly out: WriteStream;
  private failed = false;

  constructor(
    private readonly path: string,
    private readonly print: (line: string) => void,
  ) {
    // O_APPEND: the workers of one machine append whole lines to the same file.
    this.out = createWriteStream(path, { flags: 'a' });
    this.out.on('error', (e) => {
      if (!this.failed) this.print(`tracelens: cannot write the sampled trace ids to ${this.path}: ${e.message}`);
      this.failed = true;
    });
  }

  readonly inFlight = 0;

  answered(traceId: string, metrics: Metrics): void {
    metrics.emit('counter', METRIC.sampled, 1);
    if (!this.failed) this.out.write(`${traceId}\n`);
  }

  async drain(): Promise<void> {}

  close(): Promise<void> {
    return new Promise((resolve) => (this.failed ? resolve() : this.out.end(resolve)));
  }
}
