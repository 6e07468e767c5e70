import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeEach, describe, test } from 'node:test';
import { DEFAULT_GATE_SETTINGS, gateSettings, type GateSettings } from '../../../src/core/analyzer/index';
import { loadFile } from '../../../src/core/testfile/index';
import { RunStore } from '../../../src/extension/run-store';
import type { ResultsMessage, TraceMessage } from '../../../src/protocol';
import type { RunEnvironment } from '../../../src/extension/runtime/environment';
import { registerResultViews } from '../../../src/extension/register-result-views';
import { registerTestDocuments } from '../../../src/extension/editor/test-documents';
import { FileSource } from '../../../src/run/sources/file';
import type { TraceSource } from '../../../src/run/sources/types';
import {
  CancellationTokenSource,
  createFakeVscode,
  Diagnostic,
  FakeTestItem,
  TestMessage,
  TestRunRequest,
  Uri,
  type FakeTestRun,
} from '../../support/vscode-fake/testing';
import { FAILING_TEXT, IMPORT_TEST_TEXT, lineOf, POKESHOP_TRACE, POKESHOP_TRACE_ID } from './support';

/** The import test with a trigger that sends nothing: the trace comes from the configured source (a saved file). */
const asTraceIdTest = (text: string) =>
  text.replace(/ {2}trigger:\n[\s\S]*?\n {2}specs:/, `  trigger:\n    type: traceid\n    traceid:\n      id: \${var:TRACE_ID}\n  specs:`);

const SUITE = `type: TestSuite
spec:
  id: the-suite
  name: The suite
  steps:
    - ./import.yaml
`;

let root: string;
let fake: ReturnType<typeof createFakeVscode>;
let store: RunStore;
let log: string[];
let source: () => Promise<TraceSource>;
let gates: GateSettings;
let importPath: string;

function setup(settings: Record<string, unknown> = {}): void {
  root = mkdtempSync(join(tmpdir(), 'tracelens-testing-'));
  mkdirSync(join(root, 'tests'));
  mkdirSync(join(root, 'node_modules', 'pkg'), { recursive: true });
  importPath = join(root, 'tests', 'import.yaml');
  writeFileSync(importPath, asTraceIdTest(FAILING_TEXT));
  writeFileSync(join(root, 'tests', 'suite.yaml'), SUITE);
  writeFileSync(join(root, 'tests', 'vars.yaml'), 'type: VariableSet\nspec:\n  id: vars\n  name: vars\n  values:\n    - key: A\n      value: b\n');
  writeFileSync(join(root, 'node_modules', 'pkg', 'test.yaml'), asTraceIdTest(IMPORT_TEST_TEXT));
  fake = createFakeVscode(root, settings);
  store = new RunStore();
  log = [];
  source = async () => new FileSource(POKESHOP_TRACE);
  gates = DEFAULT_GATE_SETTINGS;
  const env: RunEnvironment = {
    acquireSource: () => source(),
    fileReferences: (testFile: string) => ({ root: dirname(testFile), allowOutside: false, widen: '' }),
    variables: async () => ({ values: new Map([['TRACE_ID', POKESHOP_TRACE_ID]]), secrets: new Set<string>() }),
    pollingProfiles: async () => [],
    gateSettings: async () => gates,
    timing: () => ({ timeoutMs: 5_000 }),
    playwright: () => ({}),
    log: (line) => log.push(line),
  };
  const context = { subscriptions: [] as Array<{ dispose(): unknown }>, extensionUri: Uri.file(process.cwd()) as unknown as vscode.Uri };
  registerResultViews(fake.api, context, { store, env, documents: registerTestDocuments(fake.api, context, store) });
}

async function discover(): Promise<void> {
  await fake.controller().resolveHandler!(undefined);
}

function item(id: string): FakeTestItem {
  const found = fake
    .controller()
    .allItems()
    .find((i) => i.id === id);
  if (!found)
    throw new Error(
      `no item ${id}; have ${fake
        .controller()
        .allItems()
        .map((i) => i.id)
        .join(', ')}`,
    );
  return found;
}

const fileId = () => Uri.file(importPath).toString();
const testId = () => `${fileId()}#pokeshop-demo-import-pokemon-queue`;

