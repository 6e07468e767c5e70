import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TestRunResult } from '../../../src/core/engine/result';
import { readTestFile } from '../../../src/run/files';
import { Runner, type RunEvent, type RunOptions } from '../../../src/run/runner';
import { startReceiver, type OtlpReceiver } from '../../../src/run/sources/otlp/receiver';
import { ReceiverSource } from '../../../src/run/sources/receiver-source';
import { startTracedService, type TracedService } from '../../support/traced-service';

let receiver: OtlpReceiver;
let service: TracedService;
const dir = mkdtempSync(join(tmpdir(), 'tracelens-runner-'));

before(async () => {
  receiver = await startReceiver({ httpPort: 0, grpcPort: null });
  service = await startTracedService(`http://127.0.0.1:${receiver.httpPort}`);
});
after(async () => {
  await service.close();
  await receiver.close();
});

function write(name: string, yaml: string): string {
  const path = join(dir, name);
  writeFileSync(path, yaml);
  return path;
}

async function run(paths: string[], options: Partial<RunOptions> = {}): Promise<{ results: TestRunResult[]; events: RunEvent[] }> {
  const events: RunEvent[] = [];
  const runner = new Runner({
    variables: new Map([['SHOP', service.url]]),
    source: new ReceiverSource(receiver.store, receiver.description),
    // The service exports each span as it ends (SimpleSpanProcessor): spans still expected come within 0.5 s.
    timing: { timeoutMs: 5_000, exportDelayMs: 500 },
    onEvent: (e) => events.push(e),
    ...options,
  });
  const results = await runner.runFiles(await Promise.all(paths.map(readTestFile)));
  return { results, events };
}

function httpTest(id: string, path: string, specs: string, extra = ''): string {
  return `type: Test
spec:
  id: ${id}
  name: ${id}
  trigger:
    type: http
    httpRequest:
      method: ${path === '/orders' ? 'POST' : 'GET'}
      url: \${var:SHOP}${path}
${extra}  specs:
${specs}`;
}

