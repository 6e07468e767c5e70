// language.md §1: the span model as selectors see it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TraceBuilder } from '../../support/trace-builder';
import { pokeshopTrace, selected } from './support';

test('§1 resource then span attributes: a span attribute wins over a resource attribute of the same key', () => {
  const trace = new TraceBuilder()
    .span('plain', { service: 'api' })
    .span('overriding', { service: 'api', attrs: { 'service.name': 'override' } })
    .build();
  assert.deepEqual(selected(trace, 'span[service.name="override"]'), ['overriding']);
  assert.deepEqual(selected(trace, 'span[service.name="api"]'), ['plain']);
});

test('§1 `name` and `kind` are span properties, not attributes of the same name', () => {
  const trace = new TraceBuilder().span('real name', { kind: 'server', attrs: { name: 'attribute name', kind: 'attribute kind' } }).build();
  assert.deepEqual(selected(trace, 'span[name="real name"]'), ['real name']);
  assert.deepEqual(selected(trace, 'span[name="attribute name"]'), []);
  assert.deepEqual(selected(trace, 'span[kind="server"]'), ['real name']);
  assert.deepEqual(selected(trace, 'span[kind="attribute kind"]'), []);
});

test('§1 every span kind can be selected by its lowercase name', () => {
  const kinds = ['server', 'client', 'internal', 'producer', 'consumer', 'unspecified'] as const;
  const builder = new TraceBuilder();
  for (const kind of kinds) builder.span(`${kind} span`, { kind });
  const trace = builder.build();
  for (const kind of kinds) assert.deepEqual(selected(trace, `span[kind="${kind}" name!="Tracetest trigger"]`), [`${kind} span`]);
});

test('§1 values are text: integers in decimal, booleans as true/false, doubles in shortest form', () => {
  const trace = new TraceBuilder().span('typed', { attrs: { count: 42, ok: true, ratio: 0.5 } }).build();
  for (const selector of ['span[count="42"]', 'span[count=42]', 'span[ok="true"]', 'span[ok=true]', 'span[ratio="0.5"]', 'span[ratio=0.5]']) {
    assert.deepEqual(selected(trace, selector), ['typed'], selector);
  }
  assert.deepEqual(selected(trace, 'span[ok=false]'), []);
});

test('§1 array and map values are JSON text that contains can search', () => {
  const trace = new TraceBuilder().span('tagged', { attrs: { tags: '["red","blue"]' } }).build();
  assert.deepEqual(selected(trace, `span[tags contains '"blue"']`), ['tagged']);
  assert.deepEqual(selected(trace, 'span[tags=\'["red","blue"]\']'), ['tagged']);
});

test('§1 tracetest.span.name is the span name', () => {
  assert.deepEqual(selected(pokeshopTrace(), 'span[tracetest.span.name="import pokemon"]'), ['import pokemon']);
});

test('§1 tracetest.span.type classifies spans by attribute prefix', () => {
  const trace = new TraceBuilder()
    .span('h', { attrs: { 'http.method': 'GET' } })
    .span('d', { attrs: { 'db.system': 'redis' } })
    .span('r', { attrs: { 'rpc.system': 'grpc' } })
    .span('m', { attrs: { 'messaging.system': 'kafka' } })
    .span('f', { attrs: { 'faas.trigger': 'http' } })
    .span('e', { attrs: { 'exception.type': 'Error' } })
    .span('g', { attrs: { 'custom.thing': 1 } })
    .span('both', { attrs: { 'db.system': 'redis', 'http.method': 'GET' } })
    .span('documentLoad', { attrs: { 'http.url': 'https://x' } })
    .build();
  assert.deepEqual(selected(trace, 'span[tracetest.span.type="http"]'), ['h', 'both']);
  assert.deepEqual(selected(trace, 'span[tracetest.span.type="database"]'), ['d']);
  assert.deepEqual(selected(trace, 'span[tracetest.span.type="rpc"]'), ['r']);
  assert.deepEqual(selected(trace, 'span[tracetest.span.type="messaging"]'), ['m']);
  assert.deepEqual(selected(trace, 'span[tracetest.span.type="faas"]'), ['f']);
  assert.deepEqual(selected(trace, 'span[tracetest.span.type="exception"]'), ['e']);
  assert.deepEqual(selected(trace, 'span[tracetest.span.type="general"]'), ['Tracetest trigger', 'g', 'documentLoad']);
});

test('§1 tracetest.span.duration is integer nanoseconds and compares numerically', () => {
  const trace = new TraceBuilder()
    .span('fast', { durationNs: 999_999n })
    .span('exact', { durationNs: 1_000_000n })
    .span('slow', { durationNs: 25_000_000n })
    .build();
  assert.deepEqual(selected(trace, 'span[tracetest.span.duration=1000000]'), ['exact']);
  assert.deepEqual(selected(trace, 'span[tracetest.span.duration>=1000000 name!="Tracetest trigger"]'), ['exact', 'slow']);
  assert.deepEqual(selected(trace, 'span[tracetest.span.duration<1000000]'), ['fast']);
});

