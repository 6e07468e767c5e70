// Click-to-assert: selector candidates select exactly the clicked span and stay readable and stable; the proposed
// assertion passes when evaluated against the span it was made from.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { evaluateAssertion, parseAssertion } from '../../../src/core/expression';
import {
  assertionFor,
  formatSelector,
  isAssertableKey,
  isStableSelectorValue,
  parseSelector,
  prepareSelectorCandidates,
  quoteExpressionString,
  select,
  selectorCandidates,
} from '../../../src/core/selector';
import type { SelectorCandidate } from '../../../src/core/selector';
import { buildTrace } from '../../../src/core/trace/build';
import { decodeTraceText } from '../../../src/core/trace/decode';
import type { Span, Trace } from '../../../src/core/trace/model';
import { generateRawSpans, GENERATED_TRACE_ID } from '../../support/generated-trace';
import { TraceBuilder } from '../../support/trace-builder';
import { random, testSeed } from './prng';
import { pokeshopTrace } from './support';

const FIXTURES = join(import.meta.dirname, '../../fixtures/traces');
const FIXTURE_FILES = ['pokeshop.otlp.json', 'pokeshop.jaeger.json', 'pokeshop.tempo.json', 'pokeshop.tempo-v2.json'];

function fixtureTrace(file: string): Trace {
  const decoded = decodeTraceText(readFileSync(join(FIXTURES, file), 'utf8'));
  if (!decoded.ok) assert.fail(`${file}: ${decoded.error.message}`);
  return buildTrace(decoded.value.spans);
}

/** Keys a candidate may use: the generator's allow-list. */
const ALLOWED_KEYS = new Set([
  'tracetest.span.type',
  'name',
  'service.name',
  'http.route',
  'http.request.method',
  'http.method',
  'db.system.name',
  'db.system',
  'db.operation.name',
  'db.operation',
  'db.collection.name',
  'db.sql.table',
  'db.namespace',
  'db.name',
  'rpc.system',
  'rpc.service',
  'rpc.method',
  'messaging.system',
  'messaging.destination.name',
  'messaging.destination',
  'messaging.operation.type',
  'messaging.operation',
  'graphql.operation.name',
  'graphql.operation.type',
  'faas.trigger',
  'kind',
  'peer.service',
  'server.address',
  'net.peer.name',
  'http.response.status_code',
  'http.status_code',
  'rpc.grpc.status_code',
]);
const STATUS_KEYS = new Set(['http.response.status_code', 'http.status_code', 'rpc.grpc.status_code']);
const FORBIDDEN_KEY = /(^|[._])(id|ids|uuid)$|_id$|time|duration|url|target|path|timestamp/i;
const UUID = /[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}/i;

/**
 * Every candidate selects exactly `span`, says so in `count`, prints in canonical form, and contains no id,
 * timestamp or duration: by key, by value shape, and by the actual ids and times of this trace.
 */
function checkCandidates(trace: Trace, span: Span, candidates: SelectorCandidate[], max = 3): void {
  const where = `span ${span.index} "${span.name}"`;
  assert.ok(candidates.length >= 1 && candidates.length <= max, `${where}: ${candidates.length} candidates`);
  assert.equal(new Set(candidates.map((c) => c.selector)).size, candidates.length, `${where}: duplicate candidates`);
  const order = { attributes: 0, parent: 1, nth_child: 2 };
  for (let i = 1; i < candidates.length; i++) {
    assert.ok(order[candidates[i - 1]!.strategy] <= order[candidates[i]!.strategy], `${where}: strategies out of order`);
  }
  for (const candidate of candidates) {
    const { selector } = candidate;
    const result = select(trace, selector);
    if (!result.ok) assert.fail(`${where}: ${selector} does not parse: ${result.error.message}`);
    assert.deepEqual(
      result.value.map((s) => s.index),
      [span.index],
      `${where}: ${selector} selects ${result.value.length} spans`,
    );
    assert.equal(candidate.count, 1);
    const ast = parseSelector(selector);
    assert.ok(ast.ok);
    assert.equal(formatSelector(ast.value), selector, 'canonical form');
    assert.equal(ast.value.chains.length, 1);
    const steps = ast.value.chains[0]!.steps;
    assert.equal(steps.length, candidate.strategy === 'parent' ? 2 : 1, `${where}: ${selector} shape for ${candidate.strategy}`);
    const pseudos = steps.flatMap((s) => s.pseudos);
    assert.equal(pseudos.length, candidate.strategy === 'nth_child' ? 1 : 0, `${where}: ${selector} pseudo-classes`);
    for (const step of steps) {
      assert.equal(step.filters[0]?.key.name, 'tracetest.span.type', `${where}: ${selector} starts with the span type`);
      for (const filter of step.filters) {
        const { name } = filter.key;
        const value = filter.value.text;
        assert.ok(ALLOWED_KEYS.has(name), `${where}: ${selector} uses key ${name}`);
        assert.ok(!FORBIDDEN_KEY.test(name) || name === 'name', `${where}: ${selector} uses key ${name}`);
        assert.equal(filter.operator.operator, '=');
        assert.ok(!UUID.test(value), `${where}: ${selector} has a uuid`);
        assert.ok(!/[0-9a-f]{8,}/i.test(value) || !/\d/.test(value), `${where}: ${selector} has a hex id`);
        if (!STATUS_KEYS.has(name)) assert.ok(!/\d{3,}/.test(value), `${where}: ${selector} has a digit run in ${name}`);
      }
    }
    // Ids, times and durations of this trace are runs of hex digits: look for them inside the selector's runs.
    for (const run of selector.match(/[0-9a-f]{3,}/gi) ?? []) {
      for (const forbidden of forbiddenTexts(trace)) {
        assert.ok(forbidden.length > run.length || !run.includes(forbidden), `${where}: ${selector} contains ${forbidden}`);
      }
    }
  }
}

