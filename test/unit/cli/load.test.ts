import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { main } from '../../../src/cli';
import { openLiveSource } from '../../../src/run/live-source';
import { loadSession, prepareLoadCall } from '../../../src/run/load/session';
import { startReceiver } from '../../../src/run/sources/otlp/receiver';
import { DEFAULT_TIMING } from '../../../src/run/timing';
import { readTestFile } from '../../../src/run/files';
import { startTracedService } from '../../support/traced-service';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env: { NO_COLOR: '1' } });
  return { code, stdout, stderr };
}

async function freePort(): Promise<number> {
  const probe = await startReceiver({ httpPort: 0, grpcPort: null });
  await probe.close();
  return probe.httpPort;
}

/** A test of `POST /orders`, whose order is processed by a consumer span 150 ms after the answer. */
function ordersTest(url: string, assertion: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tracelens-load-')), 'orders.yaml');
  writeFileSync(
    file,
    `type: Test\nspec:\n  id: orders\n  name: Orders under load\n  trigger:\n    type: http\n    httpRequest:\n      method: POST\n      url: ${url}/orders\n      headers:\n      - key: Authorization\n        value: Bearer \${var:TOKEN}\n  specs:\n  - name: order processed once\n    selector: span[name="process order"]\n    assertions:\n    - attr:tracetest.selected_spans.count = 1\n    - ${assertion}\n`,
  );
  return file;
}

