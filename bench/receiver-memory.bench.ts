// Receiver memory under amplification: the receiver runs alone in a child process (its RSS is what is measured)
// with the default limits (256 MiB of spans, text cut at 64 KiB), and gets
//   - 60 traces, each one gzip export of a span with a 15 MiB attribute (about 4 MiB on the wire);
//   - 40 spans of 15 MiB attributes in one trace (40 exports), with a run waiting for that trace;
//   - 3,000 traces of 50 spans with 8 KiB attributes (1.2 GiB of ordinary text, far more than the budget);
// and, in this process, a trace of 9,000 spans with 64 KiB values is saved as OTLP JSON (about 600 MB: more than the
// longest string JavaScript can hold). Prints a table and writes bench/receiver-memory-results.json.
// Run: node --import tsx bench/receiver-memory.bench.ts
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { machine } from './measure';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { RawSpan } from '../src/core/trace/model';
import { saveTraceFile } from '../src/run/save-trace';
import { startReceiver } from '../src/run/sources/otlp/receiver';

const MIB = 1024 * 1024;

interface Report {
  rssMiB: number;
  /** V8's heap in use after a full GC: what is really alive, next to the store's own estimate. */
  heapMiB: number;
  peakRssMiB: number;
  storeMiB: number;
  traces: number;
}

type Request = { kind: 'report'; resetPeak: boolean } | { kind: 'wait-for'; traceId: string };

// ---- the child: the receiver, its RSS sampled every 10 ms ----
async function child(): Promise<void> {
  const receiver = await startReceiver({ httpPort: 0, grpcPort: null });
  let peak = process.memoryUsage().rss;
  setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10).unref();
  const unsubscribes: (() => void)[] = [];
  process.on('message', (message: Request) => {
    if (message.kind === 'wait-for') {
      unsubscribes.push(receiver.store.subscribe(message.traceId, () => {}));
      process.send!({ ok: true });
      return;
    }
    (globalThis as { gc?: () => void }).gc?.();
    const rss = process.memoryUsage().rss;
    peak = Math.max(peak, rss);
    const report: Report = {
      rssMiB: rss / MIB,
      heapMiB: process.memoryUsage().heapUsed / MIB,
      peakRssMiB: peak / MIB,
      storeMiB: receiver.store.bytes / MIB,
      traces: receiver.store.size,
    };
    if (message.resetPeak) peak = rss;
    process.send!(report);
  });
  process.send!({ port: receiver.httpPort });
}

// ---- the parent: sends the exports, asks the child for its memory ----
function ask<T>(receiver: ChildProcess, message: Request): Promise<T> {
  return new Promise((resolve) => {
    receiver.once('message', (reply: T) => resolve(reply));
    receiver.send(message);
  });
}

/** A text of `bytes` characters from a 4-letter alphabet: compresses about 4:1, as the 15 MiB → 4 MiB did. */
function compressible(bytes: number, seed: number): string {
  const letters = 'ACGT';
  let state = seed;
  const chars = new Array<string>(bytes);
  for (let i = 0; i < bytes; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    chars[i] = letters[state >>> 30]!;
  }
  return chars.join('');
}

/**
 * Gzip exports of one span with an attribute of `value`, as the SDK encodes it, with the ids given. Encoding and
 * compressing 15 MiB again per export would make this a benchmark of the client: the export is encoded once, and
 * sent as two gzip members (valid gzip, which the receiver inflates whole): the start, up to the ids, compressed per
 * export, and the rest, compressed once.
 */
function gzipExports(value: string): (traceId: string, spanId: string) => Uint8Array {
  const [span] = spansWith(1, value);
  const body = Buffer.from(ProtobufTraceSerializer.serializeRequest([span!])!);
  const traceAt = body.indexOf(Buffer.from(span!.spanContext().traceId, 'hex'));
  const spanAt = body.indexOf(Buffer.from(span!.spanContext().spanId, 'hex'));
  const rest = gzipSync(body.subarray(spanAt + 8));
  return (traceId, spanId) => {
    const start = Buffer.from(body.subarray(0, spanAt + 8));
    start.write(traceId, traceAt, 'hex');
    start.write(spanId, spanAt, 'hex');
    return Buffer.concat([gzipSync(start), rest]);
  };
}