const forbiddenCache = new WeakMap<Trace, string[]>();

/** Span ids, trace ids, start and end times and durations (3+ digits) of every span of the trace. */
function forbiddenTexts(trace: Trace): string[] {
  let texts = forbiddenCache.get(trace);
  if (!texts) {
    const set = new Set<string>();
    for (const s of trace.spans) {
      for (const text of [s.id, s.traceId, s.startTime.toString(), s.endTime.toString(), (s.endTime - s.startTime).toString()]) {
        if (text.length >= 3) set.add(text);
      }
    }
    forbiddenCache.set(trace, (texts = [...set]));
  }
  return texts;
}

function checkEverySpan(trace: Trace): Map<Span, SelectorCandidate[]> {
  const all = new Map<Span, SelectorCandidate[]>();
  for (const span of trace.spans) {
    const candidates = selectorCandidates(trace, span);
    checkCandidates(trace, span, candidates);
    all.set(span, candidates);
  }
  return all;
}

function first(trace: Trace, span: Span): string {
  return selectorCandidates(trace, span)[0]!.selector;
}

function byName(trace: Trace, name: string, nth = 0): Span {
  const found = trace.spans.filter((s) => s.name === name);
  assert.ok(found.length > nth, `no span "${name}" #${nth}`);
  return found[nth]!;
}

// ---------------------------------------------------------------------------------------------------------------
// Real traces

for (const file of FIXTURE_FILES) {
  test(`every span of ${file}: each candidate selects exactly that span and holds no ids or times`, () => {
    const trace = fixtureTrace(file);
    assert.ok(trace.spans.length > 5);
    checkEverySpan(trace);
  });
}

test('candidates kept with the trace: spans clicked in any order, after the columns were prepared, get the same candidates', () => {
  const trace = () => buildTrace(generateRawSpans(200), { traceId: GENERATED_TRACE_ID });
  const [inOrder, shuffled] = [trace(), trace()];
  const expected = inOrder.spans.map((span) => selectorCandidates(inOrder, span));
  // With no time left nothing is read; with time, every column, and the next call has nothing left to do.
  assert.equal(
    prepareSelectorCandidates(shuffled, () => 0),
    false,
  );
  assert.equal(prepareSelectorCandidates(shuffled), true);
  for (const i of shuffled.spans.map((s) => s.index).sort((a, b) => ((a * 7919) % 201) - ((b * 7919) % 201))) {
    const candidates = selectorCandidates(shuffled, shuffled.spans[i]!);
    assert.deepEqual(candidates, expected[i], `span ${i}`);
    for (const c of candidates) assert.deepEqual(select(shuffled, c.selector), { ok: true, value: [shuffled.spans[i]] }, c.selector);
  }
});

