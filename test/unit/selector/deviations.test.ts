// language.md §5: the selector deviations from Tracetest (1, 2, 3 and 10), each as its own test.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { select } from '../../../src/core/selector';
import { TraceBuilder } from '../../support/trace-builder';
import { pokeshopTrace, selected, selectedLabels } from './support';

test('§5.1 a selector that fails to parse is an error, not "all spans"', () => {
  const trace = pokeshopTrace();
  for (const bad of ['span[name="POST /pokemon"', 'span[name=POST]', 'span[]:second', 'span[] span', 'garbage']) {
    const result = select(trace, bad);
    assert.equal(result.ok, false, bad);
  }
});

test('§5.2 selector `,` unions are de-duplicated', () => {
  const trace = pokeshopTrace();
  assert.deepEqual(selected(trace, 'span[name="import pokemon"], span[name="import pokemon"]'), ['import pokemon']);
  assert.deepEqual(selected(trace, 'span[service.name="worker"], span[kind="client"]'), [
    'create pokeshop.pokemon',
    'queue.synchronizePokemon process',
    'import pokemon',
    'GET pokeapi',
  ]);
});

test('§5.3 selectors accept `!=`, `not-contains`, `<`, `<=`, `>`, `>=`', () => {
  const trace = pokeshopTrace();
  assert.deepEqual(selected(trace, 'span[http.status_code!="" http.status_code!=201]'), ['GET pokeapi']);
  assert.deepEqual(selected(trace, 'span[tracetest.span.type="http" name not-contains "POST"]'), ['GET pokeapi']);
  assert.deepEqual(selected(trace, 'span[http.status_code<400]'), ['POST /pokemon']);
  assert.deepEqual(selected(trace, 'span[http.status_code<=404]'), ['POST /pokemon', 'GET pokeapi']);
  assert.deepEqual(selected(trace, 'span[http.status_code>201]'), ['GET pokeapi']);
  assert.deepEqual(selected(trace, 'span[http.status_code>=201]'), ['POST /pokemon', 'GET pokeapi']);
});

test('§5.3 selectors accept single quotes and quoted keys', () => {
  const trace = new TraceBuilder().span('dapr', { attrs: { 'dapr-app-id': "o'neil" } }).build();
  assert.deepEqual(selected(trace, `span['dapr-app-id'='o\\'neil']`), ['dapr']);
  assert.deepEqual(selected(trace, `span["dapr-app-id"="o'neil"]`), ['dapr']);
});

test('§5.3 numeric literals compare numerically', () => {
  const trace = new TraceBuilder().span('grpc', { attrs: { 'rpc.grpc.status_code': '0', latency: '1.50' } }).build();
  assert.deepEqual(selected(trace, 'span[rpc.grpc.status_code=0.0]'), ['grpc']);
  assert.deepEqual(selected(trace, 'span[latency=1.5]'), ['grpc']);
  assert.deepEqual(selected(trace, 'span[latency=15e-1]'), ['grpc']);
});

test('§5.10 pseudo-classes apply to their own step: `A:first B` is not the first B', () => {
  // trigger ─ a1 ─ b1, b2;  a2 ─ b3.  Tracetest applied :first to the B results (b1 only).
  const trace = new TraceBuilder()
    .span('A', { ref: 'a1', attrs: { label: 'a1' } })
    .span('B', { ref: 'b1', parent: 'a1', attrs: { label: 'b1' } })
    .span('B', { ref: 'b2', parent: 'a1', attrs: { label: 'b2' } })
    .span('A', { ref: 'a2', attrs: { label: 'a2' } })
    .span('B', { ref: 'b3', parent: 'a2', attrs: { label: 'b3' } })
    .build();
  assert.deepEqual(selectedLabels(trace, 'span[name="A"]:first span[name="B"]'), ['b1', 'b2']);
  assert.deepEqual(selectedLabels(trace, 'span[name="A"]:last span[name="B"]'), ['b3']);
  assert.deepEqual(selectedLabels(trace, 'span[name="A"] span[name="B"]:last'), ['b3']);
  assert.deepEqual(selectedLabels(trace, 'span[name="A"]:first span[name="B"]:last'), ['b2']);
});
