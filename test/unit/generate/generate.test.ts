import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, test } from 'node:test';
import { ROOT_CONTEXT, SpanKind, trace as otel } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { parse } from 'yaml';
import { main } from '../../../src/cli';
import { durationBudget } from '../../../src/core/generate/index';

const TRACES = join(__dirname, '..', '..', 'fixtures', 'traces');
const DEMO = join(TRACES, 'demo');

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env: {} });
  return { code, stdout, stderr };
}

interface SpecDoc {
  selector: string;
  name: string;
  assertions: string[];
}
interface TestDoc {
  spec: {
    trigger: {
      type: string;
      httpRequest: { method: string; url: string; headers?: { key: string; value: string }[]; body?: string };
      grpc: { method: string; protobufFile: string };
    };
    specs: SpecDoc[];
  };
}
interface ReportSpec {
  name: string;
  status: string;
}

const tempDir = () => mkdtempSync(join(tmpdir(), 'tracelens-generate-'));

type Attr = [string, string | number | string[]];
interface SpanSpec {
  id: string;
  parent?: string;
  name: string;
  kind: number;
  service: string;
  ms: [number, number];
  attrs: Attr[];
  error?: boolean;
  traceId?: string;
}

/** An OTLP JSON export of the given spans. */
function otlp(spans: SpanSpec[]): string {
  const value = (v: Attr[1]) =>
    Array.isArray(v) ? { arrayValue: { values: v.map((s) => ({ stringValue: s })) } } : typeof v === 'number' ? { intValue: String(v) } : { stringValue: v };
  const base = 1_700_000_000_000n * 1_000_000n;
  return JSON.stringify({
    resourceSpans: spans.map((s) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: s.service } }] },
      scopeSpans: [
        {
          scope: { name: 'test' },
          spans: [
            {
              traceId: s.traceId ?? '0af7651916cd43dd8448eb211c80319c',
              spanId: s.id,
              parentSpanId: s.parent ?? '',
              name: s.name,
              kind: s.kind,
              startTimeUnixNano: String(base + BigInt(s.ms[0] * 1e6)),
              endTimeUnixNano: String(base + BigInt(s.ms[1] * 1e6)),
              attributes: s.attrs.map(([key, v]) => ({ key, value: value(v) })),
              status: s.error ? { code: 2 } : {},
            },
          ],
        },
      ],
    })),
  });
}

const SERVER = 2;
const CLIENT = 3;
const CONSUMER = 5;
const INTERNAL = 1;

/** Current semantic conventions: url.*, server.*, http.request.header.* arrays, db.system.name. */
const CURRENT: SpanSpec[] = [
  {
    id: 'a000000000000001',
    name: 'POST /orders',
    kind: SERVER,
    service: 'orders',
    ms: [0, 42],
    attrs: [
      ['http.request.method', 'POST'],
      ['url.scheme', 'https'],
      ['server.address', 'shop.example'],
      ['server.port', 8443],
      ['url.path', '/orders'],
      ['url.query', 'dry=false&access_token=t0ps3cret'],
      ['http.route', '/orders'],
      ['http.response.status_code', 201],
      ['http.request.header.content-type', ['application/json']],
      ['http.request.header.authorization', ['Bearer s3cr3t-token']],
      ['http.request.header.x_tenant', ['acme']],
      ['http.request.header.traceparent', ['00-0af7651916cd43dd8448eb211c80319c-a000000000000001-01']],
      ['http.request.body', '{\n  "sku": "A-1"\n}'],
    ],
  },
  {
    id: 'a000000000000002',
    parent: 'a000000000000001',
    name: 'INSERT shop.orders',
    kind: CLIENT,
    service: 'orders',
    ms: [5, 12],
    attrs: [
      ['db.system.name', 'postgresql'],
      ['db.operation.name', 'INSERT'],
      ['db.collection.name', 'orders'],
    ],
  },
  {
    id: 'a000000000000003',
    parent: 'a000000000000001',
    name: 'orders publish',
    kind: 4,
    service: 'orders',
    ms: [13, 15],
    attrs: [
      ['messaging.system', 'kafka'],
      ['messaging.destination.name', 'orders'],
      ['messaging.operation.type', 'publish'],
    ],
  },
  {
    id: 'a000000000000004',
    parent: 'a000000000000003',
    name: 'orders process',
    kind: CONSUMER,
    service: 'billing',
    ms: [20, 60],
    attrs: [
      ['messaging.system', 'kafka'],
      ['messaging.destination.name', 'orders'],
      ['messaging.operation.type', 'process'],
    ],
  },
  {
    id: 'a000000000000005',
    parent: 'a000000000000004',
    name: 'UPDATE billing.invoices',
    kind: CLIENT,
    service: 'billing',
    ms: [30, 33],
    attrs: [
      ['db.system.name', 'postgresql'],
      ['db.operation.name', 'UPDATE'],
    ],
  },
];

