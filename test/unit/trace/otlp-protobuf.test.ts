// OTLP protobuf edge cases: bad bytes are errors, never throws; 64-bit values stay exact, also in a browser bundle.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import root from '@opentelemetry/otlp-transformer/build/src/generated/root';
import { build } from 'esbuild';
import { decodeOtlpProtobuf } from '../../../src/core/trace/decode/index';

interface RequestType {
  encode(message: object): { finish(): Uint8Array };
}
const ExportTraceServiceRequest = (
  root as unknown as { opentelemetry: { proto: { collector: { trace: { v1: { ExportTraceServiceRequest: RequestType } } } } } }
).opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

const TRACE_ID = Uint8Array.from(Buffer.from('4bf92f3577b34da6a3ce929d0e0e4736', 'hex'));
const SPAN_ID = Uint8Array.from(Buffer.from('00f067aa0ba902b7', 'hex'));

/** Values no double can hold: the last digits of the times and the int64s are lost when read as numbers. */
function encodeWideValues(): Uint8Array {
  return ExportTraceServiceRequest.encode({
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: [
              {
                traceId: TRACE_ID,
                spanId: SPAN_ID,
                name: 'wide',
                kind: 2,
                startTimeUnixNano: '1710410000123456789',
                endTimeUnixNano: '18446744073709551615',
                attributes: [
                  { key: 'int.max', value: { intValue: '9223372036854775807' } },
                  { key: 'int.min', value: { intValue: '-9223372036854775808' } },
                  { key: 'bytes', value: { bytesValue: Uint8Array.from([0, 1, 254, 255]) } },
                  {
                    key: 'map',
                    value: {
                      kvlistValue: {
                        values: [
                          { key: 'n', value: { intValue: '9007199254740993' } },
                          { key: 'd', value: { doubleValue: 1e21 } },
                        ],
                      },
                    },
                  },
                ],
              },
            ],
          },
        ],
      },
    ],
  }).finish();
}

describe('decodeOtlpProtobuf', () => {
  it('keeps 64-bit times and integers exact', () => {
    const decoded = decodeOtlpProtobuf(encodeWideValues());
    assert.ok(decoded.ok);
    const [span] = decoded.value.spans;
    assert.equal(span!.startTime, 1710410000123456789n);
    assert.equal(span!.endTime, 18446744073709551615n);
    assert.equal(span!.kind, 'server');
    assert.deepEqual(Object.fromEntries(span!.attributes), {
      'int.max': '9223372036854775807',
      'int.min': '-9223372036854775808',
      bytes: 'AAH+/w==',
      map: '{"n":"9007199254740993","d":1e+21}',
    });
  });

  it('reads empty bytes as a request with no spans', () => {
    assert.deepEqual(decodeOtlpProtobuf(new Uint8Array()), { ok: true, value: { spans: [], warnings: [] } });
  });

  it('returns an error for bytes that are not a request', () => {
    const truncated = encodeWideValues().slice(0, 40);
    for (const bytes of [truncated, Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff]), new TextEncoder().encode('{"resourceSpans": []}')]) {
      const decoded = decodeOtlpProtobuf(bytes);
      assert.equal(decoded.ok, false);
      assert.match(decoded.ok ? '' : decoded.error.message, /^not an OTLP protobuf ExportTraceServiceRequest: /);
    }
  });

  it('skips a span whose id has the wrong length, with a warning naming where', () => {
    const bytes = ExportTraceServiceRequest.encode({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                { traceId: TRACE_ID, spanId: SPAN_ID.slice(0, 4), name: 'short id' },
                { traceId: TRACE_ID, spanId: SPAN_ID, name: 'fine' },
              ],
            },
          ],
        },
      ],
    }).finish();
    const decoded = decodeOtlpProtobuf(bytes);
    assert.ok(decoded.ok);
    assert.deepEqual(
      decoded.value.spans.map((s) => s.name),
      ['fine'],
    );
    assert.deepEqual(decoded.value.warnings, [
      'resourceSpans[0].scopeSpans[0].spans[0].spanId: span "short id" skipped: bytes is not a 16-digit hex or 8-byte base64 id',
    ]);
  });

  it('stays exact in a browser bundle, where protobufjs cannot require long.js itself', async () => {
    const repo = fileURLToPath(new URL('../../../', import.meta.url));
    const bundle = await build({
      stdin: { contents: "export { decodeOtlpProtobuf } from './src/core/trace/decode/index';", resolveDir: repo, loader: 'ts' },
      bundle: true,
      platform: 'browser',
      format: 'iife',
      globalName: 'decoders',
      write: false,
      logLevel: 'silent',
    });
    // A context with the web platform's globals only: no require, no Buffer, no process.
    const context = vm.createContext({ atob, btoa, TextDecoder, TextEncoder, input: Array.from(encodeWideValues()) });
    vm.runInContext(bundle.outputFiles[0]!.text, context);
    const decoded = vm.runInContext('decoders.decodeOtlpProtobuf(new Uint8Array(input))', context) as ReturnType<typeof decodeOtlpProtobuf>;
    assert.ok(decoded.ok);
    assert.equal(decoded.value.spans[0]!.startTime, 1710410000123456789n);
    assert.equal(decoded.value.spans[0]!.attributes.get('int.max'), '9223372036854775807');
  });
});
