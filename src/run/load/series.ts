// What the load panel charts, second by second, in bounded memory: each tick of the load closes a point (requested
// and achieved rate, latency percentiles of that second's answers, per spec the pass rate and span durations of the
// traces judged in that second) and keeps at most MAX_POINTS; and the failing traces, the newest first, at most
// MAX_FAILING_LISTED listed, of which the last `keptTraces` keep their result (with the trace) to be opened.
import type { TestRunResult } from '../../core/engine/result';
import type { TestDef } from '../../core/testfile/model';
import { MAX_FAILING_LISTED, MAX_POINTS, type FailingTrace, type LoadPoint, type LoadTotals } from '../../load-protocol';
import { arrivalsIn } from './arrivals';
import type { LoadModel, LoadStats } from './engine';
import { DurationHistogram } from './histogram';
import { CheckTally } from './tally';

export interface SeriesProfile {
  model: LoadModel;
  rampUpMs: number;
}

export class LoadSeries {
  readonly points: LoadPoint[] = [];
  /** This second's answers and judged traces. */
  private latency = new DurationHistogram();
  private judged: CheckTally;
  private last = { elapsedMs: 0, completed: 0 };

  constructor(
    private readonly test: TestDef,
    private readonly profile: SeriesProfile,
    private readonly maxPoints = MAX_POINTS,
  ) {
    this.judged = new CheckTally(test);
  }

  answered(latencyMs: number | undefined): void {
    if (latencyMs !== undefined) this.latency.record(latencyMs);
  }

  /** A judged trace (an unsettled one is not judged: it counts in no pass rate). */
  checked(result: TestRunResult): void {
    this.judged.add(result);
  }

  /** Closes the second that ends at `stats.elapsedMs`. */
  tick(stats: Pick<LoadStats, 'elapsedMs' | 'completed'>): LoadPoint {
    const seconds = Math.max(0.001, (stats.elapsedMs - this.last.elapsedMs) / 1000);
    const { model, rampUpMs } = this.profile;
    const requested =
      model.kind === 'open' ? (arrivalsIn(stats.elapsedMs, model.rate, rampUpMs) - arrivalsIn(this.last.elapsedMs, model.rate, rampUpMs)) / seconds : null;
    const measured = (h: DurationHistogram, q: number) => (h.count === 0 ? null : round(h.quantile(q)));
    const point: LoadPoint = {
      t: round(stats.elapsedMs / 1000),
      requested: requested === null ? null : round(requested),
      achieved: round((stats.completed - this.last.completed) / seconds),
      latencyP50: measured(this.latency, 0.5),
      latencyP95: measured(this.latency, 0.95),
      specs: this.judged.specCounts().map((spec) => {
        const judged = spec.passed + spec.failed + spec.errored;
        return {
          passRate: judged === 0 ? null : round(spec.passed / judged, 4),
          spanP50: measured(spec.durations, 0.5),
          spanP95: measured(spec.durations, 0.95),
        };
      }),
    };
    this.points.push(point);
    if (this.points.length > this.maxPoints) this.points.splice(0, this.points.length - this.maxPoints);
    this.last = { elapsedMs: stats.elapsedMs, completed: stats.completed };
    this.latency = new DurationHistogram();
    this.judged = new CheckTally(this.test);
    return point;
  }
}

/** The traces that did not pass, newest first; the results of the newest `keptTraces` are kept to be opened. */
export class FailingTraces {
  private readonly listed: FailingTrace[] = [];
  private readonly results = new Map<string, TestRunResult>();

  constructor(
    private readonly keptTraces = 25,
    private readonly maxListed = MAX_FAILING_LISTED,
    private readonly now = () => Date.now(),
  ) {}

  add(result: TestRunResult): void {
    if (result.status === 'passed') return;
    const specs = result.specs.filter((s) => s.status !== 'passed').map((s) => s.name ?? s.selector);
    this.listed.unshift({
      traceId: result.traceId,
      at: this.now(),
      status: result.status,
      specs,
      ...(result.error ? { error: result.error } : {}),
      open: result.trace !== undefined,
    });
    this.listed.splice(this.maxListed);
    if (result.trace) this.results.set(result.traceId, result);
    // A Map iterates in insertion order: the oldest kept result goes first.
    while (this.results.size > this.keptTraces) {
      const oldest = this.results.keys().next().value!;
      this.results.delete(oldest);
      const entry = this.listed.find((f) => f.traceId === oldest);
      if (entry) entry.open = false;
    }
  }

  list(): FailingTrace[] {
    return this.listed.map((f) => ({ ...f }));
  }

  result(traceId: string): TestRunResult | undefined {
    return this.results.get(traceId);
  }
}

/** The running totals the panel's header shows. */
export function loadTotals(stats: LoadStats, tally: CheckTally): LoadTotals {
  const { checked, passed, failed, errored, unresolved } = tally.traces;
  return {
    elapsedMs: Math.round(stats.elapsedMs),
    requests: stats.requests,
    errors: stats.errors,
    checked,
    passed,
    failed,
    errored,
    unresolved,
    passRate: tally.passRate,
    latencyP95: stats.latency.percentiles().p95,
  };
}

function round(value: number, digits = 1): number {
  return Number(value.toFixed(digits));
}
