// The leak matrix of the editor: the flow tests (the secret in the URL path and query, a header, bearer, basic and
// apiKey auth, the body, an echoing response, expected values, an output, errors) run from the Testing view
// against a real instrumented service and the real receiver; the secret is absent from the Testing view's output
// and messages, the output channel, decorations, lenses, Problems, the trace panel's messages and the trace as a
// document, while the assertions (and a re-check) still judge with the real value.
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { createServer, type AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_GATE_SETTINGS } from '../../../src/core/analyzer/index';
import { RunStore } from '../../../src/extension/run-store';
import type { RunEnvironment } from '../../../src/extension/runtime/environment';
import { registerResultViews } from '../../../src/extension/register-result-views';
import { registerTestDocuments } from '../../../src/extension/editor/test-documents';
import { startReceiver, type OtlpReceiver } from '../../../src/run/sources/otlp/receiver';
import { ReceiverSource } from '../../../src/run/sources/receiver-source';
import type { ResultsMessage, TraceMessage } from '../../../src/protocol';
import { startEchoService, type EchoService } from '../../support/echo-service';
import { leakedForms, SECRET, writeFlowTests } from '../../support/secret-flows';
import {
  CancellationTokenSource,
  createFakeVscode,
  TestMessage,
  TestRunRequest,
  Uri,
  type FakeTestItem,
  type FakeTestRun,
} from '../../support/vscode-fake/testing';

let receiver: OtlpReceiver;
let service: EchoService;
let fake: ReturnType<typeof createFakeVscode>;
let store: RunStore;
const log: string[] = [];
let files: string[];

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

before(async () => {
  receiver = await startReceiver({ httpPort: 0, grpcPort: null });
  service = await startEchoService(`http://127.0.0.1:${receiver.httpPort}`);
  const root = mkdtempSync(join(tmpdir(), 'tracelens-editor-secrets-'));
  mkdirSync(join(root, 'tests'));
  files = writeFlowTests(join(root, 'tests'), service.url, `http://127.0.0.1:${await closedPort()}`);
  fake = createFakeVscode(root);
  store = new RunStore();
  const env: RunEnvironment = {
    acquireSource: async () => new ReceiverSource(receiver.store, receiver.description),
    fileReferences: (testFile: string) => ({ root: dirname(testFile), allowOutside: false, widen: '' }),
    variables: async () => ({ values: new Map([['TOKEN', SECRET]]), secrets: new Set(['TOKEN']) }),
    pollingProfiles: async () => [],
    gateSettings: async () => DEFAULT_GATE_SETTINGS,
    timing: () => ({ timeoutMs: 10_000 }),
    playwright: () => ({}),
    log: (line) => log.push(line),
  };
  const context = { subscriptions: [] as Array<{ dispose(): unknown }>, extensionUri: Uri.file(process.cwd()) as unknown as vscode.Uri };
  registerResultViews(fake.api, context, { store, env, documents: registerTestDocuments(fake.api, context, store) });
  await fake.controller().resolveHandler!(undefined);
});
after(async () => {
  await service.close();
  await receiver.close();
});

function fileItem(id: string): FakeTestItem {
  return fake.controller().items.get(Uri.file(files.find((f) => f.endsWith(`${id}.yaml`))!).toString())!;
}

async function runProfile(label: string): Promise<FakeTestRun> {
  const controller = fake.controller();
  const profile = controller.profiles.find((p) => p.label === label)!;
  await profile.runHandler(new TestRunRequest(files.map((f) => controller.items.get(Uri.file(f).toString())!)), new CancellationTokenSource().token);
  return controller.runs.at(-1)!;
}

/** Everything a run reported on items: message texts, expected and actual outputs. */
function messagesOf(run: FakeTestRun): string {
  return run.calls
    .flatMap((c) => ('messages' in c ? c.messages : []))
    .map((m: TestMessage) => [m.message, m.expectedOutput ?? '', m.actualOutput ?? ''].join('\n'))
    .join('\n');
}

function assertNoLeak(what: string, text: string): void {
  assert.deepEqual(leakedForms(text), [], `${what} shows the secret`);
}

