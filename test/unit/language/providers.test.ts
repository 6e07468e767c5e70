// The vscode wiring with a fake `vscode`: diagnostics as the author types and their quick fixes, completion and
// hover items, and the template and trace-file commands.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { createRedactor } from '../../../src/core/redact/redactor';
import { RunStore } from '../../../src/extension/run-store';
import { registerDiagnostics } from '../../../src/extension/language/diagnostics';
import { registerTestDocuments } from '../../../src/extension/editor/test-documents';
import { registerLanguageFeatures } from '../../../src/extension/language/register-language';
import { TEMPLATES } from '../../../src/extension/language/snippets';
import { writeTraceFile } from '../../../src/run/save-trace';
import { readTraceFile } from '../../../src/run/trace-file';
import {
  CodeActionKind,
  createFakeVscode,
  MarkdownString,
  offsetOf,
  pokeshopImportTrace,
  Position,
  Range,
  readProjectFile,
  ROOT,
  SnippetString,
  TextDocument,
  Uri,
} from '../../support/vscode-fake/language';

type Fake = ReturnType<typeof createFakeVscode>;
const demo = readProjectFile('demo/tests/import-pokemon.yaml');

function setup(): { fake: Fake; store: RunStore; context: { subscriptions: Array<{ dispose(): unknown }> } } {
  const fake = createFakeVscode();
  const store = new RunStore();
  const context = { subscriptions: [] as Array<{ dispose(): unknown }> };
  const documents = registerTestDocuments(fake.api as unknown as typeof vscode, context, store, 0);
  registerLanguageFeatures(fake.api as unknown as typeof vscode, context, {
    store,
    documents,
    variables: async () => ({ values: new Map([['POKESHOP_API_URL', 'http://localhost:8081']]), secrets: new Set<string>() }),
  });
  return { fake, store, context };
}

const waitForTimers = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('diagnostics', () => {
  it('shows selector errors at their column when a file opens, and updates after an edit', async () => {
    const fake = createFakeVscode();
    const context = { subscriptions: [] as Array<{ dispose(): unknown }> };
    registerDiagnostics(fake.api as unknown as typeof vscode, context, registerTestDocuments(fake.api as unknown as typeof vscode, context, new RunStore(), 0));
    const doc = new TextDocument(Uri.file('/ws/import.yaml'), demo.replace('span[name="import pokemon"] span', 'span[name="import pokemon" span'));
    fake.open(doc);
    const [problem] = fake.diagnostics.get(doc.uri.toString())!;
    assert.match(problem!.message, /^selector:/);
    assert.equal(problem!.range.start.line, doc.positionAt(offsetOf(doc.getText(), 'span[name="import pokemon" span', 27)).line);
    fake.edit(doc, demo);
    await waitForTimers();
    assert.deepEqual(fake.diagnostics.get(doc.uri.toString()), []);
    for (const d of context.subscriptions) d.dispose();
  });

  it('leaves YAML files that are not Tracelens resources alone', () => {
    const fake = createFakeVscode();
    const context = { subscriptions: [] as Array<{ dispose(): unknown }> };
    registerDiagnostics(fake.api as unknown as typeof vscode, context, registerTestDocuments(fake.api as unknown as typeof vscode, context, new RunStore(), 0));
    const doc = new TextDocument(Uri.file('/ws/ci.yaml'), 'jobs:\n  build: [\n');
    fake.open(doc);
    assert.equal(fake.diagnostics.has(doc.uri.toString()), false);
  });
});

