// OTLP/HTTP: the real OpenTelemetry SDK exporters (protobuf and JSON, plain and gzip) into the receiver, and
// every kind of bad request answered with the right status and an OTLP Status body, the receiver serving on.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import * as protobuf from 'protobufjs/minimal';
import { startReceiver, type OtlpReceiver } from '../../../src/run/sources/otlp/receiver';
import { assertExported, assertStored, recordRequest } from './sdk';

const MAX_BODY = 64 * 1024;
let receiver: OtlpReceiver;
let url: string;
const warnings: string[] = [];

before(async () => {
  receiver = await startReceiver({ httpPort: 0, grpcPort: null, maxBodyBytes: MAX_BODY, onWarning: (m) => warnings.push(m) });
  url = `http://127.0.0.1:${receiver.httpPort}/v1/traces`;
});
after(() => receiver.close());

type Compression = ConstructorParameters<typeof ProtoExporter>[0] extends infer C ? (C extends { compression?: infer A } ? A : never) : never;
const GZIP = 'gzip' as Compression;

let counter = 0;
const nextLabel = (what: string): string => `${what}-${++counter}`;

async function exportThrough(exporter: ProtoExporter | JsonExporter, what: string): Promise<void> {
  const recorded = recordRequest('checkout', nextLabel(what));
  try {
    await assertExported(exporter, recorded.spans);
  } finally {
    await exporter.shutdown();
  }
  assertStored(receiver.store, recorded);
}

/** After any bad request the receiver must still take a good export. */
async function assertStillServing(): Promise<void> {
  await exportThrough(new ProtoExporter({ url }), 'after-bad-request');
}

interface Reply {
  status: number;
  headers: Headers;
  bytes: Uint8Array;
}

async function post(body: Uint8Array | string, headers: Record<string, string>, target = url, method = 'POST'): Promise<Reply> {
  const response = await fetch(target, { method, headers, ...(method === 'GET' || method === 'HEAD' ? {} : { body }) });
  return { status: response.status, headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) };
}

/** google.rpc.Status as the receiver writes it in either encoding. */
function statusOf(reply: Reply): { code: number; message: string } {
  const type = reply.headers.get('content-type');
  if (type === 'application/json') return JSON.parse(new TextDecoder().decode(reply.bytes)) as { code: number; message: string };
  assert.equal(type, 'application/x-protobuf');
  const reader = protobuf.Reader.create(reply.bytes);
  const status = { code: 0, message: '' };
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag >>> 3 === 1) status.code = reader.int32();
    else if (tag >>> 3 === 2) status.message = reader.string();
    else reader.skipType(tag & 7);
  }
  return status;
}

const PROTOBUF = { 'content-type': 'application/x-protobuf' };
const JSON_TYPE = { 'content-type': 'application/json' };

function protobufRequest(label: string): Uint8Array {
  const bytes = ProtobufTraceSerializer.serializeRequest(recordRequest('checkout', label).spans);
  assert.ok(bytes);
  return bytes;
}

function jsonRequest(label: string): string {
  const bytes = JsonTraceSerializer.serializeRequest(recordRequest('checkout', label).spans);
  assert.ok(bytes);
  return new TextDecoder().decode(bytes);
}

describe('OTLP/HTTP with the OpenTelemetry SDK exporters', () => {
  it('stores spans sent by the protobuf exporter', () => exportThrough(new ProtoExporter({ url }), 'proto'));
  it('stores spans sent by the JSON exporter', () => exportThrough(new JsonExporter({ url }), 'json'));
  it('stores gzip-compressed protobuf exports', () => exportThrough(new ProtoExporter({ url, compression: GZIP }), 'proto-gzip'));
  it('stores gzip-compressed JSON exports', () => exportThrough(new JsonExporter({ url, compression: GZIP }), 'json-gzip'));

  it('stores spans from a tracer provider with a batch processor once flushed', async () => {
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'batched' }),
      spanProcessors: [new BatchSpanProcessor(new ProtoExporter({ url }), { scheduledDelayMillis: 60_000 })],
    });
    const tracer = provider.getTracer('batch-test');
    const root = tracer.startSpan('batch root');
    root.end();
    await provider.forceFlush();
    await provider.shutdown();
    const stored = receiver.store.get(root.spanContext().traceId);
    assert.equal(stored?.spans[0]?.name, 'batch root');
    assert.equal(stored?.spans[0]?.resource.get('service.name'), 'batched');
  });
});

describe('OTLP/HTTP responses', () => {
  it('answers 200 with an empty ExportTraceServiceResponse in the request encoding', async () => {
    const proto = await post(protobufRequest(nextLabel('raw-proto')), PROTOBUF);
    assert.equal(proto.status, 200);
    assert.equal(proto.headers.get('content-type'), 'application/x-protobuf');
    assert.equal(proto.bytes.length, 0);

    const json = await post(jsonRequest(nextLabel('raw-json')), { 'content-type': 'application/json; charset=utf-8' });
    assert.equal(json.status, 200);
    assert.equal(json.headers.get('content-type'), 'application/json');
    assert.equal(new TextDecoder().decode(json.bytes), '{}');
  });

  it('takes an empty request as a successful export of nothing', async () => {
    assert.equal((await post(new Uint8Array(0), PROTOBUF)).status, 200);
    assert.equal((await post('{}', JSON_TYPE)).status, 200);
  });

  it('reports spans it had to skip as a partial success and a warning', async () => {
    const good = '0af7651916cd43dd8448eb211c80319c';
    const body = JSON.stringify({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                { traceId: good, spanId: 'b7ad6b7169203331', name: 'kept' },
                { traceId: good, spanId: 'not-an-id', name: 'broken' },
              ],
            },
          ],
        },
      ],
    });
    warnings.length = 0;
    const reply = await post(body, JSON_TYPE);
    assert.equal(reply.status, 200);
    const response = JSON.parse(new TextDecoder().decode(reply.bytes)) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
    assert.equal(response.partialSuccess.rejectedSpans, '1');
    assert.match(response.partialSuccess.errorMessage, /span "broken" skipped/);
    assert.deepEqual(
      receiver.store.get(good)?.spans.map((s) => s.name),
      ['kept'],
    );
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /^OTLP\/HTTP export: .*span "broken" skipped/);
  });
});

