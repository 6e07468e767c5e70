import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluateSpec, evaluateTest } from '../../../src/core/engine/evaluate';
import { loadFile } from '../../../src/core/testfile/index';
import type { TestDef } from '../../../src/core/testfile/model';
import { TraceBuilder } from '../../support/trace-builder';

function testDef(specsYaml: string, outputsYaml = ''): TestDef {
  const text = `type: Test
spec:
  id: t
  name: engine test
  trigger:
    type: traceid
    traceid:
      id: abc
  specs:
${specsYaml}
${outputsYaml ? `  outputs:\n${outputsYaml}` : ''}`;
  const loaded = loadFile(text, 'engine.yaml');
  assert.deepEqual(loaded.problems, [], 'test YAML must load cleanly');
  return loaded.resources[0]!.resource as TestDef;
}

const shop = () =>
  new TraceBuilder()
    .span('POST /pokemon', { kind: 'server', attrs: { 'http.method': 'POST', 'http.status_code': 201 }, durationMs: 30 })
    .span('create pokeshop.pokemon', {
      parent: 'POST /pokemon',
      attrs: { 'db.system': 'postgres', 'db.operation': 'create', 'db.result': '{"id":8,"name":"meowth"}' },
      durationMs: 4,
    })
    .span('findOne pokeshop.pokemon', { parent: 'POST /pokemon', attrs: { 'db.system': 'postgres', 'db.operation': 'findOne' }, durationMs: 2 })
    .build();

describe('per-span evaluation', () => {
  test('an assertion runs once per selected span and passes only if it holds for all of them', () => {
    const test = testDef(`  - selector: span[tracetest.span.type="database"]
    assertions:
      - attr:db.system = "postgres"
      - attr:db.operation = "create"`);
    const trace = shop();
    const result = evaluateTest(test, trace, new Map());
    const [spec] = result.specs;
    assert.equal(spec!.spanIds.length, 2);
    assert.equal(spec!.assertions[0]!.status, 'passed');
    assert.equal(spec!.assertions[1]!.status, 'failed');
    const perSpan = spec!.assertions[1]!.results;
    assert.deepEqual(
      perSpan.map((r) => [trace.byId.get(r.spanId)!.name, r.observed, r.status]),
      [
        ['create pokeshop.pokemon', 'create', 'passed'],
        ['findOne pokeshop.pokemon', 'findOne', 'failed'],
      ],
    );
    assert.equal(spec!.status, 'failed');
    assert.equal(result.status, 'failed');
  });

  test('when no span matches, attr: assertions fail with the selector named, while the count and variables still evaluate', () => {
    const test = testDef(`  - selector: span[name="does not exist"]
    assertions:
      - attr:http.status_code = 200
      - attr:tracetest.selected_spans.count = 0
      - var:ENV = "ci"`);
    const result = evaluateTest(test, shop(), new Map([['ENV', 'ci']]));
    const [a, count, variable] = result.specs[0]!.assertions;
    assert.equal(a!.status, 'failed');
    assert.equal(a!.results[0]!.spanId, '');
    assert.match(a!.results[0]!.message ?? '', /no span matched selector span\[name="does not exist"\]/);
    assert.equal(count!.status, 'passed');
    assert.equal(variable!.status, 'passed');
  });

  test('two specs with the same selector keep both results, in file order', () => {
    const test = testDef(`  - selector: span[name="POST /pokemon"]
    name: first
    assertions:
      - attr:http.status_code = 201
  - selector: span[name="POST /pokemon"]
    name: second
    assertions:
      - attr:http.method = "GET"`);
    const result = evaluateTest(test, shop(), new Map());
    assert.deepEqual(
      result.specs.map((s) => [s.name, s.status]),
      [
        ['first', 'passed'],
        ['second', 'failed'],
      ],
    );
  });
});

describe('outputs', () => {
  test('are computed from the first selected span before the assertions, so a test can assert on its own output', () => {
    const test = testDef(
      `  - selector: span[name="POST /pokemon"]
    assertions:
      - var:POKEMON_ID = 8`,
      `  - name: POKEMON_ID
    selector: span[tracetest.span.type="database"]
    value: attr:db.result | json_path '$.id'`,
    );
    const trace = shop();
    const result = evaluateTest(test, trace, new Map());
    assert.deepEqual(
      result.outputs.map((o) => [o.name, o.value, trace.byId.get(o.spanId)?.name]),
      [['POKEMON_ID', '8', 'create pokeshop.pokemon']],
    );
    assert.equal(result.variables.get('POKEMON_ID'), '8');
    assert.equal(result.status, 'passed');
  });

  test('an output whose selector matches nothing reports why and fails the test', () => {
    const test = testDef(
      `  - selector: span[name="POST /pokemon"]
    assertions:
      - attr:http.status_code = 201`,
      `  - name: MISSING
    selector: span[name="nope"]
    value: attr:name`,
    );
    const result = evaluateTest(test, shop(), new Map());
    assert.match(result.outputs[0]!.error ?? '', /no span matched selector span\[name="nope"\]/);
    assert.equal(result.outputs[0]!.value, undefined);
    assert.equal(result.status, 'failed');
  });
});

