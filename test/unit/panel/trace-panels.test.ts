// The trace panel's host against the fake `vscode`: what it posts (and when), what it does with what the page posts,
// and that an assertion added from the panel lands in the file on disk, passing, as one edit.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeEach, describe, test } from 'node:test';
import type * as vscode from 'vscode';
import { loadFile } from '../../../src/core/testfile/index';
import { findTest } from '../../../src/extension/results/file-entries';
import { RunStore } from '../../../src/extension/run-store';
import type { RunEnvironment } from '../../../src/extension/runtime/environment';
import { registerResultViews } from '../../../src/extension/register-result-views';
import { registerTestDocuments } from '../../../src/extension/editor/test-documents';
import type { TraceSource } from '../../../src/run/sources/types';
import { FileSource } from '../../../src/run/sources/file';
import { buildTrace } from '../../../src/core/trace/build';
import { readTraceFile } from '../../../src/run/trace-file';
import type { EmptyMessage, ResultsMessage, RunningMessage, TraceMessage, WrittenMessage } from '../../../src/protocol';
import { VIEW_TYPE } from '../../../src/protocol';
import { createFakeVscode, Uri } from '../../support/vscode-fake/testing';
import type { FakeWebviewPanel } from '../../support/vscode-fake/webview';
import { FAILING_TEXT, IMPORT_TEST_TEXT, POKESHOP_TRACE, POKESHOP_TRACE_ID, replay } from '../testing/support';
import { DEFAULT_GATE_SETTINGS } from '../../../src/core/analyzer/index';

const KEY = 'pokeshop-demo-import-pokemon-queue';
const SPAN = { http: '00f067aa0ba902b7', insert: '7f6e5d4c3b2a1908' };
const INSERT_SELECTOR = 'span[tracetest.span.type="database" name="pg.query:INSERT pokeshop"]';

let fake: ReturnType<typeof createFakeVscode>;
let store: RunStore;
let path: string;
let log: string[];
/** Where live runs get their trace: none unless a test says so. */
let source: () => Promise<TraceSource>;

beforeEach(async () => {
  const root = mkdtempSync(join(tmpdir(), 'tracelens-panel-'));
  mkdirSync(join(root, 'tests'));
  path = join(root, 'tests', 'import.yaml');
  writeFileSync(path, IMPORT_TEST_TEXT);
  fake = createFakeVscode(root);
  store = new RunStore();
  log = [];
  source = () => Promise.reject(new Error('no live runs in these tests'));
  const env: RunEnvironment = {
    acquireSource: () => source(),
    fileReferences: (testFile: string) => ({ root: dirname(testFile), allowOutside: false, widen: '' }),
    variables: async () => ({ values: new Map([['POKESHOP_API_URL', 'http://localhost:8081']]), secrets: new Set<string>() }),
    pollingProfiles: async () => [],
    gateSettings: async () => DEFAULT_GATE_SETTINGS,
    timing: () => ({ timeoutMs: 5_000 }),
    playwright: () => ({}),
    log: (line) => log.push(line),
  };
  const context = { subscriptions: [] as Array<{ dispose(): unknown }>, extensionUri: Uri.file('/ext') as unknown as vscode.Uri };
  registerResultViews(fake.api, context, { store, env, documents: registerTestDocuments(fake.api, context, store) });
  const { run } = await replay(IMPORT_TEST_TEXT, path);
  store.set(path, run.key, run.result);
});

async function openPanel(spanId?: string): Promise<FakeWebviewPanel> {
  if (spanId) await fake.state.commands.get('tracelens.openTraceAtSpan')!(Uri.file(path).toString(), KEY, spanId);
  else await fake.state.commands.get('tracelens.showTrace')!(Uri.file(path).toString(), KEY);
  return fake.state.panels.at(-1)!;
}

