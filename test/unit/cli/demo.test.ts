// End to end: the built `tracelens` binary runs the demo's own tests against the running Pokéshop demo, with the
// embedded receiver collecting what the demo's OpenTelemetry SDKs export: over OTLP/HTTP with the SDK's stock 5 s
// batches (as services usually run), over OTLP/gRPC with 100 ms batches (as a test environment may set them).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { installBrowser } from '../../support/code-server';
import { startReceiver } from '../../../src/run/sources/otlp/receiver';
import { startDemo, type Demo } from '../../support/demo';

const ROOT = join(__dirname, '..', '..', '..');

async function freePorts(): Promise<{ http: number; grpc: number }> {
  const probe = await startReceiver({ httpPort: 0, grpcPort: 0 });
  const ports = { http: probe.httpPort, grpc: probe.grpcPort! };
  await probe.close();
  return ports;
}

function tracelens(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

interface JsonTest {
  name: string;
  file: string;
  suite?: string;
  status: string;
  error?: string;
  trigger: { type: string; status?: number };
  specs: { name?: string; status: string; spanIds: string[]; assertions: { assertion: string; status: string; results: { observed: string }[] }[] }[];
  outputs: { name: string; value?: string }[];
  traceId: string;
  warnings?: string[];
}

/** `service: span name` of each span in the trace `--save-trace` wrote for this trace id. */
function savedSpanNames(dir: string, traceId: string): string {
  const file = readdirSync(dir).find((f) => f.endsWith(`${traceId}.otlp.json`));
  if (!traceId || !file) return 'no saved trace';
  type Otlp = {
    resourceSpans: { resource?: { attributes?: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: { name: string }[] }[] }[];
  };
  const otlp = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Otlp;
  return otlp.resourceSpans
    .flatMap((rs) => {
      const service = rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue ?? '?';
      return rs.scopeSpans.flatMap((ss) => ss.spans.map((span) => `${service}: ${span.name}`));
    })
    .join(', ');
}

for (const protocol of ['http/protobuf', 'grpc'] as const) {
  describe(`the demo's tests, run by the CLI against the demo exporting OTLP over ${protocol}`, () => {
    let demo: Demo;
    let ports: { http: number; grpc: number };
    let vars: string[];

    before(async () => {
      installBrowser(); // the web page's test runs in Chromium
      ports = await freePorts();
      const endpoint = protocol === 'grpc' ? `http://127.0.0.1:${ports.grpc}` : `http://127.0.0.1:${ports.http}`;
      demo = await startDemo(endpoint, { OTEL_EXPORTER_OTLP_PROTOCOL: protocol, ...(protocol === 'grpc' ? { OTEL_BSP_SCHEDULE_DELAY: '100' } : {}) });
      vars = ['--var', `POKESHOP_API_URL=${demo.api}`, '--var', `POKESHOP_GRPC_ADDRESS=${demo.grpc}`];
    });
    after(async () => {
      await demo.stop();
    });

    const receiverFlags = () => ['--otlp-http-port', String(ports.http), '--otlp-grpc-port', String(ports.grpc)];

    if (protocol === 'http/protobuf') {
      test('every demo test passes, with the SDK stock 5 s batches: http, grpc, graphql and playwrightengine triggers, the async worker, the suite passing an output on', async () => {
        // The gRPC test's proto is in demo/proto, beside the tests: the project root is demo.
        const saved = mkdtempSync(join(tmpdir(), 'tracelens-demo-traces-'));
        const r = await tracelens([
          'run',
          'demo/tests',
          '--root',
          'demo',
          ...vars,
          ...receiverFlags(),
          '--reporter',
          'json',
          '--workers',
          '4',
          '--save-trace',
          saved,
        ]);
        const report = JSON.parse(r.stdout) as { tests: JsonTest[]; summary: Record<string, number> };
        const failed = report.tests.filter((t) => t.status !== 'passed');
        // What a failed test's trace held and what the run warned about, to tell a late span from a missing one.
        const why = (t: JsonTest) =>
          `${t.error ?? JSON.stringify(t.specs.filter((s) => s.status !== 'passed'))}\nwarnings: ${JSON.stringify(t.warnings ?? [])}\nspans: ${savedSpanNames(saved, t.traceId)}`;
        assert.deepEqual(
          failed.map((t) => `${t.file}: ${why(t)}`),
          [],
          r.stderr,
        );
        assert.equal(r.code, 0);
        assert.match(r.stderr, /using variables from demo\/tests\/vars\.yaml/);
        assert.deepEqual([...new Set(report.tests.map((t) => t.trigger.type))].sort(), ['graphql', 'grpc', 'http', 'playwrightengine']);

        const worker = report.tests.find((t) => t.file === 'demo/tests/import-pokemon.yaml')!;
        assert.equal(worker.trigger.status, 202);
        assert.ok(
          worker.specs.every((s) => s.spanIds.length > 0),
          'the worker spans that arrive after the 202 were waited for',
        );

        const suite = report.tests.filter((t) => t.suite);
        assert.ok(suite.length >= 2);
        const created = suite[0]!.outputs.find((o) => o.name === 'POKEMON_ID')?.value;
        assert.match(created ?? '', /^\d+$/);
        assert.notEqual(created, '1', 'a new Pokémon, not the seeded one');
        const fetched = JSON.stringify(suite[1]!.specs.flatMap((s) => s.assertions.flatMap((a) => a.results.map((x) => x.observed))));
        assert.ok(fetched.includes(created!), `the second step used the output: ${fetched}`);
      });

      test("the web page, instrumented with the OpenTelemetry web SDK, continues the run's trace; --save-trace keeps the Playwright trace too", async () => {
        const dir = mkdtempSync(join(tmpdir(), 'tracelens-web-'));
        const r = await tracelens(['run', 'demo/tests/web-import-pokemon.yaml', ...vars, ...receiverFlags(), '--reporter', 'pretty', '--save-trace', dir]);
        assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
        const files = readdirSync(dir).sort();
        assert.deepEqual(
          files.map((f) => f.replace(/[0-9a-f]{32}/, 'TRACE')),
          ['pokeshop-web-import-pokemon-TRACE.otlp.json', 'pokeshop-web-import-pokemon-TRACE.trace.zip'],
        );
        assert.ok(r.stdout.includes(`Playwright trace: ${join(dir, files[1]!)}`), r.stdout);
        interface OtlpSpan {
          spanId: string;
          parentSpanId?: string;
          name: string;
          events?: { name: string; attributes: { key: string; value: { stringValue?: string } }[] }[];
        }
        const saved = JSON.parse(readFileSync(join(dir, files[0]!), 'utf8')) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] };
        const spans = saved.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
        const trigger = spans.find((s) => s.name === 'Tracetest trigger')!;
        assert.equal(spans.find((s) => s.name === 'documentLoad')?.parentSpanId, trigger.spanId, 'the page load hangs under the trigger span');
        assert.equal(spans.find((s) => s.name === 'import pokemon from the page')?.parentSpanId, trigger.spanId, 'so does what the script did on the page');
        const consoleText = trigger.events?.find((e) => e.name === 'console')?.attributes.find((a) => a.key === 'console.text')?.value.stringValue;
        assert.equal(consoleText, 'import of pokemon 143 accepted');
      });

      test('a broken assertion fails with the observed value in a readable report, and the exit code says so', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'tracelens-demo-'));
        cpSync(join(ROOT, 'demo'), join(dir, 'demo'), { recursive: true, filter: (p) => !p.includes('node_modules') });
        const file = join(dir, 'demo', 'tests', 'add-pokemon.yaml');
        const text = readFileSync(file, 'utf8');
        assert.match(text, /attr:http.status_code = 201/);
        writeFileSync(file, text.replace('attr:http.status_code = 201', 'attr:http.status_code = 200'));
        const r = await tracelens(['run', file, ...vars, ...receiverFlags(), '--reporter', 'pretty']);
        assert.equal(r.code, 1, r.stderr);
        assert.match(r.stdout, /✗ attr:http.status_code = 200/);
        assert.match(r.stdout, /expected 200, observed 201/);
        assert.match(r.stdout, /Tests: 0 passed, 1 failed, 0 errored/);
      });
    } else {
      test('a service exporting over OTLP/gRPC works with no Tracelens-specific code', async () => {
        const r = await tracelens([
          'run',
          'demo/tests/import-pokemon.yaml',
          'demo/tests/grpc-create-pokemon.yaml',
          '--root',
          'demo',
          ...vars,
          ...receiverFlags(),
          '--reporter',
          'json',
        ]);
        const report = JSON.parse(r.stdout) as { tests: JsonTest[] };
        assert.deepEqual(
          report.tests.map((t) => [t.file, t.status, t.error]),
          [
            ['demo/tests/import-pokemon.yaml', 'passed', undefined],
            ['demo/tests/grpc-create-pokemon.yaml', 'passed', undefined],
          ],
        );
      });
    }
  });
}