test('pokeshop fixture: the first candidate is the span type and name', () => {
  const trace = fixtureTrace('pokeshop.otlp.json');
  const expected: Record<string, string> = {
    'Tracetest trigger': 'span[tracetest.span.type="general" name="Tracetest trigger"]',
    'POST /pokemon/import': 'span[tracetest.span.type="http" name="POST /pokemon/import"]',
    'validate request': 'span[tracetest.span.type="general" name="validate request"]',
    'queue.synchronizePokemon publish': 'span[tracetest.span.type="messaging" name="queue.synchronizePokemon publish"]',
    'queue.synchronizePokemon process': 'span[tracetest.span.type="messaging" name="queue.synchronizePokemon process"]',
    'import pokemon': 'span[tracetest.span.type="general" name="import pokemon"]',
    get: 'span[tracetest.span.type="database" name="get"]',
    GET: 'span[tracetest.span.type="http" name="GET"]',
    'pg.query:INSERT pokeshop': 'span[tracetest.span.type="database" name="pg.query:INSERT pokeshop"]',
  };
  for (const span of trace.spans) {
    const candidates = selectorCandidates(trace, span);
    assert.equal(candidates[0]!.selector, expected[span.name], span.name);
    assert.equal(candidates[0]!.strategy, 'attributes');
    // Unique by type and name: nothing longer is offered next to it.
    assert.equal(candidates.length, 1, span.name);
  }
  // The same readable selectors from every source format.
  for (const file of FIXTURE_FILES.slice(1)) {
    const other = fixtureTrace(file);
    for (const span of other.spans) assert.equal(first(other, span), expected[span.name], `${file}: ${span.name}`);
  }
});

test('demo-like trace: readable first candidates, the trigger gets its fixed selector', () => {
  const trace = pokeshopTrace();
  checkEverySpan(trace);
  assert.equal(first(trace, byName(trace, 'POST /pokemon')), 'span[tracetest.span.type="http" name="POST /pokemon"]');
  assert.equal(first(trace, byName(trace, 'create pokeshop.pokemon')), 'span[tracetest.span.type="database" name="create pokeshop.pokemon"]');
  assert.equal(first(trace, byName(trace, 'GET pokeapi')), 'span[tracetest.span.type="http" name="GET pokeapi"]');
  assert.equal(first(trace, trace.root), 'span[tracetest.span.type="general" name="Tracetest trigger"]');
  assert.deepEqual(selectorCandidates(trace, trace.root), [
    { selector: 'span[tracetest.span.type="general" name="Tracetest trigger"]', count: 1, strategy: 'attributes' },
  ]);
});

test('a trace whose root is already the trigger span: the augmented root gets the trigger selector', () => {
  const trace = new TraceBuilder()
    .span('Tracetest trigger')
    .span('POST /orders', { parent: 'Tracetest trigger', attrs: { 'http.method': 'POST' } })
    .build();
  assert.equal(trace.root.name, 'Tracetest trigger');
  checkEverySpan(trace);
  assert.equal(first(trace, trace.root), 'span[tracetest.span.type="general" name="Tracetest trigger"]');
});

test('another span named "Tracetest trigger" inside the trace: the trigger is told apart by its service', () => {
  const trace = new TraceBuilder().span('root').span('Tracetest trigger', { parent: 'root' }).build();
  assert.equal(trace.spans.filter((s) => s.name === 'Tracetest trigger').length, 2);
  const all = checkEverySpan(trace);
  assert.equal(all.get(trace.root)![0]!.selector, 'span[tracetest.span.type="general" name="Tracetest trigger" service.name="tracetest"]');
});

// ---------------------------------------------------------------------------------------------------------------
// Generated traces

test('same name in several services: the service disambiguates', () => {
  const b = new TraceBuilder().span('GET /orders', { service: 'gateway', kind: 'server', attrs: { 'http.method': 'GET', 'http.route': '/orders' } });
  for (const service of ['orders', 'billing', 'stock']) {
    b.span('GET /health', { ref: service, parent: 'GET /orders', service, kind: 'server', attrs: { 'http.method': 'GET', 'http.route': '/health' } });
  }
  const trace = b.build();
  checkEverySpan(trace);
  assert.equal(first(trace, byName(trace, 'GET /health', 1)), 'span[tracetest.span.type="http" name="GET /health" service.name="billing"]');
  assert.equal(first(trace, byName(trace, 'GET /orders')), 'span[tracetest.span.type="http" name="GET /orders"]');
});

