// Runs tests and test suites: each test through trigger → trace → outputs → assertions, suites step by step,
// independent tests and suites concurrently, with progress events the CLI and the editor both consume.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { GateSettings } from '../core/analyzer/index';
import type { TestRunResult } from '../core/engine/result';
import type { LoadedFile, PollingProfileDef, TestDef, TestSuiteDef } from '../core/testfile/model';
import { buildTrace } from '../core/trace/build';
import type { RawSpan, Trace } from '../core/trace/model';
import { displayPath, readTestFile } from './files';
import { RunHistory } from './run-history';
import type { FileReferences } from './triggers/files';
import type { TraceSource } from './sources/types';
import { runTest, type PlaywrightRunSettings, type TestPhase } from './test-run';
import { timingFor, type Timing } from './timing';

/** `run` identifies one test run within a Runner: tests of different files may be in flight at once. */
export type RunEvent =
  | { type: 'test-started'; run: number; file: string; name: string; suite?: string }
  | ({ type: 'test-progress'; run: number } & TestPhase)
  | { type: 'test-finished'; run: number; result: TestRunResult };

export interface RunOptions {
  variables: ReadonlyMap<string, string>;
  /** Live runs: where traces come from (the embedded receiver, Jaeger, Tempo, a file). */
  source?: TraceSource;
  /** `--trace`: assert against these spans instead of sending triggers. */
  replay?: readonly RawSpan[];
  /** PollingProfiles known to the run: the `default: true` one applies to every test, a test may name another. */
  pollingProfiles?: readonly PollingProfileDef[];
  /** The Analyzer and the TestRunner's required gates found with the tests; default: every rule, `test-specs` only. */
  gates?: GateSettings;
  /** Flags and settings: win over profiles. */
  timing?: Partial<Timing>;
  /** Each test's last judged trace, which the next run of it expects again; default: this runner's own. */
  history?: RunHistory;
  /** Tests and suites of the run in flight at once (suite steps always run in order). Default 1. */
  concurrency?: number;
  processEnv?: (name: string) => string | undefined;
  /** For `playwrightengine` triggers: the browser, the script's time limit, where Playwright traces go. */
  playwright?: PlaywrightRunSettings;
  /** Where the files a test's trigger names may be; default: the test file's own folder. */
  files?: (testFile: string) => FileReferences;
  onEvent?: (event: RunEvent) => void;
  signal?: AbortSignal;
  /** `--shard i/n`: run only the i-th (1-based) of n parts of the tests and suites. */
  shard?: Shard;
}

export interface Shard {
  index: number;
  count: number;
}

interface CatalogEntry {
  test: TestDef;
  path: string;
}

type Job = { kind: 'test'; test: TestDef; path: string } | { kind: 'suite'; suite: TestSuiteDef; path: string };

export class Runner {
  private readonly catalog = new Map<string, CatalogEntry>();
  /** Test files of the run by absolute path, read and checked once: suite steps that name them are not read again. */
  private readonly files = new Map<string, LoadedFile>();
  private nextRun = 1;
  /** A replayed trace is the same for every test of the run: built once. */
  readonly replayTrace: Trace | undefined;
  private readonly history: RunHistory;

  constructor(private readonly options: RunOptions) {
    this.replayTrace = options.replay ? buildTrace(options.replay) : undefined;
    this.history = options.history ?? new RunHistory();
  }

  /** Runs every Test and TestSuite in the files; results come back in file order whatever order they finish in. */
  async runFiles(files: readonly LoadedFile[]): Promise<TestRunResult[]> {
    let jobs: Job[] = [];
    for (const file of files) {
      this.files.set(resolve(file.fileName), file);
      for (const { resource } of file.resources) {
        if (resource?.kind === 'Test') {
          if (resource.id) this.catalog.set(resource.id.value, { test: resource, path: file.fileName });
          jobs.push({ kind: 'test', test: resource, path: file.fileName });
        } else if (resource?.kind === 'TestSuite') jobs.push({ kind: 'suite', suite: resource, path: file.fileName });
      }
    }
    if (this.options.shard) jobs = shardOf(jobs, this.options.shard);
    const done: TestRunResult[][] = new Array(jobs.length);
    let next = 0;
    const worker = async () => {
      while (next < jobs.length && !this.options.signal?.aborted) {
        const index = next++;
        const job = jobs[index]!;
        done[index] = job.kind === 'test' ? [(await this.runOne(job.test, job.path, this.options.variables)).result] : await this.runSuite(job.suite, job.path);
      }
    };
    const width = Math.max(1, Math.min(this.options.concurrency ?? 1, jobs.length));
    await Promise.all(Array.from({ length: width }, worker));
    return done.flatMap((r) => r ?? []);
  }

