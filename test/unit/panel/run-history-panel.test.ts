// The run history in the editor against the fake `vscode`: real runs (the file source replays the Pokéshop trace,
// then a broken copy of it) kept by the real history store on disk, the Testing view's Show Run History, the panel's
// run picker and its comparison with the last pass, and a reload that finds it all again.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeEach, describe, test } from 'node:test';
import type * as vscode from 'vscode';
import { DEFAULT_GATE_SETTINGS } from '../../../src/core/analyzer/index';
import { registerTestDocuments } from '../../../src/extension/editor/test-documents';
import { EditorRunHistory } from '../../../src/extension/history/editor-run-history';
import { registerResultViews } from '../../../src/extension/register-result-views';
import { RunStore } from '../../../src/extension/run-store';
import type { RunEnvironment } from '../../../src/extension/runtime/environment';
import type { ComparisonMessage, ResultsMessage, RunsMessage, TraceMessage } from '../../../src/protocol';
import { VIEW_TYPE } from '../../../src/protocol';
import { FileSource } from '../../../src/run/sources/file';
import { createFakeVscode, Uri } from '../../support/vscode-fake/testing';
import { FakeWebviewPanel } from '../../support/vscode-fake/webview';
import { IMPORT_TEST_TEXT, POKESHOP_TRACE, POKESHOP_TRACE_ID, writeBrokenPokeshopTrace } from '../testing/support';

const KEY = 'pokeshop-demo-import-pokemon-queue';
/** The worker's span that the broken run lacks, and the span it hung under. */
const SPAN = { api: '00f067aa0ba902b7', process: '1a2b3c4d5e6f7081' };

/** The test with a trigger that sends nothing: its trace comes from the `file` source. */
const TEST_TEXT = IMPORT_TEST_TEXT.replace(
  / {2}trigger:\n[\s\S]*?\n {2}specs:/,
  `  trigger:\n    type: traceid\n    traceid:\n      id: ${POKESHOP_TRACE_ID}\n  specs:`,
);

let root: string;
let path: string;
let storage: string;
let brokenTrace: string;

/** A window: the fake editor with the extension's result views, its history in `storage`. */
function openWindow(traceFile: () => string) {
  const fake = createFakeVscode(root);
  const store = new RunStore();
  const log: string[] = [];
  const env: RunEnvironment = {
    acquireSource: async () => new FileSource(traceFile()),
    fileReferences: (testFile: string) => ({ root: dirname(testFile), allowOutside: false, widen: '' }),
    variables: async () => ({ values: new Map(), secrets: new Set<string>() }),
    pollingProfiles: async () => [],
    gateSettings: async () => DEFAULT_GATE_SETTINGS,
    timing: () => ({ timeoutMs: 5_000 }),
    playwright: () => ({}),
    log: (line) => log.push(line),
  };
  const history = new EditorRunHistory(
    storage,
    () => ({ runsPerTest: 20, maxBytes: 50 * 1024 * 1024 }),
    (l) => log.push(l),
  );
  const context = { subscriptions: [] as Array<{ dispose(): unknown }>, extensionUri: Uri.file('/ext') as unknown as vscode.Uri };
  registerResultViews(fake.api, context, { store, env, documents: registerTestDocuments(fake.api, context, store), history });
  const run = async () => {
    await fake.state.commands.get('tracelens.runTest')!(Uri.file(path).toString(), KEY);
    await history.settled();
  };
  return { fake, store, history, log, run };
}

async function readyPanel(fake: ReturnType<typeof createFakeVscode>): Promise<FakeWebviewPanel> {
  await fake.state.commands.get('tracelens.showTrace')!(Uri.file(path).toString(), KEY);
  const panel = fake.state.panels.at(-1)!;
  panel.webview.fromPage({ type: 'ready' });
  await panel.webview.next('runs');
  return panel;
}

const kinds = (panel: FakeWebviewPanel, since = 0) =>
  panel.webview.posted
    .slice(since)
    .map((m) => (m as { type: string }).type)
    .filter((t) => t !== 'running');

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'tracelens-history-panel-'));
  mkdirSync(join(root, 'tests'));
  path = join(root, 'tests', 'import.yaml');
  writeFileSync(path, TEST_TEXT);
  storage = join(root, '.storage', 'run-history');
  brokenTrace = join(root, 'broken.otlp.json');
  writeBrokenPokeshopTrace(brokenTrace);
});

