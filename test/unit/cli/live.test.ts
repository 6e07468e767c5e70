import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { main } from '../../../src/cli';
import { startReceiver } from '../../../src/run/sources/otlp/receiver';
import { startRecordingServer } from '../../support/recording-server';
import { startTracedService } from '../../support/traced-service';

const ROOT = join(__dirname, '..', '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures');
const IMPORT_TEST = join(FIXTURES, 'tracetest', 'resources', 'tests', 'import-pokemon.yaml');

async function cli(args: string[], { tty = false } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = { write: (s: string) => (stdout += s), isTTY: tty, columns: 200 };
  const code = await main(args, { stdout: out, stderr: { write: (s: string) => (stderr += s) }, env: { NO_COLOR: '1' } });
  return { code, stdout, stderr };
}

const tempDir = () => mkdtempSync(join(tmpdir(), 'tracelens-live-'));

describe('tracelens run, live', () => {
  test('a port already in use is a clear error naming the port and the flag, and nothing runs', async () => {
    const taken = await startReceiver({ httpPort: 0, grpcPort: null });
    try {
      const r = await cli(['run', IMPORT_TEST, '--otlp-http-port', String(taken.httpPort), '--otlp-grpc-port', '0', '--reporter', 'json']);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, new RegExp(`port ${taken.httpPort}.*in use`));
      assert.match(r.stderr, /--otlp-http-port/);
    } finally {
      await taken.close();
    }
  });

  test('--data-store with a file store reads the trace from that file; --save-trace writes a replayable trace', async () => {
    const dir = tempDir();
    const test = join(dir, 'recorded.yaml');
    writeFileSync(
      test,
      'type: Test\nspec:\n  id: recorded\n  name: Recorded\n  trigger:\n    type: traceid\n    traceid:\n      id: 4bf92f3577b34da6a3ce929d0e0e4736\n  specs:\n  - selector: span[name="POST /pokemon/import"]\n    assertions:\n    - attr:http.status_code = 200\n',
    );
    const saved = join(dir, 'saved');
    const r = await cli(['run', test, '--data-store', join(FIXTURES, 'sources', 'file-datastore.yaml'), '--save-trace', saved, '--reporter', 'json']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const [file] = readdirSync(saved);
    assert.equal(file, 'recorded-4bf92f3577b34da6a3ce929d0e0e4736.otlp.json');
    const replayed = await cli(['run', test, '--trace', join(saved, file!), '--reporter', 'json']);
    assert.equal(replayed.code, 0, replayed.stdout + replayed.stderr);
    assert.equal(JSON.parse(replayed.stdout).tests[0].specs[0].spanIds.length, 1);
  });

  test('a live run against an instrumented service reports the trigger status and spans', async () => {
    const receiverPort = await freePort();
    const service = await startTracedService(`http://127.0.0.1:${receiverPort}`);
    try {
      const dir = tempDir();
      const test = join(dir, 'hello.yaml');
      writeFileSync(
        test,
        `type: Test\nspec:\n  id: hello\n  trigger:\n    type: http\n    httpRequest:\n      url: ${service.url}/hello\n  specs:\n  - selector: span[name="load greeting"]\n    assertions:\n    - attr:db.system = "sqlite"\n`,
      );
      const r = await cli(['run', test, '--otlp-http-port', String(receiverPort), '--otlp-grpc-port', '0', '--reporter', 'json']);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const [result] = JSON.parse(r.stdout).tests;
      assert.deepEqual(result.trigger.type, 'http');
      assert.equal(result.trigger.status, 200);
      assert.equal(result.specs[0].spanIds.length, 1);
    } finally {
      await service.close();
    }
  });

  test('on a terminal, the live line says what a run still waits for and for how long at most; --export-delay bounds it', async () => {
    const receiverPort = await freePort();
    const service = await startTracedService(`http://127.0.0.1:${receiverPort}`);
    try {
      const test = join(tempDir(), 'charge.yaml');
      writeFileSync(
        test,
        `type: Test\nspec:\n  id: charge\n  name: No card charged\n  trigger:\n    type: http\n    httpRequest:\n      url: ${service.url}/hello\n  specs:\n  - selector: span[name="charge card"]\n    assertions:\n    - attr:tracetest.selected_spans.count = 0\n`,
      );
      const r = await cli(['run', test, '--otlp-http-port', String(receiverPort), '--otlp-grpc-port', '0', '--export-delay', '1.5s'], { tty: true });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /No card charged {2}2 spans from shop · waiting for a span matching span\[name="charge card"\], up to 1\.\ds/);
      assert.match(r.stdout, /✓ No card charged/);
    } finally {
      await service.close();
    }
  });

  test('--data-store also takes jaeger=<url> inline, and polls that Jaeger for the trace', async () => {
    const { createServer } = await import('node:http');
    const jaeger = readFileSync(join(FIXTURES, 'traces', 'pokeshop.jaeger.json'), 'utf8');
    const requests: string[] = [];
    const server = createServer((req, res) => {
      requests.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' }).end(jaeger);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const dir = tempDir();
      const test = join(dir, 'from-jaeger.yaml');
      writeFileSync(
        test,
        'type: Test\nspec:\n  id: from-jaeger\n  trigger:\n    type: traceid\n    traceid:\n      id: ${var:TRACE_ID}\n  specs:\n  - selector: span[name="POST /pokemon/import"]\n    assertions:\n    - attr:http.status_code = 200\n',
      );
      const url = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}`;
      const r = await cli(['run', test, '--data-store', `jaeger=${url}`, '--var', 'TRACE_ID=4bf92f3577b34da6a3ce929d0e0e4736', '--reporter', 'json']);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.ok(requests.includes('/api/traces/4bf92f3577b34da6a3ce929d0e0e4736'), requests.join());
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  test('a body file outside the folder of the paths given errors and sends nothing; a --root that holds it, or --allow-outside-root, lets it be read', async () => {
    const service = await startRecordingServer();
    const { received } = service;
    try {
      const project = tempDir();
      mkdirSync(join(project, 'tests'));
      mkdirSync(join(project, 'bodies'));
      writeFileSync(join(project, 'bodies', 'order.json'), '{"item": "book"}');
      const test = join(project, 'tests', 'order.yaml');
      writeFileSync(
        test,
        `type: Test\nspec:\n  id: order\n  skipTraceCollection: true\n  trigger:\n    type: http\n    httpRequest:\n      method: POST\n      url: ${service.url}/orders\n      body: ../bodies/order.json\n`,
      );

      const refused = await cli(['run', test, '--reporter', 'json']);
      assert.equal(refused.code, 1);
      const error = JSON.parse(refused.stdout).tests[0].error as string;
      assert.match(
        error,
        new RegExp(
          `trigger: trigger\\.httpRequest\\.body: file \\.\\./bodies/order\\.json \\(.*order\\.json\\) is outside the project root .*tests: nothing was sent; the root is the folder holding the paths given; pass --root <dir> for a wider one, or --allow-outside-root`,
        ),
      );
      assert.deepEqual(received, []);

      assert.equal((await cli(['run', test, '--root', project, '--reporter', 'json'])).code, 0);
      assert.equal((await cli(['run', test, '--allow-outside-root', '--reporter', 'json'])).code, 0);
      assert.deepEqual(received, ['{"item": "book"}', '{"item": "book"}']);
    } finally {
      await service.close();
    }
  });

  for (const [label, args, message] of [
    ['a bad --timeout', ['run', IMPORT_TEST, '--timeout', 'soon'], /--timeout soon: expected a duration/],
    ['a bad --export-delay', ['run', IMPORT_TEST, '--export-delay', 'later'], /--export-delay later: expected a duration such as 30s, 1m or 500ms \(or 0\)/],
    ['a bad --workers', ['run', IMPORT_TEST, '--workers', '0'], /--workers 0: expected a whole number from 1/],
    ['a bad port', ['run', IMPORT_TEST, '--otlp-http-port', '70000'], /--otlp-http-port 70000/],
    ['--trace with --data-store', ['run', IMPORT_TEST, '--trace', 'a.json', '--data-store', 'b.yaml'], /exclude each other/],
    ['an inline data store without its URL', ['run', IMPORT_TEST, '--data-store', 'jaeger='], /--data-store "jaeger=": give the query API's URL/],
    ['a test file given as --data-store', ['run', IMPORT_TEST, '--data-store', IMPORT_TEST], /not a DataStore file/],
    ['a --root that is not a folder', ['run', IMPORT_TEST, '--root', IMPORT_TEST], /--root .*import-pokemon\.yaml: not a directory/],
    ['a bad --otlp-max-bytes', ['run', IMPORT_TEST, '--otlp-max-bytes', '12 apples'], /--otlp-max-bytes 12 apples: expected a size of at least 1MiB/],
    ['a tiny --otlp-max-bytes', ['run', IMPORT_TEST, '--otlp-max-bytes', '64KiB'], /--otlp-max-bytes 64KiB: expected a size of at least 1MiB/],
    [
      'a bad --otlp-max-spans-per-trace',
      ['run', IMPORT_TEST, '--otlp-max-spans-per-trace', '1e6'],
      /--otlp-max-spans-per-trace 1e6: expected a whole number from 1/,
    ],
    ['a receiver --max-spans-per-trace of 0', ['receiver', '--max-spans-per-trace', '0'], /--max-spans-per-trace 0: expected a whole number from 1/],
    [
      'an --otlp-cors-origin that is not an origin',
      ['run', IMPORT_TEST, '--otlp-cors-origin', 'example.com'],
      /--otlp-cors-origin: CORS origin "example\.com" is not an origin/,
    ],
    [
      'a receiver --cors-origin that is not an origin',
      ['receiver', '--cors-origin', 'https://example.com/app'],
      /--cors-origin: CORS origin "https:\/\/example\.com\/app" is not an origin/,
    ],
  ] as const) {
    test(`usage error: ${label}`, async () => {
      const r = await cli([...args]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
    });
  }
});

describe('tracelens receiver', () => {
  test('receives spans from a real SDK exporter, saves each trace once it settles, stops on SIGINT', async () => {
    const out = tempDir();
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'receiver', '--http-port', '0', '--grpc-port', '0', '--out', out], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d;
        const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', () => reject(new Error(`receiver exited: ${stderr}`)));
    });
    assert.match(stdout, /OTLP receiver listening/);
    const service = await startTracedService(`http://127.0.0.1:${port}`, 'saved-service');
    await fetch(`${service.url}/hello`, { headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } });
    await service.close();
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    assert.equal(await exited, 0, stderr);
    assert.match(stdout, /trace 0af7651916cd43dd8448eb211c80319c: 2 spans from saved-service → /);
    const saved = JSON.parse(readFileSync(join(out, '0af7651916cd43dd8448eb211c80319c.otlp.json'), 'utf8'));
    const names = saved.resourceSpans.flatMap((r: { scopeSpans: { spans: { name: string }[] }[] }) => r.scopeSpans.flatMap((s) => s.spans.map((x) => x.name)));
    assert.deepEqual(names.sort(), ['GET /hello', 'load greeting']);
  });
});

async function freePort(): Promise<number> {
  const probe = await startReceiver({ httpPort: 0, grpcPort: null });
  const port = probe.httpPort;
  await probe.close();
  return port;
}