async function runWith(profileLabel: string, include: FakeTestItem[] | undefined, token = new CancellationTokenSource().token): Promise<FakeTestRun> {
  const controller = fake.controller();
  const profile = controller.profiles.find((p) => p.label === profileLabel)!;
  const before = controller.runs.length;
  await profile.runHandler(new TestRunRequest(include), token);
  assert.equal(controller.runs.length, before + 1, 'one TestRun per request');
  const run = controller.runs.at(-1)!;
  assert.equal(run.ended, true);
  return run;
}

/** Store listeners that read files finish on later turns of the event loop. */
async function settled(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

describe('discovery', () => {
  beforeEach(() => setup());

  test('finds test and suite files by content, skipping node_modules and other resources, with ranges for gutter icons', async () => {
    await discover();
    const files = fake
      .controller()
      .items.all()
      .map((i) => i.label)
      .sort();
    assert.deepEqual(files, [join('tests', 'import.yaml'), join('tests', 'suite.yaml')]);
    const text = asTraceIdTest(FAILING_TEXT);
    const t = item(testId());
    assert.equal(t.label, 'Import a Pokemon using API and MQ Worker');
    assert.equal(t.range!.start.line, lineOf(text, 'name: Import a Pokemon'));
    const specs = t.children.all();
    assert.equal(specs.length, 5);
    assert.equal(specs[0]!.label, 'POST /pokemon/import was called successfuly');
    assert.equal(specs[0]!.range!.start.line, lineOf(text, '- selector: span[tracetest.span.type="http"'));
    const step = item(`${Uri.file(join(root, 'tests', 'suite.yaml')).toString()}#the-suite/step/0`);
    assert.equal(step.label, 'Import a Pokemon using API and MQ Worker', 'a step is labelled with the test it runs');
  });

  test('follows edits in an open editor and files appearing on disk; a parse error shows on the item', async () => {
    await discover();
    const editor = await fake.openEditor(importPath);
    fake.edit(editor.document, editor.document.getText().replace('name: POST /pokemon/import was called successfuly', 'name: The API answered'));
    await until(() => item(testId()).children.all()[0]!.label === 'The API answered');

    const newPath = join(root, 'tests', 'new.yaml');
    writeFileSync(newPath, 'type: Test\nspec:\n  id: fresh\n  name: Fresh\n  trigger:\n    type: traceid\n    traceid:\n      id: x\n  specs: [}\n');
    fake.events.watcher.create.fire(Uri.file(newPath));
    await until(() => fake.controller().items.get(Uri.file(newPath).toString()) !== undefined);
    const broken = fake.controller().items.get(Uri.file(newPath).toString())!;
    assert.match(broken.error ?? broken.children.all()[0]?.error ?? '', /\d+:\d+: /, 'the YAML error with its line and column');

    fake.events.watcher.delete.fire(Uri.file(newPath));
    assert.equal(fake.controller().items.get(Uri.file(newPath).toString()), undefined);
  });
});

describe('running from the Testing view', () => {
  beforeEach(() => setup());

  test('a failing assertion: the spec fails with a diff at its line, the test fails, progress is shown, the result is stored', async () => {
    await discover();
    const run = await runWith('Run', [item(fileId())]);
    const text = asTraceIdTest(FAILING_TEXT);
    const testItem = item(testId());
    assert.equal(run.outcome(testItem)?.kind, 'failed');
    const specs = testItem.children.all();
    assert.deepEqual(
      specs.map((s) => run.outcome(s)?.kind),
      ['failed', 'passed', 'passed', 'passed', 'passed'],
    );
    const failed = run.outcome(specs[0]!);
    assert.ok(failed && failed.kind === 'failed');
    const [message] = failed.messages;
    assert.equal(message!.expectedOutput, '201');
    assert.equal(message!.actualOutput, '200');
    assert.equal(message!.location!.uri.fsPath, importPath);
    assert.equal(message!.location!.range.start.line, lineOf(text, 'attr:http.status_code = 201'));
    assert.equal(message!.contextValue, 'tracelens.failure');

    const output = run.output.join('');
    assert.match(output, /▶ Import a Pokemon using API and MQ Worker\r\n/);
    assert.match(output, /traceid trigger .*trace 4bf92f3577b34da6a3ce929d0e0e4736\r\n/);
    assert.match(output, /✗ Import a Pokemon using API and MQ Worker \(.* 4\/5 specs passed\)\r\n/);
    assert.ok(
      log.some((l) => l.startsWith('▶ Import a Pokemon')),
      'the same progress goes to the output channel',
    );
    assert.equal(store.get(importPath, 'pokeshop-demo-import-pokemon-queue')?.result.status, 'failed');
  });

  test('running one spec runs its test but reports only on that spec', async () => {
    await discover();
    const spec = item(`${testId()}/spec/1`);
    const run = await runWith('Run', [spec]);
    assert.deepEqual(
      run.calls.filter((c) => c.kind !== 'enqueued' && c.kind !== 'started').map((c) => [c.kind, c.item.id]),
      [['passed', spec.id]],
    );
    assert.equal(store.get(importPath, 'pokeshop-demo-import-pokemon-queue')?.result.specs.length, 5, 'the whole test ran');
  });

  test('a suite runs its steps; each step reports on its own test and the result lands in the step file', async () => {
    await discover();
    const suitePath = join(root, 'tests', 'suite.yaml');
    const suite = item(`${Uri.file(suitePath).toString()}#the-suite`);
    const run = await runWith('Run', [suite]);
    assert.equal(run.outcome(suite)?.kind, 'failed');
    const step = run.outcome(suite.children.all()[0]!);
    assert.ok(step && step.kind === 'failed');
    assert.equal(step.messages[0]!.location!.uri.fsPath, importPath, 'the failure points into the step test file');
    assert.equal(store.get(importPath, 'pokeshop-demo-import-pokemon-queue')?.result.suite, 'The suite');
  });

  test('a broken assertion, selector and output error alone, each at its line and column; the rest is judged', async () => {
    const text = `${asTraceIdTest(IMPORT_TEST_TEXT)
      .replace(
        `json_path '$.id' = "143"\n  - selector: span[tracetest.span.type="general"`,
        `json_path '$.id' | nosuch = "143"\n  - selector: span[tracetest.span.type="general"`,
      )
      .replace('span[tracetest.span.type="general" name="validate request"]', 'span[tracetest.span.type="general" name="validate request"')
      .trimEnd()}\n  outputs:\n  - name: ID\n    selector: span[]\n    value: attr:http.status_code | nope\n`;
    writeFileSync(importPath, text);
    await discover();
    const run = await runWith('Run', [item(testId())]);
    const outcome = run.outcome(item(testId()));
    assert.ok(outcome && outcome.kind === 'errored');
    const at = (needle: string) => {
      const line = lineOf(text, needle);
      return [line, text.split('\n')[line]!.indexOf(needle)];
    };
    assert.deepEqual(
      outcome.messages.map((m) => [m.location!.range.start.line, m.location!.range.start.character]),
      [at('nosuch'), [lineOf(text, 'name="validate request"'), text.split('\n')[lineOf(text, 'name="validate request"')]!.length], at('nope')],
      'the broken assertion, the end of the unclosed selector, the broken output value',
    );
    assert.match(outcome.messages[0]!.message, /unknown filter `nosuch`/);
    assert.match(outcome.messages[2]!.message, /^output ID: value does not parse: unknown filter `nope`/);
    assert.deepEqual(
      item(testId())
        .children.all()
        .map((s) => run.outcome(s)?.kind),
      ['errored', 'errored', 'passed', 'passed', 'passed'],
    );
    const first = run.outcome(item(`${testId()}/spec/0`));
    assert.ok(first && first.kind === 'errored');
    assert.equal(first.messages.length, 1, 'its other assertion passed');
  });

  test('a trigger that cannot connect errors the test at its URL line', async () => {
    const port = await closedPort();
    writeFileSync(importPath, FAILING_TEXT.replace('${var:POKESHOP_API_URL}', `http://127.0.0.1:${port}`));
    await discover();
    const run = await runWith('Run', [item(testId())]);
    const outcome = run.outcome(item(testId()));
    assert.ok(outcome && outcome.kind === 'errored');
    assert.match(outcome.messages[0]!.message, /^trigger: /);
    assert.equal(outcome.messages[0]!.location!.range.start.line, lineOf(FAILING_TEXT, 'url: ${var:POKESHOP_API_URL}'));
    assert.deepEqual(
      item(testId())
        .children.all()
        .map((s) => run.outcome(s)?.kind),
      ['errored', 'errored', 'errored', 'errored', 'errored'],
    );
  });

  test('when the trace source cannot start, every item errors with the reason', async () => {
    source = () => Promise.reject(new Error('port 4318 is in use by another program'));
    await discover();
    const run = await runWith('Run', undefined);
    const outcomes = run.calls.filter((c) => c.kind === 'errored');
    assert.ok(outcomes.length >= 7, 'tests, specs and suite steps');
    for (const o of outcomes) assert.ok(o.kind === 'errored' && o.messages[0]!.message === 'port 4318 is in use by another program');
  });

  test('a cancelled request runs nothing and stores nothing', async () => {
    await discover();
    const tokens = new CancellationTokenSource();
    tokens.cancel();
    const run = await runWith('Run', [item(fileId())], tokens.token);
    assert.ok(run.calls.some((c) => c.kind === 'skipped'));
    assert.equal(
      run.calls.some((c) => c.kind === 'passed' || c.kind === 'failed'),
      false,
    );
    assert.equal(store.forFile(importPath).length, 0);
  });
});

describe('re-check against the last trace', () => {
  beforeEach(() => setup());

  test('without a stored trace it errors and sends nothing; after a run it evaluates the edited specs', async () => {
    await discover();
    let acquired = 0;
    const real = source;
    source = () => (acquired++, real());
    const first = await runWith('Re-check against last trace', [item(testId())]);
    const before = first.outcome(item(testId()));
    assert.ok(before && before.kind === 'errored');
    assert.match(before.messages[0]!.message, /run the test first/);

    await runWith('Run', [item(testId())]);
    assert.equal(acquired, 1);
    const editor = await fake.openEditor(importPath);
    fake.edit(editor.document, editor.document.getText().replace('attr:http.status_code = 201', 'attr:http.status_code = 200'));
    const recheck = await runWith('Re-check against last trace', [item(testId())]);
    assert.equal(recheck.outcome(item(testId()))?.kind, 'passed');
    assert.equal(acquired, 1, 'no trace source was asked for');
    assert.equal(store.get(importPath, 'pokeshop-demo-import-pokemon-queue')?.result.status, 'passed');
  });

  test("the workspace's TestRunner gates decide: the analyzer's score fails a test whose specs pass, in a run and in a re-check", async () => {
    writeFileSync(importPath, asTraceIdTest(IMPORT_TEST_TEXT));
    const settings = loadFile(
      'type: Analyzer\nspec:\n  minimumScore: 90\n---\ntype: TestRunner\nspec:\n  requiredGates: [test-specs, analyzer-score]\n',
      'settings.yaml',
    );
    const [analyzer, runner] = settings.resources.map((r) => r.resource);
    gates = gateSettings(analyzer?.kind === 'Analyzer' ? analyzer : undefined, runner?.kind === 'TestRunner' ? runner : undefined);
    await discover();
    for (const profile of ['Run', 'Re-check against last trace']) {
      const run = await runWith(profile, [item(testId())]);
      const outcome = run.outcome(item(testId()));
      assert.ok(outcome && outcome.kind === 'failed', profile);
      assert.deepEqual(
        outcome.messages.map((m) => m.message),
        ['required gate analyzer-score failed: score 81 is below the minimum 90'],
      );
      assert.equal(outcome.messages[0]!.location!.range.start.line, lineOf(IMPORT_TEST_TEXT, 'name: Import a Pokemon'), 'at the test, as its item');
      assert.deepEqual(
        item(testId())
          .children.all()
          .map((spec) => run.outcome(spec)?.kind),
        ['passed', 'passed', 'passed', 'passed', 'passed'],
      );
    }
    const output = (await runWith('Run', [item(testId())])).output.join('');
    assert.match(output, /analyzer score 81\/100 \(minimum 90\) · 2 of 7 rules failed\r\n/);
    assert.match(output, /✗ required gate analyzer-score: score 81 is below the minimum 90\r\n/);
  });
});

describe('results in the editor', () => {
  beforeEach(() => setup());

  test('decorations, a diagnostic per failing line, lenses; fixing and re-checking clears the diagnostic', async () => {
    await discover();
    const editor = await fake.openEditor(importPath);
    await runWith('Run', [item(fileId())]);
    await settled();
    const text = editor.document.getText();

    const after = editor.afterTexts();
    assert.equal(after.length, 6);
    assert.deepEqual(after[0], { line: lineOf(text, 'attr:http.status_code = 201'), text: '✗ 200 (expected 201)', color: 'testing.iconFailed' });
    assert.deepEqual(after[1], { line: lineOf(text, "json_path '$.id'"), text: '✓ 143', color: 'testing.iconPassed' });

    const runDiagnostics = fake.state.diagnostics.find((c) => c.name === 'tracelens-run')!;
    const diagnostics = runDiagnostics.get(Uri.file(importPath)) as Diagnostic[];
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]!.source, 'tracelens run');
    assert.equal(diagnostics[0]!.range.start.line, lineOf(text, 'attr:http.status_code = 201'));

    const lenses = fake.state.codeLensProviders[0]!.provideCodeLenses(editor.document);
    const titles = lenses.map((l) => l.command!.title);
    assert.equal(titles[0], '$(play) Run test');
    assert.equal(titles[1], '$(type-hierarchy) Show trace');
    assert.match(titles[2]!, /^\$\(error\) 4\/5 specs passed · \d+ ms · 9 spans$/);
    assert.equal(titles.filter((t) => t === '$(refresh) Re-check').length, 5);
    assert.deepEqual(lenses[0]!.command!.arguments, [Uri.file(importPath).toString(), 'pokeshop-demo-import-pokemon-queue']);

    fake.edit(editor.document, text.replace('attr:http.status_code = 201', 'attr:http.status_code = 200'));
    await fake.state.commands.get('tracelens.recheck')!(Uri.file(importPath));
    await settled();
    assert.deepEqual(runDiagnostics.get(Uri.file(importPath)) ?? [], []);
    assert.equal(editor.afterTexts()[0]!.text, '✓ 200');
  });

  test('"Run under load…" is offered on tests whose trigger a load can send (http, graphql), with the test as its arguments', async () => {
    const ordersPath = join(root, 'tests', 'orders.yaml');
    writeFileSync(
      ordersPath,
      'type: Test\nspec:\n  id: orders\n  trigger:\n    type: http\n    httpRequest:\n      url: http://shop/orders\n  specs:\n  - selector: span[name="x"]\n    assertions:\n    - attr:name = "x"\n',
    );
    const loadLenses = async (path: string) =>
      fake.state.codeLensProviders[0]!.provideCodeLenses((await fake.openEditor(path)).document).filter((l) => l.command!.command === 'tracelens.runUnderLoad');
    const [lens, ...more] = await loadLenses(ordersPath);
    assert.equal(more.length, 0);
    assert.equal(lens!.command!.title, '$(pulse) Run under load…');
    assert.deepEqual(lens!.command!.arguments, [Uri.file(ordersPath).toString(), 'orders']);
    assert.deepEqual(await loadLenses(importPath), [], 'a traceid trigger sends nothing to load');
  });

  test('settings turn lenses and decorations off', async () => {
    setup({ 'codeLens.enabled': false, 'decorations.enabled': false });
    await discover();
    const editor = await fake.openEditor(importPath);
    await runWith('Run', [item(fileId())]);
    assert.deepEqual(editor.afterTexts(), []);
    assert.deepEqual(fake.state.codeLensProviders[0]!.provideCodeLenses(editor.document), []);
  });

  test('a failed run opens its trace panel beside the editor without taking the focus', async () => {
    await discover();
    await runWith('Run', [item(fileId())]);
    assert.equal(fake.state.panels.length, 1, 'one panel for the failed test');
    const panel = fake.state.panels[0]!;
    assert.deepEqual(panel.showOptions, { viewColumn: -2, preserveFocus: true });
    panel.webview.fromPage({ type: 'ready' });
    const show = await panel.webview.next<ResultsMessage>('results');
    assert.equal(show.test.status, 'failed');
    assert.equal(panel.title, 'Trace: Import a Pokemon using API and MQ Worker');
  });

  test('a failed run opens no panel when tracelens.panel.openOnFailure is off', async () => {
    setup({ 'panel.openOnFailure': false });
    await discover();
    await runWith('Run', [item(fileId())]);
    assert.equal(fake.state.panels.length, 0);
  });

  test('"Open trace at span" on a failure shows the trace panel focused on the span that failed', async () => {
    setup({ 'panel.openOnFailure': false });
    await discover();
    const run = await runWith('Run', [item(fileId())]);
    const spec = item(`${testId()}/spec/0`);
    const failed = run.outcome(spec);
    assert.ok(failed && failed.kind === 'failed');
    // The message comes back from the workbench as a copy: only its fields count.
    const copy = Object.assign(new TestMessage(failed.messages[0]!.message), { location: failed.messages[0]!.location, contextValue: 'tracelens.failure' });
    await fake.state.commands.get('tracelens.openTraceAtSpan')!({ test: spec, message: copy });
    const panel = fake.state.panels[0]!;
    panel.webview.fromPage({ type: 'ready' });
    const show = await panel.webview.next<ResultsMessage>('results');
    assert.equal(show.focusSpanId, '00f067aa0ba902b7');
    assert.equal(show.specs[0]!.status, 'failed');

    // From a failed result's menu in Test Results the argument is the test item: its first failing span.
    const before = panel.webview.posted.length;
    await fake.state.commands.get('tracelens.openTraceAtSpan')!(item(testId()));
    assert.deepEqual(panel.webview.posted.slice(before), [{ type: 'focus', spanId: '00f067aa0ba902b7' }]);
  });

  test('commands run a test from its lens and show its trace, as a panel or as OTLP JSON', async () => {
    await discover();
    await fake.state.commands.get('tracelens.runTest')!(Uri.file(importPath).toString(), 'pokeshop-demo-import-pokemon-queue');
    assert.equal(fake.controller().runs.length, 1, 'the run shows in the Testing view');
    await fake.state.commands.get('tracelens.showTrace')!(Uri.file(importPath).toString(), 'pokeshop-demo-import-pokemon-queue');
    const panel = fake.state.panels[0]!;
    panel.webview.fromPage({ type: 'ready' });
    const shown = await panel.webview.next<TraceMessage>('trace');
    assert.equal(shown.trace.traceId, POKESHOP_TRACE_ID);
    await fake.state.commands.get('tracelens.showTraceJson')!(Uri.file(importPath).toString(), 'pokeshop-demo-import-pokemon-queue');
    assert.match(fake.state.activeEditor!.document.getText(), /"resourceSpans"/);
  });

  test("a run's Playwright trace: a lens opens it in Playwright's trace viewer, in a terminal", async () => {
    const key = 'pokeshop-demo-import-pokemon-queue';
    const open = (k = key) => fake.state.commands.get('tracelens.openPlaywrightTrace')!(Uri.file(importPath).toString(), k);
    await discover();
    const editor = await fake.openEditor(importPath);
    await runWith('Run', [item(fileId())]);
    const lensTitles = () => fake.state.codeLensProviders[0]!.provideCodeLenses(editor.document).map((l) => l.command!.title);
    assert.ok(!lensTitles().includes('$(file-zip) Playwright trace'), 'a run without one has no lens');
    await open();
    assert.deepEqual(fake.state.infoMessages.at(-1), 'This test has no Playwright trace: run a playwrightengine test first.');

    // What a playwrightengine run stores (the trigger itself runs in test/unit/triggers/playwright.test.ts).
    const zip = join(root, 'trace.zip');
    writeFileSync(zip, 'PK');
    const stored = store.get(importPath, key)!.result;
    store.set(importPath, key, { ...stored, trigger: { ...stored.trigger, playwrightTrace: zip } });
    const lens = fake.state.codeLensProviders[0]!.provideCodeLenses(editor.document).find((l) => l.command!.title === '$(file-zip) Playwright trace')!;
    assert.deepEqual(lens.command!.arguments, [Uri.file(importPath).toString(), key]);
    await open();
    await open();
    assert.equal(fake.state.terminals.length, 1, 'opened again, the same viewer is shown');
    const [terminal] = fake.state.terminals;
    assert.equal(terminal!.options.name, 'Playwright Trace Viewer');
    assert.equal(terminal!.options.shellPath, process.execPath);
    assert.match(terminal!.options.shellArgs[0]!, /node_modules[\\/]playwright-core[\\/]cli\.js$/);
    assert.deepEqual(terminal!.options.shellArgs.slice(1), ['show-trace', '--port', '0', zip]);
    assert.equal(terminal!.options.env?.['ELECTRON_RUN_AS_NODE'], '1');
    assert.equal(terminal!.shown, 2);
    terminal!.dispose();
    await open();
    assert.equal(fake.state.terminals.length, 2, 'a closed viewer is started again');

    rmSync(zip);
    fake.state.terminals.at(-1)!.dispose();
    await open();
    assert.equal(fake.state.terminals.length, 2);
    assert.equal(fake.state.warningMessages.at(-1), `The Playwright trace ${zip} is no longer there: run the test again.`);
  });
});

describe('continuous runs (auto run)', () => {
  beforeEach(() => setup());

  /** Starts the profile's continuous run for `include`; returns what stops it and the promise it ends with. */
  function startWatch(profileLabel: string, include: FakeTestItem[] | undefined): { stop: () => void; ended: Promise<void> } {
    const profile = fake.controller().profiles.find((p) => p.label === profileLabel)!;
    assert.equal(profile.supportsContinuousRun, true);
    const tokens = new CancellationTokenSource();
    const ended = Promise.resolve(profile.runHandler(new TestRunRequest(include, undefined, profile, true), tokens.token));
    return { stop: () => tokens.cancel(), ended };
  }

  test('Run: saving a watched file runs its tests; another file, or after stopping, nothing', async () => {
    await discover();
    let collected = 0;
    source = async () => {
      collected++;
      return new FileSource(POKESHOP_TRACE);
    };
    const watch = startWatch('Run', [item(testId())]);
    await settled();
    assert.equal(fake.controller().runs.length, 0, 'starting the continuous run runs nothing');

    fake.save(importPath, asTraceIdTest(IMPORT_TEST_TEXT));
    await until(() => fake.controller().runs.length === 1 && fake.controller().runs[0]!.ended);
    assert.equal(collected, 1, 'the request was sent');
    assert.equal(store.get(importPath, 'pokeshop-demo-import-pokemon-queue')!.result.status, 'passed', 'the saved text was run');
    const passed = fake
      .controller()
      .runs[0]!.calls.filter((c) => c.kind === 'passed')
      .map((c) => c.item.id);
    assert.deepEqual(passed, [testId(), ...[0, 1, 2, 3, 4].map((i) => `${testId()}/spec/${i}`)], 'the test and its specs, as a click would');

    fake.save(join(root, 'tests', 'suite.yaml'), SUITE);
    await settled();
    assert.equal(fake.controller().runs.length, 1, 'a file the run was not started for');

    watch.stop();
    await watch.ended;
    fake.save(importPath, asTraceIdTest(FAILING_TEXT));
    await settled();
    assert.equal(fake.controller().runs.length, 1, 'stopped');
  });

  test('Re-check: saving re-judges the last trace with the file as saved, sending nothing', async () => {
    await discover();
    await runWith('Run', [item(testId())]);
    assert.equal(store.get(importPath, 'pokeshop-demo-import-pokemon-queue')!.result.status, 'failed');
    source = () => Promise.reject(new Error('a re-check sends nothing'));
    const watch = startWatch('Re-check against last trace', undefined);
    fake.save(importPath, asTraceIdTest(IMPORT_TEST_TEXT));
    await until(() => fake.controller().runs.length === 2 && fake.controller().runs[1]!.ended);
    assert.equal(store.get(importPath, 'pokeshop-demo-import-pokemon-queue')!.result.status, 'passed');
    assert.equal(fake.controller().runs[1]!.name, 'Re-check against last trace');
    watch.stop();
    await watch.ended;
  });
});

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    try {
      if (check()) return;
    } catch {
      // not there yet
    }
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
