// Saved traces in OTLP protobuf: what the encoder writes reads back, through the decoder every protobuf trace goes
// through, as the same spans; in pieces of any size; and the protobufjs reference decoder reads the same bytes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeOtlpProtobuf, decodeTraceText, encodeOtlpProtobuf, isJsonTraceFile, protobufCutShort } from '../../../src/core/trace/decode/index';
import { decodeWithProtobufjs } from '../../../src/core/trace/decode/otlp-protobuf';
import type { RawSpan } from '../../../src/core/trace/model';
import { otlpJsonText } from '../../../src/run/save-trace';
import { generateRawSpans } from '../../support/generated-trace';
import { traceFixtureText } from './fixtures';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

function joined(pieces: Iterable<Uint8Array>): Uint8Array {
  const all = [...pieces];
  const bytes = new Uint8Array(all.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const piece of all) {
    bytes.set(piece, at);
    at += piece.length;
  }
  return bytes;
}

/** Everything a span holds, as plain data (attributes in order, times as text). */
const comparable = (spans: readonly RawSpan[]) =>
  spans.map((s) => ({
    ...s,
    startTime: String(s.startTime),
    endTime: String(s.endTime),
    status: { ...s.status },
    resource: [...s.resource],
    scope: { name: s.scope.name, version: s.scope.version, attributes: [...s.scope.attributes] },
    attributes: [...s.attributes],
    events: s.events.map((e) => ({ name: e.name, time: String(e.time), attributes: [...e.attributes] })),
    links: s.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: [...l.attributes] })),
  }));

function roundTrip(spans: readonly RawSpan[], pieceBytes?: number): RawSpan[] {
  const decoded = decodeOtlpProtobuf(joined(encodeOtlpProtobuf(spans, pieceBytes ? { pieceBytes } : {})));
  assert.ok(decoded.ok, decoded.ok ? '' : decoded.error.message);
  assert.deepEqual(decoded.value.warnings, []);
  return decoded.value.spans;
}

const scope = { name: 'checkout', version: '1.2.0', attributes: new Map([['scope.kind', 'http']]) };
const resource = new Map([
  ['service.name', 'payments'],
  ['deployment.environment', ''],
]);
const EDGE_SPANS: RawSpan[] = [
  {
    traceId: TRACE,
    id: '00f067aa0ba902b7',
    parentId: '',
    name: 'POST /pay',
    kind: 'server',
    startTime: 1_710_410_000_123_456_789n,
    endTime: 18_446_744_073_709_551_615n,
    status: { code: 'STATUS_CODE_ERROR', message: 'carte refusée 💳' },
    resource,
    scope,
    attributes: new Map([
      ['http.request.method', 'POST'],
      ['empty', ''],
      ['naïve ключ', 'значение ✓'],
      ['long', 'x'.repeat(70_000)],
      ['json', '{"a":[1,2]}'],
    ]),
    events: [
      { name: 'exception', time: 1_710_410_000_200_000_000n, attributes: new Map([['exception.message', 'boom\nline 2']]) },
      { name: '', time: 0n, attributes: new Map() },
    ],
    links: [{ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), attributes: new Map([['link.reason', 'retry']]) }],
  },
  {
    traceId: TRACE,
    id: '1111111111111111',
    parentId: '00f067aa0ba902b7',
    name: '',
    kind: 'unspecified',
    startTime: 0n,
    endTime: 0n,
    status: { code: 'STATUS_CODE_UNSET', message: '' },
    resource: new Map(),
    scope: { name: '', version: '', attributes: new Map() },
    attributes: new Map(),
    events: [],
    links: [],
  },
  {
    traceId: TRACE,
    id: '2222222222222222',
    parentId: '1111111111111111',
    name: 'SELECT',
    kind: 'client',
    startTime: 5n,
    endTime: 6n,
    status: { code: 'STATUS_CODE_OK', message: '' },
    resource,
    scope,
    attributes: new Map([['db.system', 'postgresql']]),
    events: [],
    links: [],
  },
];

