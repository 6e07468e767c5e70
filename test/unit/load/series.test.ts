import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TestRunResult } from '../../../src/core/engine/result';
import { evaluateTest } from '../../../src/core/engine/evaluate';
import { loadFile } from '../../../src/core/testfile/index';
import type { TestDef } from '../../../src/core/testfile/model';
import { FailingTraces, LoadSeries } from '../../../src/run/load/series';
import { TraceBuilder } from '../../support/trace-builder';

const TEST = loadFile(
  `type: Test
spec:
  id: orders
  trigger:
    type: http
    httpRequest:
      url: http://shop/orders
  specs:
  - name: stored once
    selector: span[name="INSERT orders"]
    assertions:
    - attr:tracetest.selected_spans.count = 1
  - selector: span[name="charge"]
    assertions:
    - attr:tracetest.span.duration < 50ms
`,
  'orders.yaml',
).resources[0]!.resource as TestDef;

/** A real judgement of a trace whose insert and charge took the given milliseconds (inserts: how many). */
function judged(traceId: string, chargeMs: number, inserts = 1): TestRunResult {
  const builder = new TraceBuilder().span('POST /orders', { durationMs: 200 });
  for (let i = 0; i < inserts; i++) builder.span('INSERT orders', { parent: 'POST /orders', durationMs: 4 });
  const trace = builder.span('charge', { parent: 'POST /orders', durationMs: chargeMs }).build();
  const evaluation = evaluateTest(TEST, trace, new Map());
  return {
    file: 'orders.yaml',
    id: 'orders',
    name: 'orders',
    status: evaluation.status,
    traceId,
    durationMs: 300,
    trigger: { type: 'http', status: 201, durationMs: 10 },
    specs: evaluation.specs,
    outputs: [],
    trace,
  };
}

const id = (n: number) => n.toString(16).padStart(32, '0');

describe('the load series', () => {
  test('each tick closes one second: requested against achieved, latency and per-spec figures of that second only', () => {
    const series = new LoadSeries(TEST, { model: { kind: 'open', rate: 100 }, rampUpMs: 0 });
    for (let i = 1; i <= 100; i++) series.answered(i);
    series.checked(judged(id(1), 10));
    series.checked(judged(id(2), 80));
    series.checked(judged(id(3), 10, 2));
    const first = series.tick({ elapsedMs: 1000, completed: 90 });
    assert.equal(first.t, 1);
    assert.equal(first.requested, 100);
    assert.equal(first.achieved, 90);
    assert.ok(Math.abs(first.latencyP50! - 50) <= 1, `p50 ${first.latencyP50}`);
    assert.ok(Math.abs(first.latencyP95! - 95) <= 1, `p95 ${first.latencyP95}`);
    // Spec 1 failed on the trace with two inserts; spec 2 on the slow charge.
    assert.deepEqual(
      first.specs.map((s) => s.passRate),
      [0.6667, 0.6667],
    );
    assert.ok(Math.abs(first.specs[1]!.spanP95! - 80) <= 1, `charge p95 ${first.specs[1]!.spanP95}`);
    assert.ok(Math.abs(first.specs[0]!.spanP50! - 4) <= 0.1);

    // A second with answers but no judged trace: no pass rate, no span durations; nothing carried over.
    series.answered(200);
    const second = series.tick({ elapsedMs: 2000, completed: 190 });
    assert.equal(second.achieved, 100);
    assert.ok(Math.abs(second.latencyP50! - 200) <= 2, `p50 ${second.latencyP50}`);
    assert.deepEqual(second.specs, [
      { passRate: null, spanP50: null, spanP95: null },
      { passRate: null, spanP50: null, spanP95: null },
    ]);
    // A second with no answer at all.
    const third = series.tick({ elapsedMs: 3000, completed: 190 });
    assert.equal(third.latencyP95, null);
    assert.equal(third.achieved, 0);
    assert.deepEqual(
      series.points.map((p) => p.t),
      [1, 2, 3],
    );
  });

  test('the requested rate follows the ramp-up; the closed model has none', () => {
    const ramp = new LoadSeries(TEST, { model: { kind: 'open', rate: 100 }, rampUpMs: 2000 });
    const requested = [1000, 2000, 3000].map((ms) => ramp.tick({ elapsedMs: ms, completed: 0 }).requested!);
    assert.ok(requested[0]! < requested[1]! && requested[1]! < requested[2]!, `${requested}`);
    assert.equal(requested[2], 100);
    const closed = new LoadSeries(TEST, { model: { kind: 'closed', vus: 5 }, rampUpMs: 0 });
    assert.equal(closed.tick({ elapsedMs: 1000, completed: 40 }).requested, null);
  });

  test('keeps at most its bound of points, the newest', () => {
    const series = new LoadSeries(TEST, { model: { kind: 'open', rate: 10 }, rampUpMs: 0 }, 50);
    for (let s = 1; s <= 120; s++) series.tick({ elapsedMs: s * 1000, completed: s * 10 });
    assert.equal(series.points.length, 50);
    assert.equal(series.points[0]!.t, 71);
    assert.equal(series.points.at(-1)!.t, 120);
  });
});

describe('failing traces', () => {
  test('lists what did not pass, newest first, with the specs that failed; passed traces are not listed', () => {
    let now = 1_000;
    const failing = new FailingTraces(25, 100, () => now++);
    failing.add(judged(id(1), 10));
    failing.add(judged(id(2), 80));
    failing.add(judged(id(3), 80, 2));
    assert.deepEqual(
      failing.list().map((f) => [f.traceId, f.at, f.status, f.specs, f.open]),
      [
        [id(3), 1001, 'failed', ['stored once', 'span[name="charge"]'], true],
        [id(2), 1000, 'failed', ['span[name="charge"]'], true],
      ],
    );
    assert.equal(failing.result(id(2))!.traceId, id(2));
    assert.equal(failing.result(id(1)), undefined);
  });

  test('keeps the list and the traces bounded: older traces can no longer be opened', () => {
    const failing = new FailingTraces(3, 5);
    for (let n = 1; n <= 8; n++) failing.add(judged(id(n), 80));
    const list = failing.list();
    assert.deepEqual(
      list.map((f) => f.traceId),
      [8, 7, 6, 5, 4].map(id),
    );
    assert.deepEqual(
      list.map((f) => f.open),
      [true, true, true, false, false],
    );
    assert.equal(failing.result(id(5)), undefined);
    assert.ok(failing.result(id(6)));
  });
});