const randomId = (bytes: number): string => randomBytes(bytes).toString('hex');

/** `count` spans of one trace, each with an attribute of `value`, recorded by the SDK. */
function spansWith(count: number, value: string, traceId?: string): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'uploader' }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('memory-bench');
  for (let i = 0; i < count; i++) {
    const span = tracer.startSpan(`upload part ${i}`, { attributes: { 'upload.body': value, 'upload.part': i } });
    if (traceId) Object.assign(span.spanContext(), { traceId });
    span.end();
  }
  return memory.getFinishedSpans();
}

async function post(port: number, body: Uint8Array, gzip: boolean): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${port}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf', ...(gzip ? { 'content-encoding': 'gzip' } : {}) },
    body,
  });
  if (response.status !== 200) throw new Error(`export answered ${response.status}`);
  await response.arrayBuffer();
}

interface Row {
  case: string;
  sentMiB: number;
  wireMiB: number;
  peakRssMiB: number;
  rssAfterMiB: number;
  heapAfterMiB: number;
  storeMiB: number;
  traces: number;
  seconds: number;
}

async function runCase(
  receiver: ChildProcess,
  port: number,
  name: string,
  send: (post: (body: Uint8Array, gzip: boolean) => Promise<void>) => Promise<number>,
): Promise<Row> {
  await ask<Report>(receiver, { kind: 'report', resetPeak: true });
  let wire = 0;
  const started = performance.now();
  const sent = await send(async (body, gzip) => {
    wire += body.length;
    await post(port, body, gzip);
  });
  const seconds = (performance.now() - started) / 1000;
  const after = await ask<Report>(receiver, { kind: 'report', resetPeak: true });
  return {
    case: name,
    sentMiB: sent / MIB,
    wireMiB: wire / MIB,
    peakRssMiB: after.peakRssMiB,
    rssAfterMiB: after.rssMiB,
    heapAfterMiB: after.heapMiB,
    storeMiB: after.storeMiB,
    traces: after.traces,
    seconds,
  };
}

