// language.md §2: every statement about selectors, each as its own test.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { select } from '../../../src/core/selector';
import { TraceBuilder } from '../../support/trace-builder';
import { pokeshopTrace, selected, selectedLabels } from './support';

const ALL = [
  'Tracetest trigger',
  'POST /pokemon',
  'validate request',
  'create pokeshop.pokemon',
  'queue.synchronizePokemon publish',
  'queue.synchronizePokemon process',
  'import pokemon',
  'GET pokeapi',
];

/**
 * Same-name spans nested in each other, labelled by span order:
 * trigger ─ a1 ─ b1 ─ a2 ─ b2
 *              └ b3        └ c1
 *          a3 ─ b4
 */
function nestedTrace() {
  return new TraceBuilder()
    .span('A', { ref: 'a1', attrs: { label: 'a1' } })
    .span('B', { ref: 'b1', parent: 'a1', attrs: { label: 'b1' } })
    .span('A', { ref: 'a2', parent: 'b1', attrs: { label: 'a2' } })
    .span('B', { ref: 'b2', parent: 'a2', attrs: { label: 'b2' } })
    .span('C', { ref: 'c1', parent: 'a2', attrs: { label: 'c1' } })
    .span('B', { ref: 'b3', parent: 'a1', attrs: { label: 'b3' } })
    .span('A', { ref: 'a3', attrs: { label: 'a3' } })
    .span('B', { ref: 'b4', parent: 'a3', attrs: { label: 'b4' } })
    .build();
}

test('§2 the empty selector selects every span, the trigger span included', () => {
  assert.deepEqual(selected(pokeshopTrace(), ''), ALL);
});

test('§2 a selector of only whitespace is the empty selector', () => {
  assert.deepEqual(selected(pokeshopTrace(), '  \n\t '), ALL);
});

test('§2 `span[]` selects every span, the trigger span included', () => {
  assert.deepEqual(selected(pokeshopTrace(), 'span[]'), ALL);
});

test('§2 all filters inside one span[...] must hold (AND)', () => {
  const trace = pokeshopTrace();
  assert.deepEqual(selected(trace, 'span[tracetest.span.type="http"]'), ['POST /pokemon', 'GET pokeapi']);
  assert.deepEqual(selected(trace, 'span[tracetest.span.type="http" http.method="GET"]'), ['GET pokeapi']);
  assert.deepEqual(selected(trace, 'span[tracetest.span.type="http" http.method="GET" kind="server"]'), []);
});

test('§2 filters are separated by whitespace or by optional commas', () => {
  const trace = pokeshopTrace();
  const expected = ['GET pokeapi'];
  assert.deepEqual(selected(trace, 'span[tracetest.span.type="http" http.method="GET"]'), expected);
  assert.deepEqual(selected(trace, 'span[tracetest.span.type="http",http.method="GET"]'), expected);
  assert.deepEqual(selected(trace, 'span[tracetest.span.type="http" , http.method="GET", kind="client"]'), expected);
});

test('§2 keys are dotted identifiers with letters, digits, `_` and `-`', () => {
  const trace = new TraceBuilder()
    .span('grpc', { attrs: { 'rpc.grpc.status_code': 0, 'messaging.destination_kind': 'topic', 'x-request-id': 'r1', 'v2.k8s-pod_name': 'p' } })
    .build();
  for (const selector of ['span[rpc.grpc.status_code=0]', 'span[messaging.destination_kind="topic"]', 'span[x-request-id="r1"]', 'span[v2.k8s-pod_name="p"]']) {
    assert.deepEqual(selected(trace, selector), ['grpc'], selector);
  }
});

test('§2 a quoted key allows any key, e.g. "dapr-app-id" or keys with spaces', () => {
  const trace = new TraceBuilder().span('dapr', { attrs: { 'dapr-app-id': 'checkout', 'odd key/with:chars': 'yes' } }).build();
  assert.deepEqual(selected(trace, 'span["dapr-app-id"="checkout"]'), ['dapr']);
  assert.deepEqual(selected(trace, `span['odd key/with:chars'="yes"]`), ['dapr']);
});

test('§2 key `name` reads the span name and `kind` the span kind', () => {
  const trace = pokeshopTrace();
  assert.deepEqual(selected(trace, 'span[name="import pokemon"]'), ['import pokemon']);
  assert.deepEqual(selected(trace, 'span[kind="producer"]'), ['queue.synchronizePokemon publish']);
});

