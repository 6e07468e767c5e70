// The receiver's protobuf fast path (reading the wire format directly) must give exactly what the protobufjs
// decoder gives, or leave the payload to it: checked on SDK payloads, on every value type and field layout, on
// payloads it must leave alone, and on thousands of corrupted payloads.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import root from '@opentelemetry/otlp-transformer/build/src/generated/root';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import * as protobuf from 'protobufjs/minimal';
import { decodeOtlpProtobuf } from '../../../src/core/trace/decode/index';
import { decodeWithProtobufjs } from '../../../src/core/trace/decode/otlp-protobuf';
import { readExportRequestWire } from '../../../src/core/trace/decode/otlp-protobuf-wire';
import type { Attributes, RawSpan } from '../../../src/core/trace/model';
import { truncatedFrom, truncateText } from '../../../src/core/trace/truncate';
import { recordRequest } from './sdk';

interface MessageType {
  encode(message: object): { finish(): Uint8Array };
}
const v1 = (
  root as unknown as {
    opentelemetry: {
      proto: {
        collector: { trace: { v1: { ExportTraceServiceRequest: MessageType } } };
        trace: { v1: { ResourceSpans: MessageType; ScopeSpans: MessageType; Span: MessageType } };
        resource: { v1: { Resource: MessageType } };
      };
    };
  }
).opentelemetry.proto;
const Request = v1.collector.trace.v1.ExportTraceServiceRequest;

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'hex'));
const TRACE = hex('4bf92f3577b34da6a3ce929d0e0e4736');
const OTHER_TRACE = hex('0af7651916cd43dd8448eb211c80319c');
const SPAN = hex('00f067aa0ba902b7');
const CHILD = hex('b7ad6b7169203331');

/** Maps as entry lists, so that order counts too. */
function plain(spans: RawSpan[]): unknown {
  const attrs = (m: Attributes) => [...m];
  return spans.map((s) => ({
    ...s,
    resource: attrs(s.resource),
    scope: { ...s.scope, attributes: attrs(s.scope.attributes) },
    attributes: attrs(s.attributes),
    events: s.events.map((e) => ({ ...e, attributes: attrs(e.attributes) })),
    links: s.links.map((l) => ({ ...l, attributes: attrs(l.attributes) })),
  }));
}

/** The fast path read it, and the reference decoder agrees to the last attribute with no warning. */
function assertFastAndEqual(bytes: Uint8Array): RawSpan[] {
  const fast = readExportRequestWire(bytes)?.spans;
  assert.ok(fast, 'the fast path left a well-formed payload to protobufjs');
  const reference = decodeWithProtobufjs(bytes);
  assert.ok(reference.ok, reference.ok ? '' : reference.error.message);
  assert.deepEqual(reference.value.warnings, []);
  assert.deepEqual(plain(fast), plain(reference.value.spans));
  return fast;
}

/** Either path may take it, but the result must be the reference's. */
function assertSameAsReference(bytes: Uint8Array): void {
  const fast = readExportRequestWire(bytes)?.spans;
  const reference = decodeWithProtobufjs(bytes);
  if (fast) {
    assert.ok(reference.ok, `fast path accepted what protobufjs rejects: ${reference.ok ? '' : reference.error.message}`);
    assert.deepEqual(reference.value.warnings, [], 'fast path accepted what protobufjs warns about');
    assert.deepEqual(plain(fast), plain(reference.value.spans));
  }
  const used = decodeOtlpProtobuf(bytes);
  if (reference.ok && used.ok) assert.deepEqual(plain(used.value.spans), plain(reference.value.spans));
  else assert.deepEqual(used, reference);
}

// Hand-written wire fields, for layouts an encoder would not produce (out of order, duplicated, unknown).
const tag = (field: number, wireType: number) =>
  protobuf.Writer.create()
    .uint32((field << 3) | wireType)
    .finish();
const concat = (...parts: Uint8Array[]) => Uint8Array.from(Buffer.concat(parts));
const lenField = (field: number, content: Uint8Array) =>
  concat(
    protobuf.Writer.create()
      .uint32((field << 3) | 2)
      .bytes(content)
      .finish(),
  );
const varintField = (field: number, value: number) =>
  protobuf.Writer.create()
    .uint32(field << 3)
    .uint64(value)
    .finish();