async function readyPanel(spanId?: string): Promise<{ panel: FakeWebviewPanel; show: ResultsMessage }> {
  const panel = await openPanel(spanId);
  panel.webview.fromPage({ type: 'ready' });
  return { panel, show: await panel.webview.next<ResultsMessage>('results') };
}

/** The kinds of message the page was posted from the `since`th on, leaving out where a run is. */
const postedKinds = (panel: FakeWebviewPanel, since = 0) =>
  panel.webview.posted
    .slice(since)
    .map((m) => (m as { type: string }).type)
    .filter((type) => type !== 'running');
const lastResults = (panel: FakeWebviewPanel) => panel.webview.posted.filter((m) => (m as { type: string }).type === 'results').at(-1) as ResultsMessage;
/** The traces the page was posted from the `since`th message on, by trace id. */
const postedTraces = (panel: FakeWebviewPanel, since = 0) =>
  panel.webview.posted.slice(since).flatMap((m) => ((m as { type: string }).type === 'trace' ? [(m as TraceMessage).trace.traceId] : []));

/** What the page was told about runs, from the `since`th message on. */
const runningMessages = (panel: FakeWebviewPanel, since = 0) =>
  panel.webview.posted.slice(since).flatMap((m) => ((m as { type: string }).type === 'running' ? [m as RunningMessage] : []));
/** Running, then not: the changes of state (a running test is told again as its run moves on). */
const runningStates = (panel: FakeWebviewPanel, since = 0) =>
  runningMessages(panel, since)
    .map((m) => m.running)
    .filter((running, i, all) => i === 0 || all[i - 1] !== running);

async function until(done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(done(), what);
}

/** The test with a trigger that sends nothing: its trace is the saved Pokéshop one (the `file` source). */
const traceIdTest = (text: string) =>
  text.replace(/ {2}trigger:\n[\s\S]*?\n {2}specs:/, `  trigger:\n    type: traceid\n    traceid:\n      id: ${POKESHOP_TRACE_ID}\n  specs:`);

