// The critical path by the last-finishing-child method on hand-made traces (built by buildTrace, so the trigger
// span is the root as in every real run), and its invariants on a large generated trace.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { criticalPath } from '../../../src/core/trace/critical-path';
import type { Trace } from '../../../src/core/trace/model';
import { generateTrace } from '../../support/generated-trace';
import { TraceBuilder } from '../../support/trace-builder';

/** Segments as [span name, start ms, end ms] after the trace start. */
function segments(trace: Trace): Array<[string, number, number]> {
  const t0 = trace.root.startTime;
  const ms = (ns: bigint) => Number(ns - t0) / 1e6;
  return criticalPath(trace).segments.map((s) => [trace.spans[s.spanIndex]!.name, ms(s.startNs), ms(s.endNs)]);
}

function onPath(trace: Trace): string[] {
  const { onPath } = criticalPath(trace);
  return trace.spans.filter((s) => onPath[s.index] === 1).map((s) => s.name);
}

const TRIGGER = 'Tracetest trigger';

describe('criticalPath', () => {
  it('follows sequential children back to front, with the parent owning the gaps', () => {
    const trace = new TraceBuilder()
      .span('api', { startMs: 0, durationMs: 40 })
      .span('auth', { parent: 'api', startMs: 0, durationMs: 10 })
      .span('load', { parent: 'api', startMs: 12, durationMs: 8 })
      .span('save', { parent: 'api', startMs: 20, durationMs: 15 })
      .build();
    assert.deepEqual(segments(trace), [
      ['auth', 0, 10],
      ['api', 10, 12],
      ['load', 12, 20],
      ['save', 20, 35],
      ['api', 35, 40],
    ]);
    assert.deepEqual(onPath(trace), [TRIGGER, 'api', 'auth', 'load', 'save']);
    assert.equal(criticalPath(trace).totalNs, 40_000_000n);
  });

  it('takes the last finisher among overlapping children and skips a sibling still running at its start', () => {
    const trace = new TraceBuilder()
      .span('api', { startMs: 0, durationMs: 100 })
      .span('users', { parent: 'api', startMs: 0, durationMs: 50 })
      .span('stock', { parent: 'api', startMs: 20, durationMs: 70 })
      .span('cache', { parent: 'api', startMs: 5, durationMs: 10 })
      .build();
    // stock ends last (90); users ends at 50, after stock started (20), so it is not on the path; cache ended by 20.
    assert.deepEqual(segments(trace), [
      ['api', 0, 5],
      ['cache', 5, 15],
      ['api', 15, 20],
      ['stock', 20, 90],
      ['api', 90, 100],
    ]);
    assert.ok(!onPath(trace).includes('users'));
  });

  it('breaks a tie on the end in favour of the child that started first', () => {
    const trace = new TraceBuilder()
      .span('api', { startMs: 0, durationMs: 30 })
      .span('short', { parent: 'api', startMs: 20, durationMs: 10 })
      .span('long', { parent: 'api', startMs: 5, durationMs: 25 })
      .build();
    assert.deepEqual(segments(trace), [
      ['api', 0, 5],
      ['long', 5, 30],
    ]);
  });

  it('clips a child that ends after its parent to the parent, the rest of the time being the parent’s caller’s', () => {
    const trace = new TraceBuilder()
      .span('api', { startMs: 0, durationMs: 50 })
      .span('fire and forget', { parent: 'api', startMs: 10, durationMs: 70 })
      .build();
    // The trigger span covers the whole trace (0–80): after api returned at 50, nothing the trigger waited for ran.
    assert.deepEqual(segments(trace), [
      ['api', 0, 10],
      ['fire and forget', 10, 50],
      [TRIGGER, 50, 80],
    ]);
    assert.equal(criticalPath(trace).totalNs, 80_000_000n);
  });

  it('never lets a consumer span or its subtree block its parent', () => {
    const trace = new TraceBuilder()
      .span('POST /orders', { kind: 'server', startMs: 0, durationMs: 40 })
      .span('orders publish', { parent: 'POST /orders', kind: 'producer', startMs: 10, durationMs: 5 })
      .span('orders process', { parent: 'orders publish', kind: 'consumer', startMs: 20, durationMs: 80 })
      .span('UPDATE orders', { parent: 'orders process', kind: 'client', startMs: 30, durationMs: 60 })
      // A consumer that finishes last inside its parent's window is still left out: the db call is chosen instead.
      .span('INSERT orders', { parent: 'POST /orders', kind: 'client', startMs: 16, durationMs: 4 })
      .span('inline consume', { parent: 'POST /orders', kind: 'consumer', startMs: 18, durationMs: 20 })
      .build();
    assert.deepEqual(segments(trace), [
      ['POST /orders', 0, 10],
      ['orders publish', 10, 15],
      ['POST /orders', 15, 16],
      ['INSERT orders', 16, 20],
      ['POST /orders', 20, 40],
      [TRIGGER, 40, 100],
    ]);
    const names = onPath(trace);
    for (const name of ['orders process', 'UPDATE orders', 'inline consume']) assert.ok(!names.includes(name), name);
  });

  it('clips a child that starts before its parent (clock skew) to the parent’s start', () => {
    const trace = new TraceBuilder()
      .span('api', { startMs: 0, durationMs: 60 })
      .span('handler', { parent: 'api', startMs: 10, durationMs: 40 })
      .span('db', { parent: 'handler', startMs: 5, durationMs: 25 })
      .span('skewed away', { parent: 'handler', startMs: 1, durationMs: 2 })
      .build();
    assert.deepEqual(segments(trace), [
      ['api', 0, 10],
      ['db', 10, 30],
      ['handler', 30, 50],
      ['api', 50, 60],
    ]);
    assert.ok(!onPath(trace).includes('skewed away'), 'a child entirely before its parent is left out');
  });

  it('puts a single span’s whole duration on the path', () => {
    const trace = new TraceBuilder().span('GET /health', { startMs: 0, durationMs: 3 }).build();
    assert.deepEqual(segments(trace), [['GET /health', 0, 3]]);
    assert.deepEqual(onPath(trace), [TRIGGER, 'GET /health']);
  });

  it('gives a zero-length root no segments', () => {
    const trace = new TraceBuilder().span('instant', { startMs: 0, durationMs: 0 }).build();
    const path = criticalPath(trace);
    assert.deepEqual(path.segments, []);
    assert.equal(path.totalNs, 0n);
  });

  it('walks a chain deeper than the call stack', () => {
    const builder = new TraceBuilder();
    const depth = 20_000;
    for (let i = 0; i < depth; i++) builder.span(`s${i}`, { ...(i > 0 ? { parent: `s${i - 1}` } : {}), startMs: i * 0.001, durationMs: 100 - i * 0.002 });
    const trace = builder.build();
    const path = criticalPath(trace);
    assert.equal(
      path.onPath.reduce((a, b) => a + b, 0),
      depth + 1,
    );
    assert.equal(path.totalNs, trace.root.endTime - trace.root.startTime);
  });

  it('tiles the root span exactly on a large generated trace and leaves consumers’ subtrees off the path', () => {
    const trace = generateTrace(20_000);
    const path = criticalPath(trace);
    let at = trace.root.startTime;
    for (const s of path.segments) {
      assert.equal(s.startNs, at, 'segments are contiguous');
      assert.ok(s.endNs > s.startNs);
      assert.equal(path.onPath[s.spanIndex], 1);
      at = s.endNs;
    }
    assert.equal(at, trace.root.endTime);
    assert.equal(path.totalNs, trace.root.endTime - trace.root.startTime);
    for (const span of trace.spans) {
      if (span.kind !== 'consumer') continue;
      for (let i = span.index; i <= span.subtreeEnd; i++) assert.equal(path.onPath[i], 0, `${trace.spans[i]!.name} under a consumer`);
    }
    for (const span of trace.spans) if (path.onPath[span.index] && span.parent) assert.equal(path.onPath[span.parent.index], 1, 'the path is connected');
  });
});
