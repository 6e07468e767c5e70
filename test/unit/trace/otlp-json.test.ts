// OTLP JSON in the spellings real exporters and stores write: hex or base64 ids, string or number times and
// int64s, enum numbers or names, legacy field names, several requests in one file.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeOtlpJson, decodeTraceText, encodeOtlpJson } from '../../../src/core/trace/decode/index';
import type { RawSpan } from '../../../src/core/trace/model';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACE_B64 = Buffer.from(TRACE, 'hex').toString('base64');
const SPAN = '00f067aa0ba902b7';
const SPAN_B64 = Buffer.from(SPAN, 'hex').toString('base64');
const CHILD = '53995c3f42cd8ad8';

function request(spans: object[], extra: object = {}): object {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'pokeshop-api' } }] },
        scopeSpans: [{ scope: { name: 'manual', version: '1.0.0', attributes: [{ key: 'scope.flag', value: { boolValue: true } }] }, spans }],
        ...extra,
      },
    ],
  };
}

function decodeOne(span: object): RawSpan {
  const decoded = decodeOtlpJson(request([span]));
  assert.ok(decoded.ok, decoded.ok ? '' : decoded.error.message);
  assert.equal(decoded.value.spans.length, 1, decoded.value.warnings.join('\n'));
  return decoded.value.spans[0]!;
}

function attribute(value: object): string | undefined {
  return decodeOne({ traceId: TRACE, spanId: SPAN, name: 'a', attributes: [{ key: 'k', value }] }).attributes.get('k');
}

describe('decodeOtlpJson: ids', () => {
  it('lowercases hex ids of any case', () => {
    const span = decodeOne({ traceId: TRACE.toUpperCase(), spanId: SPAN.toUpperCase(), parentSpanId: CHILD.toUpperCase(), name: 'x' });
    assert.deepEqual([span.traceId, span.id, span.parentId], [TRACE, SPAN, CHILD]);
  });

  it('reads base64 ids (Tempo, older exporters) by their decoded length', () => {
    const span = decodeOne({ traceId: TRACE_B64, spanId: SPAN_B64, parentSpanId: Buffer.from(CHILD, 'hex').toString('base64'), name: 'x' });
    assert.deepEqual([span.traceId, span.id, span.parentId], [TRACE, SPAN, CHILD]);
  });

  it('treats an empty or all-zero parent id as no parent', () => {
    assert.equal(decodeOne({ traceId: TRACE, spanId: SPAN, parentSpanId: '', name: 'x' }).parentId, '');
    assert.equal(decodeOne({ traceId: TRACE, spanId: SPAN, parentSpanId: '0000000000000000', name: 'x' }).parentId, '');
    assert.equal(decodeOne({ traceId: TRACE, spanId: SPAN, parentSpanId: 'AAAAAAAAAAA=', name: 'x' }).parentId, '');
  });

  it('skips spans with a missing or invalid id and says which and where', () => {
    const decoded = decodeOtlpJson({
      resourceSpans: [
        {},
        {
          scopeSpans: [
            {},
            {
              spans: [
                { traceId: TRACE, spanId: SPAN, name: 'kept' },
                { traceId: TRACE, name: 'no id' },
                { traceId: TRACE, spanId: 'xyz', name: 'bad id' },
                { traceId: '00000000000000000000000000000000', spanId: CHILD, name: 'zero trace' },
                { traceId: TRACE.slice(2), spanId: CHILD, name: 'short trace' },
                { traceId: TRACE, spanId: CHILD, parentSpanId: 'nothex!!', name: 'bad parent' },
                'not a span',
              ],
            },
          ],
        },
      ],
    });
    assert.ok(decoded.ok);
    assert.deepEqual(
      decoded.value.spans.map((s) => [s.name, s.parentId]),
      [
        ['kept', ''],
        ['bad parent', ''],
      ],
    );
    assert.deepEqual(decoded.value.warnings, [
      'resourceSpans[1].scopeSpans[1].spans[1].spanId: span "no id" skipped: missing id',
      'resourceSpans[1].scopeSpans[1].spans[2].spanId: span "bad id" skipped: "xyz" is not a 16-digit hex or 8-byte base64 id',
      'resourceSpans[1].scopeSpans[1].spans[3].traceId: span "zero trace" skipped: the id is all zeros',
      'resourceSpans[1].scopeSpans[1].spans[4].traceId: span "short trace" skipped: "f92f3577b34da6a3ce929d0e0e4736" is not a 32-digit hex or 16-byte base64 id',
      'resourceSpans[1].scopeSpans[1].spans[5].parentSpanId: "nothex!!" is not a 16-digit hex or 8-byte base64 id; span "bad parent" is treated as a root',
      'resourceSpans[1].scopeSpans[1].spans[6]: span skipped: expected an object, got a string',
    ]);
  });
});

