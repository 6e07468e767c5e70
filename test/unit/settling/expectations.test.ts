// What a quiet trace is still waited for, and until when: unmatched selectors, counted specs, the services and span
// counts of the test's last run, missing parents; each bounded, never past the timeout.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadFile } from '../../../src/core/testfile/index';
import type { TestDef } from '../../../src/core/testfile/model';
import {
  describeWait,
  expectationsOf,
  expiredWarnings,
  NO_EXPECTATIONS,
  shapeOf,
  waitReasons,
  type DeadlineFor,
  type Expectations,
} from '../../../src/run/sources/expectations';
import { makeSpan, TRIGGER_SPAN_ID } from '../sources/support';

const EXPORT_DELAY = 5_500;
/** The last span came at 1 s: every service waited for the export delay after it. */
const SINCE = 1_000;
const exportDelay: DeadlineFor = () => SINCE + EXPORT_DELAY;
const seen = (spans = [makeSpan({ name: 'GET /pokemon', service: 'api' })], unmatched: string[] = []) => ({
  spans,
  triggerSpanId: TRIGGER_SPAN_ID,
  unmatched,
  notAfter: 60_000,
});

function testDef(specs: string, outputs = ''): TestDef {
  const file = loadFile(`type: Test\nspec:\n  id: t\n  trigger:\n    type: traceid\n    traceid:\n      id: abc\n  specs:\n${specs}${outputs}`, 't.yaml');
  const resource = file.resources[0]?.resource;
  assert.equal(resource?.kind, 'Test');
  return resource as TestDef;
}

describe('waitReasons', () => {
  it('waits for nothing when every selector matches and there is no history', () => {
    assert.deepEqual(waitReasons(NO_EXPECTATIONS, seen(), exportDelay), []);
  });

  it('waits for a selector that matches nothing, until the deadline of the services involved', () => {
    const [reason, ...rest] = waitReasons(NO_EXPECTATIONS, seen(undefined, ['span[name="charge card"]']), exportDelay);
    assert.deepEqual(rest, []);
    assert.equal(reason?.kind, 'selector');
    assert.equal(reason?.text, 'a span matching span[name="charge card"]');
    assert.equal(reason?.until, SINCE + EXPORT_DELAY);
  });

  it('waits for every span a counted spec counts, even once its selector matches', () => {
    const expect: Expectations = { ...NO_EXPECTATIONS, countSelectors: ['span[name="GET /pokemon"]'] };
    const reasons = waitReasons(expect, seen(), exportDelay);
    assert.deepEqual(
      reasons.map((r) => [r.kind, r.text]),
      [['count', 'every span counted by span[name="GET /pokemon"]']],
    );
    // Unmatched, it is a selector reason only.
    assert.deepEqual(
      waitReasons(expect, seen(undefined, ['span[name="GET /pokemon"]']), exportDelay).map((r) => r.kind),
      ['selector'],
    );
  });

  it('waits for the services of the last run and for the spans they sent then, with a warning for when they never come', () => {
    const expect: Expectations = { ...NO_EXPECTATIONS, previous: { services: { api: 3, worker: 2 } } };
    const reasons = waitReasons(expect, seen(), exportDelay);
    assert.deepEqual(
      reasons.map((r) => [r.kind, r.text, r.warning]),
      [
        ['service', 'spans from worker (seen in the last run)', 'no span from worker arrived this time (it sent 2 spans in the last run)'],
        ['spans', '2 more spans from api (3 in the last run)', 'api sent 1 span this time, 3 in the last run'],
      ],
    );
    // More spans than last time is no reason to wait.
    assert.deepEqual(
      waitReasons(
        { ...NO_EXPECTATIONS, previous: { services: { api: 1 } } },
        seen([makeSpan({ name: 'a', service: 'api' }), makeSpan({ name: 'b', service: 'api' })]),
        exportDelay,
      ),
      [],
    );
  });

  it('waits for a missing parent', () => {
    const child = makeSpan({ name: 'INSERT', service: 'api', parentId: 'feedfacefeedface' });
    const [reason] = waitReasons(NO_EXPECTATIONS, seen([child]), exportDelay);
    assert.equal(reason?.kind, 'parent');
    assert.equal(reason?.text, 'the parent of "INSERT" (api)');
  });

  it('asks for the deadline of the services involved: those of the trace, of the last run, and those a selector names', () => {
    const asked: string[][] = [];
    const bound: DeadlineFor = (services) => {
      asked.push([...services].sort());
      return 100;
    };
    const expect: Expectations = {
      previous: { services: { api: 1, worker: 1 } },
      countSelectors: [],
      namedServices: new Map([['span[service.name="billing"]', ['billing']]]),
    };
    waitReasons(expect, seen(undefined, ['span[service.name="billing"]']), bound);
    assert.deepEqual(asked, [['api', 'billing', 'worker'], ['worker']]);
  });

  it('never waits past the timeout: a wait cut short says so', () => {
    const reasons = waitReasons(NO_EXPECTATIONS, { ...seen(undefined, ['span[name="x"]']), notAfter: 3_000 }, exportDelay);
    assert.equal(reasons[0]?.until, 3_000);
    assert.equal(reasons[0]?.cut, true);
    assert.deepEqual(expiredWarnings(reasons, 5_000), [
      'stopped waiting for a span matching span[name="x"] at the 5s timeout: the trace was judged as it was (raise the timeout above the export delay)',
    ]);
  });
});