describe('run history in the editor', () => {
  test('each run is kept; the panel lists them and compares the failed run with the pass before it', async () => {
    let traceFile = POKESHOP_TRACE;
    const { fake, store, history, run } = openWindow(() => traceFile);
    await run();
    traceFile = brokenTrace;
    await run();
    assert.equal(store.get(path, KEY)!.result.status, 'failed');
    const entries = await history.runs(path, KEY);
    assert.deepEqual(
      entries.map((e) => [e.status, e.failedSpecs, e.spans]),
      [
        ['failed', 2, 5],
        ['passed', 0, 9],
      ],
    );

    const panel = await readyPanel(fake);
    assert.deepEqual(kinds(panel), ['trace', 'results', 'runs']);
    const runs = await panel.webview.next<RunsMessage>('runs');
    assert.deepEqual(
      runs.runs.map((r) => [r.id, r.status]),
      entries.map((e) => [e.id, e.status]),
    );
    assert.equal(runs.shownId, entries[0]!.id, 'the latest run is shown');
    assert.equal(runs.lastPassAt, entries[1]!.at, 'it failed, and the run before passed');
    assert.equal(runs.comparing, false);

    let since = panel.webview.posted.length;
    panel.webview.fromPage({ type: 'compare', on: true });
    const comparison = await panel.webview.next<ComparisonMessage>('comparison', since);
    assert.deepEqual(kinds(panel, since), ['runs', 'comparison']);
    assert.equal((panel.webview.posted[since] as RunsMessage).comparing, true);
    assert.deepEqual(comparison.differences, [
      { kind: 'missing', text: "pokeshop-worker 'import pokemon' missing (with 3 spans under it)", spanIds: [SPAN.process] },
      { kind: 'attributes', text: `pokeshop-api 'POST /pokemon/import' http.status_code "200" → "500"`, spanIds: [SPAN.api] },
    ]);

    // The passing run, from the picker: its trace and results; nothing to compare a pass with.
    since = panel.webview.posted.length;
    panel.webview.fromPage({ type: 'showRun', id: entries[1]!.id });
    const shown = await panel.webview.next<RunsMessage>('runs', since);
    assert.deepEqual(kinds(panel, since), ['trace', 'results', 'runs']);
    assert.equal((panel.webview.posted[since] as TraceMessage).trace.spans.ids.length, 9 * 16);
    assert.equal(((await panel.webview.next<ResultsMessage>('results', since)) as ResultsMessage).test.status, 'passed');
    assert.equal(shown.shownId, entries[1]!.id);
    assert.equal(shown.lastPassAt, undefined);

    // A new run replaces the run chosen: it is what the user just did.
    since = panel.webview.posted.length;
    await run();
    const after = await panel.webview.next<RunsMessage>('runs', since);
    assert.equal(after.runs.length, 3);
    assert.equal(after.shownId, (await history.runs(path, KEY))[0]!.id);
  });

  test('Show Run History on a test item lists its runs; the one chosen opens in the panel', async () => {
    let traceFile = POKESHOP_TRACE;
    const { fake, history, run } = openWindow(() => traceFile);
    await run();
    traceFile = brokenTrace;
    await run();
    const entries = await history.runs(path, KEY);
    const item = fake.state.controllers[0]!.items.get(Uri.file(path).toString())!.children.get(`${Uri.file(path).toString()}#${KEY}`)!;
    fake.state.quickPickAnswers.push((items) => items[1]);
    await fake.state.commands.get('tracelens.showRunHistory')!(item);
    const pick = fake.state.quickPicks.at(-1)!;
    assert.deepEqual(
      pick.items.map((i) => i.description),
      [
        'failed · 2 of 5 specs failed · ' + `${Math.round(entries[0]!.durationMs)} ms · 5 spans`,
        `passed · 5 specs passed · ${Math.round(entries[1]!.durationMs)} ms · 9 spans`,
      ],
    );
    assert.match(pick.items[0]!.label, /^\$\(error\) /);
    const panel = fake.state.panels.at(-1)!;
    panel.webview.fromPage({ type: 'ready' });
    const runs = await panel.webview.next<RunsMessage>('runs');
    assert.equal(runs.shownId, entries[1]!.id, 'the run chosen, not the latest');
    assert.equal((await panel.webview.next<ResultsMessage>('results')).test.status, 'passed');
  });

  test('after a reload the history is there: a restored panel shows the last run kept, and can compare it', async () => {
    let traceFile = POKESHOP_TRACE;
    const first = openWindow(() => traceFile);
    await first.run();
    traceFile = brokenTrace;
    await first.run();

    const { fake, log } = openWindow(() => traceFile);
    const restored = new FakeWebviewPanel(VIEW_TYPE, 'Trace', {}, {});
    const serializer = fake.state.panelSerializers.get(VIEW_TYPE)!;
    await serializer.deserializeWebviewPanel(restored, {
      test: { file: path, key: KEY },
      view: 'graph',
      selector: '',
      search: '',
      criticalPath: false,
      expanded: [],
      collapsed: [],
    });
    restored.webview.fromPage({ type: 'ready' });
    const runs = await restored.webview.next<RunsMessage>('runs');
    assert.equal(runs.runs.length, 2);
    assert.equal((await restored.webview.next<ResultsMessage>('results')).test.status, 'failed');
    restored.webview.fromPage({ type: 'compare', on: true });
    const comparison = await restored.webview.next<ComparisonMessage>('comparison');
    assert.equal(comparison.differences[0]!.kind, 'missing');
    assert.deepEqual(log, []);
  });
});
