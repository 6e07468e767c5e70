// Runs what a TestRunRequest asks for. "Run": through the Runner (trigger, trace, assertions) with the editor's
// trace source, variables, polling profiles and timing. "Re-check": no request sent, the current specs evaluated
// against the test's last trace in the store. Jobs run one after another; cancellation aborts the one in flight.
import { resolve } from 'node:path';
import type * as vscode from 'vscode';
import type { GateSettings } from '../../core/analyzer/index';
import type { TestRunResult } from '../../core/engine/result';
import { worstStatus } from '../../core/engine/result';
import type { Redactor } from '../../core/redact/redactor';
import { redactResult } from '../../core/redact/results';
import { loadFile, type LoadedFile, type PollingProfileDef } from '../../core/testfile/index';
import { phaseState, progressLine, type PhaseState } from '../../run/reporters/progress';
import { RunHistory } from '../../run/run-history';
import type { Runner } from '../../run/runner';
import type { TraceSource } from '../../run/sources/types';
import type { Timing } from '../../run/timing';
import { redactorFor } from '../../run/variables';
import type { PanelTarget } from '../panel/trace-panels';
import type { EditorRunHistory } from '../history/editor-run-history';
import { entriesOf, findTest } from '../results/file-entries';
import type { RunStore, StoredRun, TestKey } from '../run-store';
import type { RunEnvironment } from '../runtime/environment';
import { loadRunBundle } from '../runtime/load-run';
import { planJobs, reportedItems, type Job, type SuiteJob, type TestJob } from './plan';
import { Reporter, type ResultView } from './report';
import type { StepTarget, TestTree } from './tree';
import type { TestDocuments } from '../editor/test-documents';
import type { VscodeApi } from '../editor/vscode-api';

export type RunMode = 'run' | 'recheck';

export interface TestingDeps {
  store: RunStore;
  env: RunEnvironment;
  documents: TestDocuments;
  /** Each test's last runs, kept across reloads; absent without a workspace. */
  history?: EditorRunHistory;
}

interface RunContext {
  mode: RunMode;
  run: vscode.TestRun;
  reporter: Reporter;
  signal: AbortSignal;
  variables: Map<string, string>;
  /** Masks the run's secrets in everything it shows: output, messages, what the store keeps for the editor. */
  redactor: Redactor;
  source?: TraceSource;
  pollingProfiles: PollingProfileDef[];
  gates: GateSettings;
  timing: Partial<Timing>;
  /** The first test of this run that failed with a trace: its panel opens when the run ends. */
  firstFailure?: PanelTarget;
}

const processEnv = (name: string): string | undefined => process.env[name];

function noteFailure(ctx: RunContext, target: PanelTarget, result: TestRunResult): void {
  if (ctx.mode === 'run' && !ctx.firstFailure && result.status !== 'passed' && result.trace) ctx.firstFailure = { path: target.path, key: target.key };
}

export class TestExecutor {
  /** Each test's last judged trace, for the whole window: a run expects the services of the last one again. */
  private readonly history = new RunHistory();

  constructor(
    private readonly api: VscodeApi,
    private readonly tree: TestTree,
    private readonly deps: TestingDeps,
    /** Opens the panel of a test whose run failed (the first such test of a run). */
    private readonly showFailure: (target: PanelTarget) => Promise<void>,
  ) {}

