// Numeric comparison in filters must be exact: 64-bit ids and nanosecond timestamps exceed a double's precision.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TraceBuilder } from '../../support/trace-builder';
import { selected } from './support';

const trace = new TraceBuilder()
  .span('id a', { attrs: { id: '12345678901234567890' } })
  .span('id b', { attrs: { id: '12345678901234567891' } })
  .span('negative a', { attrs: { id: '-12345678901234567890' } })
  .span('negative b', { attrs: { id: '-12345678901234567891' } })
  .span('tiny', { attrs: { id: '1e-7' } })
  .span('thousand', { attrs: { id: '1000' } })
  .span('zero', { attrs: { id: '-0.000' } })
  .build();

test('integers longer than a double holds are equal only when every digit is', () => {
  // As doubles both ids are 12345678901234567000.
  assert.deepEqual(selected(trace, 'span[id=12345678901234567890]'), ['id a']);
  assert.deepEqual(selected(trace, 'span[id="12345678901234567891"]'), ['id b']);
  assert.deepEqual(selected(trace, 'span[id=012345678901234567891.000]'), ['id b']);
});

test('long numbers order exactly, negatives included', () => {
  assert.deepEqual(selected(trace, 'span[id>12345678901234567890]'), ['id b']);
  assert.deepEqual(selected(trace, 'span[id<-12345678901234567890]'), ['negative b']);
  assert.deepEqual(selected(trace, 'span[id<=-12345678901234567890]'), ['negative a', 'negative b']);
});

test('exponents compare by value', () => {
  assert.deepEqual(selected(trace, 'span[id=0.0000001]'), ['tiny']);
  assert.deepEqual(selected(trace, 'span[id=1e3]'), ['thousand']);
  assert.deepEqual(selected(trace, 'span[id>1e-8 id<1e-6]'), ['tiny']);
  assert.deepEqual(selected(trace, 'span[id>=1e400]'), []);
  assert.deepEqual(selected(trace, 'span[id>-1e400 id<1e-400 name!="Tracetest trigger"]'), ['negative a', 'negative b', 'zero']);
});

test('zero equals zero whatever its sign and trailing digits', () => {
  assert.deepEqual(selected(trace, 'span[id=0]'), ['zero']);
  assert.deepEqual(selected(trace, 'span[id=+0.0e5]'), ['zero']);
});

test('text that only looks partly numeric is compared as text', () => {
  const words = new TraceBuilder().span('v', { attrs: { a: '1.', b: ' 1', c: '0x10', d: 'Infinity', e: '1_000' } }).build();
  for (const key of ['a', 'b', 'c', 'd', 'e']) assert.deepEqual(selected(words, `span[${key}=1 name="v"]`), [], key);
  assert.deepEqual(selected(words, 'span[c="0x10"]'), ['v']);
  assert.deepEqual(selected(words, 'span[d>1]'), []);
});
