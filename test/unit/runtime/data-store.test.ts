// `tracelens.dataStore`: runs read traces from Jaeger, Tempo or a file instead of the embedded receiver, which
// then is not started. Relative paths are relative to the workspace folder.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { createRuntime, type Runtime } from '../../../src/extension/runtime/runtime';
import { FakeVscode, makeWorkspace } from '../../support/vscode-fake/runtime';

const TRACE = readFileSync(join(__dirname, '../../fixtures/traces/pokeshop.otlp.json'), 'utf8');

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function setup(dataStore: string, files: Record<string, string> = {}): { fake: FakeVscode; runtime: Runtime; root: string } {
  const ws = makeWorkspace(files);
  const fake = new FakeVscode(ws.root);
  fake.settings.set('tracelens.dataStore', dataStore);
  fake.settings.set('tracelens.otlp.httpPort', 0);
  fake.settings.set('tracelens.otlp.grpcPort', 0);
  const runtime = createRuntime(fake.api, { secrets: fake.secrets });
  cleanups.push(ws.remove, () => runtime.dispose());
  return { fake, runtime, root: ws.root };
}

describe('the dataStore setting', () => {
  it('file=<path>: a pull source over the workspace file; the receiver stays off', async () => {
    const { fake, runtime, root } = setup('file=traces/pokeshop.otlp.json', { 'traces/pokeshop.otlp.json': TRACE });
    assert.equal(fake.statusBarItem().text, '$(database) file');
    const source = await runtime.acquireSource();
    assert.equal(source.description, `the trace file ${join(root, 'traces/pokeshop.otlp.json')}`);
    const outcome = await source.collect({
      traceId: '0'.repeat(32),
      triggerSpanId: '0'.repeat(16),
      unmatchedSelectors: () => [],
      timeoutMs: 5_000,
      quietMs: 50,
      retryDelayMs: 50,
      exportDelayMs: 0,
      selectorMatchRetries: 0,
    });
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.message);
    assert.ok(outcome.spans.length > 0);
    assert.equal(runtime.receiver.state.kind, 'off');
    assert.match(fake.channel().text(), /Traces come from the trace file .*pokeshop\.otlp\.json \(setting tracelens\.dataStore\)/);
  });

  it('a DataStore file in the workspace: its backend, with how Tracetest settings were read in the log', async () => {
    const { fake, runtime } = setup('config/datastore.yaml', {
      'config/datastore.yaml':
        'type: DataStore\nspec:\n  name: jaeger\n  type: jaeger\n  default: true\n  jaeger:\n    endpoint: jaeger:16685\n    tls:\n      insecure: true\n',
    });
    assert.equal(fake.statusBarItem().text, '$(database) datastore.yaml');
    const source = await runtime.acquireSource();
    assert.match(source.description, /Jaeger at http:\/\/jaeger:16686/);
    assert.match(fake.channel().text(), /jaeger\.endpoint jaeger:16685 is Jaeger's gRPC query port; Tracelens reads Jaeger's HTTP query API instead/);
    assert.equal(runtime.receiver.state.kind, 'off');
  });

  it('jaeger=<url> and tempo=<url> inline', async () => {
    const { runtime, fake } = setup('tempo=http://127.0.0.1:3200');
    assert.match((await runtime.acquireSource()).description, /Tempo at http:\/\/127\.0\.0\.1:3200/);
    fake.setSetting('tracelens.dataStore', 'jaeger=http://127.0.0.1:16686');
    assert.equal(fake.statusBarItem().text, '$(database) jaeger');
    assert.match((await runtime.acquireSource()).description, /Jaeger at http:\/\/127\.0\.0\.1:16686/);
  });

  it('otlp: the embedded receiver', async () => {
    const { runtime } = setup('otlp');
    assert.match((await runtime.acquireSource()).description, /the embedded OTLP receiver/);
    assert.equal(runtime.receiver.state.kind, 'on');
  });

  it('a wrong value rejects the run with a message naming the setting', async () => {
    const { runtime, fake } = setup('jaeger=');
    await assert.rejects(runtime.acquireSource(), /^Error: tracelens\.dataStore: "jaeger=": give the query API's URL/);
    fake.setSetting('tracelens.dataStore', 'nowhere.yaml');
    await assert.rejects(runtime.acquireSource(), /tracelens\.dataStore: .*nowhere\.yaml: cannot read: ENOENT/);
    assert.ok(fake.channel().lines.some((l) => l.level === 'error' && l.text.startsWith('tracelens.dataStore:')));
    assert.equal(runtime.receiver.state.kind, 'off');
  });
});
