// Receiver ingest: spans/s into the embedded OTLP receiver over OTLP/HTTP (protobuf, JSON) and OTLP/gRPC, with
// batches of 512 spans as the SDK's BatchSpanProcessor sends them, pre-encoded by the SDK's own serializers.
// Clients run in a worker thread so that the receiver's thread does only receiving. Also the decode alone,
// without the network. Prints a table and writes bench/receiver-results.json with the machine it ran on.
// Each case runs in a fresh process of its own (`--case <n>`), so that no case inherits another's heap.
// Run: node --import tsx bench/receiver.bench.ts
// `--only` runs just one client over OTLP/HTTP protobuf and prints its spans/s and the process's CPU time per span,
// writing nothing: for profiling (--cpu-prof) and for before/after runs alternated with another checkout's copy.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { machine } from './measure';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { decodeOtlpProtobuf } from '../src/core/trace/decode/index';
import { ingestJson, ingestProtobuf } from '../src/run/sources/otlp/ingest';
import { startReceiver } from '../src/run/sources/otlp/receiver';
import { TraceStore } from '../src/run/sources/otlp/store';

const SPANS_PER_BATCH = 512;
const TRACES_PER_BATCH = 64;
/** 32 batches × 64 traces = 2048 trace ids, more than the store's default 1000: eviction is part of the cost. */
const BATCHES = 32;
const WARMUP_MS = 700;
/** Per scenario; MEASURE_MS=… shortens or lengthens a run. */
const MEASURE_MS = Number(process.env.MEASURE_MS ?? 3_000);
const CONCURRENT_CLIENTS = 4;
const TARGETS = { protobuf: 100_000, json: 50_000 };

/** One request through a small shop (8 spans, 3 services' worth of attributes), as auto-instrumentation records it. */
function recordBatch(batch: number): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'pokeshop-api',
      'service.version': '1.4.2',
      'deployment.environment.name': 'bench',
      'host.name': 'bench-host-01',
      'host.arch': 'amd64',
      'os.type': 'linux',
      'process.pid': 4242,
      'process.runtime.name': 'nodejs',
      'process.runtime.version': '20.20.2',
      'telemetry.sdk.name': 'opentelemetry',
      'telemetry.sdk.language': 'nodejs',
      'telemetry.sdk.version': '2.7.1',
    }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const http = provider.getTracer('@opentelemetry/instrumentation-http', '0.216.0');
  const app = provider.getTracer('pokeshop-api');
  const pg = provider.getTracer('@opentelemetry/instrumentation-pg', '0.54.0');
  const amqp = provider.getTracer('@opentelemetry/instrumentation-amqplib', '0.50.0');
  for (let t = 0; t < TRACES_PER_BATCH; t++) {
    const id = batch * TRACES_PER_BATCH + t;
    const server = http.startSpan('POST /pokemon/import', {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': 'POST',
        'http.route': '/pokemon/import',
        'url.path': '/pokemon/import',
        'url.scheme': 'http',
        'server.address': 'localhost',
        'server.port': 8081,
        'client.address': '127.0.0.1',
        'user_agent.original': 'undici',
        'http.response.status_code': 200,
        'network.protocol.version': '1.1',
        'pokemon.id': id,
      },
    });
    const inServer = trace.setSpan(ROOT_CONTEXT, server);
    const validate = app.startSpan('validate request', { attributes: { 'validation.is_valid': true, 'validation.rules': 3 } }, inServer);
    validate.addEvent('validated', { 'validation.result': 'ok' });
    validate.end();
    const find = pg.startSpan(
      'pg.query:SELECT pokeshop',
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'db.system': 'postgresql',
          'db.namespace': 'pokeshop',
          'db.operation.name': 'SELECT',
          'db.query.text': 'SELECT * FROM pokemon WHERE id = $1',
          'server.address': 'postgres',
          'server.port': 5432,
        },
      },
      inServer,
    );
    find.end();
    const publish = amqp.startSpan(
      'queue.synchronizePokemon publish',
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'rabbitmq',
          'messaging.operation.type': 'publish',
          'messaging.destination.name': 'queue.synchronizePokemon',
          'messaging.message.body.size': 42,
        },
      },
      inServer,
    );
    const inPublish = trace.setSpan(ROOT_CONTEXT, publish);
    const consume = amqp.startSpan(
      'queue.synchronizePokemon process',
      {
        kind: SpanKind.CONSUMER,
        attributes: { 'messaging.system': 'rabbitmq', 'messaging.operation.type': 'process', 'messaging.destination.name': 'queue.synchronizePokemon' },
      },
      inPublish,
    );
    const inConsume = trace.setSpan(ROOT_CONTEXT, consume);
    const fetchApi = http.startSpan(
      'GET',
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'http.request.method': 'GET',
          'url.full': `https://pokeapi.co/api/v2/pokemon/${id % 151}`,
          'server.address': 'pokeapi.co',
          'http.response.status_code': 200,
        },
      },
      inConsume,
    );
    fetchApi.end();
    const insert = pg.startSpan(
      'pg.query:INSERT pokeshop',
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'db.system': 'postgresql',
          'db.namespace': 'pokeshop',
          'db.operation.name': 'INSERT',
          'db.query.text': 'INSERT INTO pokemon (name, type) VALUES ($1, $2)',
        },
      },
      inConsume,
    );
    if (id % 10 === 0) {
      insert.recordException({ name: 'error', message: 'duplicate key value violates unique constraint "pokemon_pkey"' });
      insert.setStatus({ code: SpanStatusCode.ERROR, message: 'duplicate key' });
    }
    insert.end();
    const ack = amqp.startSpan('ack', { attributes: { 'messaging.system': 'rabbitmq' } }, inConsume);
    ack.end();
    consume.end();
    publish.end();
    server.end();
  }
  const spans = memory.getFinishedSpans();
  if (spans.length !== SPANS_PER_BATCH) throw new Error(`expected ${SPANS_PER_BATCH} spans per batch, recorded ${spans.length}`);
  return spans;
}

