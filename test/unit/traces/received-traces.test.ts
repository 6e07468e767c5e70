import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RawSpan } from '../../../src/core/trace/model';
import {
  ago,
  listingMessage,
  NO_FILTER,
  parseTraceFilter,
  summarize,
  TraceList,
  traceLabel,
  type HeldTrace,
  type TraceFilter,
} from '../../../src/run/received-traces';

const MS = 1_000_000n;

function span(traceId: string, id: string, parentId: string, name: string, service: string, startMs: number, endMs: number, error = false): RawSpan {
  return {
    traceId,
    id,
    parentId,
    name,
    kind: 'server',
    startTime: 1_700_000_000_000n * MS + BigInt(startMs) * MS,
    endTime: 1_700_000_000_000n * MS + BigInt(endMs) * MS,
    status: { code: error ? 'STATUS_CODE_ERROR' : 'STATUS_CODE_UNSET', message: '' },
    resource: new Map([['service.name', service]]),
    scope: { name: 's', version: '', attributes: new Map() },
    attributes: new Map(),
    events: [],
    links: [],
  };
}

/** A trace `GET /orders` (api) → `SELECT` (db), received at `at`. */
function held(traceId: string, at: number, name = 'GET /orders', error = false): HeldTrace {
  return {
    traceId,
    updatedAt: at,
    // The child arrives first, as exporters often send them.
    spans: [span(traceId, `${traceId}-2`, `${traceId}-1`, 'SELECT', 'db', 5, 25, error), span(traceId, `${traceId}-1`, '', name, 'api', 0, 40)],
  };
}

const filter = (text: string): TraceFilter => {
  const parsed = parseTraceFilter(text);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  return parsed.value;
};

describe('a trace summary', () => {
  test('root span name, services, span count, duration and error', () => {
    assert.deepEqual(summarize(held('aa', 5, 'GET /orders', true)), {
      traceId: 'aa',
      name: 'GET /orders',
      services: ['api', 'db'],
      spans: 2,
      durationMs: 40,
      error: true,
      at: 5,
    });
  });

  test('a trace whose root has not arrived is named after its earliest span without a parent in it', () => {
    const trace = held('bb', 1);
    assert.equal(summarize({ ...trace, spans: trace.spans.slice(0, 1) }).name, 'SELECT');
  });

  test('labels say what a user scans for', () => {
    const label = traceLabel(summarize(held('cc', 1_000)), 13_500);
    assert.equal(label.label, 'GET /orders');
    assert.equal(label.description, 'api, db · 2 spans · 40ms · 12 s ago');
    assert.match(label.tooltip, /Trace cc\n2 spans from 2 services: api, db/);
  });

  test('ages', () => {
    assert.deepEqual([0, 1_999, 12_000, 61_000, 7_200_000, 90_000_000].map(ago), ['just now', 'just now', '12 s ago', '1 min ago', '2 h ago', '1 d ago']);
  });
});

describe('the filter', () => {
  test('words, services and errors; every part must match', () => {
    const traces = [held('a1', 1, 'GET /orders'), held('a2', 2, 'POST /checkout', true), held('a3', 3, 'GET /health')];
    const names = (text: string) => new TraceList().list(traces, filter(text), 100).shown.map((s) => s.name);
    assert.deepEqual(names(''), ['GET /health', 'POST /checkout', 'GET /orders']);
    assert.deepEqual(names('get'), ['GET /health', 'GET /orders']);
    assert.deepEqual(names('is:error'), ['POST /checkout']);
    assert.deepEqual(names('service:DB get orders'), ['GET /orders']);
    assert.deepEqual(names('service:worker'), []);
    // A trace id (or its start) finds the trace.
    assert.deepEqual(names('a3'), ['GET /health']);
  });

  test('an unknown key is an error naming it', () => {
    const parsed = parseTraceFilter('status:500');
    assert.ok(!parsed.ok);
    assert.match(parsed.error, /"status:500" is not a filter/);
  });
});

describe('the listing', () => {
  test('newest first, bounded, with what is left out said', () => {
    const traces = Array.from({ length: 5 }, (_, i) => held(`t${i}`, i));
    const listing = new TraceList().list(traces, NO_FILTER, 3);
    assert.deepEqual(
      listing.shown.map((s) => s.traceId),
      ['t4', 't3', 't2'],
    );
    assert.equal(listingMessage(listing, NO_FILTER), 'Newest 3 of 5 traces (setting tracelens.traces.maxShown).');
    const errors = filter('is:error');
    assert.equal(listingMessage(new TraceList().list(traces, errors, 3), errors), 'No trace of 5 matches "is:error".');
    assert.equal(listingMessage(new TraceList().list(traces, NO_FILTER, 10), NO_FILTER), undefined);
  });

  test('a trace is summarised again when spans arrive, and forgotten when the store lets it go', () => {
    const list = new TraceList();
    const trace = held('x', 1);
    const partial = { ...trace, spans: trace.spans.slice(0, 1) };
    assert.equal(list.list([partial], NO_FILTER, 10).shown[0]!.spans, 1);
    assert.equal(list.list([{ ...trace, updatedAt: 2 }], NO_FILTER, 10).shown[0]!.spans, 2);
    assert.deepEqual(list.list([], NO_FILTER, 10).shown, []);
  });
});