test('§2 any other key reads the attribute map', () => {
  assert.deepEqual(selected(pokeshopTrace(), 'span[db.sql.table="pokemon"]'), ['create pokeshop.pokemon']);
});

test('§2 a missing attribute reads as the empty string', () => {
  const trace = pokeshopTrace();
  assert.deepEqual(
    selected(trace, 'span[db.system=""]'),
    ALL.filter((n) => n !== 'create pokeshop.pokemon'),
  );
  assert.deepEqual(selected(trace, 'span[db.system!=""]'), ['create pokeshop.pokemon']);
  assert.deepEqual(selected(trace, 'span[no.such.attribute contains "x"]'), []);
});

test('§2 `=` compares numerically when both sides are numbers: span[x=0.5] matches 0.50', () => {
  const trace = new TraceBuilder()
    .span('half', { attrs: { x: '0.50' } })
    .span('one', { attrs: { x: '1' } })
    .span('text', { attrs: { x: 'half' } })
    .build();
  assert.deepEqual(selected(trace, 'span[x=0.5]'), ['half']);
  assert.deepEqual(selected(trace, 'span[x=1.0]'), ['one']);
  assert.deepEqual(selected(trace, 'span[x=+1]'), ['one']);
  assert.deepEqual(selected(trace, 'span[x=.5]'), ['half']);
});

test('§2 `=` compares numerically when a quoted literal is a number too', () => {
  const trace = new TraceBuilder().span('half', { attrs: { x: '0.50' } }).build();
  assert.deepEqual(selected(trace, 'span[x="0.5"]'), ['half']);
});

test('§2 `=` is exact, case-sensitive text when either side is not a number', () => {
  const trace = pokeshopTrace();
  assert.deepEqual(selected(trace, 'span[http.method="POST"]'), ['POST /pokemon']);
  assert.deepEqual(selected(trace, 'span[http.method="post"]'), []);
  assert.deepEqual(selected(trace, 'span[http.method="POS"]'), []);
  assert.deepEqual(selected(trace, 'span[http.method="POST "]'), []);
});

test('§2 `!=` is the negation of `=`, numeric when both sides are numbers', () => {
  const trace = new TraceBuilder()
    .span('half', { attrs: { x: '0.50' } })
    .span('one', { attrs: { x: '1' } })
    .build();
  assert.deepEqual(selected(trace, 'span[x!=0.5]'), ['Tracetest trigger', 'one']);
  assert.deepEqual(selected(trace, 'span[name!="Tracetest trigger" name!="one"]'), ['half']);
});

test('§2 `contains` and `not-contains` test for a substring', () => {
  const trace = pokeshopTrace();
  assert.deepEqual(selected(trace, 'span[name contains "synchronize"]'), ['queue.synchronizePokemon publish', 'queue.synchronizePokemon process']);
  assert.deepEqual(selected(trace, 'span[name contains "pokemon" name not-contains "queue"]'), ['POST /pokemon', 'create pokeshop.pokemon', 'import pokemon']);
  assert.deepEqual(selected(trace, 'span[http.status_code contains 40]'), ['GET pokeapi']);
});

test('§2 `<` `<=` `>` `>=` compare numerically', () => {
  const trace = new TraceBuilder()
    .span('nine', { attrs: { n: 9 } })
    .span('ten', { attrs: { n: 10 } })
    .span('ten and a half', { attrs: { n: 10.5 } })
    .span('hundred', { attrs: { n: 100 } })
    .build();
  // As text "9" > "10" and "100" < "9"; numerically they are not.
  assert.deepEqual(selected(trace, 'span[n<10]'), ['nine']);
  assert.deepEqual(selected(trace, 'span[n<=10]'), ['nine', 'ten']);
  assert.deepEqual(selected(trace, 'span[n>10]'), ['ten and a half', 'hundred']);
  assert.deepEqual(selected(trace, 'span[n>=10.5]'), ['ten and a half', 'hundred']);
  assert.deepEqual(selected(trace, 'span[n>-1 n<1e2]'), ['nine', 'ten', 'ten and a half']);
});

