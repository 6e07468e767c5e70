import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeEach, describe, test } from 'node:test';
import { loadFile } from '../../../src/core/testfile/index';
import { findTest } from '../../../src/extension/results/file-entries';
import { RunStore } from '../../../src/extension/run-store';
import type { RunEnvironment } from '../../../src/extension/runtime/environment';
import { spanBlocks } from '../../../src/extension/testing/assert-on-span';
import { registerResultViews } from '../../../src/extension/register-result-views';
import { registerTestDocuments } from '../../../src/extension/editor/test-documents';
import { createFakeVscode, Position, Selection, Uri, type FakeDocument, type InputBoxAnswer, type QuickPickAnswer } from '../../support/vscode-fake/testing';
import { IMPORT_TEST_TEXT, lineOf, replay } from './support';
import { DEFAULT_GATE_SETTINGS } from '../../../src/core/analyzer/index';

const KEY = 'pokeshop-demo-import-pokemon-queue';
const SPAN = { http: '00f067aa0ba902b7', validate: '53995c3f42cd8ad8', insert: '7f6e5d4c3b2a1908' };

let fake: ReturnType<typeof createFakeVscode>;
let path: string;
let traceDoc: FakeDocument;
let store: RunStore;

async function setup(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'tracelens-assert-'));
  mkdirSync(join(root, 'tests'));
  path = join(root, 'tests', 'import.yaml');
  writeFileSync(path, IMPORT_TEST_TEXT);
  fake = createFakeVscode(root);
  store = new RunStore();
  const env: RunEnvironment = {
    acquireSource: () => Promise.reject(new Error('no runs in these tests')),
    fileReferences: (testFile: string) => ({ root: dirname(testFile), allowOutside: false, widen: '' }),
    variables: async () => ({
      values: new Map([
        ['EXPECTED_DB', 'postgresql'],
        ['TOKEN', 'postgresql'],
      ]),
      secrets: new Set(['TOKEN']),
    }),
    pollingProfiles: async () => [],
    gateSettings: async () => DEFAULT_GATE_SETTINGS,
    timing: () => ({ timeoutMs: 5_000 }),
    playwright: () => ({}),
    log: () => {},
  };
  const context = { subscriptions: [] as Array<{ dispose(): unknown }>, extensionUri: Uri.file(process.cwd()) as unknown as vscode.Uri };
  registerResultViews(fake.api, context, { store, env, documents: registerTestDocuments(fake.api, context, store) });
  const { run } = await replay(IMPORT_TEST_TEXT, path);
  store.set(path, run.key, run.result);
  await fake.state.commands.get('tracelens.showTraceJson')!(Uri.file(path).toString(), KEY);
  traceDoc = fake.state.activeEditor!.document;
  assert.equal(traceDoc.uri.scheme, 'tracelens-trace');
}

const assertOnSpan = (spanId?: string) => fake.state.commands.get('tracelens.assertOnSpan')!(...(spanId ? [{ uri: traceDoc.uri.toString(), spanId }] : []));
const first: QuickPickAnswer = (items) => items[0];
const byLabel =
  (label: string | RegExp): QuickPickAnswer =>
  (items) => {
    const found = items.find((i) => (typeof label === 'string' ? i.label === label : label.test(i.label)));
    if (!found) throw new Error(`no item ${label}; have ${items.map((i) => i.label).join(', ')}`);
    return found;
  };
const accept: InputBoxAnswer = (options) => options.value;
const testDocument = () => fake.state.documents.find((d) => d.uri.toString() === Uri.file(path).toString())!;
const testNow = (text: string) => findTest(loadFile(text, path), KEY)!.test;

