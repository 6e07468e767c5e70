// "Run under load…": asks for the rate, duration and sample rate, then runs the load session of `tracelens load`
// (from the run bundle) with the editor's trace source, variables and timing, showing it live in a load panel and
// a cancellable progress notification. The build bundles this module on its own (dist/load-editor.js), loaded on
// the first "Run under load…", so activation does not load it.
import type * as vscode from 'vscode';
import type { TestRunResult } from '../../core/engine/result';
import type { TestDef } from '../../core/testfile/model';
import type { FailingTrace, LoadSessionInfo, LoadStatus, LoadTotals } from '../../load-protocol';
import type { VscodeApi } from '../editor/vscode-api';
import type { TestDocuments } from '../editor/test-documents';
import type { PanelTarget, TracePanels } from '../panel/trace-panels';
import type { RunStore } from '../run-store';
import type { FailingTraces } from '../../run/load/series';
import type { RunEnvironment } from '../runtime/environment';
import { loadRunBundle } from '../runtime/load-run';
import { describeLoad, LOAD_INPUT_DEFAULTS, parseLoadDuration, parseRate, parseSample, type LoadInput } from './load-input';
import { LoadPanel } from './load-panel';

/** The test to load: found in its file (and its trigger checked) by the command, in what activation loads. */
export interface LoadTarget extends PanelTarget {
  test: TestDef;
  label: string;
  text: string;
}

export interface LoadDeps {
  env: RunEnvironment;
  store: RunStore;
  documents: Pick<TestDocuments, 'read'>;
  panels: Pick<TracePanels, 'show'>;
  extensionUri: vscode.Uri;
}

/** The last values asked for, offered again next time (for the window's life). */
let lastInput = { ...LOAD_INPUT_DEFAULTS };
/** Loads running, by test: one at a time per test. */
const running = new Set<string>();

/**
 * Runs the test under load. `given` (the command's third argument, e.g. from a keybinding: `{ "rate": "20/s",
 * "duration": "30s", "sample": "0.1" }`) skips the questions when all three values are valid.
 */
export async function runUnderLoad(api: VscodeApi, deps: LoadDeps, target: LoadTarget, given?: unknown): Promise<void> {
  const id = `${target.path}\n${target.key}`;
  if (running.has(id)) {
    await api.window.showInformationMessage(`A load is already running on ${target.label}: stop it first.`);
    return;
  }
  const input = givenInput(given) ?? (await askInput(api, target.label));
  if (!input) return;
  const abort = new AbortController();
  running.add(id);
  try {
    await new LoadRun(api, deps, target, input, abort).run();
  } finally {
    running.delete(id);
  }
}

function givenInput(given: unknown): LoadInput | undefined {
  const values = given as { rate?: unknown; duration?: unknown; sample?: unknown } | undefined;
  if (!values || typeof values !== 'object') return undefined;
  const rate = parseRate(String(values.rate));
  const duration = parseLoadDuration(String(values.duration));
  const sample = parseSample(String(values.sample));
  return rate.ok && duration.ok && sample.ok ? { rate: rate.value, durationMs: duration.value, sample: sample.value } : undefined;
}

async function askInput(api: VscodeApi, name: string): Promise<LoadInput | undefined> {
  const ask = async <T>(step: number, prompt: string, value: string, parse: (text: string) => { ok: true; value: T } | { ok: false; message: string }) => {
    const text = await api.window.showInputBox({
      title: `Run ${name} under load (${step}/3)`,
      prompt,
      value,
      ignoreFocusOut: true,
      validateInput: (t) => {
        const parsed = parse(t);
        return parsed.ok ? undefined : parsed.message;
      },
    });
    if (text === undefined) return undefined;
    const parsed = parse(text);
    return parsed.ok ? { text, value: parsed.value } : undefined;
  };
  const rate = await ask(1, 'Requests a second', lastInput.rate, parseRate);
  if (!rate) return undefined;
  const duration = await ask(2, 'How long the load runs', lastInput.duration, parseLoadDuration);
  if (!duration) return undefined;
  const sample = await ask(3, 'Share of requests whose trace is checked with the test’s specs (0 to 1)', lastInput.sample, parseSample);
  if (!sample) return undefined;
  lastInput = { rate: rate.text, duration: duration.text, sample: sample.text };
  return { rate: rate.value, durationMs: duration.value, sample: sample.value };
}

/** One load session: its panel, its progress notification, its failing traces. */
class LoadRun {
  private readonly panel: LoadPanel;
  private failing: FailingTraces | undefined;
  private mask: (text: string) => string = (t) => t;

  constructor(
    private readonly api: VscodeApi,
    private readonly deps: LoadDeps,
    private readonly target: LoadTarget,
    private readonly input: LoadInput,
    private readonly abort: AbortController,
  ) {
    const { test, label: name } = target;
    const info: LoadSessionInfo = {
      test: { name, label: api.workspace.asRelativePath(api.Uri.file(target.path), false) },
      specs: test.specs.map((s) => s.name?.value ?? s.selector.value),
      profile: describeLoad(input),
      durationMs: input.durationMs,
    };
    this.panel = new LoadPanel(api, deps.extensionUri, info, {
      stop: () => abort.abort(),
      openTrace: (traceId) => this.openTrace(traceId),
      log: (line) => deps.env.log(line),
    });
  }