test('§2 `<` `<=` `>` `>=` never match a non-numeric value', () => {
  const trace = new TraceBuilder()
    .span('number', { attrs: { n: 5 } })
    .span('word', { attrs: { n: 'five' } })
    .span('blank')
    .build();
  assert.deepEqual(selected(trace, 'span[n>=0]'), ['number']);
  assert.deepEqual(selected(trace, 'span[n<100]'), ['number']);
  assert.deepEqual(selected(trace, 'span[n<=5] , span[n>5]'), ['number']);
});

test('§2 values can be double-quoted, single-quoted, numbers, true or false', () => {
  const trace = new TraceBuilder().span('v', { attrs: { s: 'text', n: -2.5, b: false } }).build();
  for (const selector of ['span[s="text"]', "span[s='text']", 'span[n=-2.5]', 'span[b=false]', 'span[b="false"]']) {
    assert.deepEqual(selected(trace, selector), ['v'], selector);
  }
});

test('§2 in a quoted value a backslash before the enclosing quote is that quote; other backslashes are kept', () => {
  const trace = new TraceBuilder()
    .span('apostrophe', { attrs: { v: "it's" } })
    .span('double quote', { attrs: { v: 'say "hi"' } })
    .span('regex', { attrs: { v: '(\\d+)' } })
    .span('json', { attrs: { v: '{"m": "say \\"hi\\""}' } })
    .build();
  assert.deepEqual(selected(trace, "span[v='it\\'s']"), ['apostrophe']);
  assert.deepEqual(selected(trace, 'span[v="it\'s"]'), ['apostrophe']);
  assert.deepEqual(selected(trace, 'span[v="say \\"hi\\""]'), ['double quote']);
  assert.deepEqual(selected(trace, "span[v='(\\d+)']"), ['regex']);
  assert.deepEqual(selected(trace, `span[v='{"m": "say \\"hi\\""}']`), ['json']);
});

test('§2 pseudo-classes :first, :last and :nth_child(n) pick from the list of their step', () => {
  const trace = pokeshopTrace();
  assert.deepEqual(selected(trace, 'span[tracetest.span.type="messaging"]:first'), ['queue.synchronizePokemon publish']);
  assert.deepEqual(selected(trace, 'span[tracetest.span.type="messaging"]:last'), ['queue.synchronizePokemon process']);
  assert.deepEqual(selected(trace, 'span[]:nth_child(3)'), ['validate request']);
});

test('§2 :nth_child(n) is 1-based; out of range selects nothing', () => {
  const trace = pokeshopTrace();
  assert.deepEqual(selected(trace, 'span[tracetest.span.type="http"]:nth_child(1)'), ['POST /pokemon']);
  assert.deepEqual(selected(trace, 'span[tracetest.span.type="http"]:nth_child(2)'), ['GET pokeapi']);
  assert.deepEqual(selected(trace, 'span[tracetest.span.type="http"]:nth_child(3)'), []);
  assert.deepEqual(selected(trace, 'span[tracetest.span.type="http"]:nth_child(99999999999999999999)'), []);
});

test('§2 several pseudo-classes on one step apply in order', () => {
  const trace = pokeshopTrace();
  assert.deepEqual(selected(trace, 'span[tracetest.span.type="http"]:last:first'), ['GET pokeapi']);
  assert.deepEqual(selected(trace, 'span[]:first:nth_child(2)'), []);
});

test('§2 `A B` selects B spans in the subtree of an A span', () => {
  const trace = pokeshopTrace();
  assert.deepEqual(selected(trace, 'span[name="queue.synchronizePokemon publish"] span[tracetest.span.type="http"]'), ['GET pokeapi']);
  assert.deepEqual(selected(trace, 'span[service.name="worker"] span[]'), ['import pokemon', 'GET pokeapi']);
  assert.deepEqual(selected(trace, 'span[name="validate request"] span[]'), []);
});

test('§2 `A B` never selects the A span itself, even when it matches B', () => {
  const trace = pokeshopTrace();
  assert.deepEqual(selected(trace, 'span[tracetest.span.type="http"] span[tracetest.span.type="http"]'), ['GET pokeapi']);
  assert.deepEqual(selected(trace, 'span[name="GET pokeapi"] span[]'), []);
});