describe('Assert on span from the trace document', () => {
  beforeEach(setup);

  test('a new spec with the first candidate selector and the prefilled assertion, which passes against the trace', async () => {
    fake.state.quickPickAnswers.push(first, byLabel('db.system'));
    fake.state.inputBoxAnswers.push(accept);
    await assertOnSpan(SPAN.insert);

    const [selectors, attributes] = fake.state.quickPicks;
    const candidate = selectors!.items[0]!;
    assert.equal(candidate.label, 'span[tracetest.span.type="database" name="pg.query:INSERT pokeshop"]');
    assert.equal(candidate.description, 'attributes · matches 1 span');
    const attribute = attributes!.items.find((i) => i.label === 'db.system')!;
    assert.deepEqual([attribute.description, attribute.detail], ['postgresql', 'attr:db.system = "postgresql"']);
    assert.ok(
      attributes!.items.some((i) => i.label === 'tracetest.span.duration'),
      'synthesized attributes are offered',
    );
    assert.ok(
      attributes!.items.some((i) => i.label === 'service.name'),
      'resource attributes are offered',
    );

    const box = fake.state.inputBoxes[0]!;
    assert.equal(box.value, 'attr:db.system = "postgresql"');
    assert.match(box.prompt!, /^✓ passes/);
    const validate = box.validateInput!;
    assert.deepEqual(validate('attr:db.system = "postgresql"'), { message: '✓ passes against this span now (observed postgresql)', severity: 1 });
    const failing = validate('attr:db.system = "mysql"') as { message: string; severity: number };
    assert.deepEqual([failing.severity, failing.message], [2, '✗ observed postgresql (expected mysql): fails against this span now']);
    assert.equal((validate('attr:db.system =') as { severity: number }).severity, 3, 'a broken assertion cannot be accepted');

    assert.equal(fake.state.appliedEdits.length, 1, 'one WorkspaceEdit');
    const text = testDocument().getText();
    assert.notEqual(text, IMPORT_TEST_TEXT);
    assert.equal(readFileSync(path, 'utf8'), IMPORT_TEST_TEXT, 'the edit is left unsaved (undoable)');
    const loaded = loadFile(text, path);
    assert.deepEqual(loaded.problems, []);
    const test = testNow(text);
    assert.equal(test.specs.length, 6);
    const spec = test.specs[5]!;
    assert.equal(spec.selector.value, candidate.label);
    assert.deepEqual(
      spec.assertions.map((a) => a.value),
      ['attr:db.system = "postgresql"'],
    );
    assert.equal(text.slice(0, text.indexOf('  - selector: span[tracetest.span.type="database"')), IMPORT_TEST_TEXT, 'appended, nothing else touched');

    const { result } = await replay(text, path);
    assert.equal(result.specs[5]!.status, 'passed');

    const editor = fake.state.activeEditor!;
    assert.equal(editor.document, testDocument(), 'the test file is shown');
    assert.equal(editor.revealed!.start.line, lineOf(text, '- attr:db.system = "postgresql"'));
  });

  test("from the cursor, a candidate that is an existing spec's selector appends to that spec; a changed assertion is written as typed", async () => {
    const editor = fake.state.activeEditor!;
    const line = lineOf(traceDoc.getText(), `"spanId": "${SPAN.validate}"`) + 2;
    editor.selection = new Selection(new Position(line, 4), new Position(line, 4));
    fake.state.quickPickAnswers.push(first, byLabel('validation.is_valid'));
    fake.state.inputBoxAnswers.push(() => 'attr:validation.is_valid != "false"');
    await assertOnSpan();

    const description = fake.state.quickPicks[0]!.items[0]!.description;
    assert.equal(description, 'attributes · matches 1 span · adds to spec "The request was validated correctly"');
    const test = testNow(testDocument().getText());
    assert.equal(test.specs.length, 5);
    assert.deepEqual(
      test.specs[1]!.assertions.map((a) => a.value),
      ['attr:validation.is_valid = "true"', 'attr:validation.is_valid != "false"'],
    );
    const { result } = await replay(testDocument().getText(), path);
    assert.equal(result.specs[1]!.status, 'passed');
  });

  test('an existing spec whose selector selects the span is offered too, and unsaved edits of the test file are kept', async () => {
    await fake.openEditor(path);
    fake.edit(testDocument(), IMPORT_TEST_TEXT.replace('  description: Import a Pokemon\n', '  description: Import a Pokemon\n  # unsaved\n'));
    const existing = 'span[tracetest.span.type="http" name="POST /pokemon/import" http.method="POST"]';
    fake.state.quickPickAnswers.push(byLabel(existing), byLabel('http.method'));
    fake.state.inputBoxAnswers.push(accept);
    await assertOnSpan(SPAN.http);

    const item = fake.state.quickPicks[0]!.items.find((i) => i.label === existing)!;
    assert.equal(item.description, 'existing spec · matches 1 span · adds to spec "POST /pokemon/import was called successfuly"');
    const text = testDocument().getText();
    assert.match(text, /# unsaved\n/);
    assert.deepEqual(
      testNow(text).specs[0]!.assertions.map((a) => a.value),
      ['attr:http.status_code  =  200', 'attr:http.response.body | json_path \'$.id\' = "143"', 'attr:http.method = "POST"'],
    );
  });

  test('cancelling at any step changes nothing', async () => {
    const steps: Array<() => void> = [
      () => {},
      () => fake.state.quickPickAnswers.push(first),
      () => fake.state.quickPickAnswers.push(first, byLabel('db.system')),
      () => fake.state.quickPickAnswers.push(first, byLabel(/Add as output/)),
      () => fake.state.quickPickAnswers.push(first, byLabel(/Add as output/), byLabel('db.system')),
    ];
    for (const answer of steps) {
      answer();
      await assertOnSpan(SPAN.insert);
      assert.equal(fake.state.quickPickAnswers.length, 0);
    }
    assert.equal(fake.state.inputBoxes.length, 2, 'the assertion box and the output-name box were shown and cancelled');
    assert.deepEqual(fake.state.appliedEdits, []);
    assert.equal(testDocument().getText(), IMPORT_TEST_TEXT);
    assert.deepEqual([fake.state.errorMessages, fake.state.infoMessages], [[], []]);
  });

  test('an assertion already there is a no-op with a note; an edit that cannot be made, or a test gone, is an error', async () => {
    fake.state.quickPickAnswers.push(first, byLabel('validation.is_valid'));
    fake.state.inputBoxAnswers.push(accept);
    await assertOnSpan(SPAN.validate);
    assert.deepEqual(fake.state.appliedEdits, []);
    assert.match(fake.state.infoMessages.at(-1)!, /the assertion is already in spec 2/);

    const flow = 'type: Test\nspec: {id: pokeshop-demo-import-pokemon-queue, name: Flow, trigger: {type: traceid, traceid: {id: abc}}, specs: []}\n';
    fake.state.quickPickAnswers.push(first, byLabel('validation.is_valid'));
    // The file changes while the input box is open: the edit is computed from the text as it is when accepted.
    fake.state.inputBoxAnswers.push((options) => (fake.edit(testDocument(), flow), options.value));
    await assertOnSpan(SPAN.validate);
    assert.deepEqual(fake.state.appliedEdits, []);
    assert.deepEqual(fake.state.errorMessages, ["Tracelens: the Test's `spec` is written in flow style ({...}); write it as a block map to add to it"]);

    fake.edit(testDocument(), IMPORT_TEST_TEXT.replace(KEY, 'renamed'));
    await assertOnSpan(SPAN.validate);
    assert.match(fake.state.errorMessages[1]!, /^Tracelens: there is no test pokeshop-demo-import-pokemon-queue in tests\/import\.yaml any more\.$/);

    // A file that no longer parses says where, not that the test is gone.
    fake.edit(testDocument(), IMPORT_TEST_TEXT.replace('  specs:\n', '  specs:\n   - : [\n'));
    await assertOnSpan(SPAN.validate);
    assert.match(
      fake.state.errorMessages[2]!,
      /^Tracelens: tests\/import\.yaml does not load \(tests\/import\.yaml:\d+:\d+: [^)]+\); fix it, then add again\.$/,
    );
    assert.equal(fake.state.quickPicks.length, 4, 'asked nothing more');
  });

  test('Add as output… writes an output whose value a run reads from the span', async () => {
    fake.state.quickPickAnswers.push(first, byLabel(/Add as output/), byLabel('db.system'));
    fake.state.inputBoxAnswers.push(accept);
    await assertOnSpan(SPAN.insert);
    assert.equal(fake.state.inputBoxes[0]!.value, 'DB_SYSTEM');
    const text = testDocument().getText();
    const test = testNow(text);
    assert.deepEqual(
      test.outputs.map((o) => [o.name.value, o.selector.value, o.value.value]),
      [['DB_SYSTEM', 'span[tracetest.span.type="database" name="pg.query:INSERT pokeshop"]', 'attr:db.system']],
    );
    assert.deepEqual(loadFile(text, path).problems, []);
    const { result } = await replay(text, path);
    assert.deepEqual(
      result.outputs.map((o) => [o.name, o.value]),
      [['DB_SYSTEM', 'postgresql']],
    );
    assert.equal(fake.state.activeEditor!.revealed!.start.line, lineOf(text, 'DB_SYSTEM'));
  });

  test('like the panel, the write re-checks the test: the Testing view and the store judge the new spec at once', async () => {
    fake.state.quickPickAnswers.push(first, byLabel('db.system'));
    fake.state.inputBoxAnswers.push(accept);
    await assertOnSpan(SPAN.insert);
    const [recheck] = fake.controller().runs;
    assert.equal(recheck?.name, 'Re-check against last trace');
    const judged = store.get(path, KEY)!.result;
    assert.equal(judged.specs.length, 6);
    assert.deepEqual([judged.specs[5]!.selector, judged.specs[5]!.status], ['span[tracetest.span.type="database" name="pg.query:INSERT pokeshop"]', 'passed']);
  });

  test('the assertion is previewed with the active variables (a secret one masked, as in the trace shown) and the outputs', async () => {
    fake.state.quickPickAnswers.push(first, byLabel('db.system'));
    fake.state.inputBoxAnswers.push(accept);
    await assertOnSpan(SPAN.insert);
    const validate = fake.state.inputBoxes[0]!.validateInput!;
    assert.match((validate('attr:db.system = var:EXPECTED_DB') as { message: string }).message, /^✓ passes/);
    assert.match((validate('attr:db.system = var:TOKEN') as { message: string }).message, /^✗ observed postgresql/);
  });

  test("a run that lost its trace while the box was open is refused with the panel's reason, and nothing is written", async () => {
    fake.state.quickPickAnswers.push(first, byLabel('db.system'));
    const { trace: _gone, ...withoutTrace } = store.get(path, KEY)!.result;
    fake.state.inputBoxAnswers.push((options) => (store.set(path, KEY, withoutTrace), options.value));
    await assertOnSpan(SPAN.insert);
    assert.deepEqual(fake.state.errorMessages, ['Tracelens: this test has no trace any more: run it again']);
    assert.deepEqual(fake.state.appliedEdits, []);
  });

  test('without a trace document or a span under the cursor it says what to do', async () => {
    fake.state.activeEditor!.selection = new Selection(new Position(0, 0), new Position(0, 0));
    await assertOnSpan();
    assert.match(fake.state.infoMessages.at(-1)!, /cursor inside a span/);
    await fake.openEditor(path);
    await assertOnSpan();
    assert.match(fake.state.infoMessages.at(-1)!, /Show Trace/);
    await fake.state.commands.get('tracelens.assertOnSpan')!({ uri: traceDoc.uri.toString(), spanId: 'ffffffffffffffff' });
    assert.match(fake.state.infoMessages.at(-1)!, /not in the test's last trace/);
    assert.deepEqual(fake.state.quickPicks, []);
  });
});

describe('the span lenses of the trace document', () => {
  beforeEach(setup);

  test('one "Assert on span…" per span on its spanId line, running the command for that span', async () => {
    const lenses = fake.lensesFor(traceDoc);
    const lines = traceDoc.getText().split('\n');
    assert.equal(lenses.length, 9);
    for (const lens of lenses) {
      const [args] = lens.command!.arguments as [{ uri: string; spanId: string }];
      assert.equal(lens.command!.title, '$(add) Assert on span…');
      assert.equal(lens.command!.command, 'tracelens.assertOnSpan');
      assert.equal(args.uri, traceDoc.uri.toString());
      assert.equal(lines[lens.range.start.line]!.trim(), `"spanId": "${args.spanId}",`);
    }
    assert.ok(!fake.lensesFor(await fake.openEditor(path).then((e) => e.document)).some((l) => l.command?.command === 'tracelens.assertOnSpan'));

    const http = lenses.find((l) => (l.command!.arguments![0] as { spanId: string }).spanId === SPAN.http)!;
    fake.state.quickPickAnswers.push(first);
    await fake.state.commands.get(http.command!.command)!(...http.command!.arguments!);
    assert.equal(fake.state.quickPicks[0]!.items[0]!.label, 'span[tracetest.span.type="http" name="POST /pokemon/import"]');
  });

  test("span blocks: a link's spanId is not a span, other layouts work, non-JSON yields nothing", () => {
    const text = JSON.stringify({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                { traceId: 't', spanId: 'a', name: 'x', links: [{ traceId: 't', spanId: 'zz' }] },
                { name: 'y "q"', spanId: 'b' },
              ],
            },
          ],
        },
      ],
    });
    assert.deepEqual(
      spanBlocks(text).map((b) => [b.spanId, b.spanIdLine, b.nameLine]),
      [
        ['a', 0, 0],
        ['b', 0, 0],
      ],
    );
    assert.deepEqual(spanBlocks('// No trace for this test yet: run it first.\n'), []);
  });
});