describe('errors', () => {
  test('a selector that does not parse errors the spec and the test, with its position', () => {
    const test = testDef(`  - selector: span[name="x"
    assertions:
      - attr:name = "x"`);
    const result = evaluateTest(test, shop(), new Map());
    const spec = result.specs[0]!;
    assert.equal(spec.status, 'errored');
    assert.ok(spec.selectorError);
    assert.equal(spec.selectorError.column, 14, 'end of the selector, where `]` is missing');
    assert.equal(result.status, 'errored');
    assert.match(result.error ?? '', /selector error/);
  });

  test('an assertion that does not parse errors with the column of the problem, other assertions still run', () => {
    const test = testDef(`  - selector: span[name="POST /pokemon"]
    assertions:
      - attr:http.status_code | nosuchfilter = 201
      - attr:http.status_code = 201`);
    const result = evaluateTest(test, shop(), new Map());
    const [bad, good] = result.specs[0]!.assertions;
    assert.equal(bad!.status, 'errored');
    assert.match(bad!.results[0]!.error!.message, /nosuchfilter/);
    assert.equal(good!.status, 'passed');
    assert.equal(result.specs[0]!.status, 'errored');
  });

  test('an output whose selector or value does not parse errors the test; the specs are still judged', () => {
    for (const [selector, value, where] of [
      ['span[name="x"', 'attr:name', 'selector'],
      ['span[name="POST /pokemon"]', 'attr:name | nope', 'value'],
    ] as const) {
      const test = testDef(
        `  - selector: span[name="POST /pokemon"]
    assertions:
      - attr:http.status_code = 201`,
        `  - name: BROKEN
    selector: ${selector}
    value: ${value}`,
      );
      const result = evaluateTest(test, shop(), new Map());
      assert.equal(result.specs[0]!.status, 'passed');
      assert.equal(result.outputs[0]!.parseError?.in, where);
      assert.match(result.outputs[0]!.error!, new RegExp(`^${where} does not parse: `));
      assert.equal(result.status, 'errored');
      assert.match(result.error ?? '', /^output BROKEN: /);
    }
  });

  test('a missing attribute is an error, not a failure', () => {
    const test = testDef(`  - selector: span[name="POST /pokemon"]
    assertions:
      - attr:http.nope = 1`);
    const result = evaluateTest(test, shop(), new Map());
    const r = result.specs[0]!.assertions[0]!.results[0]!;
    assert.equal(r.status, 'errored');
    assert.match(r.error!.message, /http\.nope/);
  });
});

test('evaluateSpec re-checks one spec against a trace on its own', () => {
  const test = testDef(`  - selector: span[tracetest.span.type="database" db.operation="create"]
    assertions:
      - attr:tracetest.span.duration <= 5ms`);
  const spec = evaluateSpec(test.specs[0]!, shop(), new Map());
  assert.equal(spec.status, 'passed');
  assert.equal(spec.assertions[0]!.results[0]!.observed, '4ms');
  assert.equal(spec.assertions[0]!.comparator, '<=', 'reporters say "expected <= 5ms"');
});

describe('spans sharing attribute values', () => {
  // Outcomes are reused across spans with the same values read: each span's result must still be its own.
  const many = () => {
    const b = new TraceBuilder().span('root', { kind: 'server' });
    for (let i = 0; i < 40; i++)
      b.span(`query ${i}`, {
        parent: 'root',
        attrs: i === 7 ? { 'db.system': 'postgres' } : { 'db.system': i % 3 === 0 ? 'redis' : 'postgres', 'db.rows': i % 2 },
      });
    return b.build();
  };

  test('give each span the outcome evaluating it alone gives, a missing attribute naming its own span', () => {
    const trace = many();
    const result = evaluateTest(
      testDef(`    - selector: span[name contains "query"]
      assertions:
        - attr:db.system = "postgres"
        - attr:db.rows + 1 >= 2
        - attr:db.system = "\${var:SYSTEM}"`),
      trace,
      new Map([['SYSTEM', 'redis']]),
    );
    const [equals, rows, variable] = result.specs[0]!.assertions;
    const spans = trace.spans.filter((s) => s.name.startsWith('query'));
    assert.deepEqual(
      equals!.results.map((r) => r.status),
      spans.map((s) => (s.attributes.get('db.system') === 'postgres' ? 'passed' : 'failed')),
    );
    assert.deepEqual(
      equals!.results.map((r) => r.spanId),
      spans.map((s) => s.id),
    );
    assert.deepEqual(
      rows!.results.map((r) => r.status),
      spans.map((s) => (s.name === 'query 7' ? 'errored' : s.attributes.get('db.rows') === '1' ? 'passed' : 'failed')),
    );
    assert.match(rows!.results[7]!.error!.message, /span "query 7" has no attribute `db.rows`/);
    assert.deepEqual(
      variable!.results.map((r) => r.status),
      spans.map((s) => (s.attributes.get('db.system') === 'redis' ? 'passed' : 'failed')),
    );
  });

  test('call functions on every span', () => {
    const trace = many();
    let calls = 0;
    const result = evaluateTest(
      testDef(`    - selector: span[db.system="postgres"]
      assertions:
        - attr:db.system = "postgres"
        - attr:db.system != firstName()`),
      trace,
      new Map(),
      { random: () => (calls++ % 10) / 10 },
    );
    const selected = result.specs[0]!.spanIds.length;
    assert.ok(selected > 20);
    assert.ok(calls >= selected, `random() called ${calls} times for ${selected} spans`);
  });
});