describe('decodeOtlpJson: times, kinds, statuses', () => {
  it('reads nanosecond times given as strings or numbers', () => {
    const span = decodeOne({ traceId: TRACE, spanId: SPAN, name: 'x', startTimeUnixNano: '1710410000123456789', endTimeUnixNano: 1710410000 });
    assert.equal(span.startTime, 1710410000123456789n);
    assert.equal(span.endTime, 1710410000n);
  });

  it('warns about a time that is not a number and uses 0', () => {
    const decoded = decodeOtlpJson(request([{ traceId: TRACE, spanId: SPAN, name: 'x', startTimeUnixNano: 'yesterday', endTimeUnixNano: '5' }]));
    assert.ok(decoded.ok);
    assert.equal(decoded.value.spans[0]!.startTime, 0n);
    assert.deepEqual(decoded.value.warnings, [
      'resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano: "yesterday" is not a Unix time in nanoseconds; using 0',
    ]);
  });

  it('reads span kinds as numbers or enum names', () => {
    const kinds = [0, 1, 2, 3, 4, 5, 'SPAN_KIND_SERVER', 'SPAN_KIND_CONSUMER', undefined].map(
      (kind) => decodeOne({ traceId: TRACE, spanId: SPAN, name: 'x', kind }).kind,
    );
    assert.deepEqual(kinds, ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer', 'server', 'consumer', 'unspecified']);
  });

  it('reads status codes as numbers or enum names, with the message', () => {
    const statuses = [{ code: 2, message: 'boom' }, { code: 'STATUS_CODE_OK' }, {}, undefined].map(
      (status) => decodeOne({ traceId: TRACE, spanId: SPAN, name: 'x', status }).status,
    );
    assert.deepEqual(statuses, [
      { code: 'STATUS_CODE_ERROR', message: 'boom' },
      { code: 'STATUS_CODE_OK', message: '' },
      { code: 'STATUS_CODE_UNSET', message: '' },
      { code: 'STATUS_CODE_UNSET', message: '' },
    ]);
  });

  it('warns about an unknown kind or status and falls back', () => {
    const decoded = decodeOtlpJson(request([{ traceId: TRACE, spanId: SPAN, name: 'x', kind: 'SPAN_KIND_BATCH', status: { code: 7 } }]));
    assert.ok(decoded.ok);
    assert.equal(decoded.value.spans[0]!.kind, 'unspecified');
    assert.equal(decoded.value.spans[0]!.status.code, 'STATUS_CODE_UNSET');
    assert.deepEqual(decoded.value.warnings, [
      'resourceSpans[0].scopeSpans[0].spans[0].kind: unknown span kind "SPAN_KIND_BATCH"; using unspecified',
      'resourceSpans[0].scopeSpans[0].spans[0].status.code: unknown status code 7; using STATUS_CODE_UNSET',
    ]);
  });
});

describe('decodeOtlpJson: attribute values', () => {
  it('formats every AnyValue as text', () => {
    assert.equal(attribute({ stringValue: 'snorlax' }), 'snorlax');
    assert.equal(attribute({ intValue: '143' }), '143');
    assert.equal(attribute({ intValue: 143 }), '143');
    assert.equal(attribute({ intValue: '-9223372036854775808' }), '-9223372036854775808');
    assert.equal(attribute({ doubleValue: 0.5 }), '0.5');
    assert.equal(attribute({ doubleValue: 1e21 }), '1e+21');
    assert.equal(attribute({ doubleValue: 2 }), '2');
    assert.equal(attribute({ doubleValue: 'NaN' }), 'NaN');
    assert.equal(attribute({ doubleValue: '-Infinity' }), '-Inf');
    assert.equal(attribute({ boolValue: false }), 'false');
    assert.equal(attribute({ bytesValue: 'AAH+/w==' }), 'AAH+/w==');
    assert.equal(
      attribute({ arrayValue: { values: [{ stringValue: 'a' }, { intValue: '1' }, { doubleValue: 1.5 }, { boolValue: true }] } }),
      '["a",1,1.5,true]',
    );
    assert.equal(attribute({ arrayValue: {} }), '[]');
    assert.equal(
      attribute({
        kvlistValue: {
          values: [
            { key: 'id', value: { intValue: '143' } },
            { key: 'tags', value: { arrayValue: { values: [{ stringValue: 'x' }] } } },
          ],
        },
      }),
      '{"id":143,"tags":["x"]}',
    );
    assert.equal(attribute({}), '');
  });

  it('keeps resource and scope attributes; later keys win', () => {
    const span = decodeOne({
      traceId: TRACE,
      spanId: SPAN,
      name: 'x',
      attributes: [{ key: 'k', value: { stringValue: 'first' } }, { key: 'k', value: { stringValue: 'second' } }, { value: { stringValue: 'no key' } }],
    });
    assert.deepEqual(Object.fromEntries(span.attributes), { k: 'second' });
    assert.deepEqual(Object.fromEntries(span.resource), { 'service.name': 'pokeshop-api' });
    assert.deepEqual(
      { ...span.scope, attributes: Object.fromEntries(span.scope.attributes) },
      { name: 'manual', version: '1.0.0', attributes: { 'scope.flag': 'true' } },
    );
  });
});

describe('decodeOtlpJson: document shapes', () => {
  const span = (id: string, name: string) => ({ traceId: TRACE, spanId: id, name });

  it('accepts the legacy instrumentationLibrarySpans / instrumentationLibrary names', () => {
    const decoded = decodeOtlpJson({
      resourceSpans: [{ instrumentationLibrarySpans: [{ instrumentationLibrary: { name: 'old-lib', version: '0.9' }, spans: [span(SPAN, 'x')] }] }],
    });
    assert.ok(decoded.ok);
    assert.deepEqual(
      decoded.value.spans.map((s) => [s.name, s.scope.name, s.scope.version]),
      [['x', 'old-lib', '0.9']],
    );
  });

  it('accepts several export requests saved in one array, and Tempo batches', () => {
    const several = decodeOtlpJson([request([span(SPAN, 'first')]), request([span(CHILD, 'second')])]);
    assert.ok(several.ok);
    assert.deepEqual(
      several.value.spans.map((s) => s.name),
      ['first', 'second'],
    );
    const batches = decodeOtlpJson({ batches: [{ scopeSpans: [{ spans: [span(SPAN, 'a')] }] }, request([span(CHILD, 'b')])] });
    assert.ok(batches.ok);
    assert.deepEqual(
      batches.value.spans.map((s) => s.name),
      ['a', 'b'],
    );
  });

  it('reads a payload with zero spans as a valid empty result', () => {
    for (const doc of [{ resourceSpans: [] }, { resourceSpans: [{ scopeSpans: [] }] }, { resourceSpans: null }, {}, []]) {
      assert.deepEqual(decodeOtlpJson(doc), { ok: true, value: { spans: [], warnings: [] } }, JSON.stringify(doc));
    }
  });

  it('reports a wrong shape as an error with the path to it', () => {
    const cases: Array<[unknown, string, string | undefined]> = [
      ['text', 'expected an OTLP export request (an object with `resourceSpans`), got a string', undefined],
      [{ resourceSpans: {} }, 'expected an array, got an object', 'resourceSpans'],
      [{ resourceSpans: [5] }, 'expected an object (ResourceSpans), got a number', 'resourceSpans[0]'],
      [{ resourceSpans: [{ scopeSpans: [{ spans: 'none' }] }] }, 'expected an array, got a string', 'resourceSpans[0].scopeSpans[0].spans'],
      [[{ resourceSpans: [] }, null], 'expected an object with `resourceSpans`, got null', '[1]'],
    ];
    for (const [doc, message, path] of cases) assert.deepEqual(decodeOtlpJson(doc), { ok: false, error: path ? { message, path } : { message } });
  });
});

describe('encodeOtlpJson', () => {
  const decodedFixture = (): RawSpan[] => {
    const decoded = decodeOtlpJson(
      request([
        {
          traceId: TRACE,
          spanId: SPAN,
          name: 'POST /pokemon/import',
          kind: 2,
          startTimeUnixNano: '1710410000123456789',
          endTimeUnixNano: '1710410000148170201',
          attributes: [
            { key: 'http.status_code', value: { intValue: '200' } },
            { key: 'tags', value: { arrayValue: { values: [{ stringValue: 'a' }] } } },
          ],
          status: { code: 2, message: 'boom' },
          events: [{ timeUnixNano: '1710410000130000001', name: 'exception', attributes: [{ key: 'exception.message', value: { stringValue: 'boom' } }] }],
          links: [{ traceId: TRACE, spanId: CHILD, attributes: [{ key: 'why', value: { stringValue: 'retry' } }] }],
        },
        {
          traceId: TRACE,
          spanId: CHILD,
          parentSpanId: SPAN,
          name: 'child',
          kind: 1,
          startTimeUnixNano: '1710410000125000000',
          endTimeUnixNano: '1710410000126000000',
        },
      ]),
    );
    assert.ok(decoded.ok);
    return decoded.value.spans;
  };

  it('round-trips through decodeOtlpJson, also as saved text', () => {
    const spans = decodedFixture();
    const encoded = encodeOtlpJson(spans);
    assert.deepEqual(decodeOtlpJson(encoded), { ok: true, value: { spans, warnings: [] } });
    const replayed = decodeTraceText(JSON.stringify(encoded, null, 2));
    assert.ok(replayed.ok);
    assert.deepEqual(replayed.value.spans, spans);
  });

  it('writes the ExportTraceServiceRequest shape: hex ids, string nanoseconds, enum numbers, grouped by resource and scope', () => {
    const spans = decodedFixture();
    const other: RawSpan = { ...spans[1]!, id: 'aaaaaaaaaaaaaaaa', resource: new Map([['service.name', 'pokeshop-worker']]) };
    const encoded = encodeOtlpJson([...spans, other]);
    assert.equal(encoded.resourceSpans.length, 2);
    assert.equal(encoded.resourceSpans[0]!.scopeSpans[0]!.spans.length, 2);
    const first = encoded.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    assert.deepEqual(
      { traceId: first.traceId, spanId: first.spanId, parent: first.parentSpanId, kind: first.kind, start: first.startTimeUnixNano, status: first.status },
      { traceId: TRACE, spanId: SPAN, parent: undefined, kind: 2, start: '1710410000123456789', status: { code: 2, message: 'boom' } },
    );
    assert.equal(encoded.resourceSpans[0]!.scopeSpans[0]!.spans[1]!.parentSpanId, SPAN);
  });
});