  async run(): Promise<void> {
    const { api } = this;
    await api.window.withProgress(
      { location: api.ProgressLocation.Notification, title: `Load on ${this.target.label}`, cancellable: true },
      async (progress, token) => {
        const cancel = token.onCancellationRequested(() => this.abort.abort());
        try {
          const ended = await this.session((line) => progress.report({ message: line }));
          this.panel.ended(ended.status, ended.message, this.failingList(), ended.totals);
          this.deps.env.log(`load on ${this.target.label}: ${ended.message}`);
        } catch (e) {
          const message = e instanceof Error ? e.message : String(e);
          this.panel.ended('error', message, this.failingList(), null);
          this.deps.env.log(`load on ${this.target.label} not run: ${message}`);
        } finally {
          cancel.dispose();
        }
      },
    );
  }

  private async session(report: (line: string) => void): Promise<{ status: LoadStatus; message: string; totals: LoadTotals | null }> {
    const { env } = this.deps;
    const signal = this.abort.signal;
    const source = await env.acquireSource();
    const variables = await env.variables();
    const bundle = await loadRunBundle();
    const redactor = bundle.redactorFor(variables);
    this.mask = (t) => redactor.text(t);
    const timing = bundle.timingFor(this.target.test, await env.pollingProfiles(), env.timing());
    if (!timing.ok) throw new Error(timing.error);
    const run = {
      test: this.target.test,
      path: this.target.path,
      file: this.api.workspace.asRelativePath(this.api.Uri.file(this.target.path), false),
      text: this.target.text,
      name: this.target.label,
      variables: variables.values,
      processEnv: (name: string) => process.env[name],
      files: env.fileReferences(this.target.path),
      timing: timing.value,
      gates: await env.gateSettings(),
      source,
      signal,
    };
    const prepared = await bundle.prepareLoadCall(run);
    if (!prepared.ok) throw new Error(prepared.error.message);
    const model = { kind: 'open' as const, rate: this.input.rate };
    const series = new bundle.LoadSeries(this.target.test, { model, rampUpMs: 0 });
    const failing = (this.failing = new bundle.FailingTraces());
    this.panel.started(series.points);
    const { report: result } = await bundle.loadSession(
      {
        run,
        // The window's receiver also holds other tests' and the Traces view's traces: only this load's unsampled ones go.
        ...(source instanceof bundle.ReceiverSource ? { store: source.store, sharedStore: true } : {}),
        maxChecks: 200,
        passRate: 1,
        shown: (r) => r,
        signal,
        onAnswered: (answer) => series.answered(answer.latencyMs),
        onChecked: (checked, settled) => {
          if (!settled) return;
          series.checked(checked);
          failing.add(checked);
        },
        onTick: (stats, tally) => {
          const totals = bundle.loadTotals(stats, tally);
          this.panel.tick(series.tick(stats), this.failingList(), totals);
          report(progressLine(totals, this.input.durationMs));
        },
      },
      prepared.call,
      { model, durationMs: this.input.durationMs, rampUpMs: 0, maxInFlight: 5000 },
      this.input.sample,
    );
    const { traces } = result;
    const totals: LoadTotals = {
      elapsedMs: result.durationMs,
      requests: result.requests ?? 0,
      errors: result.errors ?? 0,
      checked: traces.checked,
      passed: traces.passed,
      failed: traces.failed,
      errored: traces.errored,
      unresolved: traces.unresolved,
      passRate: result.passRate,
      latencyP95: result.latencyMs?.p95 ?? 0,
    };
    const rate = result.passRate === null ? 'no trace judged' : `pass rate ${Number((result.passRate * 100).toFixed(2))}%`;
    const counts = `${totals.requests} requests, ${totals.errors} errors; ${traces.checked} traces checked: ${traces.passed} passed, ${traces.failed} failed, ${traces.errored} errored, ${traces.unresolved} unresolved; ${rate}`;
    if (signal.aborted) return { status: 'stopped', message: `Stopped: ${counts}`, totals };
    return { status: result.status, message: `${result.status === 'passed' ? 'Passed' : 'Failed'}: ${counts}`, totals };
  }

  /** The failing traces as the page shows them: secrets masked. */
  private failingList(): FailingTrace[] {
    return (this.failing?.list() ?? []).map((f) => ({
      ...f,
      specs: f.specs.map(this.mask),
      ...(f.error !== undefined ? { error: this.mask(f.error) } : {}),
    }));
  }

  /** The trace panel of the test shows that run: it becomes the test's last run (the store masks its secrets). */
  private async openTrace(traceId: string): Promise<void> {
    const result: TestRunResult | undefined = this.failing?.result(traceId);
    if (!result) {
      await this.api.window.showInformationMessage('That trace is no longer kept: the load panel keeps the last 25 failing traces.');
      return;
    }
    const variables = await this.deps.env.variables({ ask: false });
    this.deps.store.set(this.target.path, this.target.key, result, (await loadRunBundle()).redactorFor(variables));
    await this.deps.panels.show(this.target);
  }
}

function progressLine(totals: LoadTotals, durationMs: number): string {
  const seconds = Math.round(totals.elapsedMs / 1000);
  const rate = totals.passRate === null ? '' : `, ${Number((totals.passRate * 100).toFixed(1))}% passed`;
  return `${seconds}/${Math.round(durationMs / 1000)} s · ${totals.requests} requests · p95 ${totals.latencyP95} ms · ${totals.checked} traces checked${rate}`;
}
