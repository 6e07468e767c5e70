// The trace panel's host: one webview panel per test, showing its last trace; "Show trace", "Open trace at span"
// and a failed run open (or focus) it. Messages go through src/protocol.ts both ways: nothing is posted before
// the page says `ready`, and nothing it posts is used before it is checked. The trace goes to a page once: a
// re-check (or any new result on the same trace) sends only the results, so the page keeps its layout and selection. Panels come back after a reload
// through the serializer, with the test's last stored run (the run history). While the test runs (however it was
// started) the page is told, so it can show it and not offer a second run. With a run history the page can switch
// to an earlier run, and compare a failed run with the last one that passed.
import type * as vscode from 'vscode';
import type { AddAssertionMessage, AddOutputMessage, ComparisonMessage, HostMessage, PanelRun, RunningMessage, WebviewMessage } from '../../protocol';
import type { HistoryEntry, EditorRunHistory } from '../history/editor-run-history';
import { checkPanelState, checkWebviewMessage, VIEW_TYPE } from '../../protocol';
import type { Trace } from '../../core/trace/model';
import { phaseSummary, type PhaseState } from '../../run/reporters/progress';
import { findTest } from '../results/file-entries';
import type { RunStore, StoredRun, TestKey } from '../run-store';
import type { RunEnvironment } from '../runtime/environment';
import { readSettings } from '../settings';
import type { TestDocuments } from '../editor/test-documents';
import type { VscodeApi } from '../editor/vscode-api';
import type { TestRuns } from '../editor/test-runs';
import { asSentence, type AssertService } from '../click-to-assert/assert-service';
import { loadRunBundle } from '../runtime/load-run';
import { CODICONS, makeNonce, PAGE_ROOTS, panelHtml } from './html';
import { resultsMessage, traceMessage } from './payload';

export interface PanelTarget {
  path: string;
  key: TestKey;
}

export interface ShowOptions {
  /** Centre and select this span. */
  spanId?: string;
  /** Keep the focus where it is (a run that just failed). */
  preserveFocus?: boolean;
  /** Show this run of the run history rather than the latest. */
  runId?: string;
}

type Deps = Pick<RunEnvironment, 'log'>;

const idOf = (t: PanelTarget) => `${t.path}\n${t.key}`;

export class TracePanels implements vscode.WebviewPanelSerializer {
  private readonly open = new Map<string, TracePanel>();
  /** Traces shown with no test, by trace id. */
  private readonly browsing = new Map<string, BrowsePanel>();

  constructor(
    readonly api: VscodeApi,
    private readonly extensionUri: vscode.Uri,
    readonly store: RunStore,
    readonly deps: Deps,
    readonly assert: AssertService,
    readonly runs: Pick<TestRuns, 'runTest'>,
    readonly documents: Pick<TestDocuments, 'read'>,
    readonly history?: EditorRunHistory,
  ) {}

  register(): vscode.Disposable[] {
    return [
      this.api.window.registerWebviewPanelSerializer(VIEW_TYPE, this),
      this.store.onDidChange((path) => {
        for (const panel of this.open.values()) if (panel.target.path === path) void panel.update();
      }),
      this.store.onDidChangeRunning((path, key, running, phase) => this.open.get(idOf({ path, key }))?.running(running, phase)),
      ...(this.history ? [this.history.onDidChange((path, key) => this.open.get(idOf({ path, key }))?.runsChanged())] : []),
      { dispose: () => [...this.open.values(), ...this.browsing.values()].forEach((p) => p.panel.dispose()) },
    ];
  }

  /** Opens the test's panel (or reveals it) and shows its last trace. */
  async show(target: PanelTarget, options: ShowOptions = {}): Promise<void> {
    let panel = this.open.get(idOf(target));
    if (panel) panel.panel.reveal(undefined, options.preserveFocus ?? false);
    else {
      const created = this.api.window.createWebviewPanel(
        VIEW_TYPE,
        'Trace',
        { viewColumn: this.api.ViewColumn.Beside, preserveFocus: options.preserveFocus ?? false },
        this.options(),
      );
      panel = this.attach(created, target);
    }
    if (options.runId !== undefined) panel.choose(options.runId);
    await panel.update(options.spanId);
  }