  async execute(request: vscode.TestRunRequest, token: vscode.CancellationToken, mode: RunMode): Promise<void> {
    if (!request.include) await this.tree.discoverWorkspace();
    const jobs = planJobs(this.tree, request);
    const run = this.tree.controller.createTestRun(request, mode === 'recheck' ? 'Re-check against last trace' : undefined, true);
    // The Testing view's stop button cancels the run's own token; a profile's handler also gets `token`.
    const abort = new AbortController();
    let ctx: RunContext | undefined;
    const listeners = [token.onCancellationRequested(() => abort.abort()), run.token.onCancellationRequested(() => abort.abort())];
    if (token.isCancellationRequested || run.token.isCancellationRequested) abort.abort();
    // From now (starting the trace source can take a while) until each job is done, its tests' panels show them running.
    const running = new Map(jobs.map((job) => [job, this.testsOf(job).map((t) => this.deps.store.startRun(t.path, t.key))]));
    const endRunning = (job: Job) => running.get(job)?.forEach((end) => end());
    try {
      for (const job of jobs) for (const item of reportedItems(job)) run.enqueued(item);
      ctx = await this.context(mode, run, abort.signal, jobs);
      if (!ctx) return;
      for (const job of jobs) {
        if (abort.signal.aborted) {
          for (const item of reportedItems(job)) run.skipped(item);
          endRunning(job);
          continue;
        }
        for (const item of reportedItems(job)) run.started(item);
        if (job.kind === 'broken') run.errored(job.item, new this.api.TestMessage(job.message));
        else if (job.kind === 'test') await this.testJob(ctx, job);
        else await this.suiteJob(ctx, job);
        endRunning(job);
      }
    } finally {
      // Whatever stopped the run (the source refused, an exception), no panel is left showing it running.
      for (const job of jobs) endRunning(job);
      for (const l of listeners) l.dispose();
      run.end();
    }
    if (ctx?.firstFailure && !abort.signal.aborted) await this.showFailure(ctx.firstFailure);
  }

  /** The tests a job runs: a test's own, a suite's steps' (whose results go to those tests' panels). */
  private testsOf(job: Job): StepTarget[] {
    if (job.kind === 'test') return [{ path: job.path, key: job.key, label: '' }];
    const out: StepTarget[] = [];
    if (job.kind === 'suite')
      this.tree.itemFor(job.path, job.key)?.children.forEach((child) => {
        const data = this.tree.dataOf(child);
        if (data?.kind === 'step' && data.target) out.push(data.target);
      });
    return out;
  }

  /** What every job needs; when the trace source cannot start, every job errors with the reason. */
  private async context(mode: RunMode, run: vscode.TestRun, signal: AbortSignal, jobs: Job[]): Promise<RunContext | undefined> {
    const reporter = new Reporter(this.api, run);
    try {
      const needsSource = mode === 'run' && jobs.some((j) => j.kind !== 'broken');
      const source = needsSource ? await this.deps.env.acquireSource() : undefined;
      const variables = await this.deps.env.variables();
      return {
        mode,
        run,
        reporter,
        signal,
        variables: variables.values,
        redactor: redactorFor(variables),
        pollingProfiles: mode === 'run' ? await this.deps.env.pollingProfiles() : [],
        gates: await this.deps.env.gateSettings(),
        timing: this.deps.env.timing(),
        ...(source ? { source } : {}),
      };
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      this.deps.env.log(`run not started: ${reason}`);
      run.appendOutput(`run not started: ${reason}\r\n`);
      for (const job of jobs) for (const item of reportedItems(job)) run.errored(item, new this.api.TestMessage(reason));
      return undefined;
    }
  }

  private async testJob(ctx: RunContext, job: TestJob): Promise<void> {
    const uri = this.api.Uri.file(job.path);
    const file = await this.load(uri);
    const entry = file && findTest(file, job.key);
    if (!file || !entry)
      return this.errorAll(ctx, job, file ? `test ${job.key} is no longer in ${this.api.workspace.asRelativePath(uri, false)}` : `cannot read ${job.path}`);
    let result: TestRunResult | undefined;
    if (ctx.mode === 'recheck') {
      result = await this.recheck(ctx, job.path, job.key, file);
      if (!result) return this.errorAll(ctx, job, 'no trace to re-check against: run the test first');
    } else {
      const only: LoadedFile = { ...file, resources: file.resources.filter((r) => r.document === entry.document) };
      [result] = await (await this.runner(ctx, job.item, this.testsOf(job))).runFiles([only]);
    }
    if (!result) return this.errorAll(ctx, job, 'the run produced no result');
    if (ctx.signal.aborted) {
      for (const item of reportedItems(job)) ctx.run.skipped(item);
      return;
    }
    const stored = this.deps.store.set(job.path, job.key, result, ctx.redactor);
    if (ctx.mode === 'run') this.keep(stored, ctx.redactor);
    noteFailure(ctx, { path: job.path, key: job.key }, stored.result);
    // Report against the text as it is now: the author may have typed while the trace was collected.
    const view: ResultView = { result: stored.result, file: (await this.load(uri)) ?? file, uri };
    if (job.item) ctx.reporter.test(job.item, view, job.key);
    for (const [specIndex, item] of job.specItems) ctx.reporter.spec(item, view, job.key, specIndex);
  }

