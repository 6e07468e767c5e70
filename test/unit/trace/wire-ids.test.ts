import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Span } from '../../../src/core/trace/model';
import { WireSpanIndex } from '../../../src/core/trace/wire-ids';

/** Spans with just an id: all the index reads. */
const spansWith = (ids: string[]) => ids.map((id, index) => ({ id, index }) as Span);

describe('spans by id on a trace read back from the wire', () => {
  test('every id finds its span, as a Map of them would; other ids find none', () => {
    const ids = Array.from({ length: 5_000 }, (_, i) => (i * 7919 + 1).toString(16).padStart(16, '0'));
    const spans = spansWith(ids);
    const index = new WireSpanIndex(ids.join(''), spans);
    for (const span of spans) {
      assert.equal(index.get(span.id), span);
      assert.equal(index.has(span.id), true);
    }
    for (const absent of ['ffffffffffffffff', '0000000000000000', ids[3]!.slice(1), `${ids[3]!}0`, '']) {
      assert.equal(index.get(absent), undefined, absent);
      assert.equal(index.has(absent), false, absent);
    }
    assert.equal(index.size, spans.length);
    assert.deepEqual([...index], [...new Map(spans.map((s) => [s.id, s]))]);
    assert.deepEqual([...index.keys()], ids);
  });

  test('an id held by two spans finds the later one, as Map.set would leave it', () => {
    const spans = spansWith(['00000000000000aa', '00000000000000bb', '00000000000000aa']);
    const index = new WireSpanIndex(spans.map((s) => s.id).join(''), spans);
    assert.equal(index.get('00000000000000aa'), spans[2]);
    assert.equal(index.size, 2);
    assert.deepEqual([...index.values()], [spans[1], spans[2]]);
  });

  test('an empty trace finds nothing', () => {
    const index = new WireSpanIndex('', []);
    assert.equal(index.get('00000000000000aa'), undefined);
    assert.equal(index.size, 0);
  });
});