/** Conventions before 1.21: http.target + http.host + http.scheme, http.status_code, header as a plain string. */
const OLD: SpanSpec[] = [
  {
    id: 'b000000000000001',
    name: 'GET /items/{id}',
    kind: SERVER,
    service: 'catalog',
    ms: [0, 9],
    attrs: [
      ['http.method', 'GET'],
      ['http.scheme', 'http'],
      ['http.host', 'catalog:8080'],
      ['http.target', '/items/7?full=1'],
      ['http.route', '/items/{id}'],
      ['http.status_code', 200],
      ['http.request.header.cookie', 'session=abc'],
      ['http.request.body', '{"user":{"name":"ann","password":"hunter2"},"apiKey":"k-99","count":2}'],
      ['http.request.header.accept', 'application/json'],
    ],
  },
  {
    id: 'b000000000000002',
    parent: 'b000000000000001',
    name: 'SELECT items',
    kind: CLIENT,
    service: 'catalog',
    ms: [2, 4],
    attrs: [
      ['db.system', 'mysql'],
      ['db.operation', 'SELECT'],
      ['db.sql.table', 'items'],
    ],
  },
];

function fixture(dir: string, name: string, spans: SpanSpec[]): string {
  const file = join(dir, name);
  writeFileSync(file, otlp(spans));
  return file;
}

async function generated(trace: string, dir: string, ...more: string[]): Promise<{ file: string; doc: TestDoc; text: string; stderr: string }> {
  const file = join(dir, `${basename(trace, '.json')}.yaml`);
  const r = await cli(['generate', trace, '--out', file, ...more]);
  assert.equal(r.code, 0, r.stderr);
  const text = readFileSync(file, 'utf8');
  return { file, doc: parse(text) as TestDoc, text, stderr: r.stderr };
}

/** The generated file validates and, replayed against the trace it came from, passes. */
async function assertReplays(test: string, trace: string, ...vars: string[]): Promise<void> {
  const v = await cli(['validate', test]);
  assert.equal(v.code, 0, v.stdout + v.stderr);
  const r = await cli(['run', test, '--trace', trace, '--reporter', 'json', ...vars.flatMap((x) => ['--var', x])]);
  const report = JSON.parse(r.stdout);
  const failing = (report.tests as { specs: ReportSpec[] }[]).flatMap((t) => t.specs.filter((s) => s.status !== 'passed'));
  assert.deepEqual(failing, [], `${basename(trace)}: every suggested spec passes on its own trace`);
  assert.equal(r.code, 0, r.stderr);
}