describe('quick fixes for older Tracetest forms', () => {
  const legacy = `type: Test
spec:
  name: legacy
  trigger:
    type: http
    httpRequest:
      url: http://localhost:8081/pokemon
      # exported by Tracetest's UI
      auth: {apiKey: {}, basic: {}, bearer: {}}
  specs:
  - selector: span[name = “POST /pokemon”]
    assertions:
    - http.status_code = 201 # created
`;

  function openLegacy() {
    const { fake } = setup();
    const doc = new TextDocument(Uri.file('/ws/legacy.yaml'), legacy);
    fake.open(doc);
    const diagnostics = fake.diagnostics.get(doc.uri.toString())!;
    const { provider } = fake.codeActionProviders[0]!;
    return { fake, doc, diagnostics, provider };
  }

  it('each warning has its fix on its diagnostic, plus one that fixes them all; comments stay', () => {
    const { doc, diagnostics, provider } = openLegacy();
    assert.deepEqual(
      diagnostics.map((d) => [d.severity, d.range.start.line]),
      [
        [1, 8],
        [1, 10],
        [1, 12],
      ],
      'three warnings',
    );
    const bare = diagnostics[2]!;
    const actions = provider.provideCodeActions(doc, bare.range, { diagnostics })!;
    assert.deepEqual(
      actions.map((a) => [a.title, a.kind?.value, a.isPreferred ?? false]),
      [
        ['Write `attr:http.status_code`', 'quickfix', true],
        ['Fix all older Tracetest forms in this file', 'quickfix', false],
      ],
    );
    assert.deepEqual(actions[0]!.diagnostics, [bare]);
    assert.equal(actions[0]!.edit!.appliedTo(doc), legacy.replace('- http.status_code', '- attr:http.status_code'));
    assert.equal(
      actions[1]!.edit!.appliedTo(doc),
      legacy
        .replace('      auth: {apiKey: {}, basic: {}, bearer: {}}\n', '')
        .replace('“POST /pokemon”', '"POST /pokemon"')
        .replace('- http.status_code', '- attr:http.status_code'),
    );
  });

  it('offers fix-all as source.fixAll.tracelens (for fix on save), and nothing where there is nothing to fix', () => {
    const { fake, doc, provider } = openLegacy();
    assert.deepEqual(
      fake.codeActionProviders[0]!.kinds.map((k) => k.value),
      ['quickfix', 'source.fixAll.tracelens'],
    );
    const fixAll = provider.provideCodeActions(doc, new Range(0, 0, 0, 0), { diagnostics: [], only: CodeActionKind.SourceFixAll })!;
    assert.deepEqual(
      fixAll.map((a) => [a.title, a.kind?.value]),
      [['Fix all older Tracetest forms in this file', 'source.fixAll.tracelens']],
    );
    assert.deepEqual(provider.provideCodeActions(doc, new Range(0, 0, 0, 4), { diagnostics: [] }), [], 'no warning on the first line');
    assert.equal(provider.provideCodeActions(new TextDocument(Uri.file('/ws/import.yaml'), demo), new Range(0, 0, 30, 0), { diagnostics: [] }), undefined);
  });
});

describe('completion and hover providers', () => {
  it('registers for YAML with the trigger characters of both languages', () => {
    const { fake } = setup();
    assert.deepEqual(fake.completionProviders[0]!.triggers.slice(0, 4), ['[', ':', '|', '"']);
  });

  it('turns suggestions into items with ranges, snippets, docs and a re-trigger after operators', async () => {
    const { fake, store } = setup();
    const path = join(ROOT, 'demo/tests/import-pokemon.yaml');
    store.chooseTrace(pokeshopImportTrace());
    const doc = new TextDocument(Uri.file(path), demo.replace('span[tracetest.span.type="general" name="import pokemon"]', 'span[kind '));
    const provider = fake.completionProviders[0]!.provider;
    const list = await provider.provideCompletionItems(doc, doc.positionAt(offsetOf(doc.getText(), 'span[kind ', 10)));
    const contains = list!.items.find((i) => i.label === 'contains')!;
    assert.equal(contains.insertText, 'contains ');
    assert.equal(contains.command?.command, 'editor.action.triggerSuggest');
    assert.ok(contains.documentation instanceof MarkdownString);

    const empty = new TextDocument(Uri.file('/ws/new.yaml'), 'type: Test\nspec:\n  trigger:\n    ');
    const items = (await provider.provideCompletionItems(empty, new Position(3, 4)))!.items;
    const http = items.find((i) => i.label === 'trigger: http')!;
    assert.ok(http.insertText instanceof SnippetString);
    assert.match((http.insertText as SnippetString).value, /^type: http\n {4}httpRequest:\n {6}method:/);
  });

  it('uses the last run of the test at the cursor', async () => {
    const { fake, store } = setup();
    const doc = new TextDocument(Uri.file('/ws/import.yaml'), demo);
    const hover = fake.hoverProviders[0]!;
    const at = doc.positionAt(offsetOf(demo, 'attr:pokemon.name', 7));
    assert.match((await hover.provideHover(doc, at))!.contents.value, /No trace yet/);
    store.set('/ws/import.yaml', 'pokeshop-import-pokemon', { trace: pokeshopImportTrace() } as never);
    const h = (await hover.provideHover(doc, at))!;
    assert.match(h.contents.value, /snorlax/);
    const start = offsetOf(demo, 'attr:pokemon.name');
    assert.deepEqual([h.range!.start, h.range!.end], [doc.positionAt(start), doc.positionAt(start + 'attr:pokemon.name'.length)]);
  });

  it('never shows a secret: secret variables complete and hover as ***, values from the last trace masked', async () => {
    const fake = createFakeVscode();
    const store = new RunStore();
    const variables = {
      values: new Map([
        ['POKESHOP_API_URL', 'http://localhost:8081'],
        ['API_KEY', 'k3y-from-storage'],
      ]),
      secrets: new Set(['API_KEY', 'NOT_STORED_YET']),
    };
    const context = { subscriptions: [] as Array<{ dispose(): unknown }> };
    const documents = registerTestDocuments(fake.api as unknown as typeof vscode, context, store, 0);
    registerLanguageFeatures(fake.api as unknown as typeof vscode, context, { store, documents, variables: async () => variables });
    const text = demo.replace('${var:POKESHOP_API_URL}', '${var:API_KEY}');
    const doc = new TextDocument(Uri.file('/ws/import.yaml'), text);
    // The run had `snorlax` as a secret: what the store keeps to show is masked.
    store.set('/ws/import.yaml', 'pokeshop-import-pokemon', { trace: pokeshopImportTrace(), specs: [], outputs: [] } as never, createRedactor(['snorlax']));

    const hover = fake.hoverProviders[0]!;
    const attr = (await hover.provideHover(doc, doc.positionAt(offsetOf(text, 'attr:pokemon.name', 7))))!.contents.value;
    assert.match(attr, /\*\*\*/);
    assert.doesNotMatch(attr, /snorlax/);
    const variable = (await hover.provideHover(doc, doc.positionAt(offsetOf(text, 'var:API_KEY', 6))))!.contents.value;
    assert.match(variable, /`API_KEY` = `\*\*\*` in the active variable set/);

    const at = offsetOf(text, '${var:API_KEY}', 6);
    const edited = new TextDocument(Uri.file('/ws/import.yaml'), `${text.slice(0, at)}${text.slice(at + 'API_KEY'.length)}`);
    const items = (await fake.completionProviders[0]!.provider.provideCompletionItems(edited, edited.positionAt(at)))!.items;
    const details = Object.fromEntries(items.map((i) => [i.label, i.detail]));
    assert.deepEqual([details.API_KEY, details.NOT_STORED_YET, details.POKESHOP_API_URL], ['***', '***', 'http://localhost:8081']);
    assert.doesNotMatch(JSON.stringify(items), /k3y-from-storage/);
  });
});

