// The comparison of a failing trace with the last passing one, on pairs of hand-made traces that differ in one way
// each: what a person reading "since the last pass" should be told, and what they should not (ids, small jitter).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareTraces, describeDifference } from '../../../src/core/compare/diff';
import type { Trace } from '../../../src/core/trace/model';
import { TraceBuilder, type SpanSpec } from '../../support/trace-builder';

type Shape = Array<[string, SpanSpec?]>;

function trace(shape: Shape): Trace {
  const b = new TraceBuilder();
  for (const [name, spec] of shape) b.span(name, spec);
  return b.build();
}

/** The pokeshop import: the API queues a message, the worker imports it and stores it (all within the API's span, so
 * that the trigger span, which covers the trace, keeps its duration). */
function importShape(extra: Shape = [], worker = true): Shape {
  return [
    ['POST /pokemon/import', { ref: 'api', service: 'pokeshop-api', kind: 'server', startMs: 0, durationMs: 300, attrs: { 'http.status_code': 200 } }],
    ['queue send', { parent: 'api', service: 'pokeshop-api', kind: 'producer', startMs: 5, durationMs: 3 }],
    ...(worker
      ? ([
          ['import pokemon', { ref: 'worker', parent: 'api', service: 'pokeshop-worker', startMs: 10, durationMs: 280 }],
          ['INSERT pokemon', { parent: 'worker', service: 'pokeshop-worker', startMs: 12, durationMs: 5 }],
          ['cache set', { parent: 'worker', service: 'pokeshop-worker', startMs: 20, durationMs: 2 }],
        ] as Shape)
      : []),
    ...extra,
  ];
}

function lines(previous: Trace, current: Trace, selected: string[] = []): string[] {
  return compareTraces(previous, current, { selectedSpanIds: selected }).map(describeDifference);
}

describe('compareTraces', () => {
  it('finds nothing between two runs of the same shape', () => {
    assert.deepEqual(lines(trace(importShape()), trace(importShape())), []);
  });

  it('says a missing span once, with the spans that went with it, and points at its parent', () => {
    const previous = trace(importShape());
    const current = trace(importShape([], false));
    const diffs = compareTraces(previous, current);
    assert.deepEqual(diffs.map(describeDifference), ["pokeshop-worker 'import pokemon' missing (with 2 spans under it)"]);
    const api = current.spans.find((s) => s.name === 'POST /pokemon/import')!;
    assert.deepEqual(diffs[0]!.spanIds, [api.id], 'the panel selects the nearest span still there');
    assert.equal(diffs[0]!.path.at(-1), "pokeshop-api 'POST /pokemon/import'");
  });

  it('says an added span, and the spans of the failing trace it is about', () => {
    const previous = trace(importShape());
    const current = trace(importShape([['retry', { parent: 'api', service: 'pokeshop-api', startMs: 25, durationMs: 1 }]]));
    const diffs = compareTraces(previous, current);
    assert.deepEqual(diffs.map(describeDifference), ["pokeshop-api 'retry' added"]);
    assert.equal(current.byId.get(diffs[0]!.spanIds[0]!)?.name, 'retry');
  });

  it('matches repeated siblings by count, and does not repeat the change for their children', () => {
    const selects = (n: number): Shape =>
      Array.from(
        { length: n },
        (_, i) =>
          [
            ['SELECT pokemon', { ref: `select${i}`, parent: 'worker', service: 'pokeshop-worker', startMs: 12 + i, durationMs: 1 }],
            ['pool acquire', { parent: `select${i}`, service: 'pokeshop-worker', startMs: 12 + i, durationMs: 0.1 }],
          ] as Shape,
      ).flat();
    assert.deepEqual(lines(trace(importShape(selects(12))), trace(importShape(selects(9)))), ["12 → 9 × pokeshop-worker 'SELECT pokemon'"]);
  });

  it('tells apart spans of the same name under different parents', () => {
    const previous = trace(importShape([['cache get', { parent: 'api', service: 'pokeshop-api' }]]));
    const current = trace(importShape([['cache get', { parent: 'worker', service: 'pokeshop-api' }]]));
    assert.deepEqual(lines(previous, current).sort(), ["pokeshop-api 'cache get' added", "pokeshop-api 'cache get' missing"]);
    const moved = compareTraces(previous, current).find((d) => d.kind === 'added')!;
    assert.deepEqual(moved.path.slice(-2), ["pokeshop-api 'POST /pokemon/import'", "pokeshop-worker 'import pokemon'"]);
  });

  it('compares the attributes and status of the spans the specs select, and only those', () => {
    const previous = trace(importShape());
    const failing = importShape();
    failing[0] = ['POST /pokemon/import', { ...failing[0]![1], attrs: { 'http.status_code': 500 }, error: 'Internal Server Error' }];
    failing[3] = ['INSERT pokemon', { ...failing[3]![1], attrs: { 'db.statement': 'INSERT INTO x' } }];
    const current = trace(failing);
    const api = current.spans.find((s) => s.name === 'POST /pokemon/import')!;
    assert.deepEqual(lines(previous, current, [api.id]), [`pokeshop-api 'POST /pokemon/import' status "UNSET" → "ERROR", http.status_code "200" → "500"`]);
    assert.deepEqual(lines(previous, current), [], 'spans no spec selects are not compared');
  });

  it('leaves out ids, times and response headers, which differ on every run', () => {
    const at = (id: string): Shape => [['GET /user', { service: 'api', attrs: { 'user.id': id, 'request.time': id, 'tracetest.response.headers': id } }]];
    const current = trace(at('2'));
    assert.deepEqual(
      lines(
        trace(at('1')),
        current,
        current.spans.map((s) => s.id),
      ),
      [],
    );
  });

  it('reports durations that changed by more than both the ratio and the milliseconds, not jitter', () => {
    const insert = (ms: number): Shape => importShape().map(([n, s]) => [n, n === 'INSERT pokemon' ? { ...s, durationMs: ms } : s]);
    assert.deepEqual(lines(trace(insert(5)), trace(insert(80))), ["pokeshop-worker 'INSERT pokemon' 5.0 ms → 80 ms"]);
    assert.deepEqual(lines(trace(insert(5)), trace(insert(20))), [], '+15 ms is under the 20 ms bound');
    assert.deepEqual(lines(trace(insert(200)), trace(insert(260))), [], '+30% is under the ratio');
    assert.deepEqual(compareTraces(trace(insert(200)), trace(insert(260)), { durationRatio: 0.2 }).map(describeDifference), [
      "pokeshop-worker 'INSERT pokemon' 200 ms → 260 ms",
    ]);
  });

  it('lists missing spans first, then added, counts, attributes and durations', () => {
    const previous = trace(importShape([['audit', { parent: 'api', service: 'pokeshop-api', durationMs: 1 }]]));
    const shape = importShape([['retry', { parent: 'api', service: 'pokeshop-api' }]]).map(([n, s]): [string, SpanSpec?] => [
      n,
      n === 'cache set' ? { ...s, durationMs: 90 } : s,
    ]);
    assert.deepEqual(
      compareTraces(previous, trace(shape)).map((d) => d.kind),
      ['missing', 'added', 'duration'],
    );
  });
});