test('same name, different kinds and db operations: the fewest extra attributes win, in preference order', () => {
  const trace = new TraceBuilder()
    .span('checkout', { kind: 'server', attrs: { 'http.method': 'POST', 'http.route': '/checkout' } })
    .span('checkout', { ref: 'client', parent: 'checkout', kind: 'client', attrs: { 'http.method': 'POST' } })
    .span('query', { ref: 'q1', parent: 'checkout', attrs: { 'db.system': 'postgresql', 'db.operation': 'SELECT', 'db.sql.table': 'cart' } })
    .span('query', { ref: 'q2', parent: 'checkout', attrs: { 'db.system': 'postgresql', 'db.operation': 'SELECT', 'db.sql.table': 'stock' } })
    .span('query', { ref: 'q3', parent: 'checkout', attrs: { 'db.system': 'postgresql', 'db.operation': 'UPDATE', 'db.sql.table': 'stock' } })
    .build();
  checkEverySpan(trace);
  const [server, client] = trace.spans.filter((s) => s.name === 'checkout');
  assert.equal(first(trace, server!), 'span[tracetest.span.type="http" name="checkout" http.route="/checkout"]');
  assert.equal(first(trace, client!), 'span[tracetest.span.type="http" name="checkout" kind="client"]');
  const queries = trace.spans.filter((s) => s.name === 'query');
  assert.equal(first(trace, queries[0]!), 'span[tracetest.span.type="database" name="query" db.sql.table="cart"]');
  assert.deepEqual(
    selectorCandidates(trace, queries[1]!).map((c) => c.selector),
    ['span[tracetest.span.type="database" name="query" db.operation="SELECT" db.sql.table="stock"]'],
  );
  assert.equal(first(trace, queries[2]!), 'span[tracetest.span.type="database" name="query" db.operation="UPDATE"]');
});

test('repeated siblings with identical attributes: parent-scoped when the parents differ, else nth_child', () => {
  const b = new TraceBuilder().span('POST /checkout', { kind: 'server', attrs: { 'http.method': 'POST', 'http.route': '/checkout' } });
  b.span('load cart', { parent: 'POST /checkout' });
  b.span('reserve stock', { parent: 'POST /checkout' });
  for (const parent of ['load cart', 'reserve stock']) {
    for (let i = 0; i < 4; i++) {
      b.span('SELECT', { ref: `${parent}-${i}`, parent, kind: 'client', attrs: { 'db.system': 'postgresql', 'db.operation': 'SELECT' } });
    }
  }
  const trace = b.build();
  const all = checkEverySpan(trace);
  const selects = trace.spans.filter((s) => s.name === 'SELECT');
  assert.equal(selects.length, 8);
  const step = 'span[tracetest.span.type="database" name="SELECT"]';
  assert.deepEqual(
    all.get(selects[0]!)!.map((c) => [c.strategy, c.selector]),
    [['nth_child', `${step}:nth_child(1)`]],
  );
  assert.deepEqual(
    all.get(selects[6]!)!.map((c) => [c.strategy, c.selector]),
    [['nth_child', `${step}:nth_child(7)`]],
  );

  // One SELECT per parent: the parent scopes it.
  const scoped = new TraceBuilder().span('POST /checkout', { kind: 'server', attrs: { 'http.method': 'POST' } });
  for (const parent of ['load cart', 'reserve stock', 'charge card']) {
    scoped.span(parent, { parent: 'POST /checkout' });
    scoped.span('SELECT', { ref: `${parent}-select`, parent, kind: 'client', attrs: { 'db.system': 'postgresql', 'db.operation': 'SELECT' } });
  }
  const trace2 = scoped.build();
  const all2 = checkEverySpan(trace2);
  const second = trace2.spans.filter((s) => s.name === 'SELECT')[1]!;
  assert.deepEqual(
    all2.get(second)!.map((c) => [c.strategy, c.selector]),
    [
      ['parent', 'span[tracetest.span.type="general" name="reserve stock"] span[tracetest.span.type="database" name="SELECT"]'],
      ['nth_child', 'span[tracetest.span.type="database" name="SELECT"]:nth_child(2)'],
    ],
  );
});

test('siblings with the same start time are told apart by span order (ties by id)', () => {
  const b = new TraceBuilder().span('batch', { startMs: 0 });
  for (let i = 0; i < 5; i++) b.span('write', { ref: `w${i}`, parent: 'batch', startMs: 1, attrs: { 'db.system': 'redis' } });
  const trace = b.build();
  const all = checkEverySpan(trace);
  const writes = trace.spans.filter((s) => s.name === 'write');
  writes.forEach((w, i) => assert.equal(all.get(w)!.at(-1)!.selector, `span[tracetest.span.type="database" name="write"]:nth_child(${i + 1})`));
});

test('deep chains: distinct names, and 300 identical spans nested in each other', () => {
  const distinct = new TraceBuilder();
  for (let i = 0; i < 60; i++)
    distinct.span(`step ${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`, {
      parent: i === 0 ? undefined : `p${i - 1}`,
      ref: `p${i}`,
    });
  checkEverySpan(distinct.build());

  const same = new TraceBuilder();
  for (let i = 0; i < 300; i++)
    same.span('recurse', { ref: `r${i}`, parent: i === 0 ? undefined : `r${i - 1}`, attrs: { 'rpc.system': 'grpc', 'rpc.method': 'Walk' } });
  const trace = same.build();
  const all = checkEverySpan(trace);
  const deepest = trace.spans[300]!;
  assert.equal(deepest.depth, 300);
  assert.deepEqual(
    all.get(deepest)!.map((c) => c.selector),
    ['span[tracetest.span.type="rpc" name="recurse"]:nth_child(300)'],
  );
  // The chain's top has a distinguishing ancestor nowhere, and its position is 1.
  assert.equal(all.get(trace.spans[1]!)!.at(-1)!.selector, 'span[tracetest.span.type="rpc" name="recurse"]:nth_child(1)');
});