  private async suiteJob(ctx: RunContext, job: SuiteJob): Promise<void> {
    const uri = this.api.Uri.file(job.path);
    const file = await this.load(uri);
    const entry = file && entriesOf(file).find((e) => e.kind === 'suite' && e.key === job.key);
    if (!file || !entry || entry.kind !== 'suite')
      return this.errorAll(ctx, job, `suite ${job.key} is no longer in ${this.api.workspace.asRelativePath(uri, false)}`);
    const targets = entry.suite.steps.map((step) => ({ step: step.value, target: this.tree.resolveStep(job.path, step) }));
    let results: TestRunResult[];
    if (ctx.mode === 'recheck') {
      results = [];
      for (const { target } of targets) {
        const stepFile = target && (await this.load(this.api.Uri.file(target.path)));
        const rechecked = target && stepFile ? await this.recheck(ctx, target.path, target.key, stepFile) : undefined;
        if (rechecked) results.push(rechecked);
      }
    } else {
      const only: LoadedFile = { ...file, resources: file.resources.filter((r) => r.document === entry.document) };
      results = await (await this.runner(ctx, job.item, this.testsOf(job))).runFiles([only]);
    }
    if (ctx.signal.aborted) {
      for (const item of reportedItems(job)) ctx.run.skipped(item);
      return;
    }
    const views = await this.storeStepResults(results, ctx.redactor, ctx.mode);
    for (const view of views) if (view.path) noteFailure(ctx, view, view.result);
    const unused = new Set(views);
    targets.forEach(({ step, target }, stepIndex) => {
      const view = [...unused].find((v) => (target ? v.path === target.path && v.key === target.key : v.result.name === step));
      if (view) unused.delete(view);
      const item = job.stepItems.get(stepIndex);
      if (!item) return;
      if (view) ctx.reporter.test(item, view, view.key);
      else if (ctx.mode === 'recheck') ctx.run.errored(item, new this.api.TestMessage(`no trace to re-check step ${step} against: run the suite first`));
      else ctx.run.skipped(item);
    });
    if (job.item) {
      const shown = views.map((v) => v.result);
      const status = worstStatus(shown.map((r) => r.status));
      const duration = shown.reduce((sum, r) => sum + r.durationMs, 0);
      const firstBad = shown.find((r) => r.status === status);
      if (status === 'passed' && results.length > 0) ctx.run.passed(job.item, duration);
      else if (status === 'failed') ctx.run.failed(job.item, new this.api.TestMessage(`step ${firstBad?.name ?? ''} failed`), duration);
      else ctx.run.errored(job.item, new this.api.TestMessage(firstBad?.error ?? 'no step ran'), duration);
    }
  }

  /** Each step's result goes to the store under the step test's own file and key; the views show them masked. */
  private async storeStepResults(results: TestRunResult[], redactor: Redactor, mode: RunMode): Promise<Array<ResultView & { path: string; key: TestKey }>> {
    const out: Array<ResultView & { path: string; key: TestKey }> = [];
    for (const result of results) {
      const path = resolve(result.file);
      const uri = this.api.Uri.file(path);
      const file = await this.load(uri);
      // A step that never ran (unresolvable, or after an errored step) has no trigger type: it is reported on the step
      // item only, and the test's previous result (and trace) stays in the store.
      const ran = result.trigger.type !== '';
      const key = ran && file ? keyOfResult(file, result) : undefined;
      if (!file || key === undefined) {
        out.push({ result: redactResult(result, redactor, { keepSourceText: true }), file: file ?? loadFile('', path), uri, path: '', key: '' });
        continue;
      }
      const stored = this.deps.store.set(path, key, result, redactor);
      if (mode === 'run') this.keep(stored, redactor);
      out.push({ result: stored.result, file, uri, path, key });
    }
    return out;
  }

