// Tempo's trace-by-id answers (recorded): `{batches}` with base64 ids, enum names and pre-1.0 OTLP field names
// from /api/traces, `{trace: {resourceSpans}}` with hex ids from /api/v2/traces. Both reuse the OTLP JSON decoder.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTrace } from '../../../src/core/trace/build';
import { decodeTempoJson } from '../../../src/core/trace/decode/index';
import { decodeTraceFixture, POKESHOP_TRACE_ID, POKESHOP_TREE } from './fixtures';

describe('Tempo fixtures: the Pokéshop import trace', () => {
  const v1 = decodeTraceFixture('pokeshop.tempo.json');
  const v2 = decodeTraceFixture('pokeshop.tempo-v2.json');
  const otlp = decodeTraceFixture('pokeshop.otlp.json');

  it('are detected as Tempo and decode without warnings', () => {
    assert.deepEqual([v1.format, v2.format], ['tempo', 'tempo']);
    assert.deepEqual([...v1.warnings, ...v2.warnings], []);
  });

  it('decode to exactly the spans of the same trace in OTLP JSON', () => {
    assert.equal(otlp.spans.length, 8);
    assert.deepEqual(v1.spans, otlp.spans);
    assert.deepEqual(v2.spans, otlp.spans);
  });

  it('build the tree with nanosecond times and the synthesized attributes', () => {
    const trace = buildTrace(v1.spans);
    assert.deepEqual(trace.problems, []);
    assert.equal(trace.traceId, POKESHOP_TRACE_ID);
    assert.deepEqual(
      trace.spans.map((s) => `${'  '.repeat(s.depth)}${s.name}`),
      POKESHOP_TREE,
    );
    const server = trace.spans[1]!;
    assert.equal(server.id, '00f067aa0ba902b7');
    assert.equal(server.kind, 'server');
    assert.equal(server.flat.get('tracetest.span.start_time'), '1710410000123456789');
    assert.equal(server.flat.get('tracetest.span.duration'), '24713412');
    assert.equal(server.flat.get('tracetest.span.parent_id'), trace.root.id);
    assert.equal(server.flat.get('http.status_code'), '200');
    const redis = trace.spans.find((s) => s.name === 'get')!;
    assert.equal(redis.flat.get('tracetest.span.status_code'), 'STATUS_CODE_ERROR');
    assert.equal(redis.flat.get('tracetest.span.parent_id'), '9c8b7a6f5e4d3c2b');
    assert.equal(redis.scope.name, '@opentelemetry/instrumentation-ioredis');
    assert.equal(trace.root.startTime, server.startTime);
  });
});

describe('decodeTempoJson', () => {
  const batch = { resource: { attributes: [] }, scopeSpans: [{ spans: [{ traceId: POKESHOP_TRACE_ID, spanId: '00f067aa0ba902b7', name: 'x' }] }] };

  it('accepts batches at the top or under `trace`, and `trace: null` as no spans', () => {
    for (const doc of [{ batches: [batch] }, { trace: { batches: [batch] } }, { trace: { resourceSpans: [batch] } }]) {
      const decoded = decodeTempoJson(doc);
      assert.ok(decoded.ok);
      assert.deepEqual(
        decoded.value.spans.map((s) => s.name),
        ['x'],
      );
    }
    assert.deepEqual(decodeTempoJson({ trace: null }), { ok: true, value: { spans: [], warnings: [] } });
  });

  it('reports a wrong shape with its path', () => {
    assert.deepEqual(decodeTempoJson({ traces: [] }), {
      ok: false,
      error: { message: 'expected a Tempo trace (an object with `batches` or `trace`), got an object' },
    });
    assert.deepEqual(decodeTempoJson({ batches: [{ scopeSpans: 'x' }] }), {
      ok: false,
      error: { message: 'expected an array, got a string', path: 'batches[0].scopeSpans' },
    });
    assert.deepEqual(decodeTempoJson({ trace: { resourceSpans: 1 } }), {
      ok: false,
      error: { message: 'expected an array, got a number', path: 'trace.resourceSpans' },
    });
  });
});