  private async runOne(test: TestDef, path: string, variables: ReadonlyMap<string, string>, suite?: string) {
    const run = this.nextRun++;
    const file = displayPath(path);
    const name = test.name?.value ?? test.id?.value ?? file;
    const emit = this.options.onEvent ?? (() => {});
    emit({ type: 'test-started', run, file, name, ...(suite ? { suite } : {}) });
    const timing = timingFor(test, this.options.pollingProfiles ?? [], this.options.timing ?? {});
    if (!timing.ok) return { result: this.notRun(run, name, path, timing.error, suite), variables };
    const outcome = await runTest({
      test,
      path: resolve(path),
      file,
      text: this.files.get(resolve(path))?.text,
      name,
      ...(suite ? { suite } : {}),
      variables,
      processEnv: this.options.processEnv ?? (() => undefined),
      files: (this.options.files ?? testFolderOnly)(resolve(path)),
      timing: timing.value,
      ...(this.options.gates ? { gates: this.options.gates } : {}),
      ...(this.options.source ? { source: this.options.source } : {}),
      ...(this.replayTrace ? { replay: this.replayTrace } : { history: this.history }),
      ...(this.options.signal ? { signal: this.options.signal } : {}),
      ...(this.options.playwright ? { playwright: this.options.playwright } : {}),
      onPhase: (phase) => emit({ type: 'test-progress', run, ...phase }),
    });
    emit({ type: 'test-finished', run, result: outcome.result });
    return outcome;
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
        results.push(this.notRun(this.nextRun++, step.value, path, tests.error, suiteName));
        stoppedBy ??= step.value;
        continue;
      }
      for (const { test, path: testPath } of tests.entries) {
        if (stoppedBy !== undefined || this.options.signal?.aborted) {
          const why = stoppedBy !== undefined ? `not run: step ${stoppedBy} errored` : 'not run: the run was cancelled';
          results.push(this.notRun(this.nextRun++, test.name?.value ?? step.value, testPath, why, suiteName));
          continue;
        }
        const run = await this.runOne(test, testPath, variables, suiteName);
        results.push(run.result);
        variables = run.variables;
        if (run.result.status === 'errored') stoppedBy = step.value;
      }
    }
    return results;
  }

  private async resolveStep(step: string, suitePath: string): Promise<{ entries: CatalogEntry[] } | { error: string }> {
    const path = resolve(dirname(suitePath), step);
    const known = this.files.get(path);
    if (known || existsSync(path)) {
      const loaded = known ?? (await readTestFile(path));
      // Broken selectors and assertions are the step's own errored results; only a file that does not load stops it.
      const errors = known ? [] : loaded.problems.filter((p) => p.severity === 'error');
      if (errors.length > 0) {
        return { error: errors.map((p) => `${displayPath(path)}:${p.line}:${p.column}: ${p.message}`).join('\n') };
      }
      this.files.set(path, loaded);
      const entries = loaded.resources.flatMap((r) => (r.resource?.kind === 'Test' ? [{ test: r.resource, path }] : []));
      return entries.length > 0 ? { entries } : { error: `step ${step}: ${displayPath(path)} has no Test` };
    }
    const byId = this.catalog.get(step);
    if (byId) return { entries: [byId] };
    return { error: `step ${step}: no such file (relative to ${displayPath(suitePath)}) and no test with that id among the files given` };
  }

  private notRun(run: number, name: string, path: string, error: string, suite?: string): TestRunResult {
    const result: TestRunResult = {
      file: displayPath(path),
      id: '',
      name,
      ...(suite ? { suite } : {}),
      status: 'errored',
      error,
      traceId: '',
      durationMs: 0,
      trigger: { type: '', durationMs: 0 },
      specs: [],
      outputs: [],
    };
    this.options.onEvent?.({ type: 'test-finished', run, result });
    return result;
  }
}

/**
 * The jobs (a test, or a whole suite) of one shard: ordered by file path and place in the file, then dealt round
 * the shards, so every shard of a CI matrix computes the same split from the same files whatever order they were
 * named in, each job runs in exactly one shard, and shard sizes differ by one at most.
 */
export function shardOf<T extends { path: string }>(jobs: readonly T[], shard: Shard): T[] {
  const ordered = jobs.map((job, i) => ({ job, key: displayPath(resolve(job.path)), i })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.i - b.i));
  return ordered.filter((_, position) => position % shard.count === shard.index - 1).map((o) => o.job);
}

function testFolderOnly(testFile: string): FileReferences {
  return { root: dirname(testFile), allowOutside: false, widen: 'give the run a project root that holds it' };
}