describe('tracelens generate', () => {
  test('every saved demo trace and the pokeshop trace in each format gives a test that validates and passes on replay', async () => {
    const dir = tempDir();
    const traces = [
      ...readdirSync(DEMO).map((f) => join(DEMO, f)),
      ...readdirSync(TRACES)
        .filter((f) => f.endsWith('.json'))
        .map((f) => join(TRACES, f)),
    ];
    assert.ok(traces.length >= 13);
    for (const trace of traces) {
      const { file, doc } = await generated(trace, dir);
      assert.ok(doc.spec.specs.length >= 3, `${basename(trace)}: several suggestions`);
      for (const spec of doc.spec.specs) assert.doesNotMatch(spec.selector, /[0-9a-f]{16}|duration|start_time|span_id/, 'no ids or timings in selectors');
      await assertReplays(file, trace);
    }
  });

  test('a saved demo run: the HTTP trigger, its status on the trigger span, and database specs', async () => {
    const { doc, text } = await generated(join(DEMO, 'add-pokemon.otlp.json'), tempDir());
    assert.deepEqual(doc.spec.trigger, { type: 'http', httpRequest: { method: 'POST', url: 'http://127.0.0.1:18481/pokemon' } });
    const names = doc.spec.specs.map((s: SpecDoc) => s.name);
    assert.ok(names.includes('The response status is 201'));
    assert.ok(names.includes('No span has an error status'));
    assert.ok(names.includes('Database: INSERT pokeshop.pokemon'));
    assert.match(text, /# Database operations: each one, with a duration budget\./);
  });

  test('gRPC: method from rpc.*, protobufFile left to the user with a comment', async () => {
    const { doc, text } = await generated(join(DEMO, 'grpc-create-pokemon.otlp.json'), tempDir());
    assert.equal(doc.spec.trigger.type, 'grpc');
    assert.equal(doc.spec.trigger.grpc.method, 'pokeshop.Pokeshop.createPokemon');
    assert.equal(doc.spec.trigger.grpc.protobufFile, '');
    assert.match(text, /# A trace does not hold the service's \.proto: set protobufFile/);
  });

  test('a browser trace gives a traceid trigger, explained', async () => {
    const { doc, text, stderr } = await generated(join(DEMO, 'web-import-pokemon.otlp.json'), tempDir());
    assert.deepEqual(doc.spec.trigger, { type: 'traceid', traceid: { id: '${var:TRACE_ID}' } });
    assert.match(text, /# The root span "documentLoad" is an internal span, not a request a server received: the test checks the trace whose id is TRACE_ID/);
    assert.match(stderr, /needs TRACE_ID/);
  });

  test('current conventions: URL from url.* and server.*, headers without transport ones, credentials as variables, body, messaging', async () => {
    const dir = tempDir();
    const trace = fixture(dir, 'current.otlp.json', CURRENT);
    const { file, doc, text, stderr } = await generated(trace, dir);
    const http = doc.spec.trigger.httpRequest;
    assert.equal(http.method, 'POST');
    assert.equal(http.url, 'https://shop.example:8443/orders?dry=false&access_token=${var:ACCESS_TOKEN}');
    assert.match(text, /url: .* # recorded credentials left out: ACCESS_TOKEN\n/);
    assert.deepEqual(http.headers, [
      { key: 'content-type', value: 'application/json' },
      { key: 'authorization', value: '${var:AUTHORIZATION}' },
      { key: 'x-tenant', value: 'acme' },
    ]);
    assert.equal(http.body, '{\n  "sku": "A-1"\n}');
    assert.match(text, /body: \|-?\n/, 'the body is a block');
    assert.doesNotMatch(text, /s3cr3t|t0ps3cret/, 'no credential is copied');
    assert.match(text, /# The recorded authorization was left out: pass it with --secret AUTHORIZATION=/);
    assert.match(stderr, /needs ACCESS_TOKEN, AUTHORIZATION/);
    const byName = new Map(doc.spec.specs.map((s) => [s.name, s]));
    assert.deepEqual((byName.get('POST /orders was handled by orders') as SpecDoc).assertions, [
      'attr:http.response.status_code = 201',
      'attr:http.route = "/orders"',
      'attr:service.name = "orders"',
      'attr:tracetest.span.duration < 200ms',
    ]);
    assert.ok(byName.has('A message from orders was consumed by billing'));
    assert.ok(byName.has('All database spans: processing time < 200ms'));
    assert.deepEqual((byName.get('Database: INSERT shop.orders') as SpecDoc).assertions, [
      'attr:db.system.name = "postgresql"',
      'attr:db.operation.name = "INSERT"',
      'attr:db.collection.name = "orders"',
      'attr:tracetest.span.duration < 200ms',
    ]);
    await assertReplays(file, trace, 'AUTHORIZATION=x', 'ACCESS_TOKEN=x');
  });

  test('older conventions: URL from http.scheme + http.host + http.target; a cookie becomes a variable', async () => {
    const dir = tempDir();
    const trace = fixture(dir, 'old.otlp.json', OLD);
    const { file, doc, text } = await generated(trace, dir);
    assert.equal(doc.spec.trigger.httpRequest.url, 'http://catalog:8080/items/7?full=1');
    assert.deepEqual(doc.spec.trigger.httpRequest.headers, [
      { key: 'cookie', value: '${var:COOKIE}' },
      { key: 'accept', value: 'application/json' },
    ]);
    assert.deepEqual(JSON.parse(doc.spec.trigger.httpRequest.body!), { user: { name: 'ann', password: '${var:PASSWORD}' }, apiKey: '${var:APIKEY}', count: 2 });
    assert.doesNotMatch(text, /hunter2|k-99/);
    assert.match(text, /# Recorded credentials left out: PASSWORD, APIKEY\.\n\s+body: \|/);
    await assertReplays(file, trace, 'COOKIE=x', 'PASSWORD=x', 'APIKEY=x');
  });

  test('OTLP protobuf from the real SDK: a gRPC server root gives a grpc trigger from rpc.* and server.*', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'inventory' }),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const tracer = provider.getTracer('@opentelemetry/instrumentation-grpc');
    const server = tracer.startSpan('shop.Inventory/Reserve', {
      kind: SpanKind.SERVER,
      attributes: {
        'rpc.system': 'grpc',
        'rpc.service': 'shop.Inventory',
        'rpc.method': 'Reserve',
        'rpc.grpc.status_code': 0,
        'server.address': 'inventory',
        'server.port': 50051,
      },
    });
    const query = tracer.startSpan(
      'SELECT stock',
      { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'postgresql', 'db.operation.name': 'SELECT', 'db.collection.name': 'stock' } },
      otel.setSpan(ROOT_CONTEXT, server),
    );
    query.end();
    server.end();
    const bytes = ProtobufTraceSerializer.serializeRequest(exporter.getFinishedSpans());
    assert.ok(bytes);
    const dir = tempDir();
    const trace = join(dir, 'reserve.pb');
    writeFileSync(trace, bytes);
    const { file, doc, text } = await generated(trace, dir);
    assert.deepEqual(doc.spec.trigger, { type: 'grpc', grpc: { protobufFile: '', address: 'inventory:50051', method: 'shop.Inventory.Reserve' } });
    assert.match(text, /# The trace does not record the request message/);
    assert.ok(doc.spec.specs.some((s) => s.assertions.includes('attr:rpc.grpc.status_code = 0')));
    await assertReplays(file, trace);
  });

  test('error spans are counted as recorded instead of "no errors"', async () => {
    const dir = tempDir();
    const spans = OLD.map((s, i) => (i === 1 ? { ...s, error: true } : s));
    const trace = fixture(dir, 'errors.otlp.json', spans);
    const { file, doc } = await generated(trace, dir);
    const names = doc.spec.specs.map((s: SpecDoc) => s.name);
    assert.ok(names.includes('1 span has an error status, as recorded'));
    assert.ok(!names.includes('No span has an error status'));
    await assertReplays(file, trace, 'COOKIE=x', 'PASSWORD=x', 'APIKEY=x');
  });

  test('a root span that received no request gives a traceid trigger', async () => {
    const dir = tempDir();
    const trace = fixture(dir, 'job.otlp.json', [{ id: 'c000000000000001', name: 'nightly job', kind: INTERNAL, service: 'jobs', ms: [0, 3], attrs: [] }]);
    const { doc, text } = await generated(trace, dir);
    assert.equal(doc.spec.trigger.type, 'traceid');
    assert.match(text, /# The root span "nightly job" is an internal span, not a request a server received/);
  });

  test('--trace-id picks one trace of several; several without it, or an unknown one, exit 2 naming the file and the ids', async () => {
    const dir = tempDir();
    const other = CURRENT.map((s) => ({ ...s, traceId: '11111111111111111111111111111111' }));
    const trace = fixture(dir, 'two.otlp.json', [...OLD, ...other]);
    const several = await cli(['generate', trace]);
    assert.equal(several.code, 2);
    assert.match(
      several.stderr,
      /two\.otlp\.json: it holds 2 traces \(0af7651916cd43dd8448eb211c80319c, 11111111111111111111111111111111\): pick one with --trace-id/,
    );
    const unknown = await cli(['generate', trace, '--trace-id', 'ffffffffffffffffffffffffffffffff']);
    assert.equal(unknown.code, 2);
    assert.match(
      unknown.stderr,
      /two\.otlp\.json: no trace ffffffffffffffffffffffffffffffff in it; the traces it holds: 0af7651916cd43dd8448eb211c80319c, 1111/,
    );
    const picked = await cli(['generate', trace, '--trace-id', '11111111111111111111111111111111']);
    assert.equal(picked.code, 0, picked.stderr);
    assert.equal((parse(picked.stdout) as TestDoc).spec.trigger.httpRequest.url, 'https://shop.example:8443/orders?dry=false&access_token=${var:ACCESS_TOKEN}');
  });

  test('a file that is not a trace, or missing, exits 2 naming it', async () => {
    const dir = tempDir();
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"hello": 1}');
    const r = await cli(['generate', bad]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.json: not a trace file/);
    const missing = await cli(['generate', join(dir, 'nope.json')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.json: cannot read trace file: ENOENT/);
    const none = await cli(['generate']);
    assert.equal(none.code, 2);
  });
});

describe('durationBudget', () => {
  test('twice the observed duration and at least 100ms more, rounded up to 1, 2 or 5 × a power of ten', () => {
    assert.equal(durationBudget(300_000n), '200ms');
    assert.equal(durationBudget(7_300_000n), '200ms');
    assert.equal(durationBudget(42_000_000n), '200ms');
    assert.equal(durationBudget(120_000_000n), '500ms');
    assert.equal(durationBudget(400_000_000n), '1s');
  });
});
