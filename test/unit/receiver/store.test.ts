// The receiver's TraceStore: spans kept per trace id within limits, waiters told as spans arrive.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RawSpan } from '../../../src/core/trace/model';
import { truncatedFrom, utf8Length } from '../../../src/core/trace/truncate';
import { TraceStore, type StoredTrace } from '../../../src/run/sources/otlp/store';

const traceId = (n: number): string => n.toString(16).padStart(32, '0');
let spanCounter = 0;

function span(trace: number, name = `span ${++spanCounter}`, attributes: Record<string, string> = {}): RawSpan {
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
    attributes: new Map(Object.entries(attributes)),
    events: [],
    links: [],
  };
}

/** A span holding about `kib` KiB of attribute text. */
const sized = (trace: number, kib: number): RawSpan => span(trace, undefined, { payload: 'x'.repeat(kib * 1024) });
const KIB = 1024;

describe('TraceStore', () => {
  it('keeps spans per trace id, in arrival order, across batches', () => {
    const store = new TraceStore();
    store.add([span(1, 'a'), span(2, 'x'), span(1, 'b')]);
    store.add([span(1, 'c')]);
    assert.deepEqual(
      store.get(traceId(1))?.spans.map((s) => s.name),
      ['a', 'b', 'c'],
    );
    assert.deepEqual(
      store.get(traceId(2))?.spans.map((s) => s.name),
      ['x'],
    );
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

  it('keeps 100,000 spans of a trace by default and drops the next, unless configured to keep more', () => {
    const spans = Array.from({ length: 100_001 }, () => span(1, 'x'));
    const byDefault = new TraceStore();
    assert.equal(byDefault.add(spans).overSpanLimit, 1);
    assert.equal(byDefault.get(traceId(1))?.spans.length, 100_000);
    const configured = new TraceStore({ maxSpansPerTrace: 1_000_000 });
    assert.equal(configured.add(spans).overSpanLimit, 0);
    assert.equal(configured.get(traceId(1))?.spans.length, 100_001);
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

  it('counts a batch added by a listener on its own, and the batch that called the listener as it was', () => {
    const store = new TraceStore();
    const calls: [string, number][] = [];
    let nested = false;
    store.subscribeAll((trace, added) => {
      calls.push([trace.traceId, added]);
      if (nested) return;
      nested = true;
      store.add([span(2)]);
    });
    store.add([span(1), span(2), span(2)]);
    assert.deepEqual(calls, [
      [traceId(1), 1],
      [traceId(2), 1],
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

  it('counts the bytes each trace holds and their total, and forgets them with the trace', () => {
    const store = new TraceStore();
    store.add([sized(1, 10), sized(2, 20)]);
    store.add([sized(1, 10)]);
    const one = store.get(traceId(1))!.bytes;
    const two = store.get(traceId(2))!.bytes;
    // The text plus a few hundred bytes of objects per span.
    assert.ok(one > 20 * KIB && one < 24 * KIB, `trace 1 holds ${one} bytes`);
    assert.ok(two > 20 * KIB && two < 24 * KIB, `trace 2 holds ${two} bytes`);
    assert.equal(store.bytes, one + two);
    store.delete(traceId(1));
    assert.equal(store.bytes, two);
  });

  it('counts a resource shared by the spans of one export once per trace', () => {
    const store = new TraceStore();
    const resource = new Map([
      ['service.name', 'api'],
      ['big', 'r'.repeat(50 * KIB)],
    ]);
    const batch = [span(1), span(1), span(1), span(2)].map((s) => ({ ...s, resource }));
    store.add(batch);
    const one = store.get(traceId(1))!.bytes;
    const two = store.get(traceId(2))!.bytes;
    assert.ok(one > 50 * KIB && one < 55 * KIB, `trace 1 holds ${one} bytes`);
    assert.ok(two > 50 * KIB && two < 55 * KIB, `trace 2 holds ${two} bytes`);
  });

  it('evicts the least recently updated traces to stay within maxBytes', () => {
    const store = new TraceStore({ maxBytes: 100 * KIB });
    for (const n of [1, 2, 3]) store.add([sized(n, 30)]);
    store.add([sized(1, 1)]); // 1 is now the most recent; 2 is the oldest
    store.add([sized(4, 30)]);
    assert.deepEqual(store.traceIds(), [traceId(3), traceId(1), traceId(4)]);
    assert.ok(store.bytes <= 100 * KIB);
    // One big trace pushes out as many old ones as it needs.
    store.add([sized(5, 60)]);
    assert.deepEqual(store.traceIds(), [traceId(4), traceId(5)]);
    assert.ok(store.bytes <= 100 * KIB);
  });

  it('never evicts a trace someone waits for: new spans are dropped and counted when only those are left', () => {
    const store = new TraceStore({ maxBytes: 100 * KIB });
    const seen: number[] = [];
    store.subscribe(traceId(1), (_trace, added) => seen.push(added));
    store.add([sized(1, 40), sized(1, 40)]);
    store.add([sized(2, 10)]);
    let outcome = store.add([sized(3, 15)]);
    assert.deepEqual(store.traceIds(), [traceId(1), traceId(3)], 'trace 2 made room, trace 1 stays');
    assert.equal(outcome.overByteLimit, 0);
    outcome = store.add([sized(1, 30), sized(4, 30), sized(4, 1)]);
    assert.equal(outcome.overByteLimit, 3);
    assert.equal(store.get(traceId(1))!.spans.length, 2);
    assert.equal(store.get(traceId(1))!.dropped, 1);
    assert.ok(store.bytes <= 100 * KIB, `the store holds ${store.bytes} bytes`);
    assert.deepEqual(seen, [2]);
  });

  it('cuts text over maxTextBytes, marks it, and counts what it cut', () => {
    const store = new TraceStore({ maxTextBytes: 1000 });
    const long = span(1, 'n'.repeat(5000), {
      body: 'b'.repeat(15 * 1024 * 1024),
      short: 'kept',
      ['k'.repeat(2000)]: 'v',
      accents: 'é'.repeat(600),
      emoji: '😀'.repeat(400),
      fits: 'é'.repeat(500),
    });
    long.events.push({ name: 'e', time: 0n, attributes: new Map([['payload', 'p'.repeat(3000)]]) });
    const outcome = store.add([long]);
    assert.equal(outcome.truncated, 6);
    const stored = store.get(traceId(1))!.spans[0]!;
    const body = stored.attributes.get('body')!;
    assert.equal(utf8Length(body), 1000);
    assert.ok(body.startsWith('bbbb'));
    // The limit is in UTF-8 bytes: 600 × é is 1,200 bytes and cut, 500 × é fits; no character is split.
    assert.equal(truncatedFrom(stored.attributes.get('accents')!), 1200);
    assert.equal(stored.attributes.get('fits'), 'é'.repeat(500));
    const emoji = stored.attributes.get('emoji')!;
    assert.ok(utf8Length(emoji) <= 1000 && /^(😀)+…\[truncated from 1600 bytes\]$/u.test(emoji), emoji);
    assert.equal(truncatedFrom(body), 15 * 1024 * 1024);
    assert.equal(stored.attributes.get('short'), 'kept');
    assert.equal(truncatedFrom(stored.name), 5000);
    assert.equal(truncatedFrom(stored.events[0]!.attributes.get('payload')!), 3000);
    const keys = [...stored.attributes.keys()];
    assert.deepEqual(keys.slice(0, 2), ['body', 'short'], 'order kept');
    assert.equal(truncatedFrom(keys[2]!), 2000);
    assert.ok(store.bytes < 10 * 1024, `the store holds ${store.bytes} bytes for a 15 MiB attribute`);
  });

  it('calls every listener whatever the others throw, and says what they threw', () => {
    const store = new TraceStore();
    const calls: string[] = [];
    store.subscribe(traceId(1), () => {
      throw new Error('listener broke');
    });
    store.subscribeAll((trace) => calls.push(trace.traceId));
    const outcome = store.add([span(1)]);
    assert.deepEqual(calls, [traceId(1)]);
    assert.equal((outcome.listenerErrors[0] as Error).message, 'listener broke');
    assert.equal(store.get(traceId(1))!.spans.length, 1);
  });
});