/** A port nothing listens on: a trigger sent there is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe('the trace panel host', () => {
  test('the page gets a strict CSP with a nonce, scripts only from the bundle, and resources only from dist/webview, media and the codicon font', async () => {
    const panel = await openPanel();
    const html = panel.webview.html;
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!;
    const nonce = /script-src 'nonce-([A-Za-z0-9]+)'/.exec(csp)![1]!;
    assert.ok(nonce.length >= 16);
    assert.match(csp, /default-src 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.match(csp, /worker-src blob:/);
    assert.match(csp, /font-src [^;]*vscode-resource/, 'fonts from the extension only');
    assert.match(html, /<link rel="stylesheet" id="vscode-codicon-stylesheet" href="[^"]+\/node_modules\/@vscode\/codicons\/dist\/codicon\.css">/);
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.match(scripts[0]![1]!, new RegExp(`nonce="${nonce}" src="[^"]+/dist/webview/panel\\.js"`));
    assert.equal(scripts[0]![2], '', 'no inline script');
    const options = panel.webview.options as { enableScripts: boolean; localResourceRoots: Array<{ path: string }> };
    assert.equal(options.enableScripts, true);
    assert.deepEqual(
      options.localResourceRoots.map((u) => u.path),
      ['/ext/dist/webview', '/ext/media', '/ext/node_modules/@vscode/codicons/dist'],
    );
    assert.equal((panel.webview.options as { retainContextWhenHidden?: boolean }).retainContextWhenHidden, undefined);
  });

  test('nothing is posted before the page is ready; then the trace once, and a move to the span asked for', async () => {
    const panel = await openPanel();
    await fake.state.commands.get('tracelens.openTraceAtSpan')!(Uri.file(path).toString(), KEY, SPAN.insert);
    assert.equal(fake.state.panels.length, 1, 'the same test reuses its panel');
    assert.equal(panel.revealed, 1);
    assert.deepEqual(panel.webview.posted, []);
    panel.webview.fromPage({ type: 'ready' });
    assert.deepEqual(
      panel.webview.posted.map((m) => (m as { type: string }).type),
      ['trace', 'results', 'focus'],
    );
    assert.deepEqual(panel.webview.posted[2], { type: 'focus', spanId: SPAN.insert });
    const [trace, results] = panel.webview.posted as unknown as [TraceMessage, ResultsMessage];
    assert.equal(trace.trace.spans.ids.length, 9 * 16);
    assert.equal(results.traceId, trace.trace.traceId);
    assert.equal(results.test.name, 'Import a Pokemon using API and MQ Worker');
    assert.equal(results.test.label, join('tests', 'import.yaml'));
    assert.ok(
      results.variables.some(([k]) => k === 'POKESHOP_API_URL'),
      'the variable set is there for checking assertions',
    );
    assert.equal(panel.title, 'Trace: Import a Pokemon using API and MQ Worker');
  });

  test('a panel hidden and shown again (VS Code builds its page anew) gets its trace again, and the span asked for meanwhile', async () => {
    const { panel } = await readyPanel();
    panel.setVisible(false);
    // Open trace at span while the tab is behind another: nothing can reach the page now.
    await fake.state.commands.get('tracelens.openTraceAtSpan')!(Uri.file(path).toString(), KEY, SPAN.insert);
    assert.deepEqual(panel.webview.lost, [], 'nothing posted into the void');
    const since = panel.webview.posted.length;
    panel.setVisible(true);
    panel.webview.fromPage({ type: 'ready' });
    const again = await panel.webview.next<ResultsMessage>('results', since);
    assert.equal(again.focusSpanId, SPAN.insert);
    assert.deepEqual(postedKinds(panel, since), ['trace', 'results'], 'the whole trace again');
    // A plain switch away and back: the same run, sent again.
    panel.setVisible(false);
    const before = panel.webview.posted.length;
    panel.setVisible(true);
    panel.webview.fromPage({ type: 'ready' });
    assert.equal((await panel.webview.next<TraceMessage>('trace', before)).trace.spans.ids.length, 9 * 16);
  });

  test('the trace goes to the page once per trace it holds: a re-check sends results only; a new run, a rebuilt page and a reload get the trace', async () => {
    const { panel } = await readyPanel();
    assert.deepEqual(postedKinds(panel), ['trace', 'results']);
    const recheck = async (since: number) => {
      await fake.state.commands.get('tracelens.recheck')!(Uri.file(path).toString());
      await until(() => postedKinds(panel, since).includes('results'), 'the re-check is posted');
    };

    // A re-check (what adding an assertion does): the same trace, new results on it.
    let since = panel.webview.posted.length;
    await recheck(since);
    assert.deepEqual(postedKinds(panel, since), ['results']);
    assert.equal(lastResults(panel).traceId, POKESHOP_TRACE_ID);

    // A new run with a new trace: the trace, then its results; a re-check of it sends results only again.
    const NEW_TRACE_ID = 'a'.repeat(32);
    since = panel.webview.posted.length;
    const trace = buildTrace((await readTraceFile(POKESHOP_TRACE)).spans, { traceId: NEW_TRACE_ID });
    store.set(path, KEY, { ...store.get(path, KEY)!.result, trace });
    await until(() => postedKinds(panel, since).includes('results'), 'the new run is posted');
    assert.deepEqual(postedKinds(panel, since), ['trace', 'results']);
    assert.deepEqual(postedTraces(panel, since), [NEW_TRACE_ID]);
    assert.equal(lastResults(panel).traceId, NEW_TRACE_ID);
    since = panel.webview.posted.length;
    await recheck(since);
    assert.deepEqual(postedKinds(panel, since), ['results']);

    // Hidden, the page is gone: a re-check meanwhile waits, and the page built again gets the trace with it.
    panel.setVisible(false);
    since = panel.webview.posted.length;
    await fake.state.commands.get('tracelens.recheck')!(Uri.file(path).toString());
    assert.deepEqual(postedKinds(panel, since), []);
    panel.setVisible(true);
    panel.webview.fromPage({ type: 'ready' });
    await until(() => postedKinds(panel, since).includes('results'), 'the shown page is posted its run');
    assert.deepEqual(postedKinds(panel, since), ['trace', 'results']);
    assert.deepEqual(postedTraces(panel, since), [NEW_TRACE_ID]);

    // The page reloaded in place (its state starts empty): it says ready again and gets the trace again.
    since = panel.webview.posted.length;
    panel.webview.fromPage({ type: 'ready' });
    await until(() => postedKinds(panel, since).includes('results'), 'the reloaded page is posted its run');
    assert.deepEqual(postedKinds(panel, since), ['trace', 'results']);
    since = panel.webview.posted.length;
    await recheck(since);
    assert.deepEqual(postedKinds(panel, since), ['results']);
  });

  test('spec and assertion lines follow the file as it is now', async () => {
    const { show } = await readyPanel();
    const lines = IMPORT_TEST_TEXT.split('\n');
    const spec = show.specs[0]!;
    assert.match(lines[spec.line - 1]!, /selector:/);
    assert.match(lines[spec.assertions[0]!.line - 1]!, new RegExp(spec.assertions[0]!.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+')));
  });

  test('malformed messages from the page are ignored and logged', async () => {
    const { panel } = await readyPanel();
    const before = panel.webview.posted.length;
    panel.webview.fromPage({ type: 'addAssertion', requestId: 1, spanId: 'nope', selector: 'span', assertion: 'attr:x = 1' });
    panel.webview.fromPage({ type: 'deleteEverything' });
    panel.webview.fromPage('ready');
    await new Promise((r) => setImmediate(r));
    assert.equal(panel.webview.posted.length, before, 'no answer, no edit');
    assert.equal(fake.state.appliedEdits.length, 0);
    assert.deepEqual(log, [
      'trace panel: ignored a message: spanId: expected 16 lowercase hex digits, got string',
      'trace panel: ignored a message: unknown message type "deleteEverything"',
      'trace panel: ignored a message: message: expected an object, got string',
    ]);
  });

  test('addAssertion writes one edit into the test file, saves it, re-checks, and the panel shows it passing', async () => {
    const { panel } = await readyPanel();
    const since = panel.webview.posted.length;
    panel.webview.fromPage({ type: 'addAssertion', requestId: 7, spanId: SPAN.insert, selector: INSERT_SELECTOR, assertion: 'attr:db.system = "postgresql"' });
    const written = await panel.webview.next<WrittenMessage>('written', since);
    assert.equal(written.requestId, 7);
    assert.equal(written.ok, true, written.message);
    assert.match(written.message, /^Added attr:db\.system = "postgresql" \(line \d+\)\.$/);
    assert.equal(fake.state.appliedEdits.length, 1);
    const onDisk = readFileSync(path, 'utf8');
    const test = findTest(loadFile(onDisk, path), KEY)!.test;
    const spec = test.specs.find((s) => s.selector.value === INSERT_SELECTOR)!;
    assert.deepEqual(
      spec.assertions.map((a) => a.value),
      ['attr:db.system = "postgresql"'],
    );
    assert.equal(onDisk.slice(0, IMPORT_TEST_TEXT.length), IMPORT_TEST_TEXT, 'appended; nothing else touched');
    // The re-check stored a new result; the panel was sent it with the new spec passing, and not the trace again.
    const shows = panel.webview.posted.slice(since).filter((m) => (m as { type: string }).type === 'results') as ResultsMessage[];
    assert.deepEqual(postedTraces(panel, since), []);
    const added = shows.at(-1)!.specs.find((s) => s.selector === INSERT_SELECTOR)!;
    assert.equal(added.status, 'passed');
  });

  test('a selector that does not select the span, or an assertion that does not parse, is refused with the reason', async () => {
    const { panel } = await readyPanel();
    panel.webview.fromPage({ type: 'addAssertion', requestId: 1, spanId: SPAN.http, selector: INSERT_SELECTOR, assertion: 'attr:db.system = "postgresql"' });
    const refused = await panel.webview.next<WrittenMessage>('written');
    assert.deepEqual([refused.ok, refused.message], [false, `${INSERT_SELECTOR} does not select this span.`]);
    const since = panel.webview.posted.length;
    panel.webview.fromPage({ type: 'addAssertion', requestId: 2, spanId: SPAN.insert, selector: INSERT_SELECTOR, assertion: 'attr:db.system =' });
    const broken = await panel.webview.next<WrittenMessage>('written', since);
    assert.equal(broken.ok, false);
    assert.match(broken.message, /^The assertion does not parse: column 17: /);
    assert.equal(fake.state.appliedEdits.length, 0);
    assert.equal(readFileSync(path, 'utf8'), IMPORT_TEST_TEXT);
  });

  test('a test file that no longer parses is left alone, and the refusal says where it breaks', async () => {
    const document = await fake.api.workspace.openTextDocument(fake.api.Uri.file(path));
    const broken = IMPORT_TEST_TEXT.replace('  specs:\n', '  specs:\n   - : [\n');
    fake.edit(document as never, broken);
    const { panel } = await readyPanel();
    panel.webview.fromPage({ type: 'addAssertion', requestId: 4, spanId: SPAN.insert, selector: INSERT_SELECTOR, assertion: 'attr:db.system = "postgresql"' });
    const refused = await panel.webview.next<WrittenMessage>('written');
    assert.equal(refused.ok, false);
    assert.match(refused.message, /^tests\/import\.yaml does not load \(tests\/import\.yaml:20:3: Flow sequence [^)]*\); fix it, then add again\.$/);
    assert.deepEqual([fake.state.appliedEdits.length, document.getText(), readFileSync(path, 'utf8')], [0, broken, IMPORT_TEST_TEXT]);
  });

  test('addOutput adds an output to the test', async () => {
    const { panel } = await readyPanel();
    panel.webview.fromPage({ type: 'addOutput', requestId: 3, spanId: SPAN.insert, selector: INSERT_SELECTOR, name: 'DB_SYSTEM', value: 'attr:db.system' });
    const written = await panel.webview.next<WrittenMessage>('written');
    assert.equal(written.ok, true, written.message);
    const test = findTest(loadFile(readFileSync(path, 'utf8'), path), KEY)!.test;
    assert.deepEqual(
      test.outputs.map((o) => [o.name.value, o.selector.value, o.value.value]),
      [['DB_SYSTEM', INSERT_SELECTOR, 'attr:db.system']],
    );
  });

  test('addOutput is checked before it is written: a value that does not parse, or a selector of other spans, is refused', async () => {
    const { panel } = await readyPanel();
    panel.webview.fromPage({ type: 'addOutput', requestId: 5, spanId: SPAN.insert, selector: INSERT_SELECTOR, name: 'DB', value: 'attr:db.system |' });
    const badValue = await panel.webview.next<WrittenMessage>('written');
    assert.equal(badValue.ok, false);
    assert.match(badValue.message, /^The output value does not parse: column \d+: /);
    const since = panel.webview.posted.length;
    panel.webview.fromPage({ type: 'addOutput', requestId: 6, spanId: SPAN.http, selector: INSERT_SELECTOR, name: 'DB', value: 'attr:db.system' });
    const other = await panel.webview.next<WrittenMessage>('written', since);
    assert.deepEqual([other.ok, other.message], [false, `${INSERT_SELECTOR} does not select this span.`]);
    assert.deepEqual([fake.state.appliedEdits.length, readFileSync(path, 'utf8')], [0, IMPORT_TEST_TEXT]);
  });

  test('an unsaved test file is edited but not saved: the user keeps their own unsaved changes', async () => {
    const document = await fake.api.workspace.openTextDocument(fake.api.Uri.file(path));
    fake.edit(document as never, `# a comment typed but not saved\n${IMPORT_TEST_TEXT}`);
    const { panel } = await readyPanel();
    panel.webview.fromPage({ type: 'addAssertion', requestId: 1, spanId: SPAN.insert, selector: INSERT_SELECTOR, assertion: 'attr:db.system = "postgresql"' });
    assert.equal((await panel.webview.next<WrittenMessage>('written')).ok, true);
    assert.equal(readFileSync(path, 'utf8'), IMPORT_TEST_TEXT, 'not saved');
    assert.match(document.getText(), /^# a comment typed but not saved\n[\s\S]*- attr:db\.system = "postgresql"/);
  });

  test('revealLine shows the test file at that line; rerun runs the test', async () => {
    const { panel } = await readyPanel();
    panel.webview.fromPage({ type: 'revealLine', line: 12 });
    await new Promise((r) => setImmediate(r));
    const editor = fake.state.activeEditor!;
    assert.equal(editor.document.uri.fsPath, path);
    assert.equal(editor.revealed!.start.line, 11);
    panel.webview.fromPage({ type: 'rerun' });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(fake.controller().runs.length, 1, 'a run through the Testing view');
  });

  test('Run again: the page is told the test is running, gets the new result, then is told the run ended; a second click starts nothing', async () => {
    writeFileSync(path, traceIdTest(FAILING_TEXT));
    // The trace arrives when the test says: the run lasts long enough to click again.
    let arrive!: () => void;
    const arrived = new Promise<void>((r) => (arrive = r));
    const file = new FileSource(POKESHOP_TRACE);
    source = async () => ({ description: file.description, collect: async (request) => (await arrived, file.collect(request)) });
    const { panel, show } = await readyPanel();
    assert.equal(show.test.status, 'passed');
    const since = panel.webview.posted.length;
    panel.webview.fromPage({ type: 'rerun' });
    await until(() => runningStates(panel, since).length > 0, 'told the test is running');
    assert.deepEqual(panel.webview.posted[since], { type: 'running', running: true }, 'first thing after the click');
    panel.webview.fromPage({ type: 'rerun' });
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(runningStates(panel, since), [true], 'still running while the trace is awaited');
    assert.equal(runningMessages(panel, since).at(-1)?.progress?.text, 'triggered · waiting for spans', 'where the run is');
    arrive();
    await until(() => runningStates(panel, since).at(-1) === false, 'told the run ended');
    const after = panel.webview.posted.slice(since) as Array<{ type: string }>;
    const newShow = after.filter((m) => m.type === 'results').at(-1) as ResultsMessage | undefined;
    assert.equal(newShow?.test.status, 'failed', 'the new run (201 expected, 200 observed) was shown');
    assert.ok(after.indexOf(newShow) < after.length - 1, 'the end of the run comes after its result, so the old status never shows in between');
    assert.equal(fake.controller().runs.length, 1, 'the click during the run started no second run');
    assert.equal(store.isRunning(path, KEY), false);
  });

  test('a run that errors before any trace (trace source or trigger refused) still tells the page it ended', async () => {
    const { panel } = await readyPanel();
    let since = panel.webview.posted.length;
    panel.webview.fromPage({ type: 'rerun' });
    await until(() => fake.controller().runs[0]?.ended === true && runningStates(panel, since).length === 2, 'the run not started ended');
    assert.deepEqual(runningStates(panel, since), [true, false]);
    assert.ok(log.includes('run not started: no live runs in these tests'));

    writeFileSync(path, IMPORT_TEST_TEXT.replace('${var:POKESHOP_API_URL}', `http://127.0.0.1:${await closedPort()}`));
    source = async () => new FileSource(POKESHOP_TRACE);
    since = panel.webview.posted.length;
    // From the CodeLens this time: the same for the page.
    await fake.state.commands.get('tracelens.runTest')!(Uri.file(path).toString(), KEY);
    await until(() => runningStates(panel, since).at(-1) === false, 'the refused run ended');
    assert.equal(runningStates(panel, since)[0], true);
    assert.equal(store.get(path, KEY)!.result.status, 'errored');
    assert.equal(store.get(path, KEY)!.result.trace, undefined, 'no trace came');
  });

  test("a panel that becomes ready while its test runs is told so; a result shown meanwhile does not end it, the run's end does", async () => {
    let refuse!: (e: Error) => void;
    source = () => new Promise((_, reject) => (refuse = reject));
    const panel = await openPanel();
    const running = fake.state.commands.get('tracelens.runTest')!(Uri.file(path).toString(), KEY) as Promise<void>;
    await until(() => store.isRunning(path, KEY), 'the run started');
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(panel.webview.posted, [], 'nothing before ready, running or not');
    panel.webview.fromPage({ type: 'ready' });
    assert.deepEqual(
      panel.webview.posted.map((m) => (m as { type: string }).type),
      ['trace', 'results', 'running'],
    );
    assert.deepEqual(runningStates(panel), [true]);
    // A re-check meanwhile (what adding an assertion from the panel does) shows its result: the page takes results as
    // the end of a run, so it is told again that this one goes on.
    const before = panel.webview.posted.length;
    await fake.state.commands.get('tracelens.recheck')!(Uri.file(path).toString());
    await until(() => panel.webview.posted.slice(before).some((m) => (m as { type: string }).type === 'results'), 'the re-check is shown');
    await until(() => runningStates(panel, before).length > 0, 'told again');
    assert.equal(runningStates(panel).at(-1), true);
    refuse(new Error('receiver port in use'));
    await running;
    await until(() => runningStates(panel).at(-1) === false, 'told the run ended');
  });

  test('after a reload the serializer restores the panel from its saved state', async () => {
    const serializer = fake.state.panelSerializers.get(VIEW_TYPE)!;
    const { FakeWebviewPanel } = await import('../../support/vscode-fake/webview');
    const restored = new FakeWebviewPanel(VIEW_TYPE, 'Trace', {}, {});
    await serializer.deserializeWebviewPanel(restored, {
      test: { file: path, key: KEY },
      view: 'timeline',
      selector: '',
      search: '',
      criticalPath: false,
      expanded: [],
      collapsed: [],
    });
    assert.match(restored.webview.html, /dist\/webview\/panel\.js/);
    restored.webview.fromPage({ type: 'ready' });
    assert.equal((await restored.webview.next<ResultsMessage>('results')).test.key, KEY);
    assert.deepEqual(postedTraces(restored), [POKESHOP_TRACE_ID], 'a restored page starts empty: it gets the trace');

    store.clear(path);
    const empty = new FakeWebviewPanel(VIEW_TYPE, 'Trace', {}, {});
    await serializer.deserializeWebviewPanel(empty, {
      test: { file: path, key: KEY },
      view: 'graph',
      selector: '',
      search: '',
      criticalPath: false,
      expanded: [],
      collapsed: [],
    });
    empty.webview.fromPage({ type: 'ready' });
    const message = await empty.webview.next<EmptyMessage>('empty');
    // Named as the file names the test, not by its id.
    assert.equal(message.message, 'No trace for Import a Pokemon using API and MQ Worker yet: run the test.');
    assert.equal(empty.title, 'Trace: Import a Pokemon using API and MQ Worker');

    const stateless = new FakeWebviewPanel(VIEW_TYPE, 'Trace', {}, {});
    await serializer.deserializeWebviewPanel(stateless, undefined);
    assert.equal(stateless.disposed, true, 'a panel with no test to show is closed');
  });
});