/** Saves 9,000 spans whose 64 KiB values make about 600 MB of OTLP JSON, here; returns [MB written, seconds, peak RSS MiB]. */
async function saveHugeTrace(): Promise<{ fileMB: number; seconds: number; peakRssMiB: number }> {
  const value = compressible(64 * 1024 - 64, 7);
  const spans: RawSpan[] = Array.from({ length: 9000 }, (_, i) => ({
    traceId: '0af7651916cd43dd8448eb211c80319c',
    id: (i + 1).toString(16).padStart(16, '0'),
    parentId: '',
    name: `part ${i}`,
    kind: 'internal',
    startTime: 1_700_000_000_000_000_000n,
    endTime: 1_700_000_000_001_000_000n,
    status: { code: 'STATUS_CODE_UNSET', message: '' },
    resource: new Map([['service.name', 'uploader']]),
    scope: { name: 'memory-bench', version: '', attributes: new Map() },
    attributes: new Map([['upload.body', value]]),
    events: [],
    links: [],
  }));
  const dir = mkdtempSync(join(tmpdir(), 'tracelens-memory-bench-'));
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  try {
    const started = performance.now();
    const path = await saveTraceFile(dir, 'huge', spans);
    const seconds = (performance.now() - started) / 1000;
    return { fileMB: statSync(path).size / 1e6, seconds, peakRssMiB: peak / MIB };
  } finally {
    clearInterval(sampler);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const receiver = fork(__filename, ['--child'], { execArgv: ['--import', 'tsx', '--expose-gc'], stdio: 'inherit' });
  const { port } = await new Promise<{ port: number }>((resolve) => receiver.once('message', resolve));
  const idle = await ask<Report>(receiver, { kind: 'report', resetPeak: true });
  const rows: Row[] = [];
  try {
    const big = compressible(15 * MIB, 1);
    const export15 = gzipExports(big);
    rows.push(
      await runCase(receiver, port, '60 traces, one 15 MiB attribute each, gzip', async (send) => {
        for (let i = 0; i < 60; i++) await send(export15(randomId(16), randomId(8)), true);
        return 60 * big.length;
      }),
    );
    rows.push(
      await runCase(receiver, port, '40 × 15 MiB attributes in one awaited trace, gzip', async (send) => {
        const traceId = randomId(16);
        await ask(receiver, { kind: 'wait-for', traceId });
        for (let i = 0; i < 40; i++) await send(export15(traceId, randomId(8)), true);
        return 40 * big.length;
      }),
    );
    const ordinary = compressible(8 * 1024, 3);
    rows.push(
      await runCase(receiver, port, '3,000 traces × 50 spans × 8 KiB', async (send) => {
        for (let i = 0; i < 3000; i++) await send(ProtobufTraceSerializer.serializeRequest(spansWith(50, ordinary, randomId(16)))!, false);
        return 3000 * 50 * ordinary.length;
      }),
    );
  } finally {
    receiver.kill();
  }
  const save = await saveHugeTrace();

  const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  console.log(
    `\nReceiver memory (default limits: 256 MiB of spans, text cut at 64 KiB), ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}`,
  );
  console.log(`idle receiver: ${fmt(idle.rssMiB)} MiB RSS, ${fmt(idle.heapMiB)} MiB heap\n`);
  console.log(
    `${'case'.padEnd(52)} ${'sent MiB'.padStart(9)} ${'wire MiB'.padStart(9)} ${'peak RSS'.padStart(9)} ${'RSS after'.padStart(10)} ${'heap after'.padStart(11)} ${'held MiB'.padStart(9)} ${'traces'.padStart(7)} ${'s'.padStart(6)}`,
  );
  for (const r of rows) {
    console.log(
      `${r.case.padEnd(52)} ${fmt(r.sentMiB).padStart(9)} ${fmt(r.wireMiB).padStart(9)} ${fmt(r.peakRssMiB).padStart(9)} ${fmt(r.rssAfterMiB).padStart(10)} ${fmt(r.heapAfterMiB).padStart(11)} ${fmt(r.storeMiB, 1).padStart(9)} ${String(r.traces).padStart(7)} ${fmt(r.seconds, 1).padStart(6)}`,
    );
  }
  console.log(`\nsaving 9,000 spans × 64 KiB as OTLP JSON: ${fmt(save.fileMB)} MB written in ${fmt(save.seconds, 1)} s, peak RSS ${fmt(save.peakRssMiB)} MiB`);

  const results = {
    date: new Date().toISOString(),
    machine: machine(),
    limits: { maxBytesMiB: 256, maxTextKiB: 64 },
    idleRssMiB: Math.round(idle.rssMiB),
    idleHeapMiB: Math.round(idle.heapMiB),
    results: rows.map((r) => ({
      ...r,
      sentMiB: Math.round(r.sentMiB),
      wireMiB: Math.round(r.wireMiB),
      peakRssMiB: Math.round(r.peakRssMiB),
      rssAfterMiB: Math.round(r.rssAfterMiB),
      heapAfterMiB: Math.round(r.heapAfterMiB),
      storeMiB: Number(r.storeMiB.toFixed(1)),
      seconds: Number(r.seconds.toFixed(1)),
    })),
    save: {
      spans: 9000,
      valueBytes: 64 * 1024,
      fileMB: Math.round(save.fileMB),
      seconds: Number(save.seconds.toFixed(1)),
      peakRssMiB: Math.round(save.peakRssMiB),
    },
  };
  const path = join(__dirname, 'receiver-memory-results.json');
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`written to ${path}`);
}

if (process.argv[2] === '--child') void child();
else
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