const ALL_VALUES = [
  { key: 'string', value: { stringValue: 'snorlax' } },
  { key: 'empty string', value: { stringValue: '' } },
  { key: 'unicode', value: { stringValue: 'Pokémon ✓ 🐉 — a string long enough to skip the short-string cache' } },
  { key: 'short unicode', value: { stringValue: 'é' } },
  { key: 'bom inside', value: { stringValue: 'a\uFEFFb' } },
  { key: 'true', value: { boolValue: true } },
  { key: 'false', value: { boolValue: false } },
  { key: 'zero', value: { intValue: 0 } },
  { key: 'int', value: { intValue: 143 } },
  // The largest integer of four varint bytes, and the smallest of five.
  { key: 'int 2^28-1', value: { intValue: 268435455 } },
  { key: 'int 2^28', value: { intValue: 268435456 } },
  // Same length and same bytes where the short-string cache samples them: one slot, two strings.
  { key: 'slot a', value: { stringValue: 'abcdefghij' } },
  { key: 'slot b', value: { stringValue: 'aXcdefghij' } },
  { key: 'slot a again', value: { stringValue: 'abcdefghij' } },
  { key: 'non-ascii in the middle', value: { stringValue: 'abcdé' } },
  { key: 'big int', value: { intValue: '9007199254740993' } },
  { key: 'negative', value: { intValue: -7 } },
  { key: 'int max', value: { intValue: '9223372036854775807' } },
  { key: 'int min', value: { intValue: '-9223372036854775808' } },
  { key: 'double', value: { doubleValue: 0.1 + 0.2 } },
  { key: 'NaN', value: { doubleValue: NaN } },
  { key: 'infinity', value: { doubleValue: -Infinity } },
  { key: 'minus zero', value: { doubleValue: -0 } },
  { key: 'bytes', value: { bytesValue: Uint8Array.from([0, 1, 254, 255]) } },
  { key: 'empty bytes', value: { bytesValue: new Uint8Array(0) } },
  {
    key: 'array',
    value: {
      arrayValue: {
        values: [
          { stringValue: 'a' },
          { intValue: 2 },
          { doubleValue: 2.5 },
          { boolValue: false },
          {},
          { arrayValue: { values: [{ bytesValue: Uint8Array.from([9]) }] } },
        ],
      },
    },
  },
  { key: 'empty array', value: { arrayValue: {} } },
  {
    key: 'map',
    value: {
      kvlistValue: {
        values: [
          { key: 'n', value: { intValue: '-9007199254740993' } },
          { key: 'dup', value: { stringValue: 'first' } },
          { key: '__proto__', value: { stringValue: 'just a key' } },
          { value: { stringValue: 'no key' } },
          { key: 'no value' },
          { key: 'dup', value: { stringValue: 'second' } },
          { key: 'nested', value: { kvlistValue: { values: [{ key: 'x', value: { doubleValue: 1e21 } }] } } },
        ],
      },
    },
  },
  { key: 'empty value', value: {} },
  { key: 'no value' },
  { key: '', value: { stringValue: 'empty key' } },
  { key: 'string', value: { stringValue: 'later value, first position' } },
];

function everything(): Uint8Array {
  return Request.encode({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }, ...ALL_VALUES], droppedAttributesCount: 2 },
        schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
        scopeSpans: [
          {
            scope: { name: 'scope-a', version: '1.0', attributes: [{ key: 'scope.attr', value: { intValue: 1 } }], droppedAttributesCount: 1 },
            spans: [
              {
                traceId: TRACE,
                spanId: SPAN,
                traceState: 'vendor=1',
                flags: 0x101,
                name: 'root',
                kind: 2,
                startTimeUnixNano: '1710410000123456789',
                endTimeUnixNano: '18446744073709551615',
                attributes: ALL_VALUES,
                droppedAttributesCount: 3,
                events: [{ timeUnixNano: '1710410000123456790', name: 'event', attributes: [{ key: 'e', value: { boolValue: true } }] }, {}],
                droppedEventsCount: 1,
                links: [{ traceId: OTHER_TRACE, spanId: CHILD, traceState: 'x=y', attributes: [{ key: 'link', value: { stringValue: 'l' } }], flags: 1 }],
                droppedLinksCount: 4,
                status: { code: 2, message: 'failed: ✗' },
              },
              { traceId: TRACE, spanId: CHILD, parentSpanId: SPAN, name: 'child', kind: 5, status: {} },
              { traceId: TRACE, spanId: hex('1111111111111111'), parentSpanId: new Uint8Array(8), name: 'zero parent' },
              { traceId: TRACE, spanId: hex('2222222222222222'), parentSpanId: new Uint8Array(0) },
            ],
          },
          { spans: [{ traceId: OTHER_TRACE, spanId: SPAN, name: 'no scope', kind: 0, status: { code: 1 } }] },
          {},
        ],
      },
      { scopeSpans: [{ scope: {}, spans: [{ traceId: OTHER_TRACE, spanId: CHILD, name: 'no resource' }] }] },
      {},
    ],
  }).finish();
}