describe('secrets in what the editor shows', () => {
  test('Testing view, output channel, decorations, lenses, Problems, trace panel and trace document: masked; judged with the real value', async () => {
    const editors = await Promise.all(files.map((f) => fake.openEditor(f)));
    const run = await runProfile('Run');
    await new Promise((r) => setTimeout(r, 50));

    assertNoLeak('Test Results output', run.output.join(''));
    assertNoLeak('the output channel', log.join('\n'));
    assertNoLeak('Testing view messages', messagesOf(run));
    assertNoLeak('decorations', JSON.stringify(editors.map((e) => e.afterTexts())));
    assertNoLeak('lenses', JSON.stringify(editors.flatMap((e) => fake.lensesFor(e.document).map((l) => l.command))));
    assertNoLeak('Problems', JSON.stringify([...fake.state.diagnostics.flatMap((c) => [...c.entries.values()])]));

    // Judged with the real value: the spec comparing with the secret passed, the one expecting another failed.
    const flows = fileItem('flows').children.all()[0]!;
    const [passing, expectedValue, echo] = flows.children.all();
    assert.equal(run.outcome(passing!)?.kind, 'passed');
    const failed = run.outcome(expectedValue!);
    assert.ok(failed?.kind === 'failed');
    assert.deepEqual([failed.messages[0]!.expectedOutput, failed.messages[0]!.actualOutput], ['***-other', '***']);
    assert.equal(run.outcome(echo!)?.kind, 'failed');
    const refused = run.outcome(fileItem('refused').children.all()[0]!);
    assert.ok(refused?.kind === 'errored');
    assert.match(refused.messages[0]!.message, /\/echo\?token=\*\*\*: connection refused/);
    assert.match(run.output.join(''), /`X-\*\*\*` is not a valid header name/);
    assert.ok(
      editors.some((e) => e.afterTexts().some((a) => a.text === '✗ *** (expected ***-other)')),
      JSON.stringify(editors.map((e) => e.afterTexts())),
    );

    // The trace panel and the trace as a document.
    const flowsPath = files.find((f) => f.endsWith('flows.yaml'))!;
    await fake.state.commands.get('tracelens.showTrace')!(Uri.file(flowsPath).toString(), 'flows');
    const panel = fake.state.panels.find((p) => p.title.includes('flows')) ?? fake.state.panels.at(-1)!;
    panel.webview.fromPage({ type: 'ready' });
    const shown = await panel.webview.next<TraceMessage>('trace');
    const show = await panel.webview.next<ResultsMessage>('results');
    assert.ok(shown.trace.strings.includes('POST /echo/***'), 'the trace is on the page, masked');
    assert.deepEqual(
      show.variables.find(([name]) => name === 'TOKEN'),
      ['TOKEN', '***'],
    );
    assertNoLeak('the trace panel', JSON.stringify(panel.webview.posted));
    await fake.state.commands.get('tracelens.showTraceJson')!(Uri.file(flowsPath).toString(), 'flows');
    const document = fake.state.activeEditor!.document.getText();
    assert.match(document, /"resourceSpans"/);
    assertNoLeak('the trace document', document);

    // What the editor keeps to show is masked; the real trace is kept apart, and a re-check judges with it.
    const stored = store.get(flowsPath, 'flows')!;
    assert.ok(
      stored.realTrace?.spans.some((s) => s.name === `POST /echo/${SECRET.replace(/ /g, '%20').replace(/"/g, '%22')}`),
      'the real trace is kept for re-checks',
    );
    const recheck = await runProfile('Re-check against last trace');
    assert.equal(store.get(flowsPath, 'flows')!.result.trace, stored.result.trace, 'the same trace is not masked again');
    assert.equal(store.get(flowsPath, 'flows')!.realTrace, stored.realTrace);
    assert.equal(recheck.outcome(passing!)?.kind, 'passed');
    assert.equal(recheck.outcome(expectedValue!)?.kind, 'failed');
    assertNoLeak('re-check messages', messagesOf(recheck) + recheck.output.join(''));
  });
});
