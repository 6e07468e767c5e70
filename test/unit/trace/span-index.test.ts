// The id index of a built trace: an open-addressing table that answers as a Map of the spans by id would.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Span } from '../../../src/core/trace/model';
import { SpanIndex } from '../../../src/core/trace/span-index';

/** Spans with just an id: all the index reads. */
const spansWith = (ids: string[]) => ids.map((id, index) => ({ id, index }) as Span);

describe('spans by id on a built trace', () => {
  test('every id finds its span, as a Map of them would; other ids find none', () => {
    // Ids of varied lengths: tests and Jaeger give short ones.
    const ids = Array.from({ length: 5_000 }, (_, i) => (i * 7919 + 1).toString(16).padStart(i % 3 === 0 ? 16 : 4, '0'));
    const spans = spansWith(ids);
    const index = new SpanIndex(ids.length);
    for (const span of spans) assert.equal(index.add(span), undefined);
    for (const span of spans) {
      assert.equal(index.get(span.id), span);
      assert.equal(index.has(span.id), true);
    }
    for (const absent of ['ffffffffffffffff', ids[3]!.slice(1), `${ids[3]!}0`, '']) {
      assert.equal(index.get(absent), undefined, absent);
      assert.equal(index.has(absent), false, absent);
    }
    assert.equal(index.size, spans.length);
    assert.deepEqual(index.spans(), spans);
    assert.deepEqual([...index], [...new Map(spans.map((s) => [s.id, s]))]);
  });

  test('a second span with an id already there is not added, and the first is returned', () => {
    const [a, b, again] = spansWith(['aa', 'bb', 'aa']);
    const index = new SpanIndex(3);
    index.add(a!);
    index.add(b!);
    assert.equal(index.add(again!), a);
    assert.equal(index.get('aa'), a);
    assert.deepEqual(index.spans(), [a, b]);
  });

  test('put replaces another span of its id in its place, else lists the span last, as a Map set (after a delete) would', () => {
    const [a, b, c] = spansWith(['aa', 'bb', 'cc']);
    const index = new SpanIndex(3);
    for (const s of [a!, b!, c!]) index.add(s);
    index.put(b!);
    assert.deepEqual([...index.values()], [a, c, b]);

    const [x, y, replacement] = spansWith(['xx', 'yy', 'xx']);
    const replaced = new SpanIndex(3);
    replaced.add(x!);
    replaced.add(y!);
    replaced.put(replacement!);
    assert.equal(replaced.get('xx'), replacement);
    assert.deepEqual(replaced.spans(), [replacement, y]);
    assert.deepEqual([...replaced.values()], [replacement, y]);
    assert.equal(replaced.size, 2);

    const [p, q] = spansWith(['pp', 'qq']);
    const added = new SpanIndex(2);
    added.add(p!);
    added.put(q!);
    assert.deepEqual([...added.values()], [p, q]);
  });

  test('once listed it is a Map: set and delete change what get finds', () => {
    const [a, b] = spansWith(['aa', 'bb']);
    const index = new SpanIndex(2);
    index.add(a!);
    index.set('bb', b!);
    index.delete('aa');
    assert.equal(index.get('aa'), undefined);
    assert.equal(index.get('bb'), b);
    assert.equal(index.size, 1);
  });
});
