// The selectors offered for a clicked span: generated candidates first (each selects exactly that span), then the
// test's own specs that select it; each knows its match count and the spec an assertion written with it joins.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeChoice, select, selectorChoices } from '../../../src/core/selector/index';
import { generateTrace } from '../../support/generated-trace';
import { TraceBuilder } from '../../support/trace-builder';

const trace = new TraceBuilder()
  .span('POST /orders', { service: 'api', kind: 'server', attrs: { 'http.route': '/orders', 'http.request.method': 'POST' } })
  .span('SELECT products', { ref: 'q1', parent: 'POST /orders', service: 'api', kind: 'client', attrs: { 'db.system': 'postgresql' } })
  .span('SELECT products', { ref: 'q2', parent: 'POST /orders', service: 'api', kind: 'client', attrs: { 'db.system': 'postgresql' } })
  .build();

test('a spec with the same selector (written differently) is the one a new assertion joins', () => {
  const span = trace.byId.get('0000000000000001')!;
  const specs = [{ selector: 'span[ name = \'POST /orders\'  tracetest.span.type="http"]', name: 'the API answered' }];
  const choices = selectorChoices(trace, span, specs);
  const joined = choices.find((c) => c.spec);
  assert.ok(joined, `no choice joins the spec: ${choices.map((c) => c.selector).join(' | ')}`);
  assert.equal(describeChoice(joined), 'matches 1 span · adds to spec "the API answered"');
});

test("the test's own broader specs that select the span come last, with how many spans they match", () => {
  const span = trace.byId.get('0000000000000002')!;
  const choices = selectorChoices(trace, span, [{ selector: 'span[db.system="postgresql"]' }, { selector: 'span[name="nothing"]' }]);
  const last = choices.at(-1)!;
  assert.deepEqual([last.selector, last.strategy, last.count], ['span[db.system="postgresql"]', 'existing spec', 2]);
  assert.equal(describeChoice(last), 'matches 2 spans · adds to spec span[db.system="postgresql"]');
  assert.ok(!choices.some((c) => c.selector === 'span[name="nothing"]'), 'a spec that does not select the span is not offered');
  for (const c of choices.filter((x) => x.strategy !== 'existing spec')) {
    const selected = select(trace, c.selector);
    assert.ok(selected.ok && selected.value.length === 1 && selected.value[0] === span, c.selector);
  }
});

test('on a realistic 5k-span trace every generated choice selects exactly its span', () => {
  const big = generateTrace(5_000);
  for (let i = 0; i < big.spans.length; i += 97) {
    const span = big.spans[i]!;
    const choices = selectorChoices(big, span, []);
    assert.ok(choices.length >= 1, `no selector for span ${i} (${span.name})`);
    for (const c of choices) {
      const selected = select(big, c.selector);
      assert.ok(selected.ok && selected.value.length === 1 && selected.value[0] === span, `${c.selector} for span ${i}`);
      assert.doesNotMatch(c.selector, /order\.id|[0-9a-f]{16}/, 'no ids');
    }
  }
});