describe('encodeOtlpProtobuf', () => {
  it('reads back as the same spans: events, links, status, resource and scope, unicode, empty and long values', () => {
    const back = roundTrip(EDGE_SPANS);
    // Grouped by resource then scope, as OTLP JSON saves them: the spans of the first resource, then the empty one.
    const expected = [EDGE_SPANS[0]!, EDGE_SPANS[2]!, EDGE_SPANS[1]!];
    assert.deepEqual(comparable(back), comparable(expected));
  });

  it('gives the spans the OTLP JSON file of the same trace gives, in pieces of any size', () => {
    const spans = generateRawSpans(3_000);
    const fromJson = decodeTraceText([...otlpJsonText(spans)].join(''));
    assert.ok(fromJson.ok);
    for (const pieceBytes of [1, 4096, 1 << 20])
      assert.deepEqual(comparable(roundTrip(spans, pieceBytes)), comparable(fromJson.value.spans), `pieces of ${pieceBytes}`);
  });

  it('splits a large group of spans into entries no larger than a piece, each with the resource and scope', () => {
    const spans = generateRawSpans(3_000);
    const pieces = [...encodeOtlpProtobuf(spans, { pieceBytes: 16 * 1024 })];
    assert.ok(pieces.length > 10);
    for (const piece of pieces) assert.ok(piece.length < 20 * 1024, `a piece of ${piece.length} bytes`);
    const spansOf = (bytes: Uint8Array) => {
      const d = decodeOtlpProtobuf(bytes);
      assert.ok(d.ok);
      return d.value.spans;
    };
    // Each piece is a request on its own: every span in it has its service.
    for (const span of spansOf(pieces[pieces.length - 1]!)) assert.ok(span.resource.get('service.name'));
  });

  it('writes what the protobufjs reference decoder reads as the same spans', () => {
    const bytes = joined(encodeOtlpProtobuf(EDGE_SPANS));
    const reference = decodeWithProtobufjs(bytes);
    assert.ok(reference.ok);
    assert.deepEqual(comparable(reference.value.spans), comparable(roundTrip(EDGE_SPANS)));
  });

  it('keeps a fixture trace whole through JSON and protobuf', () => {
    const fixture = decodeTraceText(traceFixtureText('pokeshop.otlp.json'));
    assert.ok(fixture.ok);
    const again = decodeTraceText([...otlpJsonText(roundTrip(fixture.value.spans))].join(''));
    assert.ok(again.ok);
    assert.deepEqual(comparable(again.value.spans), comparable(roundTrip(fixture.value.spans)));
    assert.equal(again.value.spans.length, fixture.value.spans.length);
  });

  it('writes nothing for no spans, which reads back as no spans', () => {
    assert.deepEqual([...encodeOtlpProtobuf([])], []);
    assert.deepEqual(roundTrip([]), []);
  });
});

describe('protobufCutShort', () => {
  it('says where the bytes of a file cut short end, and nothing of a whole one', () => {
    const bytes = joined(encodeOtlpProtobuf(generateRawSpans(2_000)));
    assert.equal(protobufCutShort(bytes), undefined);
    for (const length of [1, 3, 1000, bytes.length - 7]) {
      assert.match(
        protobufCutShort(bytes.subarray(0, length)) ?? '',
        new RegExp(`^cut short: .* past the end of the data at byte ${length} \\(a truncated file\\?\\)$`),
      );
      assert.equal(decodeOtlpProtobuf(bytes.subarray(0, length)).ok, false);
    }
  });
});

describe('isJsonTraceFile', () => {
  it('takes the name for protobuf, whose first byte is a newline to JSON', () => {
    // A request whose first entry is 123 bytes long starts with "\n{".
    const ambiguous = Uint8Array.from([0x0a, 0x7b, 0x0a]);
    assert.equal(isJsonTraceFile(ambiguous, 'trace.otlp.binpb'), false);
    assert.equal(isJsonTraceFile(ambiguous, 'trace.PB'), false);
    assert.equal(isJsonTraceFile(ambiguous, 'trace.json'), true);
    assert.equal(isJsonTraceFile(new TextEncoder().encode('\ufeff {"resourceSpans": []}'), 'trace'), true);
    assert.equal(isJsonTraceFile(Uint8Array.from([0x0a, 0x80, 0x01]), 'trace'), false);
  });
});