describe('commands', () => {
  it('New Test from Template: an untitled YAML document with the template snippet', async () => {
    const { fake } = setup();
    fake.answers.quickPicks.push('gRPC test', 'Untitled document');
    await fake.commandHandlers.get('tracelens.newTest')!();
    assert.equal(fake.shown.documents[0]!.languageId, 'yaml');
    assert.deepEqual(fake.shown.snippets, [TEMPLATES.find((t) => t.id === 'grpc')!.body]);
  });

  it('New Test from Template: a file in the workspace with the placeholders filled in', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tracelens-language-'));
    try {
      const { fake } = setup();
      fake.answers.quickPicks.push('HTTP test', 'File in the workspace…');
      fake.answers.saveDialog = Uri.file(join(dir, 'health.yaml'));
      await fake.commandHandlers.get('tracelens.newTest')!();
      const written = await readFile(join(dir, 'health.yaml'), 'utf8');
      assert.match(written, /^type: Test\nspec:\n {2}id: my-test\n/);
      assert.match(written, /url: \$\{var:API_URL\}\/health/);
      assert.equal(fake.shown.documents[0]!.uri.fsPath, join(dir, 'health.yaml'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('Use Trace File for Completion: the chosen trace feeds every file without a run', async () => {
    const { fake, store } = setup();
    fake.answers.openDialog = [Uri.file(join(ROOT, 'test/fixtures/traces/pokeshop.otlp.json'))];
    await fake.commandHandlers.get('tracelens.useTraceFileForCompletion')!();
    assert.equal(store.traceFor('/ws/any.yaml', undefined)?.spans.length, 9);
    assert.match(fake.shown.info[0]!, /9 spans of pokeshop\.otlp\.json/);
  });

  it('Use Trace File for Completion: reads a trace saved as OTLP protobuf', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tracelens-binpb-'));
    try {
      const saved = (await readTraceFile(join(ROOT, 'test/fixtures/traces/pokeshop.otlp.json'))).spans;
      await writeTraceFile(join(dir, 'pokeshop.otlp.binpb'), saved);
      const { fake, store } = setup();
      fake.answers.openDialog = [Uri.file(join(dir, 'pokeshop.otlp.binpb'))];
      await fake.commandHandlers.get('tracelens.useTraceFileForCompletion')!();
      assert.equal(store.traceFor('/ws/any.yaml', undefined)?.spans.length, 9);
      assert.match(fake.shown.info[0]!, /9 spans of pokeshop\.otlp\.binpb/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('Use Trace File for Completion: a file that is not a trace is an error message', async () => {
    const { fake, store } = setup();
    fake.answers.openDialog = [Uri.file(join(ROOT, 'demo/tests/import-pokemon.yaml'))];
    await fake.commandHandlers.get('tracelens.useTraceFileForCompletion')!();
    assert.equal(store.traceFor('/ws/any.yaml', undefined), undefined);
    assert.match(fake.shown.errors[0]!, /import-pokemon\.yaml is not a trace file/);
  });
});
