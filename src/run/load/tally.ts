// What the checked traces of a load test add up to: counts per outcome, per spec (with the durations of the spans it
// selected), and the failures, as the JSON report of cli.md lists them.
import type { TestRunResult } from '../../core/engine/result';
import type { TestDef } from '../../core/testfile/model';
import { DurationHistogram, type Percentiles } from './histogram';

/** Failures listed in the report; the rest are counted (a broken system under load fails thousands of traces alike). */
export const MAX_FAILURES_LISTED = 100;

export interface TraceCounts {
  /** Traces chosen for checking. */
  sampled: number;
  /** Judged: passed + failed + errored. */
  checked: number;
  passed: number;
  failed: number;
  /** Judged, but the test errored (a request that got no answer, an assertion that cannot be evaluated…). */
  errored: number;
  /** Never judged: the trace did not arrive or did not settle within the timeout. */
  unresolved: number;
}

export interface SpecTally {
  name?: string;
  selector: string;
  passed: number;
  failed: number;
  errored: number;
  spanDurationMs: Percentiles;
}

export interface TraceFailure {
  traceId: string;
  spec: string;
  assertion: string;
  observed: string;
  savedTrace: string | null;
}

export interface SpecCounter {
  name?: string;
  selector: string;
  passed: number;
  failed: number;
  errored: number;
  durations: DurationHistogram;
}

export class CheckTally {
  readonly traces: TraceCounts = { sampled: 0, checked: 0, passed: 0, failed: 0, errored: 0, unresolved: 0 };
  readonly failures: TraceFailure[] = [];
  /** Failures beyond MAX_FAILURES_LISTED. */
  unlisted = 0;
  private readonly specs: SpecCounter[];

  constructor(test: TestDef) {
    this.specs = test.specs.map((s) => ({
      ...(s.name ? { name: s.name.value } : {}),
      selector: s.selector.value,
      passed: 0,
      failed: 0,
      errored: 0,
      durations: new DurationHistogram(),
    }));
  }

  /** Whether the next failure goes into the list (its trace is then worth saving). */
  get listsMoreFailures(): boolean {
    return this.failures.length < MAX_FAILURES_LISTED;
  }

  /** A judged trace (its result with secrets masked). */
  add(result: TestRunResult, savedTrace: string | null = null): void {
    this.traces.checked++;
    this.traces[result.status]++;
    const spans = result.trace?.byId;
    result.specs.forEach((spec, i) => {
      const counter = this.specs[i];
      if (!counter) return;
      counter[spec.status]++;
      for (const id of spec.spanIds) {
        const span = spans?.get(id);
        if (span) counter.durations.record(Number(span.endTime - span.startTime) / 1e6);
      }
    });
    for (const failure of failuresOf(result)) {
      if (this.listsMoreFailures) this.failures.push({ ...failure, savedTrace });
      else this.unlisted++;
    }
  }

  unresolved(): void {
    this.traces.unresolved++;
  }

  /** Passed among judged traces; 1 when none was judged would be a lie, so null. */
  get passRate(): number | null {
    return this.traces.checked === 0 ? null : Number((this.traces.passed / this.traces.checked).toFixed(4));
  }

  /** Per spec: its counts and the durations of the spans it selected. */
  specCounts(): readonly Readonly<SpecCounter>[] {
    return this.specs;
  }

  specTallies(): SpecTally[] {
    return this.specs.map(({ durations, ...counts }) => ({ ...counts, spanDurationMs: durations.percentiles() }));
  }
}

/** One line per failed or errored assertion of a trace (the first span it failed on), or the test's error. */
function failuresOf(result: TestRunResult): Omit<TraceFailure, 'savedTrace'>[] {
  if (result.status === 'passed') return [];
  const failures: Omit<TraceFailure, 'savedTrace'>[] = [];
  for (const spec of result.specs) {
    const specName = spec.name ?? spec.selector;
    if (spec.selectorError) failures.push({ traceId: result.traceId, spec: specName, assertion: '', observed: `selector: ${spec.selectorError.message}` });
    for (const assertion of spec.assertions) {
      if (assertion.status === 'passed') continue;
      const first = assertion.results.find((r) => r.status !== 'passed');
      failures.push({ traceId: result.traceId, spec: specName, assertion: assertion.assertion, observed: first?.error?.message ?? first?.observed ?? '' });
    }
  }
  if (failures.length === 0)
    failures.push({
      traceId: result.traceId,
      spec: '',
      assertion: '',
      observed: result.error ?? result.gates?.find((g) => !g.passed)?.message ?? result.status,
    });
  return failures;
}