describe('expectationsOf', () => {
  it('finds counted specs, in either side of the assertion, and the services selectors name', () => {
    const test = testDef(
      `  - selector: span[name="SELECT"]
    name: three reads
    assertions:
    - attr:tracetest.selected_spans.count = 3
  - selector: span[service.name="worker" name="consume"]
    assertions:
    - 1 <= attr:tracetest.selected_spans.count
  - selector: span[service.name="api"] span[name="INSERT"]
    assertions:
    - attr:db.system = "sqlite"
  - selector: span[service.name != "api"]
    assertions:
    - attr:db.system = "sqlite"
`,
      `  outputs:
  - name: ID
    selector: span[service.name="billing"]
    value: attr:id
`,
    );
    const expect = expectationsOf(test);
    assert.deepEqual(expect.countSelectors, ['span[name="SELECT"]', 'span[service.name="worker" name="consume"]']);
    assert.deepEqual(Object.fromEntries(expect.labels ?? []), { 'span[name="SELECT"]': '"three reads"', 'span[service.name="billing"]': 'output ID' });
    assert.equal(
      waitReasons(expect, seen(undefined, ['span[name="SELECT"]']), exportDelay)[0]?.text,
      'a span for "three reads"',
      'a spec is known by its name',
    );
    assert.deepEqual(Object.fromEntries(expect.namedServices), {
      'span[service.name="worker" name="consume"]': ['worker'],
      'span[service.name="api"] span[name="INSERT"]': ['api'],
      'span[service.name="billing"]': ['billing'],
    });
  });

  it('ignores what does not parse: the evaluator reports it', () => {
    const expect = expectationsOf(
      testDef(`  - selector: span[name=
    assertions:
    - attr:tracetest.selected_spans.count = (
`),
    );
    assert.deepEqual({ ...expect, namedServices: [...expect.namedServices] }, { countSelectors: [], namedServices: [] });
  });
});

describe('shapes and words', () => {
  it('a trace shape counts spans per service', () => {
    const spans = [makeSpan({ name: 'a', service: 'api' }), makeSpan({ name: 'b', service: 'api' }), makeSpan({ name: 'c', service: 'worker' })];
    assert.deepEqual(shapeOf(spans), { services: { api: 2, worker: 1 } });
  });

  it('describes the first two reasons and the longest wait left', () => {
    assert.equal(describeWait(['spans from worker (seen in the last run)'], 5_500), 'waiting for spans from worker (seen in the last run), up to 5.5s');
    assert.equal(describeWait(['a', 'b', 'c', 'd'], 250), 'waiting for a; b and 2 more, up to 250ms');
    assert.equal(describeWait(['a'], -20), 'waiting for a, up to 0ms');
  });
});