describe('OTLP/HTTP bad requests', () => {
  const cases: { name: string; send: () => Promise<Reply>; status: number; message: RegExp }[] = [
    {
      name: 'malformed protobuf',
      send: () => post(new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]), PROTOBUF),
      status: 400,
      message: /not an OTLP protobuf ExportTraceServiceRequest/,
    },
    {
      name: 'truncated protobuf',
      send: () => {
        const bytes = protobufRequest('truncated');
        return post(bytes.subarray(0, bytes.length - 20), PROTOBUF);
      },
      status: 400,
      message: /not an OTLP protobuf/,
    },
    { name: 'invalid JSON', send: () => post('{"resourceSpans": [', JSON_TYPE), status: 400, message: /^invalid JSON: .* at 1:20$/ },
    { name: 'truncated JSON', send: () => post(jsonRequest('truncated').slice(0, 300), JSON_TYPE), status: 400, message: /^invalid JSON/ },
    {
      name: 'JSON that is not an export request',
      send: () => post('{"resourceSpans": 5}', JSON_TYPE),
      status: 400,
      message: /resourceSpans: expected an array/,
    },
    {
      name: 'a body that is not gzip',
      send: () => post(protobufRequest('not-gzip'), { ...PROTOBUF, 'content-encoding': 'gzip' }),
      status: 400,
      message: /cannot decompress the gzip body/,
    },
    {
      name: 'a truncated gzip body',
      send: () => {
        const zipped = gzipSync(protobufRequest('cut-gzip'));
        return post(zipped.subarray(0, zipped.length - 10), { ...PROTOBUF, 'content-encoding': 'gzip' });
      },
      status: 400,
      message: /cannot decompress the gzip body/,
    },
    { name: 'an oversized body', send: () => post(new Uint8Array(MAX_BODY + 1), PROTOBUF), status: 413, message: new RegExp(`at most ${MAX_BODY} bytes`) },
    {
      name: 'an oversized body sent in chunks without a length',
      send: () => postChunked(Buffer.alloc(MAX_BODY * 2, 1)),
      status: 413,
      message: /the body is more than/,
    },
    {
      name: 'a gzip body that inflates past the limit',
      send: () => post(gzipSync(Buffer.alloc(MAX_BODY * 16)), { ...JSON_TYPE, 'content-encoding': 'gzip' }),
      status: 413,
      message: /gzip body decompresses to more than/,
    },
    {
      name: 'an unsupported content encoding',
      send: () => post(protobufRequest('zstd'), { ...PROTOBUF, 'content-encoding': 'zstd' }),
      status: 415,
      message: /Content-Encoding "zstd"/,
    },
    {
      name: 'a wrong content type',
      send: () => post('hello', { 'content-type': 'text/plain' }),
      status: 415,
      message: /unsupported content type "text\/plain": send application\/x-protobuf or application\/json/,
    },
    {
      name: 'a wrong path',
      send: () => post(protobufRequest('path'), PROTOBUF, url.replace('/v1/traces', '/v1/metrics')),
      status: 404,
      message: /POST \/v1\/metrics.*traces only/,
    },
  ];
  for (const c of cases) {
    it(`answers ${c.status} to ${c.name} and keeps serving`, async () => {
      const reply = await c.send();
      assert.equal(reply.status, c.status);
      const status = statusOf(reply);
      assert.match(status.message, c.message);
      assert.ok(status.code > 0);
      await assertStillServing();
    });
  }

  it('answers 405 with Allow to other methods on /v1/traces', async () => {
    const reply = await post('', {}, url, 'GET');
    assert.equal(reply.status, 405);
    assert.equal(reply.headers.get('allow'), 'POST, OPTIONS');
    assert.match(statusOf(reply).message, /GET is not allowed/);
    await assertStillServing();
  });

  it('survives a client that disconnects in the middle of a body', async () => {
    await new Promise<void>((resolve) => {
      const request = http.request(url, { method: 'POST', headers: { ...PROTOBUF, 'content-length': '1000' } });
      request.on('error', () => resolve());
      request.write(Buffer.alloc(100), () => {
        request.destroy();
        resolve();
      });
    });
    await assertStillServing();
  });
});

function postChunked(body: Buffer): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers: PROTOBUF }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => {
        const headers = new Headers();
        for (const [k, v] of Object.entries(response.headers)) if (typeof v === 'string') headers.set(k, v);
        resolve({ status: response.statusCode ?? 0, headers, bytes: Buffer.concat(chunks) });
      });
    });
    // The receiver may close the connection before taking the whole body; the reply is what counts.
    request.on('error', reject);
    for (let i = 0; i < body.length; i += 4096) request.write(body.subarray(i, i + 4096));
    request.end();
  });
}