// The client: CommonJS run with eval in a worker, so it needs no TypeScript loader. Keeps `concurrency`
// requests in flight on kept-alive connections (HTTP) or one HTTP/2 channel (gRPC) and counts the replies.
const CLIENT = `
const { workerData, parentPort } = require('node:worker_threads');
const { kind, port, bodies, contentType, concurrency, warmupMs, measureMs, grpcPath } = workerData;
let send;
let close = () => {};
if (kind === 'http') {
  const http = require('node:http');
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  send = (body) => new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/v1/traces', method: 'POST', agent,
      headers: { 'content-type': contentType, 'content-length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error('HTTP ' + res.statusCode))));
    });
    req.on('error', reject);
    req.end(body);
  });
  close = () => agent.destroy();
} else {
  const grpc = require(workerData.grpcModule);
  const client = new grpc.Client('127.0.0.1:' + port, grpc.credentials.createInsecure());
  const id = (b) => b;
  send = (body) => new Promise((resolve, reject) => client.makeUnaryRequest(grpcPath, id, id, body, (e) => (e ? reject(e) : resolve())));
  close = () => client.close();
}
const buffers = bodies.map((b) => Buffer.from(b));
let next = 0;
async function loop(until, counter) {
  while (performance.now() < until) {
    await send(buffers[next++ % buffers.length]);
    counter.requests++;
  }
}
(async () => {
  const warm = { requests: 0 };
  const warmEnd = performance.now() + warmupMs;
  await Promise.all(Array.from({ length: concurrency }, () => loop(warmEnd, warm)));
  const counter = { requests: 0 };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, () => loop(start + measureMs, counter)));
  const elapsedMs = performance.now() - start;
  close();
  parentPort.postMessage({ requests: counter.requests, elapsedMs });
})().catch((e) => parentPort.postMessage({ error: String(e && e.message || e) }));
`;

interface ClientResult {
  requests: number;
  elapsedMs: number;
}

function runClient(data: Record<string, unknown>): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(CLIENT, { eval: true, workerData: { ...data, warmupMs: WARMUP_MS, measureMs: MEASURE_MS } });
    worker.once('message', (m: ClientResult | { error: string }) => {
      void worker.terminate();
      if ('error' in m) reject(new Error(m.error));
      else resolve(m);
    });
    worker.once('error', reject);
  });
}

