// The palette and CodeLens commands. Runs go through the same executor as the Testing view, so they show there.
import type * as vscode from 'vscode';
import { COMMANDS } from '../command-ids';
import type { RunStore, TestKey } from '../run-store';
import type { HistoryEntry, EditorRunHistory } from '../history/editor-run-history';
import type { RunMode } from './execute';
import type { TracePanels } from '../panel/trace-panels';
import { PlaywrightTraceViewer } from './playwright-trace';
import type { EditorTestRuns } from './test-runs';
import type { TraceDocuments } from './trace-document';
import type { TestTree } from './tree';
import type { TestDocuments } from '../editor/test-documents';
import type { VscodeApi } from '../editor/vscode-api';

export interface CommandDeps {
  tree: TestTree;
  runs: EditorTestRuns;
  traces: TraceDocuments;
  panels: TracePanels;
  store: RunStore;
  documents: TestDocuments;
  history?: EditorRunHistory;
}

/** CodeLens arguments carry the file as a string (command arguments are serialised). */
type UriLike = vscode.Uri | string | undefined;

export function registerTestingCommands(api: VscodeApi, deps: CommandDeps): vscode.Disposable[] {
  const { tree } = deps;
  const traceViewer = new PlaywrightTraceViewer(api);
  const toUri = (u: UriLike): vscode.Uri | undefined => (typeof u === 'string' ? api.Uri.parse(u) : (u ?? api.window.activeTextEditor?.document.uri));

  const run = (mode: RunMode, include: vscode.TestItem[] | undefined) => deps.runs.run(mode, include);
  const fileItem = async (u: UriLike): Promise<vscode.TestItem | undefined> => {
    const uri = toUri(u);
    if (uri) return deps.runs.fileItem(uri);
    await api.window.showInformationMessage('Open a Tracelens test file first.');
    return undefined;
  };
  const entryItem = async (u: UriLike, key: TestKey): Promise<vscode.TestItem | undefined> => {
    const uri = toUri(u);
    return uri ? deps.runs.entryItem(uri, key) : fileItem(u);
  };
  /** The test under the cursor of the active editor, else the file's first test with a stored trace. */
  const testAtCursor = async (u: UriLike): Promise<{ path: string; key: TestKey } | undefined> => {
    const uri = toUri(u);
    const document = uri && (await deps.documents.read(uri));
    if (!uri || !document) return undefined;
    const entries = document.entries.filter((e) => e.kind === 'test');
    const editor = api.window.activeTextEditor;
    const offset = editor && editor.document.uri.toString() === uri.toString() ? editor.document.offsetAt(editor.selection.active) : undefined;
    const atCursor = offset !== undefined ? entries.find((e) => offset >= e.range.start && offset <= e.range.end) : undefined;
    const entry = atCursor ?? entries.find((e) => deps.store.get(uri.fsPath, e.key)?.result.trace) ?? entries[0];
    return entry && { path: uri.fsPath, key: entry.key };
  };

  /** The test a show-trace command is about: its arguments (CodeLens), else the test at the cursor. */
  const targetOf = async (u: UriLike, key: TestKey | undefined): Promise<{ path: string; key: TestKey } | undefined> => {
    const uri = toUri(u);
    const target = uri && key !== undefined ? { path: uri.fsPath, key } : await testAtCursor(u);
    if (!target) await api.window.showInformationMessage('Open a Tracelens test file and run a test first.');
    return target;
  };

  return [
    api.commands.registerCommand(COMMANDS.runAll, () => run('run', undefined)),
    api.commands.registerCommand(COMMANDS.runFile, async (u?: UriLike) => {
      const item = await fileItem(u);
      if (item) await run('run', [item]);
    }),
    api.commands.registerCommand(COMMANDS.runTest, async (u: UriLike, key: TestKey) => {
      const item = await entryItem(u, key);
      if (item) await run('run', [item]);
    }),
    api.commands.registerCommand(COMMANDS.recheck, async (u?: UriLike) => {
      const item = await fileItem(u);
      if (item) await run('recheck', [item]);
    }),
    api.commands.registerCommand(COMMANDS.recheckSpec, async (u: UriLike, key: TestKey, specIndex: number) => {
      const test = await entryItem(u, key);
      const spec = test?.children.get(`${test.id}/spec/${specIndex}`);
      if (spec) await run('recheck', [spec]);
    }),
    api.commands.registerCommand(COMMANDS.showTrace, async (u?: UriLike, key?: TestKey) => {
      const target = await targetOf(u, key);
      if (target) await deps.panels.show(target);
    }),
    api.commands.registerCommand(COMMANDS.showTraceJson, async (u?: UriLike, key?: TestKey) => {
      const target = await targetOf(u, key);
      if (target) await deps.traces.show(target.path, target.key);
    }),
    api.commands.registerCommand(COMMANDS.openPlaywrightTrace, async (u?: UriLike, key?: TestKey) => {
      const target = await targetOf(u, key);
      if (!target) return;
      const file = deps.store.get(target.path, target.key)?.result.trigger.playwrightTrace;
      if (file) await traceViewer.open(file);
      else await api.window.showInformationMessage('This test has no Playwright trace: run a playwrightengine test first.');
    }),
    traceViewer,
    api.commands.registerCommand(COMMANDS.showRunHistory, async (arg?: unknown) => {
      const target = isTestItem(arg) ? itemTarget(arg) : await targetOf(arg as UriLike, undefined);
      if (target) await showRunHistory(target);
    }),
    api.commands.registerCommand(COMMANDS.openTraceAtSpan, async (arg: unknown, key?: TestKey, spanId?: string) => {
      const target = typeof arg === 'string' || arg instanceof api.Uri ? { path: toUri(arg)!.fsPath, key: key!, spanId } : await fromMessage(arg);
      if (!target) {
        await api.window.showInformationMessage('This failure has no trace to open.');
        return;
      }
      await deps.panels.show(target, target.spanId ? { spanId: target.spanId } : {});
    }),
  ];

  function isTestItem(arg: unknown): arg is vscode.TestItem {
    return typeof arg === 'object' && arg !== null && tree.dataOf(arg as vscode.TestItem) !== undefined;
  }

  /** The test an item of the Testing view stands for: a spec's test, a step's; a file or a suite has no runs of its own. */
  function itemTarget(item: vscode.TestItem): { path: string; key: TestKey } | undefined {
    const data = tree.dataOf(item)!;
    if (data.kind === 'test' || data.kind === 'spec') return { path: data.path, key: data.key };
    if (data.kind === 'step' && data.target) return data.target;
    void api.window.showInformationMessage('Choose a test (or a suite step) to see its runs.');
    return undefined;
  }

  /** A quick pick of the test's stored runs, newest first; the one chosen opens in the trace panel. */
  async function showRunHistory(target: { path: string; key: TestKey }): Promise<void> {
    const entries = (await deps.history?.runs(target.path, target.key)) ?? [];
    const document = await deps.documents.read(api.Uri.file(target.path));
    const name = document?.entries.find((e) => e.key === target.key)?.label ?? target.key;
    if (entries.length === 0) {
      // Without a workspace folder there is no storage to keep runs in.
      await api.window.showInformationMessage(deps.history ? `No stored runs of ${name} yet: run the test.` : 'Runs are kept in a workspace folder only.');
      return;
    }
    const picked = await api.window.showQuickPick(
      entries.map((entry) => ({ label: `${STATUS_ICONS[entry.status]} ${new Date(entry.at).toLocaleString()}`, description: runSummary(entry), entry })),
      { title: `Runs of ${name}`, placeHolder: 'Open a run in the trace panel' },
    );
    if (picked) await deps.panels.show(target, { runId: picked.entry.id });
  }

  /**
   * From the Testing view's menus: a message's (`{ test, message }`: the span that failed on the message's line) or
   * a result's in Test Results (the test item itself: its first failing span).
   */
  async function fromMessage(arg: unknown): Promise<{ path: string; key: TestKey; spanId?: string } | undefined> {
    const asItem = arg && typeof arg === 'object' && !('test' in arg) && tree.dataOf(arg as vscode.TestItem) ? { test: arg as vscode.TestItem } : arg;
    const { test, message } = (asItem ?? {}) as { test?: vscode.TestItem; message?: vscode.TestMessage };
    const data = test && tree.dataOf(test);
    if (!data || data.kind === 'file' || data.kind === 'broken') return undefined;
    const base = data.kind === 'step' ? data.target : { path: data.path, key: data.key };
    if (!base) return undefined;
    const document = await deps.documents.read(api.Uri.file(base.path));
    if (!document || !deps.store.get(base.path, base.key)) return undefined;
    const annotations = document.annotations.filter((a) => a.key === base.key && a.spanId);
    const { lines } = document;
    const line = message?.location?.range.start.line;
    const hit = annotations.find((a) => lines.at(a.range.start).line === line) ?? annotations.find((a) => a.status !== 'passed');
    return { ...base, ...(hit?.spanId ? { spanId: hit.spanId } : {}) };
  }
}

const STATUS_ICONS: Record<HistoryEntry['status'], string> = { passed: '$(pass)', failed: '$(error)', errored: '$(warning)' };

/** `failed · 2 of 5 specs failed · 340 ms · 9 spans`. */
function runSummary(e: HistoryEntry): string {
  const specs = e.failedSpecs > 0 ? `${e.failedSpecs} of ${e.specs} specs failed` : `${e.specs} spec${e.specs === 1 ? '' : 's'} passed`;
  return [e.status, specs, `${Math.round(e.durationMs)} ms`, `${e.spans} span${e.spans === 1 ? '' : 's'}`].join(' · ');
}