describe('live runs against a service instrumented with the OpenTelemetry SDK', () => {
  test('sends the trigger, collects the trace it produced and evaluates the specs', async () => {
    const file = write(
      'hello.yaml',
      httpTest(
        'hello',
        '/hello',
        `  - selector: span[name="GET /hello"]
    assertions:
    - attr:http.response.status_code = 200
  - selector: span[name="GET /hello"] span[name="load greeting"]
    assertions:
    - attr:db.system = "sqlite"
  - selector: span[name="Tracetest trigger"]
    assertions:
    - attr:tracetest.response.status = 200
    - attr:tracetest.response.body | json_path '$.greeting' = "hello"
`,
      ),
    );
    const { results, events } = await run([file]);
    const [result] = results;
    assert.equal(result?.status, 'passed', JSON.stringify(result?.specs.map((s) => s.assertions.map((a) => a.results))));
    assert.equal(result.trigger.status, 200);
    assert.match(result.traceId, /^[0-9a-f]{32}$/);
    const server = result.trace!.spans.find((s) => s.name === 'GET /hello')!;
    assert.equal(server.traceId, result.traceId, 'the service continued the injected trace');
    assert.equal(server.parent?.isTrigger, true, 'the service span hangs under the trigger span');
    const phases = events.flatMap((e) => (e.type === 'test-progress' ? [e.phase] : []));
    assert.deepEqual([...new Set(phases)], ['triggered', 'spans', 'settled']);
    assert.deepEqual(
      events.map((e) => e.type).filter((t) => t !== 'test-progress'),
      ['test-started', 'test-finished'],
    );
  });

  test('waits for work done asynchronously after the response (a consumer span 150 ms later)', async () => {
    const file = write(
      'order.yaml',
      httpTest(
        'order',
        '/orders',
        `  - selector: span[name="process order"]
    assertions:
    - attr:order.id = 7
    - attr:messaging.system = "demo-queue"
`,
      ),
    );
    const { results } = await run([file]);
    assert.equal(results[0]?.status, 'passed', results[0]?.error);
    assert.equal(results[0]?.trigger.status, 201);
  });

  test('20 tests in flight at once against one receiver each get only their own trace', async () => {
    const paths = Array.from({ length: 20 }, (_, i) =>
      write(
        `parallel-${i}.yaml`,
        httpTest(
          `parallel-${i}`,
          `/hello?n=${i}`,
          `  - selector: span[name="GET /hello"]
    assertions:
    - attr:url.query = "n=${i}"
    - attr:tracetest.selected_spans.count = 1
`,
        ),
      ),
    );
    const { results } = await run(paths, { concurrency: 20 });
    assert.equal(results.length, 20);
    assert.deepEqual(
      results.map((r) => r.name),
      paths.map((_, i) => `parallel-${i}`),
      'results come back in file order',
    );
    for (const r of results) {
      assert.equal(r.status, 'passed', `${r.name}: ${r.error ?? JSON.stringify(r.specs[0]?.assertions.map((a) => a.results))}`);
      assert.equal(r.trace!.spans.length, 3, `${r.name}: trigger + server + child, nothing from other runs`);
      assert.ok(r.trace!.spans.every((s) => s.traceId === r.traceId));
    }
    assert.equal(new Set(results.map((r) => r.traceId)).size, 20);
  });

  test('a suite passes an output to the next step, live', async () => {
    write(
      'create-order.yaml',
      httpTest(
        'create-order',
        '/orders',
        `  - selector: span[name="POST /orders"]\n    assertions:\n    - attr:http.response.status_code = 201\n`,
        `  outputs:\n  - name: ORDER_ID\n    selector: span[name="Tracetest trigger"]\n    value: attr:tracetest.response.body | json_path '$.id'\n`,
      ),
    );
    write(
      'get-order.yaml',
      httpTest('get-order', '/hello?order=${var:ORDER_ID}', `  - selector: span[name="GET /hello"]\n    assertions:\n    - attr:url.query = "order=7"\n`),
    );
    const suite = write('suite.yaml', 'type: TestSuite\nspec:\n  id: orders\n  name: Orders\n  steps:\n  - create-order.yaml\n  - get-order.yaml\n');
    const { results } = await run([suite]);
    assert.deepEqual(
      results.map((r) => [r.name, r.suite, r.status]),
      [
        ['create-order', 'Orders', 'passed'],
        ['get-order', 'Orders', 'passed'],
      ],
    );
  });

  test('a trigger that cannot connect errors the test with the reason and stops the suite', async () => {
    write(
      'refused.yaml',
      httpTest('refused', '/hello', '  - selector: span[name="x"]\n    assertions:\n    - attr:name = "x"\n').replace('${var:SHOP}', 'http://127.0.0.1:1'),
    );
    const suite = write('refused-suite.yaml', 'type: TestSuite\nspec:\n  name: Stops\n  steps:\n  - refused.yaml\n  - hello.yaml\n');
    const { results } = await run([suite]);
    assert.equal(results[0]?.status, 'errored');
    assert.match(results[0]!.error!, /^trigger: .*ECONNREFUSED|connection refused/i);
    assert.equal(results[1]?.status, 'errored');
    assert.match(results[1]!.error!, /not run: step refused\.yaml errored/);
  });

  test('a service that exports nothing gives a timeout that says nothing arrived and where', async () => {
    const silent = await import('node:http').then(({ createServer }) => createServer((_req, res) => res.end('ok')));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as import('node:net').AddressInfo).port;
    try {
      const file = write(
        'silent.yaml',
        httpTest('silent', '/', '  - selector: span[name="GET /"]\n    assertions:\n    - attr:name = "GET /"\n').replace(
          '${var:SHOP}',
          `http://127.0.0.1:${port}`,
        ),
      );
      const { results } = await run([file], { timing: { timeoutMs: 400 } });
      assert.equal(results[0]?.status, 'errored');
      assert.match(results[0]!.error!, /no spans/i);
      assert.match(results[0]!.error!, new RegExp(String(receiver.httpPort)), 'names the receiver it waited on');
      assert.equal(results[0]?.trigger.status, 200, 'the trigger result is kept');
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  test('skipTraceCollection: only the trigger span, no waiting for the service', async () => {
    const file = write(
      'skip.yaml',
      httpTest(
        'skip',
        '/hello',
        `  - selector: span[name="Tracetest trigger"]\n    assertions:\n    - attr:tracetest.response.status = 200\n`,
        '  skipTraceCollection: true\n',
      ),
    );
    const { results } = await run([file]);
    assert.equal(results[0]?.status, 'passed', results[0]?.error);
    assert.equal(results[0]?.trace?.spans.length, 1);
  });

  test('cancelling the run stops waiting and runs nothing more', async () => {
    const waits = write('waits.yaml', httpTest('waits', '/hello', '  - selector: span[name="never"]\n    assertions:\n    - attr:name = "never"\n'));
    const controller = new AbortController();
    const pending = run([waits, waits], { signal: controller.signal, timing: { timeoutMs: 60_000, selectorMatchRetries: 1000 } });
    setTimeout(() => controller.abort(), 300);
    const { results } = await pending;
    assert.equal(results.length, 1, 'the second test was not started');
    assert.equal(results[0]?.status, 'errored');
    assert.match(results[0]!.error!, /cancel/i);
  });
});
