// A whole `load` or `check`: the load (when there is one) and the checks of its sampled traces, side by side,
// summed up in the report.
import type { TestRunResult } from '../../core/engine/result';
import { slug } from '../../core/generate/slug';
import { saveTraceFile, type TraceFileFormat } from '../save-trace';
import type { TraceStore } from '../sources/otlp/store';
import type { TestRunContext } from '../test-run';
import { prepareGraphql } from '../triggers/graphql';
import { prepareHttp } from '../triggers/http';
import type { HttpCall } from '../triggers/http-send';
import { newTraceContext } from '../triggers/context';
import type { TriggerFailure } from '../triggers/types';
import { runLoad, type Answer, type LoadProfile, type LoadStats } from './engine';
import { loadReport, type LoadReport } from './report';
import { TraceChecks } from './checks';
import type { CheckTally } from './tally';

export const LOAD_ENGINE = 'tracelens (undici pool; open model: arrivals on a fixed schedule, closed model: virtual users)';
export const CHECK_ENGINE = 'none (trace ids from another tool)';

export interface SessionOptions {
  /** The test's run context: its trace source, timing, variables, gates. */
  run: TestRunContext;
  store?: TraceStore;
  /** The store holds other work's traces too (the editor's receiver): only this load's unsampled traces are deleted. */
  sharedStore?: boolean;
  /** Checks in flight at most. */
  maxChecks: number;
  passRate: number;
  shown(result: TestRunResult): TestRunResult;
  saveTraceDir?: string;
  /** How failed traces are saved in saveTraceDir (default json). */
  saveTraceFormat?: TraceFileFormat;
  signal?: AbortSignal;
  onTick?(stats: LoadStats, tally: CheckTally): void;
  /** Each answer of the load (or failure to get one). */
  onAnswered?(answer: Answer): void;
  /** Each sampled trace once judged (as shown), or given up on (not settled). */
  onChecked?(result: TestRunResult, settled: boolean): void;
  onSaveError?(message: string): void;
}

/** The test's trigger rendered once, ready to send many times; http and graphql triggers only. */
export async function prepareLoadCall(run: TestRunContext): Promise<{ ok: true; call: HttpCall } | { ok: false; error: TriggerFailure }> {
  const request = {
    trigger: run.test.trigger,
    testFile: run.path,
    files: run.files,
    variables: run.variables,
    processEnv: run.processEnv,
    context: newTraceContext(),
    timeoutMs: run.timing.timeoutMs,
  };
  const { trigger } = run.test;
  if (trigger.type === 'http') return prepareHttp(request, trigger);
  if (trigger.type === 'graphql') return prepareGraphql(request, trigger);
  return { ok: false, error: { message: `load sends http and graphql triggers; this test's trigger is ${trigger.type}`, sent: false } };
}

/** The report, and how long the load itself ran. */
export async function loadSession(
  options: SessionOptions,
  call: HttpCall,
  profile: LoadProfile,
  sample: number,
): Promise<{ report: LoadReport; loadMs: number }> {
  const checks = traceChecks(options);
  const started = performance.now();
  try {
    const stats = await runLoad(
      call,
      profile,
      {
        sample: (context) => {
          const taken = Math.random() < sample && checks.take(context.traceId);
          if (!taken) checks.release(context.traceId);
          return taken;
        },
        onAnswered: (answer) => {
          if (answer.sampled) checks.answered(answer, performance.now());
          options.onAnswered?.(answer);
        },
        onTick: (stats) => options.onTick?.(stats, checks.tally),
      },
      options.signal,
    );
    await checks.drain();
    return { report: report(options, LOAD_ENGINE, performance.now() - started, checks.tally, stats), loadMs: stats.elapsedMs };
  } finally {
    checks.dispose();
  }
}

export async function checkSession(options: SessionOptions, traceIds: readonly string[]): Promise<{ report: LoadReport }> {
  const checks = traceChecks(options);
  const started = performance.now();
  try {
    for (const id of traceIds) {
      if (options.signal?.aborted) break;
      await checks.room();
      checks.traceId(id);
    }
    await checks.drain();
    return { report: report(options, CHECK_ENGINE, performance.now() - started, checks.tally) };
  } finally {
    checks.dispose();
  }
}

function traceChecks(options: SessionOptions): TraceChecks {
  const dir = options.saveTraceDir;
  return new TraceChecks({
    // Under load, a service's spans come later the busier it is: no judgement before the export delay on what is missing.
    run: { ...options.run, learnedLateness: false },
    maxInFlight: options.maxChecks,
    ...(options.store ? { store: options.store, sharedStore: options.sharedStore === true } : {}),
    shown: options.shown,
    ...(options.onChecked ? { onChecked: options.onChecked } : {}),
    ...(dir
      ? {
          saveTrace: (result: TestRunResult) =>
            result.trace
              ? saveTraceFile(dir, `${slug(result.id || result.name)}-${result.traceId}`, result.trace.spans, options.saveTraceFormat).catch((e: Error) => {
                  options.onSaveError?.(e.message);
                  return null;
                })
              : Promise.resolve(null),
        }
      : {}),
  });
}

function report(options: SessionOptions, engine: string, durationMs: number, tally: CheckTally, load?: LoadStats): LoadReport {
  const { run } = options;
  return loadReport({
    test: { file: run.file, id: run.test.id?.value ?? '', name: run.name },
    engine,
    durationMs,
    ...(load ? { load } : {}),
    tally,
    passRate: options.passRate,
  });
}
