// OTLP exactly as the OpenTelemetry JS SDK exports it (protobuf and JSON), decoded back into the span model.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { buildTrace } from '../../../src/core/trace/build';
import { decodeOtlpProtobuf, decodeTraceText } from '../../../src/core/trace/decode/index';
import type { RawSpan } from '../../../src/core/trace/model';

const SECONDS = 1710410000;
const at = (nanos: number): [number, number] => [SECONDS, nanos];
const ns = (nanos: number): bigint => BigInt(SECONDS) * 1_000_000_000n + BigInt(nanos);

/** A Pokéshop-like request recorded through the real SDK: every span kind, attribute type, events, a link, statuses. */
function recordSpans(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'pokeshop-api', 'service.version': '1.4.2', 'process.pid': 4242 }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const http = provider.getTracer('@opentelemetry/instrumentation-http', '0.216.0');
  const app = provider.getTracer('pokeshop-api');
  const amqp = provider.getTracer('@opentelemetry/instrumentation-amqplib', '0.50.0');
  const pg = provider.getTracer('@opentelemetry/instrumentation-pg', '0.54.0');

  const server = http.startSpan('POST /pokemon/import', {
    kind: SpanKind.SERVER,
    startTime: at(123_456_789),
    attributes: { 'http.method': 'POST', 'http.route': '/pokemon/import', 'http.status_code': 200 },
  });
  const inServer = trace.setSpan(ROOT_CONTEXT, server);

  const validate = app.startSpan(
    'validate request',
    {
      startTime: at(124_000_001),
      attributes: {
        'app.string': 'snorlax',
        'app.unicode': 'Pokémon ✓',
        'app.int': 143,
        'app.negative_int': -7,
        'app.max_safe_int': Number.MAX_SAFE_INTEGER,
        'app.half': 0.5,
        'app.tiny': 1e-7,
        'app.sum': 0.1 + 0.2,
        'app.bool': true,
        'app.false': false,
        'app.strings': ['a', 'b "quoted"'],
        'app.numbers': [1, 2.5],
        'app.bools': [true, false],
        'app.empty': [],
      },
    },
    inServer,
  );
  validate.addEvent('validated', { 'validation.rules': 3, 'validation.result': 'ok' }, at(124_100_999));
  validate.end(at(124_351_802));

  const publish = amqp.startSpan(
    'queue.synchronizePokemon publish',
    {
      kind: SpanKind.PRODUCER,
      startTime: at(125_571_294),
      links: [{ context: validate.spanContext(), attributes: { 'link.reason': 'validated by' } }],
      attributes: { 'messaging.system': 'rabbitmq', 'messaging.operation': 'publish' },
    },
    inServer,
  );
  const consumer = amqp.startSpan(
    'queue.synchronizePokemon process',
    { kind: SpanKind.CONSUMER, startTime: at(132_359_909) },
    trace.setSpan(ROOT_CONTEXT, publish),
  );
  publish.end(at(126_969_371));

  const insert = pg.startSpan(
    'pg.query:INSERT pokeshop',
    {
      kind: SpanKind.CLIENT,
      startTime: at(133_000_000),
      attributes: { 'db.system': 'postgresql', 'db.statement': 'INSERT INTO pokemon (name) VALUES ($1)' },
    },
    trace.setSpan(ROOT_CONTEXT, consumer),
  );
  insert.recordException({ name: 'error', message: 'duplicate key value violates unique constraint "pokemon_pkey"' }, at(134_500_000));
  insert.setStatus({ code: SpanStatusCode.ERROR, message: 'duplicate key value violates unique constraint "pokemon_pkey"' });
  insert.end(at(135_812_530));
  consumer.end(at(187_573_918));

  server.setStatus({ code: SpanStatusCode.OK });
  server.end(at(148_170_201));
  return exporter.getFinishedSpans();
}

const recorded = recordSpans();
const idOf = (name: string): string => recorded.find((s) => s.name === name)!.spanContext().spanId;

function decodeProtobuf(): RawSpan[] {
  const bytes = ProtobufTraceSerializer.serializeRequest(recorded);
  assert.ok(bytes);
  const decoded = decodeOtlpProtobuf(bytes);
  assert.ok(decoded.ok, decoded.ok ? '' : decoded.error.message);
  assert.deepEqual(decoded.value.warnings, []);
  return decoded.value.spans;
}

function decodeJson(): RawSpan[] {
  const bytes = JsonTraceSerializer.serializeRequest(recorded);
  assert.ok(bytes);
  const decoded = decodeTraceText(new TextDecoder().decode(bytes));
  assert.ok(decoded.ok, decoded.ok ? '' : decoded.error.message);
  assert.equal(decoded.value.format, 'otlp');
  assert.deepEqual(decoded.value.warnings, []);
  return decoded.value.spans;
}