test('ids, timestamps, durations and id-bearing urls never appear; id-bearing names fall back to stable attributes', () => {
  const trace = new TraceBuilder()
    .span('GET /users/1234', {
      kind: 'server',
      attrs: {
        'http.method': 'GET',
        'http.route': '/users/:id',
        'http.target': '/users/1234',
        'http.url': 'http://api:8080/users/1234',
        'user.id': '1234',
        'request.uuid': '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
      },
    })
    .span('GET /users/5678', { kind: 'server', attrs: { 'http.method': 'GET', 'http.route': '/users/:id', 'http.url': 'http://api:8080/users/5678' } })
    .span('process 5fb397be34d26b51', { attrs: { 'messaging.system': 'kafka', 'messaging.destination.name': 'orders', 'messaging.operation': 'process' } })
    .span('process 9ab397be34d26b52', { attrs: { 'messaging.system': 'kafka', 'messaging.destination.name': 'refunds', 'messaging.operation': 'process' } })
    .span('fetch', { ref: 'f1', attrs: { 'http.method': 'GET', 'http.url': 'https://pokeapi.co/api/v2/pokemon/25' } })
    .span('fetch', { ref: 'f2', attrs: { 'http.method': 'GET', 'http.url': 'https://pokeapi.co/api/v2/pokemon/26' } })
    .span('GET /items/7', { service: 'shop', attrs: { 'http.method': 'GET' } })
    .span('job 3f2504e0-4f89-11d3-9a0c-0305e82c3301', { service: 'jobs' })
    .build();
  const all = checkEverySpan(trace);
  const users = trace.spans.filter((s) => s.name.startsWith('GET /users/'));
  // Both have the same stable attributes: only their position tells them apart.
  assert.deepEqual(
    all.get(users[0]!)!.map((c) => c.selector),
    ['span[tracetest.span.type="http" service.name="api" http.route="/users/:id"]:nth_child(1)'],
  );
  assert.equal(first(trace, byName(trace, 'process 9ab397be34d26b52')), 'span[tracetest.span.type="messaging" messaging.destination.name="refunds"]');
  assert.equal(first(trace, byName(trace, 'GET /items/7')), 'span[tracetest.span.type="http" service.name="shop"]');
  assert.equal(first(trace, byName(trace, 'job 3f2504e0-4f89-11d3-9a0c-0305e82c3301')), 'span[tracetest.span.type="general" service.name="jobs"]');
  for (const candidates of all.values()) {
    for (const { selector } of candidates) assert.doesNotMatch(selector, /1234|5678|pokemon\/2|uuid|http\.url|http\.target|user\.id/, selector);
  }
});

test('status codes are a last resort', () => {
  const trace = new TraceBuilder()
    .span('GET pokeapi', { ref: 'ok', kind: 'client', attrs: { 'http.method': 'GET', 'http.status_code': 200 } })
    .span('GET pokeapi', { ref: 'missing', kind: 'client', attrs: { 'http.method': 'GET', 'http.status_code': 404 } })
    .span('GET pokeapi', { ref: 'other', kind: 'client', service: 'worker', attrs: { 'http.method': 'GET', 'http.status_code': 404 } })
    .build();
  const all = checkEverySpan(trace);
  const [ok, missing, other] = trace.spans.filter((s) => s.name === 'GET pokeapi');
  assert.equal(all.get(ok!)![0]!.selector, 'span[tracetest.span.type="http" name="GET pokeapi" http.status_code="200"]');
  assert.equal(all.get(missing!)![0]!.selector, 'span[tracetest.span.type="http" name="GET pokeapi" service.name="api" http.status_code="404"]');
  // A service tells the third apart: the status code is not needed.
  assert.equal(all.get(other!)![0]!.selector, 'span[tracetest.span.type="http" name="GET pokeapi" service.name="worker"]');
});