describe('OTLP protobuf fast path', () => {
  it('reads what the SDK exports exactly as protobufjs does', () => {
    const recorded = [recordRequest('api', 'one'), recordRequest('worker', 'two')].flatMap((r) => r.spans);
    const spans = assertFastAndEqual(ProtobufTraceSerializer.serializeRequest(recorded)!);
    assert.equal(spans.length, 6);
  });

  it('reads every value type, optional field and unknown field exactly as protobufjs does', () => {
    const spans = assertFastAndEqual(everything());
    assert.deepEqual(
      spans.map((s) => s.name),
      ['root', 'child', 'zero parent', '', 'no scope', 'no resource'],
    );
    assert.equal(spans[0]!.endTime, 18446744073709551615n);
    assert.equal(spans[0]!.attributes.get('int min'), '-9223372036854775808');
  });

  it('cuts strings over a size limit as the receiver cuts text, decoding only what it keeps', () => {
    const values = { ascii: 'a'.repeat(5000), accents: 'é'.repeat(3000), emoji: '🐉'.repeat(2000), short: 'kept' };
    const span = {
      traceId: TRACE,
      spanId: SPAN,
      name: 'n'.repeat(4000),
      attributes: Object.entries(values).map(([key, v]) => ({ key, value: { stringValue: v } })),
    };
    const bytes = Request.encode({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] }).finish();
    const read = readExportRequestWire(bytes, 1000)!;
    assert.equal(read.truncated, 4);
    const [decoded] = read.spans;
    assert.equal(decoded!.name, truncateText('n'.repeat(4000), 1000));
    for (const [key, value] of Object.entries(values)) assert.equal(decoded!.attributes.get(key), truncateText(value, 1000), key);
    assert.equal(truncatedFrom(decoded!.attributes.get('emoji')!), 8000);
  });

  it('reads fields in any order, unknown fields of every wire type, and an empty request', () => {
    const span = v1.trace.v1.Span.encode({ traceId: TRACE, spanId: SPAN, name: 'late resource' }).finish();
    const scopeSpans = concat(lenField(2, span), lenField(1, concat(lenField(1, Buffer.from('late scope')))));
    const resource = v1.resource.v1.Resource.encode({ attributes: [{ key: 'service.name', value: { stringValue: 'late' } }] }).finish();
    const unknown = concat(varintField(99, 2 ** 40), lenField(100, Uint8Array.from([1, 2, 3])), tag(101, 1), new Uint8Array(8), tag(102, 5), new Uint8Array(4));
    const resourceSpans = concat(unknown, lenField(2, scopeSpans), lenField(1, resource), unknown);
    const spans = assertFastAndEqual(concat(unknown, lenField(1, resourceSpans), lenField(1000, new Uint8Array(0))));
    assert.equal(spans[0]!.resource.get('service.name'), 'late');
    assert.equal(spans[0]!.scope.name, 'late scope');
    assert.deepEqual(assertFastAndEqual(new Uint8Array(0)), []);
  });

  const leftToProtobufjs: [string, () => Uint8Array][] = [
    ['a span without a trace id', () => Request.encode({ resourceSpans: [{ scopeSpans: [{ spans: [{ spanId: SPAN }] }] }] }).finish()],
    ['a 15-byte trace id', () => Request.encode({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: TRACE.subarray(1), spanId: SPAN }] }] }] }).finish()],
    ['an all-zero span id', () => Request.encode({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: TRACE, spanId: new Uint8Array(8) }] }] }] }).finish()],
    [
      'a 7-byte parent id',
      () => Request.encode({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: TRACE, spanId: SPAN, parentSpanId: SPAN.subarray(1) }] }] }] }).finish(),
    ],
    ['an unknown span kind', () => Request.encode({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: TRACE, spanId: SPAN, kind: 9 }] }] }] }).finish()],
    ['a negative span kind', () => Request.encode({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: TRACE, spanId: SPAN, kind: -1 }] }] }] }).finish()],
    [
      'an unknown status code',
      () => Request.encode({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: TRACE, spanId: SPAN, status: { code: 7 } }] }] }] }).finish(),
    ],
    [
      'a link with a bad id',
      () =>
        Request.encode({
          resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: TRACE, spanId: SPAN, links: [{ traceId: TRACE, spanId: new Uint8Array(3) }] }] }] }],
        }).finish(),
    ],
    [
      'an attribute without a key',
      () =>
        Request.encode({
          resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: TRACE, spanId: SPAN, attributes: [{ value: { stringValue: 'x' } }] }] }] }],
        }).finish(),
    ],
    [
      'an AnyValue with two values',
      () =>
        Request.encode({
          resourceSpans: [
            { scopeSpans: [{ spans: [{ traceId: TRACE, spanId: SPAN, attributes: [{ key: 'k', value: { stringValue: 'x', intValue: 3 } }] }] }] },
          ],
        }).finish(),
    ],
    [
      'invalid UTF-8 in a name',
      () => {
        const span = concat(lenField(1, TRACE), lenField(2, SPAN), lenField(5, Uint8Array.from([0x61, 0xff, 0xfe, 0x62])));
        return lenField(1, lenField(2, lenField(2, span)));
      },
    ],
    [
      'a byte order mark opening a name',
      () => Request.encode({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: TRACE, spanId: SPAN, name: '\uFEFFname' }] }] }] }).finish(),
    ],
    [
      'two resources in one ResourceSpans',
      () => {
        const resource = v1.resource.v1.Resource.encode({ attributes: [{ key: 'a', value: { stringValue: 'b' } }] }).finish();
        return lenField(
          1,
          concat(lenField(1, resource), lenField(1, resource), lenField(2, lenField(2, v1.trace.v1.Span.encode({ traceId: TRACE, spanId: SPAN }).finish()))),
        );
      },
    ],
    ['a known field with the wrong wire type', () => lenField(1, lenField(2, concat(tag(2, 0), Uint8Array.from([1]))))],
    ['a group', () => concat(tag(5, 3), tag(5, 4))],
    ['a truncated payload', () => everything().subarray(0, 200)],
  ];
  for (const [name, make] of leftToProtobufjs) {
    it(`leaves ${name} to protobufjs`, () => {
      const bytes = make();
      assert.equal(readExportRequestWire(bytes), undefined);
      assertSameAsReference(bytes);
    });
  }

  it('agrees with protobufjs on thousands of corrupted payloads', () => {
    // A fixed-seed generator: the same mutations on every run.
    let seed = 0x2545f491;
    const random = (n: number): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    const originals = [everything(), ProtobufTraceSerializer.serializeRequest(recordRequest('fuzz', 'fuzz').spans)!];
    let fastTaken = 0;
    for (let i = 0; i < 3000; i++) {
      const original = originals[i % originals.length]!;
      let bytes = Uint8Array.from(original);
      const edits = 1 + random(3);
      for (let e = 0; e < edits; e++) {
        const at = random(bytes.length);
        switch (random(4)) {
          case 0:
            bytes[at] = random(256);
            break;
          case 1:
            bytes[at] ^= 1 << random(8);
            break;
          case 2:
            bytes = bytes.subarray(0, at);
            break;
          default:
            bytes = concat(bytes.subarray(0, at), Uint8Array.from([random(256)]), bytes.subarray(at));
        }
        if (bytes.length === 0) break;
      }
      if (readExportRequestWire(bytes)) fastTaken++;
      assertSameAsReference(bytes);
    }
    // Many corruptions only change a value: the fast path must have been tested, not just skipped.
    assert.ok(fastTaken > 300, `the fast path took only ${fastTaken} of 3000 corrupted payloads`);
  });
});
