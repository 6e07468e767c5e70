// Spans the hot decoders give hold their attributes as rows of a table, not Maps: every reader (lookups, listing,
// the flat view, `tracetest.span.type`, selector columns, the receiver's memory estimate) must see what a Map gave.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AttributeRow, AttributeTable } from '../../../src/core/trace/attribute-rows';
import { buildTrace, spanValue } from '../../../src/core/trace/build';
import { attributeColumn } from '../../../src/core/trace/columns';
import { decodeOtlpJson, encodeOtlpJson } from '../../../src/core/trace/decode/index';
import { readExportRequestWire } from '../../../src/core/trace/decode/otlp-protobuf-wire';
import type { Attributes, RawSpan } from '../../../src/core/trace/model';
import { SpanMeter } from '../../../src/run/sources/otlp/span-bytes';
import { encodeProtobufRequests } from '../../support/protobuf-requests';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

function raw(id: string, parentId: string, service: string, attributes: Array<[string, string]>): RawSpan {
  return {
    traceId: TRACE,
    id,
    parentId,
    name: `span ${id}`,
    kind: 'server',
    startTime: 1_000n,
    endTime: 2_000n,
    status: { code: 'STATUS_CODE_UNSET', message: '' },
    resource: new Map([
      ['service.name', service],
      ['shared', `resource of ${service}`],
    ]),
    scope: { name: 'lib', version: '1', attributes: new Map() },
    attributes: new Map(attributes),
    events: [],
    links: [],
  };
}

const SPANS: RawSpan[] = [
  raw('00000000000000a1', '', 'api', [
    ['net.peer.name', 'x'],
    ['http.method', 'GET'],
    ['shared', 'own'],
  ]),
  raw('00000000000000b2', '00000000000000a1', 'api', [
    ['db.system', 'postgres'],
    ['rpc.system', 'grpc'],
  ]),
  raw('00000000000000c3', '00000000000000a1', 'worker', [
    ['http.url', '/'],
    ['event_type', 'click'],
  ]),
  raw('00000000000000d4', '00000000000000c3', 'worker', []),
];

const entries = (attributes: Attributes): Array<[string, string]> => [...attributes];

function decodedBoth(): Array<[string, RawSpan[]]> {
  const json = decodeOtlpJson(encodeOtlpJson(SPANS));
  assert.ok(json.ok);
  const protobuf = readExportRequestWire(encodeProtobufRequests(SPANS, 512)[0]!);
  assert.ok(protobuf);
  return [
    ['OTLP JSON', json.value.spans],
    ['OTLP protobuf', protobuf.spans],
  ];
}

describe('attribute rows', () => {
  it('keeps a repeated key in its first place with its last value, as Map.set does', () => {
    const table = new AttributeTable();
    table.add('a', '1');
    table.add('b', '2');
    table.add('a', '3');
    const first = table.endRow();
    table.add('b', 'other row');
    const second = table.endRow();
    assert.deepEqual(entries(first), [
      ['a', '3'],
      ['b', '2'],
    ]);
    assert.equal(first.size, 2);
    assert.deepEqual([...first.keys()], ['a', 'b']);
    assert.deepEqual([...first.values()], ['3', '2']);
    assert.equal(first.get('b'), '2');
    assert.equal(first.has('c'), false);
    assert.deepEqual(entries(second), [['b', 'other row']]);
    const seen: string[] = [];
    first.forEach((v, k, map) => seen.push(`${k}=${v}:${map === first}`));
    assert.deepEqual(seen, ['a=3:true', 'b=2:true']);
  });

  for (const [format, spans] of decodedBoth()) {
    it(`${format}: spans hold rows with the attributes a Map held, in order; spans without attributes share one empty row`, () => {
      assert.ok(spans[0]!.attributes instanceof AttributeRow);
      assert.deepEqual(
        spans.map((s) => entries(s.attributes)),
        SPANS.map((s) => entries(s.attributes)),
      );
      assert.equal(spans[3]!.attributes.size, 0);
      assert.equal(spans[3]!.attributes, decodedBoth()[0]![1][3]!.attributes);
    });

    it(`${format}: the flat view, tracetest.span.type and selector columns read rows as they read Maps`, () => {
      const fromRows = buildTrace(spans);
      const fromMaps = buildTrace(SPANS);
      for (let i = 0; i < fromMaps.spans.length; i++) {
        assert.deepEqual(entries(fromRows.spans[i]!.flat), entries(fromMaps.spans[i]!.flat));
      }
      assert.deepEqual(
        fromRows.spans.map((s) => spanValue(s, 'tracetest.span.type')),
        ['general', 'http', 'database', 'general', 'general'],
        'http. ranks first; event_type makes a span general',
      );
      for (const key of ['tracetest.span.type', 'shared', 'http.method', 'service.name', 'missing', 'name', 'kind', 'tracetest.span.duration']) {
        assert.deepEqual(attributeColumn(fromRows, key), attributeColumn(fromMaps, key), key);
      }
    });
  }

  it('the receiver cuts text over its limit in a row by giving the span a cut copy, leaving the table as it was', () => {
    const long = 'x'.repeat(1000);
    const spans = decodedBoth()[0]![1];
    const span = { ...spans[0]!, attributes: rowOf([['k', long]]) };
    const before = span.attributes;
    const bytes = new SpanMeter(50).span(span);
    assert.notEqual(span.attributes, before);
    assert.match(span.attributes.get('k')!, /^x{1,50}…\[truncated from 1000 bytes\]$/);
    assert.equal(before.get('k'), long);
    assert.ok(bytes > 0);
  });

  it('keeps every decoded request its own attributes, after later requests, failed ones and nested tables', () => {
    const first = readExportRequestWire(encodeProtobufRequests(SPANS, 512)[0]!)!.spans;
    const other = SPANS.map((span) => ({ ...span, attributes: new Map([['other', `of ${span.id}`]]) }));
    const bytes = encodeProtobufRequests(other, 512)[0]!;
    // A payload the fast path gives up on halfway.
    assert.equal(readExportRequestWire(bytes.subarray(0, bytes.length - 3)), undefined);
    const second = readExportRequestWire(bytes)!.spans;
    assert.deepEqual(
      first.map((span) => entries(span.attributes)),
      SPANS.map((span) => entries(span.attributes)),
    );
    assert.deepEqual(
      second.map((span) => entries(span.attributes)),
      other.map((span) => entries(span.attributes)),
    );

    const outer = new AttributeTable({ borrow: true });
    outer.add('a', '1');
    const inner = new AttributeTable({ borrow: true });
    inner.add('b', '2');
    const innerRow = inner.endRow();
    inner.seal();
    const outerRow = outer.endRow();
    outer.seal();
    assert.deepEqual([entries(outerRow), entries(innerRow)], [[['a', '1']], [['b', '2']]]);
  });
});

function rowOf(list: Array<[string, string]>): Attributes {
  const table = new AttributeTable();
  for (const [k, v] of list) table.add(k, v);
  return table.endRow();
}