  /** After a run that failed: the panel comes up beside the editor without taking the focus, unless turned off. */
  async showFailure(target: PanelTarget): Promise<void> {
    if (!this.open.has(idOf(target)) && !readSettings(this.api.workspace).openPanelOnFailure) return;
    await this.show(target, { preserveFocus: true });
  }

  async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, state: unknown): Promise<void> {
    webviewPanel.webview.options = this.options();
    const { test } = checkPanelState(state);
    // A trace with no test (file '') was the receiver's: it is gone after a reload.
    if (!test?.file) {
      webviewPanel.dispose();
      return;
    }
    await this.attach(webviewPanel, { path: test.file, key: test.key }).update();
  }

  /**
   * Shows a trace with no test (one the receiver got) read-only: graph, timeline, selector bar and details, with a
   * "Create Test from Trace" button that calls `createTest`. The trace is shown as given (masked by the caller).
   */
  browse(trace: Trace, title: string, createTest: () => Promise<void>): void {
    const open = this.browsing.get(trace.traceId);
    if (open) {
      open.panel.reveal(undefined, false);
      return;
    }
    const created = this.api.window.createWebviewPanel(VIEW_TYPE, `Trace: ${title}`, { viewColumn: this.api.ViewColumn.Active }, this.options());
    this.setPage(created);
    const panel = new BrowsePanel(created, trace, title, createTest, this.deps);
    this.browsing.set(trace.traceId, panel);
    created.onDidDispose(() => {
      this.browsing.delete(trace.traceId);
      panel.dispose();
    });
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      localResourceRoots: PAGE_ROOTS.map((root) => this.api.Uri.joinPath(this.extensionUri, ...root)),
    };
  }

  private attach(webviewPanel: vscode.WebviewPanel, target: PanelTarget): TracePanel {
    this.setPage(webviewPanel);
    const panel = new TracePanel(webviewPanel, target, this);
    this.open.set(idOf(target), panel);
    webviewPanel.onDidDispose(() => {
      if (this.open.get(idOf(target)) === panel) this.open.delete(idOf(target));
      panel.dispose();
    });
    return panel;
  }

  private setPage(webviewPanel: vscode.WebviewPanel): void {
    const webview = webviewPanel.webview;
    const asset = (...parts: string[]) => webview.asWebviewUri(this.api.Uri.joinPath(this.extensionUri, ...parts)).toString();
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      script: asset('dist', 'webview', 'panel.js'),
      styles: [asset('media', 'panel.css'), asset('media', 'graph.css'), asset('media', 'timeline.css')],
      codicons: asset(...CODICONS, 'codicon.css'),
      title: 'Trace',
    });
  }
}

/** A trace with no test: sent once the page is ready (again after VS Code rebuilds a hidden page); only asks to create a test. */
class BrowsePanel {
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly trace: Trace,
    private readonly title: string,
    private readonly createTest: () => Promise<void>,
    private readonly deps: Deps,
  ) {
    this.subscriptions = [panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw))];
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  private async receive(raw: unknown): Promise<void> {
    const checked = checkWebviewMessage(raw);
    if (!checked.ok) {
      this.deps.log(`trace panel: ignored a message: ${checked.error}`);
      return;
    }
    if (checked.value.type === 'ready') {
      void this.panel.webview.postMessage(traceMessage(this.trace));
      void this.panel.webview.postMessage({ type: 'browse', traceId: this.trace.traceId, title: this.title } satisfies HostMessage);
    } else if (checked.value.type === 'createTest') await this.createTest();
  }
}

