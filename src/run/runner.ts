// Runs tests and test suites: get the trace, compute outputs, evaluate specs, report progress.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { evaluateTest } from '../core/engine/evaluate';
import type { TestRunResult } from '../core/engine/result';
import type { LoadedFile, TestDef, TestSuiteDef } from '../core/testfile/model';
import { validateFile } from '../core/testfile/validate';
import { buildTrace } from '../core/trace/build';
import type { Trace } from '../core/trace/model';
import { displayPath, readTestFile } from './files';
import type { TraceFile } from './trace-file';

export type RunEvent =
  | { type: 'test-started'; file: string; name: string; suite?: string }
  | { type: 'test-finished'; result: TestRunResult };

export interface RunOptions {
  variables: ReadonlyMap<string, string>;
  /** Assert against this saved trace instead of sending the trigger (`--trace`). */
  replay: TraceFile;
  processEnv?: (name: string) => string | undefined;
  onEvent?: (event: RunEvent) => void;
  signal?: AbortSignal;
}

interface CatalogEntry {
  test: TestDef;
  path: string;
}

export class Runner {
  /** The replayed trace is the same for every test of the run: built once. */
  readonly replayTrace: Trace;
  private readonly catalog = new Map<string, CatalogEntry>();
  /** Files given to the run, already read and validated: suite steps that name them are not read again. */
  private readonly given = new Map<string, LoadedFile>();

  constructor(private readonly options: RunOptions) {
    this.replayTrace = buildTrace(options.replay.spans);
  }

  /** Runs every Test and TestSuite in the files, in order. Suite steps may name tests by id from these files. */
  async runFiles(files: readonly LoadedFile[]): Promise<TestRunResult[]> {
    for (const file of files) {
      this.given.set(resolve(file.fileName), file);
      for (const { resource } of file.resources) {
        if (resource?.kind === 'Test' && resource.id) this.catalog.set(resource.id.value, { test: resource, path: file.fileName });
      }
    }
    const results: TestRunResult[] = [];
    for (const file of files) {
      for (const { resource } of file.resources) {
        if (this.options.signal?.aborted) return results;
        if (resource?.kind === 'Test') results.push((await this.runTest(resource, file.fileName, this.options.variables)).result);
        else if (resource?.kind === 'TestSuite') results.push(...(await this.runSuite(resource, file.fileName)));
      }
    }
    return results;
  }

  private async runTest(
    test: TestDef,
    path: string,
    variables: ReadonlyMap<string, string>,
    suite?: string,
  ): Promise<{ result: TestRunResult; variables: ReadonlyMap<string, string> }> {
    const name = test.name?.value ?? test.id?.value ?? displayPath(path);
    this.options.onEvent?.({ type: 'test-started', file: displayPath(path), name, ...(suite ? { suite } : {}) });
    const started = performance.now();
    const trace = this.replayTrace;
    const evaluation = evaluateTest(test, trace, variables, this.options.processEnv ? { processEnv: this.options.processEnv } : {});
    const result: TestRunResult = {
      file: displayPath(path),
      id: test.id?.value ?? '',
      name,
      ...(suite ? { suite } : {}),
      status: evaluation.status,
      ...(evaluation.error ? { error: evaluation.error } : {}),
      traceId: trace.traceId,
      durationMs: Math.round(performance.now() - started),
      // A replayed trace behaves like a `traceid` trigger: nothing is sent.
      trigger: { type: 'traceid', durationMs: 0 },
      specs: evaluation.specs,
      outputs: evaluation.outputs,
      trace,
    };
    this.options.onEvent?.({ type: 'test-finished', result });
    return { result, variables: evaluation.variables };
  }

  /** Steps run in order, each seeing the outputs of the steps before it; an errored step stops the suite. */
  private async runSuite(suite: TestSuiteDef, path: string): Promise<TestRunResult[]> {
    const suiteName = suite.name?.value ?? suite.id?.value ?? displayPath(path);
    const results: TestRunResult[] = [];
    let variables = this.options.variables;
    let stoppedBy: string | undefined;
    for (const step of suite.steps) {
      const tests = await this.resolveStep(step.value, path);
      if ('error' in tests) {
        results.push(this.notRun(step.value, path, suiteName, tests.error));
        stoppedBy ??= step.value;
        continue;
      }
      for (const { test, path: testPath } of tests.entries) {
        if (stoppedBy !== undefined) {
          results.push(this.notRun(test.name?.value ?? step.value, testPath, suiteName, `not run: step ${stoppedBy} errored`));
          continue;
        }
        const run = await this.runTest(test, testPath, variables, suiteName);
        results.push(run.result);
        variables = run.variables;
        if (run.result.status === 'errored') stoppedBy = step.value;
      }
    }
    return results;
  }

  private async resolveStep(step: string, suitePath: string): Promise<{ entries: CatalogEntry[] } | { error: string }> {
    const path = resolve(dirname(suitePath), step);
    const given = this.given.get(path);
    if (given || existsSync(path)) {
      const loaded = given ?? (await readTestFile(path));
      const errors = given ? [] : validateFile(loaded).filter((p) => p.severity === 'error');
      if (errors.length > 0) {
        return { error: errors.map((p) => `${displayPath(path)}:${p.line}:${p.column}: ${p.message}`).join('\n') };
      }
      const entries = loaded.resources.flatMap((r) => (r.resource?.kind === 'Test' ? [{ test: r.resource, path }] : []));
      return entries.length > 0 ? { entries } : { error: `step ${step}: ${displayPath(path)} has no Test` };
    }
    const byId = this.catalog.get(step);
    if (byId) return { entries: [byId] };
    return { error: `step ${step}: no such file (relative to ${displayPath(suitePath)}) and no test with that id among the files given` };
  }

  private notRun(name: string, path: string, suite: string, error: string): TestRunResult {
    const result: TestRunResult = {
      file: displayPath(path),
      id: '',
      name,
      suite,
      status: 'errored',
      error,
      traceId: '',
      durationMs: 0,
      trigger: { type: 'traceid', durationMs: 0 },
      specs: [],
      outputs: [],
    };
    this.options.onEvent?.({ type: 'test-finished', result });
    return result;
  }
}