function measureDecode(decode: () => void): number {
  for (let i = 0; i < 10; i++) decode();
  let batches = 0;
  const start = performance.now();
  while (performance.now() - start < MEASURE_MS / 2) {
    decode();
    batches++;
  }
  return (batches * SPANS_PER_BATCH) / ((performance.now() - start) / 1000);
}

interface Row {
  case: string;
  encoding: 'protobuf' | 'json';
  clients?: number;
  spansPerSecond: number;
  requestsPerSecond?: number;
  meanBodyBytes?: number;
}

interface Case {
  case: string;
  encoding: 'protobuf' | 'json';
  measure: 'decode' | 'decode+store' | 'http' | 'grpc';
  /** Requests in flight, for the network cases. */
  clients?: number;
}

const CASES: Case[] = [
  { case: 'decode only (protobuf)', encoding: 'protobuf', measure: 'decode' },
  { case: 'decode + store (protobuf)', encoding: 'protobuf', measure: 'decode+store' },
  { case: 'parse + decode + store (JSON)', encoding: 'json', measure: 'decode+store' },
  ...(['http', 'grpc'] as const).flatMap((measure) =>
    (measure === 'http' ? (['protobuf', 'json'] as const) : (['protobuf'] as const)).flatMap((encoding) =>
      [1, CONCURRENT_CLIENTS].map((clients) => ({
        case: measure === 'grpc' ? 'OTLP/gRPC' : `OTLP/HTTP ${encoding === 'json' ? 'JSON' : 'protobuf'}`,
        encoding,
        measure,
        clients,
      })),
    ),
  ),
];

/** The `--only` run: one client, OTLP/HTTP protobuf. */
async function onlyHttpProtobuf(bodies: Uint8Array[]): Promise<void> {
  const store = new TraceStore();
  const receiver = await startReceiver({ httpPort: 0, grpcPort: null, store, onWarning: (m) => console.error(`warning: ${m}`) });
  try {
    const before = process.cpuUsage();
    const result = await runClient({ kind: 'http', port: receiver.httpPort, bodies, contentType: 'application/x-protobuf', concurrency: 1 });
    const cpu = process.cpuUsage(before);
    const spans = result.requests * SPANS_PER_BATCH;
    // The process's CPU time includes the client's thread and the warm-up (not counted in `spans`): compare, do not add up.
    console.log(
      `OTLP/HTTP protobuf, 1 client: ${Math.round(spans / (result.elapsedMs / 1000))} spans/s; process CPU ${(((cpu.user + cpu.system) / spans) * 1000).toFixed(0)} ms per 1M spans; load ${loadavg()[0]!.toFixed(1)}`,
    );
  } finally {
    await receiver.close();
  }
}

/** One case, measured in this process (a fresh one: see main). */
async function measureCase(spec: Case, protobufBodies: Uint8Array[], jsonBodies: Uint8Array[]): Promise<Row> {
  let next = 0;
  if (spec.measure === 'decode') {
    return { case: spec.case, encoding: spec.encoding, spansPerSecond: measureDecode(() => decodeOtlpProtobuf(protobufBodies[next++ % BATCHES]!)) };
  }
  if (spec.measure === 'decode+store') {
    const store = new TraceStore();
    const jsonTexts = jsonBodies.map((b) => new TextDecoder().decode(b));
    const ingest =
      spec.encoding === 'json'
        ? () => ingestJson(jsonTexts[next++ % BATCHES]!, { store, transport: 'bench' })
        : () => ingestProtobuf(protobufBodies[next++ % BATCHES]!, { store, transport: 'bench' });
    return { case: spec.case, encoding: spec.encoding, spansPerSecond: measureDecode(ingest) };
  }
  const store = new TraceStore();
  let received = 0;
  store.subscribeAll((_trace, added) => (received += added));
  const grpc = spec.measure === 'grpc';
  const receiver = await startReceiver({ httpPort: 0, grpcPort: grpc ? 0 : null, store, onWarning: (m) => console.error(`warning: ${m}`) });
  const bodies = spec.encoding === 'json' ? jsonBodies : protobufBodies;
  try {
    const result = await runClient({
      kind: spec.measure,
      port: grpc ? receiver.grpcPort : receiver.httpPort,
      bodies,
      contentType: spec.encoding === 'json' ? 'application/json' : 'application/x-protobuf',
      concurrency: spec.clients ?? 1,
      grpcPath: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
      grpcModule: require.resolve('@grpc/grpc-js'),
    });
    // Every reply was a 200 (the client stops at anything else); the store must have seen the spans too.
    if (received === 0) throw new Error('the receiver stored no spans');
    const seconds = result.elapsedMs / 1000;
    return {
      case: spec.case,
      encoding: spec.encoding,
      clients: spec.clients ?? 1,
      spansPerSecond: (result.requests * SPANS_PER_BATCH) / seconds,
      requestsPerSecond: result.requests / seconds,
      meanBodyBytes: Math.round(bodies.reduce((n, b) => n + b.length, 0) / bodies.length),
    };
  } finally {
    await receiver.close();
  }
}