test('§2 longer chains nest the same way', () => {
  const trace = pokeshopTrace();
  assert.deepEqual(selected(trace, 'span[name="POST /pokemon"] span[kind="consumer"] span[kind="client"]'), ['GET pokeapi']);
  assert.deepEqual(selected(trace, 'span[kind="consumer"] span[name="POST /pokemon"] span[]'), []);
  // GET pokeapi is the only span with five ancestors.
  assert.deepEqual(selected(trace, 'span[] span[] span[] span[] span[] span[]'), ['GET pokeapi']);
  assert.deepEqual(selected(trace, 'span[] span[] span[] span[] span[] span[] span[]'), []);
});

test('§2 a chain is a pipeline over nested same-name spans, de-duplicated and in span order', () => {
  const trace = nestedTrace();
  // b2 lies under both a1 and a2; it is selected once.
  assert.deepEqual(selectedLabels(trace, 'span[name="A"] span[name="B"]'), ['b1', 'b2', 'b3', 'b4']);
  // Step 2 is every A under some A (a2 only), step 3 every B under a2.
  assert.deepEqual(selectedLabels(trace, 'span[name="A"] span[name="A"] span[name="B"]'), ['b2']);
  assert.deepEqual(selectedLabels(trace, 'span[name="A"] span[name="B"] span[name="A"] span[name="B"]'), ['b2']);
  assert.deepEqual(selectedLabels(trace, 'span[name="B"] span[name="C"]'), ['c1']);
  assert.deepEqual(selectedLabels(trace, 'span[name="A"] span[name="A"] span[name="A"]'), []);
});

test('§2 `A:first B` is the B spans under the first A', () => {
  assert.deepEqual(selectedLabels(nestedTrace(), 'span[name="A"]:first span[name="B"]'), ['b1', 'b2', 'b3']);
  assert.deepEqual(selectedLabels(nestedTrace(), 'span[name="A"]:last span[name="B"]'), ['b4']);
  assert.deepEqual(selectedLabels(nestedTrace(), 'span[name="A"]:nth_child(2) span[name="B"]'), ['b2']);
});

test('§2 `A B:first` is the first of all B spans under any A', () => {
  assert.deepEqual(selectedLabels(nestedTrace(), 'span[name="A"] span[name="B"]:first'), ['b1']);
  assert.deepEqual(selectedLabels(nestedTrace(), 'span[name="A"] span[name="B"]:last'), ['b4']);
  assert.deepEqual(selectedLabels(nestedTrace(), 'span[name="A"] span[name="B"]:nth_child(2)'), ['b2']);
});

test('§2 `,` is a union, de-duplicated and in span order', () => {
  const trace = pokeshopTrace();
  assert.deepEqual(selected(trace, 'span[name="GET pokeapi"], span[name="POST /pokemon"]'), ['POST /pokemon', 'GET pokeapi']);
  assert.deepEqual(selected(trace, 'span[tracetest.span.type="http"], span[kind="client"]'), ['POST /pokemon', 'create pokeshop.pokemon', 'GET pokeapi']);
  assert.deepEqual(selectedLabels(nestedTrace(), 'span[name="A"] span[name="B"]:first, span[name="A"]:last span[], span[label="b1"]'), ['b1', 'b4']);
});

test('§2 whitespace is free everywhere, newlines included (YAML block scalars)', () => {
  const trace = pokeshopTrace();
  const compact = 'span[name="POST /pokemon"] span[tracetest.span.type="http",kind="client"]:nth_child(1),span[kind="producer"]:first';
  const spread = `
    span [ name = "POST /pokemon" ]
      span [
        tracetest.span.type = "http" ,
        kind="client"
      ] : nth_child ( 1 )
    ,
    span[kind="producer"]
      :first
  `;
  assert.deepEqual(selected(trace, compact), ['queue.synchronizePokemon publish', 'GET pokeapi']);
  assert.deepEqual(selected(trace, spread), ['queue.synchronizePokemon publish', 'GET pokeapi']);
  assert.deepEqual(selected(trace, 'span[name="POST /pokemon"]\r\n\tspan[kind="client"]'), ['create pokeshop.pokemon', 'GET pokeapi']);
});

test('§2 a selector that does not parse is an error at its position, never a selection', () => {
  const result = select(pokeshopTrace(), 'span[name="POST /pokemon"');
  assert.equal(result.ok, false);
  if (!result.ok) {
    assert.equal(result.error.message, 'expected `]` but found end of selector at 1:26');
    assert.deepEqual([result.error.line, result.error.column, result.error.offset], [1, 26, 25]);
  }
});
