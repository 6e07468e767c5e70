// The window's test documents: every view of a test file (Testing items, CodeLens, decorations, file problems, run
// problems, hover, the panel's lines) reads one parse per version of the text, and a result arriving re-aligns the
// stored runs without parsing again.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import type * as vscode from 'vscode';
import { DEFAULT_GATE_SETTINGS } from '../../../src/core/analyzer/index';
import { loadFile } from '../../../src/core/testfile/index';
import { registerTestDocuments } from '../../../src/extension/editor/test-documents';
import { registerDiagnostics } from '../../../src/extension/language/diagnostics';
import { createHoverProvider } from '../../../src/extension/language/providers';
import { registerResultViews } from '../../../src/extension/register-result-views';
import { RunStore } from '../../../src/extension/run-store';
import type { RunEnvironment } from '../../../src/extension/runtime/environment';
import { FileSource } from '../../../src/run/sources/file';
import { Hover, MarkdownString } from '../../support/vscode-fake/language';
import { createFakeVscode, Uri, type Diagnostic } from '../../support/vscode-fake/testing';
import { FAILING_TEXT, lineOf, POKESHOP_TRACE, replay } from './support';

function setup() {
  const root = mkdtempSync(join(tmpdir(), 'tracelens-documents-'));
  const path = join(root, 'tests', 'import.yaml');
  mkdirSync(dirname(path));
  writeFileSync(path, FAILING_TEXT);
  const fake = createFakeVscode(root);
  const store = new RunStore();
  const loads: string[] = [];
  const load = (text: string, file: string) => {
    loads.push(file);
    return loadFile(text, file);
  };
  const env: RunEnvironment = {
    acquireSource: async () => new FileSource(POKESHOP_TRACE),
    fileReferences: (testFile: string) => ({ root: dirname(testFile), allowOutside: false, widen: '' }),
    variables: async () => ({ values: new Map(), secrets: new Set<string>() }),
    pollingProfiles: async () => [],
    gateSettings: async () => DEFAULT_GATE_SETTINGS,
    timing: () => ({ timeoutMs: 5_000 }),
    playwright: () => ({}),
    log: () => undefined,
  };
  const context = { subscriptions: [] as Array<{ dispose(): unknown }>, extensionUri: Uri.file(process.cwd()) as unknown as vscode.Uri };
  const api = fake.api as unknown as typeof vscode;
  const documents = registerTestDocuments(fake.api, context, store, 0, load);
  registerResultViews(fake.api, context, { store, env, documents });
  const problems = registerDiagnostics(api, context, documents) as unknown as { get(uri: Uri): Diagnostic[] | undefined };
  const hover = createHoverProvider({ ...fake.api, Hover, MarkdownString } as never, documents, async () => ({
    variables: new Map(),
    traceFor: () => store.traceFor(path, undefined),
  }));
  return { fake, store, path, loads, documents, problems, hover };
}

/** Every view asks for what it shows of the document, as the editor would after a change. */
async function readEveryView(ctx: ReturnType<typeof setup>, doc: vscode.TextDocument) {
  const lenses = ctx.fake.lensesFor(doc as never);
  const hover = await ctx.hover.provideHover(doc, doc.positionAt(doc.getText().indexOf('attr:http.status_code')), {} as never);
  const items = ctx.fake
    .controller()
    .allItems()
    .map((i) => i.label);
  const runProblems = ctx.fake.state.diagnostics.find((c) => c.name === 'tracelens-run')?.get(Uri.file(ctx.path)) as Diagnostic[] | undefined;
  return { lenses, hover, items, problems: ctx.problems.get(Uri.file(ctx.path)), runProblems };
}

const settled = async () => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 1));
};

describe('test documents', () => {
  test('one parse per version of the text, however many views read it; a result arriving parses nothing', async () => {
    const ctx = setup();
    const editor = await ctx.fake.openEditor(ctx.path);
    const doc = editor.document as unknown as vscode.TextDocument;
    await settled();
    let views = await readEveryView(ctx, doc);
    assert.equal(ctx.loads.length, 1, 'opening the file parses it once');
    assert.ok(views.items.includes('Import a Pokemon using API and MQ Worker'), 'the Testing view shows its test');
    assert.ok(views.lenses.some((l) => l.command?.title === '$(play) Run test'));
    assert.deepEqual(views.problems, []);

    const { run } = await replay(FAILING_TEXT, ctx.path);
    ctx.store.set(ctx.path, run.key, run.result);
    await settled();
    views = await readEveryView(ctx, doc);
    assert.equal(ctx.loads.length, 1, 'a result is aligned to the parse the views already have');
    assert.deepEqual(editor.afterTexts()[0], {
      line: lineOf(FAILING_TEXT, 'attr:http.status_code = 201'),
      text: '✗ 200 (expected 201)',
      color: 'testing.iconFailed',
    });
    assert.equal(views.runProblems?.length, 1);
    assert.ok(views.lenses.some((l) => l.command?.title === '$(type-hierarchy) Show trace'));

    const edited = `# the author adds a line at the top\n${FAILING_TEXT}`.replace('specs:\n', 'specs:\n  - selector: span[\n    assertions: []\n');
    ctx.fake.edit(editor.document, edited);
    await settled();
    views = await readEveryView(ctx, doc);
    assert.equal(ctx.loads.length, 2, 'one more parse for the edit, shared by every view');
    assert.equal(views.runProblems?.[0]?.range.start.line, lineOf(edited, 'attr:http.status_code = 201'), 'run problems moved with the text');
    assert.equal(editor.afterTexts()[0]!.line, lineOf(edited, 'attr:http.status_code = 201'), 'decorations moved with the text');
    assert.ok(
      views.problems!.some((p) => p.message.startsWith('selector:')),
      'the broken selector is a problem',
    );
    assert.ok(views.hover, 'hover answers from the new text');
    assert.equal(ctx.loads.length, 2);
  });

  test('typing fast is one parse when it settles; the views are told once', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tracelens-documents-'));
    const path = join(root, 'import.yaml');
    writeFileSync(path, FAILING_TEXT);
    const fake = createFakeVscode(root);
    let loads = 0;
    const documents = registerTestDocuments(fake.api, { subscriptions: [] }, new RunStore(), 20, (text, file) => {
      loads++;
      return loadFile(text, file);
    });
    const changes: string[] = [];
    documents.onDidChange((c) => changes.push(c.why));
    const editor = await fake.openEditor(path);
    assert.equal(loads, 1);
    for (const n of [1, 2, 3]) fake.edit(editor.document, FAILING_TEXT.replace('name: Import a Pokemon', `name: Import a Pokemon ${n}`));
    await new Promise((r) => setTimeout(r, 60));
    assert.deepEqual(changes, ['opened', 'edited']);
    assert.equal(loads, 2, 'the versions typed over were never parsed');
    assert.match(documents.cached(editor.document.uri as never)!.text, /Import a Pokemon 3/);
  });
});