class TracePanel {
  /** The page is there and said `ready`: posts reach it. */
  private ready = false;
  /** It said `ready` before: a new `ready` is a page VS Code built again after hiding it. */
  private wasReady = false;
  private queue: HostMessage[] = [];
  /** `at` of the stored run the page was last sent. */
  private shownAt: number | undefined;
  /** The trace the page holds, or will once the queue is posted; undefined when it holds none (new, rebuilt, empty). */
  private sentTrace: Trace | undefined;
  /** The latest update, and the running messages queued after it. */
  private latest: Promise<void> = Promise.resolve();
  /** The run history's run the user chose; undefined: the latest. */
  private chosenId: string | undefined;
  /** `at` of the latest run in the store when the page was last sent one: a newer run is shown instead of a chosen one. */
  private latestAt: number | undefined;
  /** The run on the page, and its history entry when it has one. */
  private shown: { run: StoredRun; entry?: HistoryEntry } | undefined;
  /** The page compares a failed run with the last pass. */
  private comparing = false;
  /** Runs read from the history, by id: the one shown and the last pass it is compared with. */
  private readonly readRuns = new Map<string, StoredRun>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly target: PanelTarget,
    private readonly owner: TracePanels,
  ) {
    this.subscriptions = [
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      // A hidden panel's page is gone (its context is not retained, to spare memory on big traces): what is posted
      // meanwhile waits for the new page's `ready`.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
    ];
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  /** Sends the test's last run (or says there is none), focusing `spanId` when given. */
  update(spanId?: string): Promise<void> {
    const done = this.send(spanId);
    this.latest = Promise.allSettled([this.latest, done]).then(() => undefined);
    return done;
  }

  /**
   * Tells the page a run started or ended, after the update in flight: a run's end stores its result (an update)
   * just before, and the page should go from running straight to the new result, not through the old one.
   */
  running(running: boolean, phase?: PhaseState): void {
    this.latest = this.latest.then(() => this.post(runningMessage(running, phase)));
  }

  /** Shows a run of the history next (`latest`: the latest run). */
  choose(runId: string): void {
    this.chosenId = runId === 'latest' ? undefined : runId;
    // The latest run is the one there is now: only a newer one replaces the choice.
    this.latestAt = this.owner.store.get(this.target.path, this.target.key)?.at;
  }

  /** The history gained or lost a run of the test: the picker is sent again. */
  runsChanged(): void {
    this.latest = this.latest.then(async () => {
      if (this.shown) await this.sendRuns(this.shown);
    });
  }

  private async send(spanId?: string): Promise<void> {
    const { api } = this.owner;
    const shown = await this.runToShow();
    const run = shown?.run;
    // The page already has this run: only move to the span (a big trace is not sent again).
    if (run && run.at === this.shownAt && spanId !== undefined) {
      if (run.result.trace?.byId.has(spanId)) this.post({ type: 'focus', spanId });
      return;
    }
    const uri = api.Uri.file(this.target.path);
    const label = api.workspace.asRelativePath(uri, false);
    const current = await this.owner.documents.read(uri);
    const message = run && resultsMessage(run, current, label, spanId);
    this.shownAt = message ? run.at : undefined;
    this.shown = message ? shown : undefined;
    if (!message) {
      // The test's name from the file (after a reload no run is kept to take it from).
      const name = (current && findTest(current.file, this.target.key)?.label) ?? this.target.key;
      this.panel.title = `Trace: ${name}`;
      this.sentTrace = undefined;
      this.post({ type: 'empty', test: { file: this.target.path, label, key: this.target.key, name }, message: `No trace for ${name} yet: run the test.` });
    } else {
      // Secret values never reach the page: the form previews with what the service does (masked, like the trace).
      message.variables = [...(await this.owner.assert.variablesFor(run))];
      this.panel.title = `Trace: ${message.test.name}`;
      const trace = run.result.trace!;
      if (trace !== this.sentTrace) {
        this.sentTrace = trace;
        this.post(traceMessage(trace));
      }
      this.post(message);
      await this.sendRuns(shown);
    }
    // The page takes results or empty as the end of a run: one that arrives mid-run (a re-check, a suite's step) is not.
    this.postRunning();
  }

  /**
   * The run the user chose from the history, else the latest in this window, else (after a reload) the latest the
   * history kept. A new run in the store replaces a chosen one: it is what the user just ran.
   */
  private async runToShow(): Promise<{ run: StoredRun; entry?: HistoryEntry } | undefined> {
    const { store, history } = this.owner;
    const latest = store.get(this.target.path, this.target.key);
    if (latest && latest.at !== this.latestAt) {
      this.latestAt = latest.at;
      this.chosenId = undefined;
    }
    // The latest run goes to the page at once: the history (its entry, for the picker) is read after.
    if (latest && this.chosenId === undefined) return { run: latest };
    const entries = (await history?.runs(this.target.path, this.target.key)) ?? [];
    const entry = this.chosenId !== undefined ? entries.find((e) => e.id === this.chosenId) : entries[0];
    const run = entry && (await this.read(entry));
    return run ? { run, entry: entry! } : latest && { run: latest };
  }

  /** A run of the history, read once; undefined (and said in the output) when its file does not read. */
  private async read(entry: HistoryEntry): Promise<StoredRun | undefined> {
    const cached = this.readRuns.get(entry.id);
    if (cached) return cached;
    try {
      const result = await this.owner.history!.read(entry);
      const run: StoredRun = { path: this.target.path, key: this.target.key, result, at: entry.at };
      // The run shown and the last pass it is compared with are kept, no more.
      if (this.readRuns.size > 1) this.readRuns.clear();
      this.readRuns.set(entry.id, run);
      return run;
    } catch (e) {
      this.owner.deps.log(`trace panel: ${(e as Error).message}`);
      return undefined;
    }
  }

  /** The test's runs for the page's picker, and the comparison with the last pass while the page asks for it. */
  private async sendRuns(shown: { run: StoredRun; entry?: HistoryEntry }): Promise<void> {
    const { history, store } = this.owner;
    if (!history) return;
    const entries = await history.runs(this.target.path, this.target.key);
    const runs = entries.map(panelRun);
    const latest = store.get(this.target.path, this.target.key);
    // This window's latest result when the history does not hold it (a re-check, a run not kept, or not yet).
    if (latest && !entries.some((e) => e.at === latest.at)) runs.unshift(summary('latest', latest));
    // A run shown without its entry is the latest, which the history may have kept since.
    const shownId = (shown.entry ?? entries.find((e) => e.at === shown.run.at))?.id ?? 'latest';
    const lastPass = shown.run.result.status !== 'passed' ? entries.find((e) => e.status === 'passed' && e.at < shown.run.at) : undefined;
    this.post({ type: 'runs', runs, shownId, ...(lastPass ? { lastPassAt: lastPass.at } : {}), comparing: this.comparing && lastPass !== undefined });
    if (this.comparing && lastPass) this.post(await this.comparison(shown.run, lastPass));
  }

  /** The shown run's trace against the last pass's: spans missing and added, counts, attributes the specs read, durations. */
  private async comparison(run: StoredRun, lastPass: HistoryEntry): Promise<ComparisonMessage> {
    const trace = run.result.trace!;
    const base = { type: 'comparison' as const, traceId: trace.traceId, lastPassAt: lastPass.at };
    const passed = await this.read(lastPass);
    if (!passed?.result.trace) return { ...base, differences: [], error: 'The passing run does not read (see the output).' };
    const { sinceLastPass, describeDifference } = await loadRunBundle();
    const differences = sinceLastPass(passed.result.trace, { ...run.result, trace });
    return { ...base, differences: differences.map((d) => ({ kind: d.kind, text: describeDifference(d), spanIds: d.spanIds })) };
  }

  /** Tells the page the test is running, and where the run is, when it is. */
  private postRunning(): void {
    if (this.isRunning()) this.post(runningMessage(true, this.owner.store.phaseOf(this.target.path, this.target.key)));
  }

  private isRunning(): boolean {
    return this.owner.store.isRunning(this.target.path, this.target.key);
  }

  post(message: HostMessage): void {
    if (this.ready) {
      void this.panel.webview.postMessage(message);
      return;
    }
    // The state on `ready` says whether the test is running.
    if (message.type === 'running') return;
    // Before `ready` only the latest state matters: newer results replace older ones, a new trace (or none) both.
    if (message.type === 'trace' || message.type === 'empty') this.queue = this.queue.filter((m) => !isShown(m));
    if (message.type === 'results') this.queue = this.queue.filter((m) => m.type !== 'results' && m.type !== 'empty');
    if (message.type === 'runs' || message.type === 'comparison') this.queue = this.queue.filter((m) => m.type !== message.type);
    this.queue.push(message);
  }

  private async receive(raw: unknown): Promise<void> {
    const checked = checkWebviewMessage(raw);
    if (!checked.ok) {
      this.owner.deps.log(`trace panel: ignored a message: ${checked.error}`);
      return;
    }
    await this.handle(checked.value);
  }

  private async handle(message: WebviewMessage): Promise<void> {
    const { api } = this.owner;
    switch (message.type) {
      case 'ready': {
        const rebuilt = this.wasReady;
        this.ready = this.wasReady = true;
        const queued = this.queue;
        this.queue = [];
        if (rebuilt && !queued.some((m) => m.type === 'trace' || m.type === 'empty')) {
          // A page built again has no trace: send it all again, moving to the span asked for while it was hidden.
          const focus = queued.filter((m) => m.type === 'focus').at(-1);
          for (const m of queued) if (m.type === 'running' || m.type === 'written') void this.panel.webview.postMessage(m);
          this.shownAt = undefined;
          this.sentTrace = undefined;
          await this.update(focus?.spanId);
        } else for (const m of queued) void this.panel.webview.postMessage(m);
        this.postRunning();
        return;
      }
      case 'addAssertion':
      case 'addOutput':
        this.post({ type: 'written', requestId: message.requestId, ...(await this.write(message)) });
        return;
      case 'revealLine': {
        const document = await api.workspace.openTextDocument(api.Uri.file(this.target.path));
        const editor = await api.window.showTextDocument(document, { viewColumn: this.testColumn(), preview: false });
        const line = Math.min(message.line - 1, document.lineCount - 1);
        const range = new api.Range(line, 0, line, document.lineAt(line).text.length);
        editor.selection = new api.Selection(range.start, range.end);
        editor.revealRange(range, api.TextEditorRevealType.InCenterIfOutsideViewport);
        return;
      }
      case 'showRun':
        this.choose(message.id);
        await this.update();
        return;
      case 'compare':
        this.comparing = message.on;
        if (message.on && this.shown) await this.sendRuns(this.shown);
        return;
      case 'rerun': {
        // A second click (or one while the Testing view runs the test) would start a second run of the same request.
        if (this.isRunning()) return;
        // Running from the click on, until the command is done even if it never got to start a run (test gone).
        const end = this.owner.store.startRun(this.target.path, this.target.key);
        try {
          await this.owner.runs.runTest(api.Uri.file(this.target.path), this.target.key);
        } finally {
          end();
        }
        return;
      }
    }
  }

  /** Click-to-assert from the form: the shared service checks, writes and re-checks; the page gets a sentence. */
  private async write(message: AddAssertionMessage | AddOutputMessage): Promise<{ ok: boolean; message: string }> {
    const request = { ...this.target, spanId: message.spanId, selector: message.selector };
    const options = { saveIfClean: true, viewColumn: this.testColumn(), preserveFocus: true };
    const outcome =
      message.type === 'addAssertion'
        ? await this.owner.assert.addAssertion({ ...request, assertion: message.assertion }, options)
        : await this.owner.assert.addOutput({ ...request, name: message.name, value: message.value }, options);
    if (!outcome.ok) return { ok: false, message: asSentence(outcome.error) };
    const where = outcome.line !== undefined ? ` (line ${outcome.line + 1})` : '';
    if (outcome.note) return { ok: true, message: `Nothing to add: ${outcome.note}${where}.` };
    return {
      ok: true,
      message: message.type === 'addAssertion' ? `Added ${message.assertion.trim()}${where}.` : `Added output ${message.name.trim()}${where}.`,
    };
  }

  /** The column where the test file is open, else the first one (the panel opens beside it). */
  private testColumn(): vscode.ViewColumn {
    const { api } = this.owner;
    const open = api.window.visibleTextEditors.find((e) => e.document.uri.fsPath === this.target.path);
    return open?.viewColumn ?? api.ViewColumn.One;
  }
}

/** What the page shows of a run: its trace, its results, or that there is none; the runs and comparison that go with them. */
const isShown = (m: HostMessage) => m.type === 'trace' || m.type === 'results' || m.type === 'empty' || m.type === 'runs' || m.type === 'comparison';

/** What the page's picker shows of a run (a history entry carries more). */
const panelRun = ({ id, at, status, specs, failedSpecs, durationMs }: PanelRun): PanelRun => ({ id, at, status, specs, failedSpecs, durationMs });

function summary(id: string, run: StoredRun): PanelRun {
  const { result } = run;
  return {
    id,
    at: run.at,
    status: result.status,
    specs: result.specs.length,
    failedSpecs: result.specs.filter((s) => s.status !== 'passed').length,
    durationMs: result.durationMs,
  };
}

function runningMessage(running: boolean, phase: PhaseState | undefined): RunningMessage {
  return { type: 'running', running, ...(running && phase ? { progress: phaseSummary(phase) } : {}) };
}