/**
 * Each case in a process of its own, one after another: in one process, the receiver cases ran after the decode
 * cases' stores had filled the same heap (and kept it full), and came out a third slower than alone.
 */
function measureInChild(index: number): Row {
  const output = execFileSync(process.execPath, [...process.execArgv, __filename, '--case', String(index)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(output.trim().split('\n').at(-1)!) as Row;
}

async function main(): Promise<void> {
  const caseArg = process.argv.indexOf('--case');
  if (caseArg < 0 && !process.argv.includes('--only')) return report(CASES.map((_, i) => measureInChild(i)));
  const batches = Array.from({ length: BATCHES }, (_, i) => recordBatch(i));
  const protobufBodies = batches.map((spans) => ProtobufTraceSerializer.serializeRequest(spans)!);
  if (caseArg < 0) return onlyHttpProtobuf(protobufBodies);
  const jsonBodies = batches.map((spans) => JsonTraceSerializer.serializeRequest(spans)!);
  const row = await measureCase(CASES[Number(process.argv[caseArg + 1])]!, protobufBodies, jsonBodies);
  console.log(JSON.stringify(row));
}

function report(rows: Row[]): void {
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log(
    `\nReceiver ingest, batches of ${SPANS_PER_BATCH} spans (${TRACES_PER_BATCH} traces × 8 spans), each case in a fresh process, ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}\n`,
  );
  console.log(`${'case'.padEnd(32)} ${'clients'.padStart(7)} ${'spans/s'.padStart(10)} ${'req/s'.padStart(8)} ${'body KiB'.padStart(9)}  target`);
  for (const row of rows) {
    const target = TARGETS[row.encoding];
    const verdict = row.clients === undefined ? '' : row.spansPerSecond >= target ? `≥ ${fmt(target)} ✓` : `≥ ${fmt(target)} ✗`;
    console.log(
      `${row.case.padEnd(32)} ${(row.clients === undefined ? '—' : String(row.clients)).padStart(7)} ${fmt(row.spansPerSecond).padStart(10)} ${(row.requestsPerSecond === undefined ? '—' : fmt(row.requestsPerSecond)).padStart(8)} ${(row.meanBodyBytes === undefined ? '—' : (row.meanBodyBytes / 1024).toFixed(1)).padStart(9)}  ${verdict}`,
    );
  }

  const results = {
    date: new Date().toISOString(),
    machine: machine(),
    setup: {
      spansPerBatch: SPANS_PER_BATCH,
      tracesPerBatch: TRACES_PER_BATCH,
      distinctBatches: BATCHES,
      measureMs: MEASURE_MS,
      warmupMs: WARMUP_MS,
      processes: 'each case in a fresh process',
    },
    targets: { 'OTLP/HTTP protobuf': `≥ ${TARGETS.protobuf} spans/s`, 'OTLP/HTTP JSON': `≥ ${TARGETS.json} spans/s` },
    results: rows.map((r) => ({
      ...r,
      spansPerSecond: Math.round(r.spansPerSecond),
      ...(r.requestsPerSecond !== undefined ? { requestsPerSecond: Math.round(r.requestsPerSecond) } : {}),
    })),
  };
  const path = join(__dirname, 'receiver-results.json');
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`written to ${path}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
