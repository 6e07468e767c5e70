// Checking the sampled traces of a load in the background: each sampled answer's trace is collected with the
// run's settling logic and judged by the test's specs, at most `maxInFlight` at once. A sampled trace is kept by the
// receiver until it is judged; the traces of every other request are let go as their spans arrive.
import type { TestRunResult } from '../../core/engine/result';
import { collectAndJudge, runTest, type TestRunContext } from '../test-run';
import type { TraceStore } from '../sources/otlp/store';
import type { Answer } from './engine';
import { CheckTally } from './tally';

export interface TraceChecksOptions {
  /** Everything a run of the test needs, its trace source included. */
  run: TestRunContext;
  /** Checks in flight at most: a sampled request beyond it is not sampled. */
  maxInFlight: number;
  /** The embedded receiver's store: traces nobody checks are deleted from it as they arrive. */
  store?: TraceStore;
  /**
   * The receiver also holds other work's traces (the editor's: other tests, the Traces view): only the traces of
   * this load's own unsampled requests are deleted, not every trace nobody checks.
   */
  sharedStore?: boolean;
  /** The result as reports show it (secrets masked). */
  shown(result: TestRunResult): TestRunResult;
  /** Saves the trace of a listed failure; resolves to its path. */
  saveTrace?(result: TestRunResult): Promise<string | null>;
  /** Each sampled trace once judged, or given up on (not settled: its spans did not all arrive in time). */
  onChecked?(result: TestRunResult, settled: boolean): void;
}

/** How long the trace id of an unsampled request is remembered: SDKs export in batches every 5 s, a busy service later. */
const LET_GO_MEMORY_MS = 120_000;

export class TraceChecks {
  readonly tally: CheckTally;
  /** Trace ids sampled and not judged yet: the receiver keeps these. */
  private readonly wanted = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  /** With a shared store: the unsampled requests' trace ids, oldest first, with when they were let go. */
  private readonly letGo = new Map<string, number>();
  private readonly stopPruning: (() => void) | undefined;

  constructor(private readonly options: TraceChecksOptions) {
    this.tally = new CheckTally(options.run.test);
    const store = options.store;
    const shared = options.sharedStore === true;
    this.stopPruning = store?.subscribeAll((trace) => {
      if (shared ? this.letGo.has(trace.traceId) : !this.wanted.has(trace.traceId)) store.delete(trace.traceId);
    });
  }

  /**
   * A request of the load that is not sampled, before it is sent: its spans are deleted as they arrive (spans later
   * than LET_GO_MEMORY_MS stay, for eviction).
   */
  release(traceId: string, now = performance.now()): void {
    const store = this.options.store;
    if (!store || this.options.sharedStore !== true) return;
    this.letGo.set(traceId, now);
    for (const [id, at] of this.letGo) {
      if (now - at < LET_GO_MEMORY_MS) break;
      this.letGo.delete(id);
    }
  }

  get inFlight(): number {
    return this.wanted.size;
  }

  /** Whether a trace can be taken on now; when it can, it is reserved (the receiver keeps its spans from now on). */
  take(traceId: string): boolean {
    if (this.wanted.size >= this.options.maxInFlight) return false;
    this.wanted.add(traceId);
    this.tally.traces.sampled++;
    return true;
  }

  /** Judges the trace of a sampled answer, in the background. */
  answered(answer: Answer, started: number): void {
    this.track(answer.context.traceId, this.judgeAnswer(answer, started));
  }

  /** Judges a trace another tool produced (`check`): as a `traceid` trigger naming it. */
  traceId(traceId: string): void {
    if (!this.take(traceId)) throw new Error('TraceChecks.traceId: wait for room() first');
    const run = this.options.run;
    const variables = new Map(run.variables).set('TRACE_ID', traceId);
    this.track(
      traceId,
      runTest({ ...run, test: { ...run.test, trigger: { type: 'traceid' } }, variables }).then((o) => o.result),
    );
  }

  /** Resolves once fewer than maxInFlight checks are running. */
  async room(): Promise<void> {
    while (this.wanted.size >= this.options.maxInFlight) await Promise.race(this.running);
  }

  /** Resolves when every check started has been judged. */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running);
  }

  dispose(): void {
    this.stopPruning?.();
    this.letGo.clear();
  }

  private async judgeAnswer({ context, outcome, respondedAt }: Answer, started: number): Promise<TestRunResult> {
    const run = this.options.run;
    const type = run.test.trigger.type;
    if (!outcome.ok) {
      return {
        file: run.file,
        id: run.test.id?.value ?? '',
        name: run.name,
        status: 'errored',
        error: `trigger: ${outcome.error.message}`,
        traceId: context.traceId,
        durationMs: 0,
        trigger: { type, durationMs: 0 },
        specs: [],
        outputs: [],
      };
    }
    const response = outcome.value;
    const trigger = {
      type,
      ...(response.status !== undefined ? { status: response.status } : {}),
      durationMs: Math.round(Number(response.endTime - response.startTime) / 1e6),
    };
    const judged = await collectAndJudge(run, { response, triggerSpanId: context.spanId, trigger, started, respondedAt });
    return judged.result;
  }

  private track(traceId: string, judging: Promise<TestRunResult>): void {
    const done = judging
      .then(async (raw) => {
        const result = this.options.shown(raw);
        const settled = isJudged(result);
        if (!settled) this.tally.unresolved();
        else {
          const saved = result.status !== 'passed' && this.tally.listsMoreFailures && this.options.saveTrace ? await this.options.saveTrace(result) : null;
          this.tally.add(result, saved);
        }
        this.options.onChecked?.(result, settled);
      })
      .finally(() => {
        this.wanted.delete(traceId);
        this.running.delete(done);
      });
    this.running.add(done);
  }
}

/** A trace that never settled was not judged: its spans did not (all) arrive in time. */
export function isJudged(result: TestRunResult): boolean {
  return result.status !== 'errored' || result.specs.length > 0 || result.error?.startsWith('trigger:') === true;
}
