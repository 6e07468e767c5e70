// The receiver's TraceStore: spans kept per trace id within limits, waiters told as spans arrive.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RawSpan } from '../../../src/core/trace/model';
import { TraceStore, type StoredTrace } from '../../../src/run/sources/otlp/store';

const traceId = (n: number): string => n.toString(16).padStart(32, '0');
let spanCounter = 0;

function span(trace: number, name = `span ${++spanCounter}`): RawSpan {
  return {
    traceId: traceId(trace),
    id: (++spanCounter).toString(16).padStart(16, '0'),
    parentId: '',
    name,
    kind: 'internal',
    startTime: 0n,
    endTime: 0n,
    status: { code: 'STATUS_CODE_UNSET', message: '' },
    resource: new Map(),
    scope: { name: '', version: '', attributes: new Map() },
    attributes: new Map(),
    events: [],
    links: [],
  };
}

describe('TraceStore', () => {
  it('keeps spans per trace id, in arrival order, across batches', () => {
    const store = new TraceStore();
    store.add([span(1, 'a'), span(2, 'x'), span(1, 'b')]);
    store.add([span(1, 'c')]);
    assert.deepEqual(store.get(traceId(1))?.spans.map((s) => s.name), ['a', 'b', 'c']);
    assert.deepEqual(store.get(traceId(2))?.spans.map((s) => s.name), ['x']);
    assert.equal(store.get(traceId(3)), undefined);
    assert.equal(store.size, 2);
  });

  it('evicts the least recently updated traces beyond the trace limit', () => {
    const store = new TraceStore({ maxTraces: 3, maxSpansPerTrace: 10 });
    for (const n of [1, 2, 3]) store.add([span(n)]);
    store.add([span(1)]); // 1 is now the most recent; 2 is the oldest
    store.add([span(4)]);
    assert.deepEqual(store.traceIds(), [traceId(3), traceId(1), traceId(4)]);
    store.add([span(5), span(6)]);
    assert.deepEqual(store.traceIds(), [traceId(4), traceId(5), traceId(6)]);
  });

  it('keeps a trace someone is waiting for even when it is the oldest', () => {
    const store = new TraceStore({ maxTraces: 2, maxSpansPerTrace: 10 });
    store.add([span(1)]);
    const unsubscribe = store.subscribe(traceId(1), () => {});
    store.add([span(2)]);
    store.add([span(3)]);
    assert.ok(store.get(traceId(1)), 'the awaited trace was evicted');
    assert.deepEqual(store.traceIds(), [traceId(1), traceId(3)]);
    unsubscribe();
    store.add([span(4)]);
    assert.equal(store.get(traceId(1)), undefined);
  });

  it('keeps a waiter for a trace that has not arrived yet, and tells it when it does', () => {
    const store = new TraceStore({ maxTraces: 1, maxSpansPerTrace: 10 });
    const seen: number[] = [];
    store.subscribe(traceId(7), (_trace, added) => seen.push(added));
    store.add([span(7), span(7)]);
    store.add([span(8)]);
    assert.deepEqual(seen, [2]);
    assert.equal(store.get(traceId(7))?.spans.length, 2);
  });

  it('drops spans beyond the per-trace limit and counts them', () => {
    const store = new TraceStore({ maxTraces: 10, maxSpansPerTrace: 3 });
    const added: number[] = [];
    store.subscribe(traceId(1), (_trace, count) => added.push(count));
    store.add([span(1), span(1)]);
    store.add([span(1), span(1), span(1)]);
    store.add([span(1)]);
    const stored = store.get(traceId(1))!;
    assert.equal(stored.spans.length, 3);
    assert.equal(stored.dropped, 3);
    // A batch that adds nothing (all dropped) notifies nobody.
    assert.deepEqual(added, [2, 1]);
  });

  it('notifies subscribers of their own trace only, once per batch, until they unsubscribe', () => {
    const store = new TraceStore();
    const calls: [string, number, number][] = [];
    const listener = (trace: StoredTrace, added: number) => calls.push([trace.traceId, added, trace.spans.length]);
    const unsubscribe = store.subscribe(traceId(1), listener);
    store.add([span(1), span(2), span(1)]);
    store.add([span(2)]);
    store.add([span(1)]);
    unsubscribe();
    store.add([span(1)]);
    assert.deepEqual(calls, [
      [traceId(1), 2, 2],
      [traceId(1), 1, 3],
    ]);
  });

  it('tells subscribeAll listeners about every trace', () => {
    const store = new TraceStore();
    const calls: [string, number][] = [];
    const unsubscribe = store.subscribeAll((trace, added) => calls.push([trace.traceId, added]));
    store.add([span(1), span(2), span(2)]);
    unsubscribe();
    store.add([span(3)]);
    assert.deepEqual(calls, [
      [traceId(1), 1],
      [traceId(2), 2],
    ]);
  });

  it('stamps updatedAt and forgets deleted traces', () => {
    const store = new TraceStore();
    const before = Date.now();
    store.add([span(1)]);
    assert.ok(store.get(traceId(1))!.updatedAt >= before);
    store.delete(traceId(1));
    assert.equal(store.get(traceId(1)), undefined);
    assert.equal(store.size, 0);
  });
});
