// Jaeger query JSON (GET /api/traces/{id}), recorded from an OTLP-fed Jaeger, and its variants.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTrace } from '../../../src/core/trace/build';
import { decodeJaegerJson, decodeTraceDocument } from '../../../src/core/trace/decode/index';
import type { RawSpan } from '../../../src/core/trace/model';
import { decodeTraceFixture, POKESHOP_TRACE_ID, POKESHOP_TREE } from './fixtures';

describe('Jaeger fixture: the Pokéshop import trace', () => {
  const decoded = decodeTraceFixture('pokeshop.jaeger.json');
  const trace = buildTrace(decoded.spans);
  const span = (name: string) => {
    const found = trace.spans.find((s) => s.name === name);
    assert.ok(found, `no span "${name}"`);
    return found;
  };

  it('is detected as Jaeger and decodes without warnings', () => {
    assert.equal(decoded.format, 'jaeger');
    assert.deepEqual(decoded.warnings, []);
    assert.equal(decoded.spans.length, 8);
  });

  it('builds the tree across both services in span order', () => {
    assert.deepEqual(trace.problems, []);
    assert.equal(trace.traceId, POKESHOP_TRACE_ID);
    assert.deepEqual(
      trace.spans.map((s) => `${'  '.repeat(s.depth)}${s.name}`),
      POKESHOP_TREE,
    );
    assert.equal(span('queue.synchronizePokemon process').flat.get('tracetest.span.parent_id'), '5fb397be34d26b51');
    assert.equal(span('POST /pokemon/import').flat.get('tracetest.span.parent_id'), trace.root.id);
  });

  it('converts microseconds to nanoseconds', () => {
    const server = span('POST /pokemon/import');
    assert.equal(server.startTime, 1710410000123456000n);
    assert.equal(server.flat.get('tracetest.span.duration'), '24714000');
    assert.equal(server.flat.get('tracetest.span.start_time'), '1710410000123456000');
  });

  it('takes kind, status and scope from the OpenTelemetry tags and drops those tags', () => {
    assert.deepEqual(
      trace.spans.slice(1).map((s) => s.kind),
      ['server', 'internal', 'producer', 'consumer', 'internal', 'client', 'client', 'client'],
    );
    const redis = span('get');
    assert.deepEqual(redis.status, { code: 'STATUS_CODE_ERROR', message: 'Connection is closed.' });
    assert.equal(redis.flat.get('tracetest.span.status_code'), 'STATUS_CODE_ERROR');
    assert.equal(redis.flat.get('tracetest.span.status_description'), 'Connection is closed.');
    assert.equal(span('pg.query:INSERT pokeshop').status.code, 'STATUS_CODE_OK');
    assert.deepEqual({ name: redis.scope.name, version: redis.scope.version }, { name: '@opentelemetry/instrumentation-ioredis', version: '0.34.0' });
    for (const s of trace.spans) {
      for (const tag of ['span.kind', 'otel.status_code', 'otel.status_description', 'error', 'otel.scope.name', 'otel.scope.version']) {
        assert.equal(s.attributes.has(tag), false, `${s.name} keeps ${tag}`);
      }
    }
  });

  it('formats tags by type and makes the process the resource', () => {
    const server = span('POST /pokemon/import');
    assert.equal(server.flat.get('http.status_code'), '200');
    assert.equal(server.flat.get('http.response.body'), '{"id":143}');
    assert.equal(span('validate request').flat.get('validation.is_valid'), 'true');
    assert.equal(span('import pokemon').flat.get('pokemon.weight'), '460.5');
    assert.equal(server.flat.get('service.name'), 'pokeshop-api');
    assert.equal(server.flat.get('process.pid'), '27');
    assert.equal(span('import pokemon').flat.get('service.name'), 'pokeshop-worker');
  });

  it('synthesizes the span type from the attributes', () => {
    assert.deepEqual(
      trace.spans.map((s) => s.flat.get('tracetest.span.type')),
      ['general', 'http', 'general', 'messaging', 'messaging', 'general', 'database', 'http', 'database'],
    );
  });

  it('turns logs into span events, named by their `event` field', () => {
    const redis = span('get');
    assert.equal(redis.events.length, 1);
    assert.equal(redis.events[0]!.name, 'exception');
    assert.equal(redis.events[0]!.time, 1710410000133761000n);
    assert.equal(redis.events[0]!.attributes.get('exception.message'), 'Connection is closed.');
    assert.equal(redis.events[0]!.attributes.has('event'), false);
    const events = JSON.parse(redis.flat.get('span.events')!) as Array<{ name: string; timestamp: string }>;
    assert.deepEqual(
      events.map((e) => [e.name, e.timestamp]),
      [['exception', '1710410000133761000']],
    );
  });
});

const T = '4bf92f3577b34da6a3ce929d0e0e4736';

function jaegerSpan(spanID: string, extra: object = {}): object {
  return {
    traceID: T,
    spanID,
    operationName: `op ${spanID}`,
    references: [],
    startTime: 1710410000123456,
    duration: 10,
    tags: [],
    logs: [],
    processID: 'p1',
    ...extra,
  };
}

function decodeSpans(doc: unknown): { spans: RawSpan[]; warnings: string[] } {
  const decoded = decodeJaegerJson(doc);
  assert.ok(decoded.ok, decoded.ok ? '' : decoded.error.message);
  return decoded.value;
}

