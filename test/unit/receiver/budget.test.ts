// The receiver's memory budget over real sockets: gzip exports that inflate to huge attribute values (the
// amplification an attacker would use) are cut to the text limit and say so, traces beyond the byte budget push
// out the oldest, and a trace a run waits for survives. The RSS under the full-size cases is in
// bench/receiver-memory.bench.ts.
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { buildTrace } from '../../../src/core/trace/build';
import { truncatedFrom, utf8Length } from '../../../src/core/trace/truncate';
import { startReceiver, type OtlpReceiver } from '../../../src/run/sources/otlp/receiver';
import { ReceiverSource } from '../../../src/run/sources/receiver-source';
import type { CollectOutcome } from '../../../src/run/sources/types';
import { collectRequest } from '../sources/support';

const MIB = 1024 * 1024;

/** One trace of `spans` spans, each with an attribute value of `valueBytes` bytes, recorded by the SDK. */
function bigTrace(spans: number, valueBytes: number, label: string): { traceId: string; spans: ReadableSpan[] } {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'uploader' }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('budget-test');
  const root = tracer.startSpan(`upload ${label}`);
  const traceId = root.spanContext().traceId;
  root.end();
  // Children of one trace: each its own export, as a service exporting span by span would send them.
  const value = 'A'.repeat(valueBytes);
  for (let i = 1; i < spans; i++) {
    const child = tracer.startSpan(`part ${i}`, { attributes: { 'upload.body': value } }, undefined);
    Object.assign(child.spanContext(), { traceId });
    child.end();
  }
  return { traceId, spans: memory.getFinishedSpans() };
}

async function postGzip(receiver: OtlpReceiver, spans: ReadableSpan[]): Promise<{ status: number; body: string }> {
  const body = gzipSync(ProtobufTraceSerializer.serializeRequest(spans)!);
  const response = await fetch(`http://127.0.0.1:${receiver.httpPort}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' },
    body,
  });
  return { status: response.status, body: Buffer.from(await response.arrayBuffer()).toString('latin1') };
}

describe('the receiver budget', () => {
  it('cuts a 15 MiB attribute that arrived as a few KiB of gzip, tells the sender, and the trace says so', async () => {
    const warnings: string[] = [];
    const receiver = await startReceiver({ httpPort: 0, grpcPort: null, onWarning: (m) => warnings.push(m) });
    try {
      const trace = bigTrace(2, 15 * MIB, 'amplified');
      const reply = await postGzip(receiver, trace.spans);
      assert.equal(reply.status, 200);
      assert.match(reply.body, /1 text \(attribute values, names\) longer than 64 KiB cut to that size/);
      assert.match(warnings.join('\n'), /OTLP\/HTTP export: 1 text .* cut/);

      const stored = receiver.store.get(trace.traceId)!;
      const value = stored.spans.find((s) => s.name === 'part 1')!.attributes.get('upload.body')!;
      assert.equal(utf8Length(value), 64 * 1024);
      assert.ok(value.startsWith('AAAA'));
      assert.equal(truncatedFrom(value), 15 * MIB);
      assert.ok(receiver.store.bytes < 100 * 1024, `the store holds ${receiver.store.bytes} bytes`);

      const problems = buildTrace(stored.spans).problems.filter((p) => p.code === 'truncated');
      assert.equal(problems.length, 1);
      assert.match(problems[0]!.message, /attribute upload\.body \(15,728,640 bytes\) was cut/);
    } finally {
      await receiver.close();
    }
  });

  it('stays within maxBytes as traces of large spans keep arriving, evicting the oldest', async () => {
    const receiver = await startReceiver({ httpPort: 0, grpcPort: null, maxBytes: 2 * MIB });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) {
        const trace = bigTrace(6, 60 * 1024, `t${i}`);
        ids.push(trace.traceId);
        assert.equal((await postGzip(receiver, trace.spans)).status, 200);
        assert.ok(receiver.store.bytes <= 2 * MIB, `after trace ${i} the store holds ${receiver.store.bytes} bytes`);
      }
      // Each trace holds about 300 KiB: the latest six fit, the oldest were evicted.
      assert.equal(receiver.store.get(ids[0]!), undefined);
      assert.ok(receiver.store.get(ids[11]!));
      assert.ok(receiver.store.size >= 5 && receiver.store.size <= 7, `${receiver.store.size} traces kept`);
    } finally {
      await receiver.close();
    }
  });

  it('keeps the trace a run waits for and drops what does not fit, telling the sender', async () => {
    const receiver = await startReceiver({ httpPort: 0, grpcPort: null, maxBytes: MIB });
    try {
      const awaited = bigTrace(10, 60 * 1024, 'awaited');
      const unsubscribe = receiver.store.subscribe(awaited.traceId, () => {});
      assert.equal((await postGzip(receiver, awaited.spans)).status, 200);
      for (let i = 0; i < 5; i++) assert.equal((await postGzip(receiver, bigTrace(4, 60 * 1024, `other${i}`).spans)).status, 200);
      assert.equal(receiver.store.get(awaited.traceId)?.spans.length, 10);

      const more = bigTrace(12, 60 * 1024, 'more');
      more.spans.forEach((span) => Object.assign(span.spanContext(), { traceId: awaited.traceId }));
      const reply = await postGzip(receiver, more.spans);
      assert.equal(reply.status, 200);
      assert.match(reply.body, /spans dropped: the receiver holds 1 MiB of spans, its limit, in traces that runs are waiting for/);
      assert.ok(receiver.store.bytes <= MIB);
      unsubscribe();
    } finally {
      await receiver.close();
    }
  });

  it('cuts a trace over the configured spans per trace, telling the sender and the run; a higher limit keeps it whole', async () => {
    const collect = async (receiver: OtlpReceiver, traceId: string): Promise<CollectOutcome> =>
      new ReceiverSource(receiver.store, receiver.description).collect(collectRequest({ traceId, triggerSpanId: '' }));
    const trace = bigTrace(120, 10, 'wide');

    const limited = await startReceiver({ httpPort: 0, grpcPort: null, maxSpansPerTrace: 100 });
    try {
      const reply = await postGzip(limited, trace.spans);
      assert.equal(reply.status, 200);
      assert.match(reply.body, /20 spans dropped: the trace already holds 100 spans, the receiver's limit/);
      const outcome = await collect(limited, trace.traceId);
      assert.ok(outcome.ok);
      assert.equal(outcome.spans.length, 100);
      assert.match(
        outcome.warnings.join('\n'),
        /20 spans were dropped by the receiver, over its limits: 100 spans per trace \(tracelens\.otlp\.maxSpansPerTrace/,
      );
    } finally {
      await limited.close();
    }

    const roomy = await startReceiver({ httpPort: 0, grpcPort: null, maxSpansPerTrace: 200 });
    try {
      const reply = await postGzip(roomy, trace.spans);
      assert.equal(reply.status, 200);
      assert.doesNotMatch(reply.body, /dropped/);
      const outcome = await collect(roomy, trace.traceId);
      assert.ok(outcome.ok);
      assert.equal(outcome.spans.length, 120);
      assert.deepEqual(outcome.warnings, []);
    } finally {
      await roomy.close();
    }
  });
});
