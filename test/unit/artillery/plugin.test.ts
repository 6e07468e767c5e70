// The plugin as Artillery constructs it: in the main process (settings checked, the ids file emptied) and in a
// worker (hooks added to every HTTP scenario; each request its own trace context).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Plugin, type ArtilleryScript } from '../../../src/artillery/plugin';

function project(): { dir: string; scriptPath: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tracelens-artillery-plugin-'));
  writeFileSync(
    join(dir, 'orders.yaml'),
    'type: Test\nspec:\n  name: Orders\n  trigger:\n    type: traceid\n    traceid: { id: "${var:TRACE_ID}" }\n  specs:\n  - selector: span[name="x"]\n    assertions: [attr:name = "x"]\n',
  );
  return { dir, scriptPath: join(dir, 'load.yml') };
}

function script(settings: Record<string, unknown>, extra: Partial<ArtilleryScript['config']> = {}): ArtilleryScript {
  return {
    config: { plugins: { tracelens: settings }, phases: [{ duration: 10, arrivalRate: 1 }], ...extra },
    scenarios: [{ flow: [] }, { engine: 'ws' }],
  };
}

function inWorker<T>(body: () => T): T {
  process.env['LOCAL_WORKER_ID'] = '1';
  try {
    return body();
  } finally {
    delete process.env['LOCAL_WORKER_ID'];
  }
}

describe('the main process', () => {
  test('empties the ids file for the run, the workers append to it', () => {
    const { dir, scriptPath } = project();
    writeFileSync(join(dir, 'ids.txt'), 'from the last run\n');
    new Plugin(script({ test: 'orders.yaml', traceIdsFile: 'ids.txt' }), null, { absoluteScriptPath: scriptPath });
    assert.equal(readFileSync(join(dir, 'ids.txt'), 'utf8'), '');
  });

  test("refuses to start with Artillery's distributedTracing on, which replaces the plugin's traceparent", () => {
    const { scriptPath } = project();
    for (const setting of [true, {}, { enabled: true, sampled: true }])
      assert.throws(() => new Plugin(script({ test: 'orders.yaml' }, { http: { distributedTracing: setting } }), null, { absoluteScriptPath: scriptPath }), {
        message: /artillery-plugin-tracelens: config\.http\.distributedTracing is on: Artillery then replaces the traceparent header/,
      });
    for (const setting of [false, { enabled: false }])
      new Plugin(script({ test: 'orders.yaml' }, { http: { distributedTracing: setting } }), null, { absoluteScriptPath: scriptPath });
  });

  test('a test file that does not load is an error naming the file and line', () => {
    const { dir, scriptPath } = project();
    writeFileSync(
      join(dir, 'broken.yaml'),
      'type: Test\nspec:\n  name: x\n  trigger: { type: traceid, traceid: { id: x } }\n  specs:\n  - selector: span[name=\n    assertions: [attr:x = 1]\n',
    );
    assert.throws(() => new Plugin(script({ test: 'broken.yaml' }), null, { absoluteScriptPath: scriptPath }), {
      message: /config\.plugins\.tracelens\.test: .*broken\.yaml:6:\d+: /,
    });
    assert.throws(() => new Plugin(script({ test: 'missing.yaml' }), null, { absoluteScriptPath: scriptPath }), {
      message: /config\.plugins\.tracelens\.test: .*missing\.yaml: cannot read: ENOENT/,
    });
  });
});

describe('a worker', () => {
  test('adds its hooks to every HTTP scenario, after the scenario’s own', async () => {
    const { scriptPath } = project();
    const s = script({ test: 'orders.yaml', traceIdsFile: 'ids.txt' });
    s.scenarios![0]!.beforeRequest = 'mine';
    const plugin = inWorker(() => new Plugin(s, null, { absoluteScriptPath: scriptPath }));
    assert.deepEqual(s.scenarios![0], {
      flow: [],
      beforeRequest: ['mine', 'tracelensBeforeRequest'],
      afterResponse: ['tracelensAfterResponse'],
      afterScenario: ['tracelensAfterScenario'],
    });
    assert.deepEqual(s.scenarios![1], { engine: 'ws' }, 'not an HTTP scenario');
    assert.equal(typeof (s.config.processor as Record<string, unknown>)['tracelensBeforeRequest'], 'function');
    await new Promise<void>((resolve, reject) => plugin.cleanup((e) => (e ? reject(e) : resolve())));
  });

  test("gives each request a new sampled traceparent, replacing the script's, without touching the shared headers", async () => {
    const { scriptPath } = project();
    const s = script({ test: 'orders.yaml', traceIdsFile: 'ids.txt' });
    const plugin = inWorker(() => new Plugin(s, null, { absoluteScriptPath: scriptPath }));
    const beforeRequest = (s.config.processor as Record<string, (...args: unknown[]) => void>)['tracelensBeforeRequest']!;
    const shared = { TraceParent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', tracestate: 'a=1', accept: 'application/json' };
    const requests = [{ headers: shared }, { headers: shared }];
    for (const request of requests) beforeRequest(request, {}, {}, () => {});
    const [a, b] = requests.map((r) => r.headers as Record<string, string>);
    assert.match(a!['traceparent']!, /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    assert.notEqual(a!['traceparent'], b!['traceparent']);
    assert.deepEqual(Object.keys(a!).sort(), ['accept', 'traceparent']);
    assert.equal(shared.TraceParent, '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    await new Promise<void>((resolve, reject) => plugin.cleanup((e) => (e ? reject(e) : resolve())));
  });
});