test('values with quotes and backslashes are quoted so that the selector reads them back', () => {
  const trace = new TraceBuilder()
    .span('say "hi"', { attrs: { 'rpc.system': 'grpc' } })
    .span('C:\\temp\\file', { attrs: { 'rpc.system': 'grpc' } })
    .span('a \\"b\\" c', { attrs: { 'rpc.system': 'grpc' } })
    .span("it's", { attrs: { 'rpc.system': 'grpc' } })
    .span('ends with \\', { ref: 'e1', attrs: { 'rpc.system': 'grpc', 'rpc.service': 'Files' } })
    .span('ends with \\', { ref: 'e2', attrs: { 'rpc.system': 'grpc', 'rpc.service': 'Dirs' } })
    .build();
  checkEverySpan(trace);
  assert.equal(first(trace, byName(trace, 'say "hi"')), 'span[tracetest.span.type="rpc" name="say \\"hi\\""]');
  // A name ending in a backslash cannot be written in a selector: other attributes are used.
  assert.equal(first(trace, byName(trace, 'ends with \\', 1)), 'span[tracetest.span.type="rpc" rpc.service="Dirs"]');
});

test('max limits the number of candidates', () => {
  const b = new TraceBuilder().span('root');
  for (const parent of ['a', 'b']) {
    b.span(parent, { parent: 'root' });
    for (let i = 0; i < 2; i++) b.span('leaf', { ref: `${parent}${i}`, parent, attrs: { 'db.system': 'redis', 'db.operation': i === 0 ? 'GET' : 'SET' } });
  }
  const trace = b.build();
  const leaf = trace.spans.filter((s) => s.name === 'leaf')[2]!;
  const all = selectorCandidates(trace, leaf);
  checkCandidates(trace, leaf, all);
  assert.deepEqual(
    all.map((c) => [c.strategy, c.selector]),
    [
      ['parent', 'span[tracetest.span.type="general" name="b"] span[tracetest.span.type="database" name="leaf" db.operation="GET"]'],
      ['nth_child', 'span[tracetest.span.type="database" name="leaf" db.operation="GET"]:nth_child(2)'],
    ],
  );
  const one = selectorCandidates(trace, leaf, { max: 1 });
  assert.deepEqual(one, all.slice(0, 1));
  checkCandidates(trace, leaf, one, 1);
});

test('1,200 random spans (seeded): every candidate of every span selects exactly that span', () => {
  const seed = testSeed(20240611);
  const rng = random(seed);
  const names = ['GET /pokemon', 'POST /pokemon', 'SELECT', 'INSERT', 'publish', 'process', 'validate', 'cache get', 'GET /pokemon/25', 'job 5fb397be34d26b51'];
  const services = ['api', 'worker', 'cache', 'gateway'];
  const kinds = ['server', 'client', 'internal', 'producer', 'consumer'] as const;
  const pools: Record<string, readonly string[]> = {
    'http.method': ['GET', 'POST', 'DELETE'],
    'http.route': ['/pokemon', '/pokemon/:id', '/health'],
    'http.status_code': ['200', '201', '404', '500'],
    'db.system': ['postgresql', 'redis'],
    'db.operation': ['SELECT', 'INSERT', 'get'],
    'db.sql.table': ['pokemon', 'trainer'],
    'messaging.system': ['rabbitmq', 'kafka'],
    'messaging.destination': ['queue.sync', 'orders'],
    'rpc.service': ['Pokedex', 'Trainer'],
    'rpc.method': ['Get', 'List'],
  };
  const keys = Object.keys(pools);
  const b = new TraceBuilder();
  const refs: string[] = [];
  for (let i = 0; i < 1200; i++) {
    const attrs: Record<string, string> = {};
    for (const key of keys) if (rng.chance(0.25)) attrs[key] = rng.pick(pools[key]!);
    if (rng.chance(0.3)) attrs['user.id'] = String(rng.int(1e6));
    if (rng.chance(0.3)) attrs['http.url'] = `http://api/pokemon/${rng.int(1000)}`;
    const ref = `s${i}`;
    // Mostly shallow and bushy, sometimes a long thin branch; some ties in start time.
    const parent = refs.length === 0 || rng.chance(0.03) ? undefined : rng.chance(0.5) ? refs[refs.length - 1] : rng.pick(refs);
    b.span(rng.pick(names), { ref, parent, service: rng.pick(services), kind: rng.pick(kinds), attrs, startMs: rng.int(400) });
    refs.push(ref);
  }
  const trace = b.build();
  assert.equal(trace.spans.length, 1201);
  const strategies = { attributes: 0, parent: 0, nth_child: 0 };
  for (const span of trace.spans) {
    const candidates = selectorCandidates(trace, span);
    try {
      checkCandidates(trace, span, candidates);
    } catch (e) {
      throw new Error(`seed ${seed} (TRACELENS_SEED=${seed} to replay): ${(e as Error).message}`, { cause: e });
    }
    for (const c of candidates) strategies[c.strategy]++;
  }
  // Every strategy gets exercised by this trace.
  assert.ok(strategies.attributes > 0 && strategies.parent > 0 && strategies.nth_child > 0, JSON.stringify(strategies));
});