for (const [encoding, decode] of [
  ['protobuf', decodeProtobuf],
  ['JSON', decodeJson],
] as const) {
  describe(`OTLP ${encoding} from the OpenTelemetry JS SDK`, () => {
    const spans = decode();
    const byName = (name: string): RawSpan => {
      const span = spans.find((s) => s.name === name);
      assert.ok(span, `no span "${name}"`);
      return span;
    };

    it('keeps every span with its ids and parent links', () => {
      assert.equal(spans.length, 5);
      const traceId = recorded[0]!.spanContext().traceId;
      assert.match(traceId, /^[0-9a-f]{32}$/);
      for (const span of spans) {
        assert.equal(span.traceId, traceId);
        assert.equal(span.id, idOf(span.name));
      }
      assert.equal(byName('POST /pokemon/import').parentId, '');
      assert.equal(byName('validate request').parentId, idOf('POST /pokemon/import'));
      assert.equal(byName('queue.synchronizePokemon process').parentId, idOf('queue.synchronizePokemon publish'));
      assert.equal(byName('pg.query:INSERT pokeshop').parentId, idOf('queue.synchronizePokemon process'));
    });

    it('keeps start and end times to the nanosecond', () => {
      assert.equal(byName('POST /pokemon/import').startTime, ns(123_456_789));
      assert.equal(byName('POST /pokemon/import').endTime, ns(148_170_201));
      assert.equal(byName('validate request').startTime, ns(124_000_001));
      assert.equal(byName('validate request').endTime, ns(124_351_802));
      assert.equal(byName('validate request').events[0]!.time, ns(124_100_999));
    });

    it('maps span kinds and statuses', () => {
      assert.deepEqual(spans.map((s) => [s.name, s.kind, s.status.code]).sort(), [
        ['POST /pokemon/import', 'server', 'STATUS_CODE_OK'],
        ['pg.query:INSERT pokeshop', 'client', 'STATUS_CODE_ERROR'],
        ['queue.synchronizePokemon process', 'consumer', 'STATUS_CODE_UNSET'],
        ['queue.synchronizePokemon publish', 'producer', 'STATUS_CODE_UNSET'],
        ['validate request', 'internal', 'STATUS_CODE_UNSET'],
      ]);
      assert.equal(byName('pg.query:INSERT pokeshop').status.message, 'duplicate key value violates unique constraint "pokemon_pkey"');
    });

    it('turns every attribute type into the text the languages compare', () => {
      assert.deepEqual(Object.fromEntries(byName('validate request').attributes), {
        'app.string': 'snorlax',
        'app.unicode': 'Pokémon ✓',
        'app.int': '143',
        'app.negative_int': '-7',
        'app.max_safe_int': '9007199254740991',
        'app.half': '0.5',
        'app.tiny': '1e-7',
        'app.sum': '0.30000000000000004',
        'app.bool': 'true',
        'app.false': 'false',
        'app.strings': '["a","b \\"quoted\\""]',
        'app.numbers': '[1,2.5]',
        'app.bools': '[true,false]',
        'app.empty': '[]',
      });
      assert.equal(byName('POST /pokemon/import').attributes.get('http.status_code'), '200');
    });

    it('keeps resource and scope', () => {
      const server = byName('POST /pokemon/import');
      assert.deepEqual(Object.fromEntries(server.resource), { 'service.name': 'pokeshop-api', 'service.version': '1.4.2', 'process.pid': '4242' });
      assert.deepEqual({ name: server.scope.name, version: server.scope.version }, { name: '@opentelemetry/instrumentation-http', version: '0.216.0' });
      assert.equal(byName('validate request').scope.name, 'pokeshop-api');
      assert.equal(byName('validate request').scope.version, '');
    });

    it('keeps events and links with their attributes', () => {
      assert.deepEqual(byName('validate request').events, [
        {
          name: 'validated',
          time: ns(124_100_999),
          attributes: new Map([
            ['validation.rules', '3'],
            ['validation.result', 'ok'],
          ]),
        },
      ]);
      const exception = byName('pg.query:INSERT pokeshop').events[0]!;
      assert.equal(exception.name, 'exception');
      assert.equal(exception.attributes.get('exception.message'), 'duplicate key value violates unique constraint "pokemon_pkey"');
      assert.deepEqual(byName('queue.synchronizePokemon publish').links, [
        { traceId: recorded[0]!.spanContext().traceId, spanId: idOf('validate request'), attributes: new Map([['link.reason', 'validated by']]) },
      ]);
    });

    it('builds into the tree the SDK recorded', () => {
      const trace = buildTrace(spans);
      assert.deepEqual(trace.problems, []);
      assert.deepEqual(
        trace.spans.map((s) => `${'  '.repeat(s.depth)}${s.name}`),
        [
          'Tracetest trigger',
          '  POST /pokemon/import',
          '    validate request',
          '    queue.synchronizePokemon publish',
          '      queue.synchronizePokemon process',
          '        pg.query:INSERT pokeshop',
        ],
      );
      const insert = trace.spans[5]!;
      assert.equal(insert.flat.get('tracetest.span.type'), 'database');
      assert.equal(insert.flat.get('tracetest.span.duration'), '2812530');
      assert.equal(insert.flat.get('service.name'), 'pokeshop-api');
    });
  });
}

describe('OTLP protobuf and JSON from the same SDK spans', () => {
  it('decode to identical spans', () => {
    assert.deepEqual(decodeProtobuf(), decodeJson());
  });
});
