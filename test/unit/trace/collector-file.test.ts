// Files the OpenTelemetry Collector's file exporter writes: JSON lines (`format: json`) and length-prefixed
// protobuf (`format: proto`), each holding a request per exported batch. The batches here are the real SDK's own
// serializations of spans it recorded.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { decodeOtlpProtobuf, decodeOtlpProtobufFile, decodeTraceText, isJsonTraceFile } from '../../../src/core/trace/decode/index';
import type { RawSpan } from '../../../src/core/trace/model';
import { lengthPrefixed } from '../../support/protobuf-requests';

/** Two services' spans of one request, exported as three batches the way a batch processor would send them. */
function recordBatches(): ReadableSpan[][] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('checkout');
  const server = tracer.startSpan('POST /checkout', { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'POST', 'http.route': '/checkout' } });
  const inServer = trace.setSpan(ROOT_CONTEXT, server);
  for (const name of ['reserve stock', 'charge card', 'send receipt']) {
    tracer.startSpan(name, { attributes: { 'app.step': name } }, inServer).end();
  }
  server.end();
  const spans = exporter.getFinishedSpans();
  return [spans.slice(0, 2), spans.slice(2, 3), spans.slice(3)];
}

const batches = recordBatches();

function protobufBatch(spans: ReadableSpan[]): Uint8Array {
  const bytes = ProtobufTraceSerializer.serializeRequest(spans);
  assert.ok(bytes);
  return bytes;
}

const jsonLine = (spans: ReadableSpan[]): string => new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans)!);

/** The spans of every batch decoded one request at a time: what a file of them must read as. */
function expectedSpans(): RawSpan[] {
  return batches.flatMap((batch) => {
    const decoded = decodeOtlpProtobuf(protobufBatch(batch));
    assert.ok(decoded.ok);
    return decoded.value.spans;
  });
}

describe("the Collector's file exporter, format: proto", () => {
  it('reads every length-prefixed request, in file order, as one trace', () => {
    const file = lengthPrefixed(batches.map(protobufBatch));
    assert.equal(isJsonTraceFile(file, 'traces'), false);
    const decoded = decodeOtlpProtobufFile(file);
    assert.ok(decoded.ok, decoded.ok ? '' : decoded.error.message);
    assert.deepEqual(decoded.value.spans, expectedSpans());
    assert.deepEqual(
      decoded.value.spans.map((s) => s.name),
      ['reserve stock', 'charge card', 'send receipt', 'POST /checkout'],
    );
    assert.equal(new Set(decoded.value.spans.map((s) => s.traceId)).size, 1);
  });

  it('still reads one request without a prefix, as Tracelens and OTLP/HTTP bodies are saved', () => {
    const decoded = decodeOtlpProtobufFile(protobufBatch(batches.flat()));
    assert.ok(decoded.ok);
    assert.equal(decoded.value.spans.length, 4);
  });

  it('a file cut inside a request says which request, where it starts and where the data ends', () => {
    const whole = lengthPrefixed(batches.map(protobufBatch));
    const second = 4 + protobufBatch(batches[0]!).length;
    const decoded = decodeOtlpProtobufFile(whole.subarray(0, second + 10));
    assert.ok(!decoded.ok);
    assert.match(
      decoded.error.message,
      new RegExp(`cut short: request 2 \\(at byte ${second}\\) declares \\d+ bytes, but the data ends at byte ${second + 10}`),
    );
    const lengthCut = decodeOtlpProtobufFile(whole.subarray(0, second + 2));
    assert.ok(!lengthCut.ok);
    assert.match(lengthCut.error.message, new RegExp(`request 2 \\(at byte ${second}\\): its 4-byte length is cut off`));
  });

  it('a zstd-compressed file (compression: zstd) says so instead of failing on garbage', () => {
    const frame = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x20, 0x05, 0x29, 0x00, 0x00, 0x68, 0x65, 0x6c, 0x6c, 0x6f]);
    const decoded = decodeOtlpProtobufFile(lengthPrefixed([frame]));
    assert.ok(!decoded.ok);
    assert.match(decoded.error.message, /request 1 \(at byte 0\) is compressed with zstd/);
  });

  it('a request that is not OTLP names the request', () => {
    const bad = Buffer.from([0x0a, 0x03, 0xff, 0xff, 0xff]);
    const decoded = decodeOtlpProtobufFile(lengthPrefixed([protobufBatch(batches[0]!), bad]));
    assert.ok(!decoded.ok);
    assert.match(decoded.error.message, /^request 2 \(at byte \d+\): /);
  });
});

describe("the Collector's file exporter, format: json (JSON lines)", () => {
  it('reads a request per line, in file order, with CRLF line ends and blank lines too', () => {
    for (const [name, text] of [
      ['LF', `${batches.map(jsonLine).join('\n')}\n`],
      ['CRLF and blank lines', `${batches.map(jsonLine).join('\r\n\r\n')}\r\n`],
    ] as const) {
      assert.equal(isJsonTraceFile(new TextEncoder().encode(text), 'traces.jsonl'), true, name);
      const decoded = decodeTraceText(text);
      assert.ok(decoded.ok, `${name}: ${decoded.ok ? '' : decoded.error.message}`);
      assert.equal(decoded.value.format, 'otlp');
      assert.deepEqual(decoded.value.spans, expectedSpans(), name);
    }
  });

  it('one document, however it is laid out, is still plain JSON', () => {
    const pretty = JSON.stringify(JSON.parse(jsonLine(batches.flat())), null, 2);
    const decoded = decodeTraceText(pretty);
    assert.ok(decoded.ok);
    assert.equal(decoded.value.spans.length, 4);
  });

  it('a bad line is reported at its line and column; a line that is no trace says which line', () => {
    const broken = decodeTraceText([jsonLine(batches[0]!), jsonLine(batches[1]!), '{"resourceSpans": [}'].join('\n'));
    assert.ok(!broken.ok);
    assert.match(broken.error.message, /^invalid JSON: .* at 3:20 \(JSON lines: a document per line\)$/);
    const notTrace = decodeTraceText([jsonLine(batches[0]!), '{"metrics": []}'].join('\n'));
    assert.ok(!notTrace.ok);
    assert.match(notTrace.error.message, /^line 2: not a trace: expected OTLP JSON/);
  });

  it('broken JSON that is not JSON lines keeps its own error', () => {
    const decoded = decodeTraceText('{\n  "resourceSpans": [\n    {,\n  ]\n}\n');
    assert.ok(!decoded.ok);
    assert.match(decoded.error.message, /^invalid JSON: .* at 3:6$/);
  });
});