// ---------------------------------------------------------------------------------------------------------------
// Stable values

test('isStableSelectorValue rejects ids, numbers in paths, hex, uuids, long and unprintable values', () => {
  const stable: Array<[string, string]> = [
    ['name', 'POST /pokemon'],
    ['name', 'pg.query:INSERT pokeshop'],
    ['http.route', '/api/v1/users/:id'],
    ['service.name', 'api-v2'],
    ['db.system', 'h2'],
    ['http.status_code', '404'],
    ['rpc.grpc.status_code', '0'],
    ['name', 'say "hi"'],
  ];
  const unstable: Array<[string, string]> = [
    ['name', 'GET /pokemon/25'],
    ['name', 'GET /items/7'],
    ['name', 'order 123'],
    ['name', 'job 3f2504e0-4f89-11d3-9a0c-0305e82c3301'],
    ['name', 'trace 5fb397be34d26b51'],
    ['name', 'deadbeef1'],
    ['name', 'token aGVsbG8gd29ybGQ1MjM0'],
    ['name', 'x'.repeat(101)],
    ['service.name', 'y'.repeat(65)],
    ['name', 'SELECT *\nFROM t'],
    ['name', ''],
    ['name', 'ends in \\'],
    ['http.status_code', '2000'],
    ['http.status_code', 'OK'],
  ];
  for (const [key, value] of stable) assert.equal(isStableSelectorValue(key, value), true, `${key}=${value}`);
  for (const [key, value] of unstable) assert.equal(isStableSelectorValue(key, value), false, `${key}=${value}`);
});

// ---------------------------------------------------------------------------------------------------------------
// Assertions

function evaluated(span: Span, assertion: string): string {
  const parsed = parseAssertion(assertion);
  if (!parsed.ok) assert.fail(`${assertion} does not parse: ${parsed.error.message}`);
  const outcome = evaluateAssertion(parsed.value, { span, selectedCount: 1, variables: new Map() });
  assert.equal(outcome.status, 'passed', `${assertion}: ${outcome.status} ${outcome.message ?? outcome.error?.message ?? ''}`);
  return outcome.observed;
}

function spanWith(attrs: Record<string, string>, durationNs = 1_000_000n): Span {
  return new TraceBuilder().span('subject', { attrs, durationNs }).build().spans[1]!;
}

test('assertionFor: numbers bare, strings double-quoted, JSON single-quoted, booleans as text', () => {
  const json = '{"id":1,"name":"snorlax","tags":["a","b"]}';
  const span = spanWith({
    'http.status_code': '201',
    'pokemon.weight': '460.5',
    'pokemon.name': 'snorlax',
    'validation.is_valid': 'true',
    'http.response.body': json,
    'db.rows': '[{"id":1},{"id":2}]',
    'list.ints': '[31,35,39]',
    'list.strings': '["a","b"]',
    'empty.list': '[]',
    empty: '',
    negative: '-5',
    exponent: '1e3',
    timeout: '25ms',
    'dapr-app-id': 'orders',
    'db.statement': 'SELECT "name" FROM "pokemon" WHERE id = $1',
  });
  const cases: Array<[string, string]> = [
    ['http.status_code', 'attr:http.status_code = 201'],
    ['pokemon.weight', 'attr:pokemon.weight = 460.5'],
    ['pokemon.name', 'attr:pokemon.name = "snorlax"'],
    ['validation.is_valid', 'attr:validation.is_valid = "true"'],
    ['http.response.body', `attr:http.response.body = '${json}'`],
    ['db.rows', `attr:db.rows = '[{"id":1},{"id":2}]'`],
    ['list.ints', `attr:list.ints = '[31,35,39]'`],
    ['list.strings', `attr:list.strings = '["a","b"]'`],
    ['empty.list', `attr:empty.list = '[]'`],
    ['empty', 'attr:empty = ""'],
    ['negative', 'attr:negative = "-5"'],
    ['exponent', 'attr:exponent = "1e3"'],
    ['timeout', 'attr:timeout = 25ms'],
    ['dapr-app-id', 'attr:dapr-app-id = "orders"'],
    ['db.statement', 'attr:db.statement = "SELECT \\"name\\" FROM \\"pokemon\\" WHERE id = $1"'],
    ['name', 'attr:name = "subject"'],
    ['kind', 'attr:kind = "internal"'],
    ['tracetest.span.type', 'attr:tracetest.span.type = "http"'],
    ['tracetest.span.status_code', 'attr:tracetest.span.status_code = "STATUS_CODE_UNSET"'],
  ];
  for (const [key, expected] of cases) {
    const assertion = assertionFor(span, key);
    assert.equal(assertion, expected, key);
    evaluated(span, assertion);
  }
  // JSON partial matching with contains works on the proposed value too.
  evaluated(span, assertionFor(span, 'http.response.body', 'contains'));
  assert.equal(assertionFor(span, 'http.status_code', '>='), 'attr:http.status_code >= 201');
  evaluated(span, assertionFor(span, 'http.status_code', '>='));
});