test('§1 start and end times are Unix nanoseconds that compare exactly, beyond double precision', () => {
  const trace = new TraceBuilder().span('first', { startMs: 0 }).span('second', { startMs: 0.000001 }).build();
  const [first, second] = [trace.spans[1]!, trace.spans[2]!];
  assert.equal(second.startTime - first.startTime, 1n, 'the two spans start one nanosecond apart');
  assert.deepEqual(selected(trace, `span[tracetest.span.start_time=${first.startTime} name!="Tracetest trigger"]`), ['first']);
  assert.deepEqual(selected(trace, `span[tracetest.span.start_time>${first.startTime}]`), ['second']);
  assert.deepEqual(selected(trace, `span[tracetest.span.end_time=${second.endTime} name!="Tracetest trigger"]`), ['second']);
  assert.deepEqual(selected(trace, `span[tracetest.span.end_time<${second.endTime}]`), ['first']);
});

test('§1 tracetest.span.parent_id is the parent id in hex, empty for the trigger span', () => {
  const trace = pokeshopTrace();
  const publish = trace.spans.find((s) => s.name === 'queue.synchronizePokemon publish')!;
  assert.deepEqual(selected(trace, `span[tracetest.span.parent_id="${publish.id}"]`), ['queue.synchronizePokemon process']);
  assert.deepEqual(selected(trace, 'span[tracetest.span.parent_id=""]'), ['Tracetest trigger']);
});

test('§1 tracetest.span.status_code and status_description', () => {
  const trace = new TraceBuilder().span('ok').span('broken', { error: 'connection refused' }).build();
  assert.deepEqual(selected(trace, 'span[tracetest.span.status_code="STATUS_CODE_ERROR"]'), ['broken']);
  assert.deepEqual(selected(trace, 'span[tracetest.span.status_description contains "refused"]'), ['broken']);
  assert.deepEqual(selected(trace, 'span[tracetest.span.status_code="STATUS_CODE_UNSET"]'), ['Tracetest trigger', 'ok']);
});

test('§1 the trigger span is the root: `Tracetest trigger`, service tracetest, type general', () => {
  const trace = pokeshopTrace();
  assert.deepEqual(selected(trace, 'span[name="Tracetest trigger"]'), ['Tracetest trigger']);
  assert.deepEqual(selected(trace, 'span[tracetest.span.type="general" name="Tracetest trigger" service.name="tracetest"]'), ['Tracetest trigger']);
  assert.equal(select0(trace, 'span[]:first'), trace.spans[0]);
});

test('§1 the trigger span carries the HTTP response for selectors', () => {
  const trace = new TraceBuilder().span('GET /').build({
    attributes: new Map([
      ['tracetest.response.status', '200'],
      ['tracetest.response.body', '{"id":143}'],
    ]),
  });
  assert.deepEqual(selected(trace, 'span[tracetest.response.status=200]'), ['Tracetest trigger']);
  assert.deepEqual(selected(trace, 'span[tracetest.response.body contains "143"]'), ['Tracetest trigger']);
});

test('§1 several parentless spans all hang under the trigger span', () => {
  const trace = new TraceBuilder().span('root a').span('root b').span('child of b', { parent: 'root b' }).build();
  assert.deepEqual(selected(trace, 'span[name="Tracetest trigger"] span[]'), ['root a', 'root b', 'child of b']);
  assert.deepEqual(selected(trace, 'span[tracetest.span.parent_id=""]'), ['Tracetest trigger']);
});

test('§1 span order is pre-order with children by start time, ties by span id', () => {
  const trace = new TraceBuilder()
    .span('parent', { startMs: 0 })
    .span('late', { parent: 'parent', startMs: 30 })
    .span('tie b', { parent: 'parent', startMs: 10 })
    .span('early', { parent: 'parent', startMs: 5 })
    .span('under late', { parent: 'late', startMs: 31 })
    .build();
  // `tie b` was added before `tie a`, so it has the smaller span id and comes first at the same start time.
  const withTie = new TraceBuilder()
    .span('parent', { startMs: 0 })
    .span('tie b', { parent: 'parent', startMs: 10 })
    .span('tie a', { parent: 'parent', startMs: 10 })
    .build();
  assert.deepEqual(selected(trace, 'span[name="parent"] span[]'), ['early', 'tie b', 'late', 'under late']);
  assert.deepEqual(selected(trace, 'span[name="parent"] span[]:first'), ['early']);
  assert.deepEqual(selected(trace, 'span[name="parent"] span[]:last'), ['under late']);
  assert.deepEqual(selected(trace, 'span[name="parent"] span[]:nth_child(3)'), ['late']);
  assert.deepEqual(selected(withTie, 'span[name="parent"] span[]'), ['tie b', 'tie a']);
});

function select0(trace: ReturnType<typeof pokeshopTrace>, selector: string) {
  const [name] = selected(trace, selector);
  return trace.spans.find((s) => s.name === name);
}
