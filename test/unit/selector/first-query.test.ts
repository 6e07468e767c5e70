// A first query on a new trace reads the values of the few spans a cheap filter leaves instead of making a column of
// every span for each key (see columnFor): what it selects, and what assertions observe, must not depend on which.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateTest } from '../../../src/core/engine/evaluate';
import { select } from '../../../src/core/selector';
import { loadFile } from '../../../src/core/testfile/index';
import type { TestDef } from '../../../src/core/testfile/model';
import { buildTrace } from '../../../src/core/trace/build';
import { attributeColumn } from '../../../src/core/trace/columns';
import type { Trace } from '../../../src/core/trace/model';
import { generateRawSpans } from '../../support/generated-trace';

const raw = generateRawSpans(2_000);

const SELECTORS = [
  'span[tracetest.span.type="database" name="INSERT orders" db.system="postgresql"]',
  'span[name="INSERT orders" db.operation.name="INSERT"]',
  'span[name="INSERT orders" db.operation.name!="INSERT"]',
  'span[kind="client" db.collection.name contains "prod" tracetest.span.duration < 1000000000]',
  'span[name="INSERT orders" http.route="/inventory"]',
  'span[name="INSERT orders" service.name="orders"]',
  'span[name="INSERT orders" tracetest.span.status_code="STATUS_CODE_ERROR"]:first',
  'span[name="POST /orders"] span[tracetest.span.type="rpc" rpc.method="Create"]',
  'span[kind="producer" messaging.operation.type="publish"], span[name="INSERT orders" db.system="redis"]',
];

/** A trace every selector above has already read, so each of their keys has its column. */
function warmTrace(): Trace {
  const trace = buildTrace(raw);
  for (const key of [
    'name',
    'kind',
    'tracetest.span.type',
    'tracetest.span.duration',
    'tracetest.span.status_code',
    'db.system',
    'db.operation.name',
    'db.collection.name',
    'http.route',
    'rpc.method',
    'messaging.operation.type',
    'service.name',
  ]) {
    attributeColumn(trace, key);
  }
  return trace;
}

const ids = (trace: Trace, selector: string): string[] => {
  const result = select(trace, selector);
  assert.ok(result.ok);
  return result.value.map((s) => s.id);
};

describe('the first query on a new trace', () => {
  it('selects the same spans as queries over built columns', () => {
    const warm = warmTrace();
    for (const selector of SELECTORS) {
      const fresh = buildTrace(raw);
      assert.deepEqual(ids(fresh, selector), ids(warm, selector), selector);
      assert.deepEqual(ids(fresh, selector), ids(warm, selector), `${selector}, asked again`);
    }
    const inserts = ids(warm, SELECTORS[1]!);
    assert.ok(inserts.length > 0 && inserts.length * 8 < warm.spans.length, 'a few spans, so the fresh trace read them one by one');
  });

  it('gives assertions the same observed values and outcomes', () => {
    const test = loadFile(
      `type: Test
spec:
  id: first-query
  name: first query
  trigger:
    type: traceid
    traceid:
      id: x
  specs:
    - selector: span[name="INSERT orders"]
      assertions:
        - attr:db.system = "postgresql"
        - attr:db.operation.name = "SELECT"
        - attr:http.route = "/inventory"
        - attr:tracetest.span.duration < 1ms
`,
      'first-query.yaml',
    ).resources[0]!.resource as TestDef;
    const strip = (t: Trace) => JSON.parse(JSON.stringify(evaluateTest(test, t, new Map()).specs.map((s) => ({ ...s, source: undefined }))));
    const fresh = strip(buildTrace(raw));
    assert.deepEqual(fresh, strip(warmTrace()));
    const statuses = (fresh as Array<{ assertions: Array<{ status: string }> }>)[0]!.assertions.map((a) => a.status);
    assert.deepEqual(statuses.slice(0, 3), ['passed', 'failed', 'errored']);
  });
});