describe('decodeJaegerJson', () => {
  const processes = { p1: { serviceName: 'legacy', tags: [{ key: 'jaeger.version', type: 'string', value: 'Go-2.30.0' }] } };

  it('left-pads short ids: 64-bit trace ids, ids printed without leading zeros', () => {
    const { spans } = decodeSpans({ data: [{ traceID: '7b5e4a3c2d1f0e9a', processes, spans: [jaegerSpan('e9a', { traceID: '7B5E4A3C2D1F0E9A' })] }] });
    assert.equal(spans[0]!.traceId, '00000000000000007b5e4a3c2d1f0e9a');
    assert.equal(spans[0]!.id, '0000000000000e9a');
  });

  it('picks the first CHILD_OF as parent, else FOLLOWS_FROM; other references become links', () => {
    const ref = (refType: string, spanID: string) => ({ refType, traceID: T, spanID });
    const { spans } = decodeSpans({
      data: [
        {
          traceID: T,
          processes,
          spans: [
            jaegerSpan('0000000000000001', {
              references: [ref('FOLLOWS_FROM', '00000000000000aa'), ref('CHILD_OF', '00000000000000bb'), ref('CHILD_OF', '00000000000000cc')],
            }),
            jaegerSpan('0000000000000002', { references: [ref('FOLLOWS_FROM', '00000000000000dd')] }),
          ],
        },
      ],
    });
    assert.equal(spans[0]!.parentId, '00000000000000bb');
    assert.deepEqual(
      spans[0]!.links.map((l) => l.spanId),
      ['00000000000000aa', '00000000000000cc'],
    );
    assert.equal(spans[1]!.parentId, '00000000000000dd');
    assert.deepEqual(spans[1]!.links, []);
  });

  it('reads error=true as an error status, the legacy otel.library.* tags as scope, and every tag type', () => {
    const { spans } = decodeSpans({
      traceID: T,
      processes,
      spans: [
        jaegerSpan('0000000000000001', {
          tags: [
            { key: 'error', type: 'bool', value: true },
            { key: 'otel.library.name', type: 'string', value: 'io.opentelemetry.jdbc' },
            { key: 'otel.library.version', type: 'string', value: '1.32.0' },
            { key: 'span.kind', type: 'string', value: 'client' },
            { key: 'big', type: 'int64', value: '9223372036854775807' },
            { key: 'ratio', type: 'float64', value: 1e21 },
            { key: 'blob', type: 'binary', value: 'AAH+/w==' },
            { key: 'flag', type: 'bool', value: false },
          ],
        }),
      ],
    });
    const [span] = spans;
    assert.deepEqual(span!.status, { code: 'STATUS_CODE_ERROR', message: '' });
    assert.deepEqual([span!.scope.name, span!.scope.version, span!.kind], ['io.opentelemetry.jdbc', '1.32.0', 'client']);
    assert.deepEqual(Object.fromEntries(span!.attributes), { big: '9223372036854775807', ratio: '1e+21', blob: 'AAH+/w==', flag: 'false' });
    assert.deepEqual(Object.fromEntries(span!.resource), { 'service.name': 'legacy', 'jaeger.version': 'Go-2.30.0' });
  });

  it('accepts the single-trace object and the api_v3 OTLP answer', () => {
    assert.deepEqual(
      decodeSpans({ traceID: T, spans: [jaegerSpan('0000000000000001')], processes }).spans.map((s) => s.id),
      ['0000000000000001'],
    );
    const v3 = decodeTraceDocument({
      result: {
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] },
            scopeSpans: [{ spans: [{ traceId: T, spanId: '00f067aa0ba902b7', name: 'v3', kind: 2 }] }],
          },
        ],
      },
    });
    assert.ok(v3.ok);
    assert.equal(v3.value.format, 'jaeger');
    assert.deepEqual(
      v3.value.spans.map((s) => [s.name, s.kind, s.resource.get('service.name')]),
      [['v3', 'server', 'api']],
    );
  });

  it('skips spans with unusable ids and passes on Jaeger warnings, naming where', () => {
    const { spans, warnings } = decodeSpans({
      data: [
        {
          traceID: T,
          processes,
          spans: [
            jaegerSpan('0000000000000001', { warnings: ['clock skew adjustment disabled; not applying calculated delta of -1.2ms'] }),
            jaegerSpan('not-hex'),
            jaegerSpan('000000000000000000001'),
            jaegerSpan('0000000000000002', { processID: 'p9' }),
          ],
        },
      ],
    });
    assert.deepEqual(
      spans.map((s) => s.id),
      ['0000000000000001', '0000000000000002'],
    );
    assert.deepEqual(warnings, [
      'data[0].spans[0]: Jaeger warning: clock skew adjustment disabled; not applying calculated delta of -1.2ms',
      'data[0].spans[1].spanID: span "op not-hex" skipped: "not-hex" is not a hex id of at most 16 digits',
      'data[0].spans[2].spanID: span "op 000000000000000000001" skipped: "000000000000000000001" is not a hex id of at most 16 digits',
      'data[0].spans[3].processID: no process "p9" in data[0].processes; the span has no service.name',
    ]);
  });

  it("reads an empty answer as no spans, and Jaeger's error answer as an error", () => {
    assert.deepEqual(decodeJaegerJson({ data: [], total: 0, limit: 0, offset: 0, errors: null }), { ok: true, value: { spans: [], warnings: [] } });
    assert.deepEqual(decodeJaegerJson({ data: null, total: 0, limit: 0, offset: 0, errors: [{ code: 404, msg: 'trace not found' }] }), {
      ok: false,
      error: { message: 'Jaeger reported an error: trace not found (404)', path: 'errors' },
    });
    assert.deepEqual(decodeJaegerJson({ data: { spans: [] } }), { ok: false, error: { message: 'expected an array of traces, got an object', path: 'data' } });
    assert.deepEqual(decodeJaegerJson({ data: [{ spans: 3 }] }), { ok: false, error: { message: 'expected an array, got a number', path: 'data[0].spans' } });
  });
});