  /** A run (not a re-check: that judges a trace the history has) goes to the history, in the background. */
  private keep(stored: StoredRun, redactor: Redactor): void {
    void this.deps.history?.add(stored.path, stored.key, stored.result, stored.at, redactor);
  }

  /** The current specs against the stored trace (as it arrived, secrets included): no request, no waiting. */
  private async recheck(ctx: RunContext, path: string, key: TestKey, file: LoadedFile): Promise<TestRunResult | undefined> {
    const stored = this.deps.store.get(path, key);
    const trace = stored?.realTrace ?? stored?.result.trace;
    const entry = findTest(file, key);
    if (!stored || !trace || !entry) return undefined;
    const { recheckResult } = await loadRunBundle();
    return recheckResult(stored.result, entry.test, trace, { variables: ctx.variables, processEnv, gates: ctx.gates, text: file.text });
  }

  /** `tests`: what the job runs, to tell each test's panel where its run is (a suite's steps matched by name). */
  private async runner(ctx: RunContext, item: vscode.TestItem | undefined, tests: readonly StepTarget[]): Promise<Runner> {
    const runs = new Map<number, StepTarget>();
    const { Runner } = await loadRunBundle();
    return new Runner({
      variables: ctx.variables,
      ...(ctx.source ? { source: ctx.source } : {}),
      pollingProfiles: ctx.pollingProfiles,
      gates: ctx.gates,
      timing: ctx.timing,
      history: this.history,
      processEnv,
      files: (testFile) => this.deps.env.fileReferences(testFile),
      signal: ctx.signal,
      playwright: this.deps.env.playwright(),
      onEvent: (event) => {
        if (event.type === 'test-started') {
          const test = tests.length === 1 ? tests[0] : tests.find((t) => t.label === event.name);
          if (test) runs.set(event.run, test);
        } else if (event.type === 'test-progress' && event.phase !== 'late') {
          const test = runs.get(event.run);
          if (test) this.deps.store.setPhase(test.path, test.key, redactPhase(phaseState(event), ctx.redactor));
        }
        const progress = progressLine(event);
        if (progress === undefined) return;
        const line = ctx.redactor.text(progress);
        ctx.run.appendOutput(`${line.replace(/\r?\n/g, '\r\n')}\r\n`, undefined, item);
        this.deps.env.log(line);
      },
    });
  }

  private errorAll(ctx: RunContext, job: Job, reason: string): void {
    for (const item of reportedItems(job)) ctx.run.errored(item, new this.api.TestMessage(reason));
  }

  private async load(uri: vscode.Uri): Promise<LoadedFile | undefined> {
    return (await this.deps.documents.read(uri))?.file;
  }
}

/** Results carry the test id (or, without one, its name): find the test's key in its file. */
export function keyOfResult(file: LoadedFile, result: TestRunResult): TestKey | undefined {
  const tests = entriesOf(file).filter((e) => e.kind === 'test');
  const entry = result.id ? tests.find((e) => e.kind === 'test' && e.test.id?.value === result.id) : tests.find((e) => e.label === result.name);
  return entry?.key;
}

/** A run's phase as the panel shows it: the reasons it waits name specs and selectors, which may hold a secret. */
function redactPhase(phase: PhaseState, redactor: Redactor): PhaseState {
  if (redactor.empty) return phase;
  return {
    state: redactor.text(phase.state),
    ...(phase.waiting ? { waiting: { ...phase.waiting, reasons: phase.waiting.reasons.map((r) => redactor.text(r)) } } : {}),
  };
}