describe('tracelens load', () => {
  test('sends the requests the rate and duration make, checks the sampled traces and reports them', async () => {
    const port = await freePort();
    const service = await startTracedService(`http://127.0.0.1:${port}`);
    try {
      const file = ordersTest(service.url, 'attr:order.id = 7');
      const r = await cli([
        'load',
        file,
        '--rate',
        '40/s',
        '--duration',
        '2s',
        '--sample',
        '0.5',
        '--otlp-http-port',
        String(port),
        '--otlp-grpc-port',
        '0',
        '--secret',
        'TOKEN=s3cr3t-token',
        '--reporter',
        'json',
      ]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const report = JSON.parse(r.stdout);
      assert.deepEqual(report.test, { file: report.test.file, id: 'orders', name: 'Orders under load' });
      assert.equal(report.requests, 80);
      assert.equal(report.errors, 0);
      assert.deepEqual(report.statusCodes, { '201': 80 });
      assert.ok(report.latencyMs.p50 > 0 && report.latencyMs.p50 <= report.latencyMs.p95 && report.latencyMs.p95 <= report.latencyMs.max);
      const t = report.traces;
      assert.ok(t.sampled > 0 && t.sampled < 80, JSON.stringify(t));
      assert.deepEqual(t, { sampled: t.sampled, checked: t.sampled, passed: t.sampled, failed: 0, errored: 0, unresolved: 0 });
      assert.deepEqual(
        report.specs.map((s: { passed: number; failed: number }) => [s.passed, s.failed]),
        [[t.sampled, 0]],
      );
      assert.equal(report.passRate, 1);
      assert.equal(report.status, 'passed');
      assert.doesNotMatch(r.stdout + r.stderr, /s3cr3t-token/);
    } finally {
      await service.close();
    }
  });

  test('failed traces are listed with the observed value and saved; the pass rate decides the exit code', async () => {
    const port = await freePort();
    const service = await startTracedService(`http://127.0.0.1:${port}`);
    try {
      const file = ordersTest(service.url, 'attr:order.id = 8');
      const saved = mkdtempSync(join(tmpdir(), 'tracelens-load-saved-'));
      const args = [
        'load',
        file,
        '--vus',
        '2',
        '--duration',
        '1s',
        '--sample',
        '1',
        '--max-checks',
        '5',
        '--otlp-http-port',
        String(port),
        '--otlp-grpc-port',
        '0',
        '--var',
        'TOKEN=t',
        '--save-trace',
        saved,
        '--reporter',
        'json',
      ];
      const r = await cli(args);
      assert.equal(r.code, 1, r.stderr);
      const report = JSON.parse(r.stdout);
      assert.ok(report.requests > 0);
      assert.equal(report.traces.failed, report.traces.checked);
      assert.ok(report.traces.checked > 0 && report.traces.sampled <= report.requests);
      assert.equal(report.passRate, 0);
      assert.equal(report.status, 'failed');
      const [failure] = report.failures;
      assert.deepEqual(
        { ...failure, traceId: undefined, savedTrace: undefined },
        { traceId: undefined, spec: 'order processed once', assertion: 'attr:order.id = 8', observed: '7', savedTrace: undefined },
      );
      assert.ok(existsSync(failure.savedTrace), failure.savedTrace);
      assert.match(readFileSync(failure.savedTrace, 'utf8'), new RegExp(failure.traceId));
      assert.equal((await cli([...args, '--pass-rate', '0'])).code, 0);
    } finally {
      await service.close();
    }
  });

  for (const shared of [false, true]) {
    const title = shared
      ? "a receiver shared with other work (the editor's) lets go of the load's unsampled traces and keeps the rest"
      : "the receiver keeps only the sampled traces: the others' spans are let go as they arrive";
    test(title, async () => {
      const live = await openLiveSource({ httpPort: 0, grpcPort: null });
      const port = /:(\d+)/.exec(live.source.description)![1];
      const service = await startTracedService(`http://127.0.0.1:${port}`);
      try {
        const path = ordersTest(service.url, 'attr:order.id = 7');
        const loaded = await readTestFile(path);
        const test = loaded.resources[0]!.resource as import('../../../src/core/testfile/model').TestDef;
        const run = {
          test,
          path,
          file: 'orders.yaml',
          name: 'orders',
          variables: new Map([['TOKEN', 't']]),
          processEnv: () => undefined,
          files: { root: tmpdir(), allowOutside: true, widen: '' },
          timing: { ...DEFAULT_TIMING, exportDelayMs: 1000 },
          source: live.source,
        };
        const prepared = await prepareLoadCall(run);
        assert.ok(prepared.ok);
        // A request of someone else's during the load (another test, traffic for the Traces view).
        const otherTraceId = 'a1'.repeat(16);
        const other = fetch(`${service.url}/orders`, { method: 'POST', headers: { traceparent: `00-${otherTraceId}-${'b2'.repeat(8)}-01` } });
        const { report } = await loadSession(
          { run, store: live.store!, sharedStore: shared, maxChecks: 50, passRate: 1, shown: (r) => r },
          prepared.call,
          { model: { kind: 'open', rate: 50 }, durationMs: 1000, rampUpMs: 0, maxInFlight: 100 },
          0.2,
        );
        assert.equal((await other).status, 201);
        assert.equal(report.requests, 50);
        assert.equal(report.traces.checked, report.traces.sampled);
        // Late consumer spans of unsampled requests arrive after the load too: give them time, then look.
        await new Promise((resolve) => setTimeout(resolve, 400));
        const kept = live.store!.size - (shared ? 1 : 0);
        assert.ok(kept <= report.traces.sampled, `${kept} of the load's traces kept, ${report.traces.sampled} sampled`);
        if (shared) assert.ok(live.store!.get(otherTraceId), 'the other trace is still there');
      } finally {
        await service.close();
        await live.close();
      }
    });
  }

  for (const [label, args, message] of [
    ['--rate with --vus', ['--rate', '10', '--vus', '2'], /exclude each other/],
    ['a bad --rate', ['--rate', 'fast'], /--rate fast: expected requests a second/],
    ['a bad --sample', ['--sample', '2'], /--sample 2: expected a share from 0 to 1/],
    ['a ramp-up longer than the duration', ['--duration', '2s', '--ramp-up', '5s'], /--ramp-up 5s is longer than --duration 2s/],
  ] as const) {
    test(`usage error: ${label}`, async () => {
      const r = await cli(['load', join(FIXTURES, 'tracetest', 'resources', 'tests', 'import-pokemon.yaml'), ...args]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
    });
  }
});

describe('tracelens check', () => {
  test("judges the traces named in k6's output, from Jaeger; a trace Jaeger never finds is unresolved; no request counts", async () => {
    const jaeger = readFileSync(join(FIXTURES, 'traces', 'pokeshop.jaeger.json'), 'utf8');
    const server = createServer((req, res) => {
      if (req.url === '/api/traces/4bf92f3577b34da6a3ce929d0e0e4736') res.writeHead(200, { 'content-type': 'application/json' }).end(jaeger);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const dir = mkdtempSync(join(tmpdir(), 'tracelens-check-'));
      const file = join(dir, 'import.yaml');
      writeFileSync(
        file,
        'type: Test\nspec:\n  id: import\n  name: Import\n  trigger:\n    type: k6\n  specs:\n  - selector: span[name="POST /pokemon/import"]\n    assertions:\n    - attr:http.status_code = 200\n',
      );
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const r = await cli([
        'check',
        file,
        '--trace-ids',
        join(FIXTURES, 'k6', 'output.json'),
        '--data-store',
        `jaeger=${url}`,
        '--timeout',
        '3s',
        '--reporter',
        'json',
      ]);
      const report = JSON.parse(r.stdout);
      assert.equal(report.requests, undefined);
      assert.deepEqual(report.traces, { sampled: 2, checked: 1, passed: 1, failed: 0, errored: 0, unresolved: 1 });
      assert.equal(report.passRate, 1);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /1 sampled trace\(s\) did not arrive or settle within the timeout/);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  test('a trace id file with a bad line is a usage error naming the line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracelens-check-'));
    writeFileSync(join(dir, 'ids.txt'), '4bf92f3577b34da6a3ce929d0e0e4736\nnope\n');
    const r = await cli(['check', join(FIXTURES, 'tracetest', 'resources', 'tests', 'import-pokemon.yaml'), '--trace-ids', join(dir, 'ids.txt')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /ids\.txt:2:1: `nope` is not a trace id/);
  });
});