test('assertionFor: tracetest.span.duration as a duration literal in its display unit', () => {
  const cases: Array<[bigint, string]> = [
    [0n, '0ns'],
    [38n, '38ns'],
    [93_499n, '93us'],
    [120_000_000n, '120ms'],
    [25_187_564n, '25ms'],
    [999_999_999n, '1000ms'],
    [1_250_000_000n, '1.2s'],
    [1_350_000_000n, '1.4s'],
    [59_960_000_000n, '60.0s'],
    [90_000_000_000n, '1.5m'],
    [7_200_000_000_000n, '2h'],
  ];
  for (const [ns, literal] of cases) {
    const span = spanWith({}, ns);
    const assertion = assertionFor(span, 'tracetest.span.duration');
    assert.equal(assertion, `attr:tracetest.span.duration = ${literal}`, `${ns}ns`);
    assert.equal(evaluated(span, assertion), literal);
    evaluated(span, assertionFor(span, 'tracetest.span.duration', '<='));
    evaluated(span, assertionFor(span, 'tracetest.span.duration', '>='));
  }
});

test('assertionFor: strings with quotes, backslashes and ${ read back exactly', () => {
  const values = [
    'say "hi"',
    "it's",
    'C:\\temp\\file',
    'ends with \\',
    '\\',
    '\\\\',
    'quote then backslash "\\',
    'backslash then quote \\"',
    'cost ${price}',
    '${',
    '$${x}}',
    '\\${x}',
    'tab\there\nnewline',
    '{not json',
    '[1, 2',
    '  {"padded": true}  ',
    '{"m": "say \\"hi\\"", "q": "it\'s", "t": "${x}", "b": "\\\\"}',
    '[{"path":"C:\\\\x\\\\"}]',
    'ünïcödé ✓',
  ];
  for (const value of values) {
    const span = spanWith({ value });
    const assertion = assertionFor(span, 'value');
    assert.equal(evaluated(span, assertion), value, assertion);
  }
});

test('quoteExpressionString: random strings over quotes, backslashes, $ and braces read back exactly (seeded)', () => {
  const seed = testSeed(7);
  const rng = random(seed);
  const alphabet = ['"', "'", '\\', '$', '{', '}', 'a', ' ', '1', '[', ']', ':', ','];
  for (let i = 0; i < 2000; i++) {
    let value = '';
    const length = rng.int(12);
    for (let j = 0; j < length; j++) value += rng.pick(alphabet);
    for (const quote of ['"', "'"] as const) {
      const literal = quoteExpressionString(value, quote);
      const span = spanWith({ value });
      const parsed = parseAssertion(`attr:value = ${literal}`);
      if (!parsed.ok) assert.fail(`seed ${seed}: ${literal} does not parse: ${parsed.error.message}`);
      const outcome = evaluateAssertion(parsed.value, { span, selectedCount: 1, variables: new Map() });
      assert.equal(outcome.status, 'passed', `seed ${seed}: ${JSON.stringify(value)} as ${literal}: ${outcome.message ?? outcome.error?.message}`);
    }
    const span = spanWith({ value });
    evaluated(span, assertionFor(span, 'value'));
  }
});

test('assertionFor: every attribute of every fixture span gives an assertion that passes', () => {
  for (const file of FIXTURE_FILES) {
    const trace = fixtureTrace(file);
    for (const span of trace.spans) {
      for (const key of ['name', 'kind', ...span.flat.keys()]) {
        if (!isAssertableKey(key)) continue;
        evaluated(span, assertionFor(span, key));
      }
    }
  }
});

test('assertionFor: keys that attr: cannot name and missing attributes are refused', () => {
  const span = spanWith({ 'has space': 'x', 'a/b': 'y', ok: 'z' });
  assert.equal(isAssertableKey('has space'), false);
  assert.equal(isAssertableKey('a/b'), false);
  assert.equal(isAssertableKey('dapr-app-id'), true);
  assert.throws(() => assertionFor(span, 'has space'), RangeError);
  assert.throws(() => assertionFor(span, 'a/b'), RangeError);
  assert.throws(() => assertionFor(span, 'missing'), /has no attribute "missing"/);
});
