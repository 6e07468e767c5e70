// A re-check (the editor's, against a test's last trace) judges exactly as a replay of the same trace does: the
// same statuses, places in the file, analyzer and gates; only what the run did (trigger, warnings) is the last run's.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_GATE_SETTINGS } from '../../../src/core/analyzer/index';
import type { TestDef } from '../../../src/core/testfile/model';
import { loadFile } from '../../../src/core/testfile/index';
import { recheckResult } from '../../../src/run/judge-test';
import { FAILING_TEXT, IMPORT_TEST_TEXT, replay } from '../testing/support';

const PATH = '/workspace/tests/import.yaml';
const variables = new Map([['POKESHOP_API_URL', 'http://localhost:8081']]);
const processEnv = () => undefined;
const testIn = (text: string): TestDef => {
  const resource = loadFile(text, PATH).resources[0]!.resource;
  assert.equal(resource?.kind, 'Test');
  return resource as TestDef;
};

describe('re-checking a test against its last trace', () => {
  test("an edited test is judged like a replay of the trace: statuses, places, analyzer and gates; the trigger is the last run's", async () => {
    const last = await replay(IMPORT_TEST_TEXT, PATH);
    const edited = await replay(FAILING_TEXT, PATH);
    const test = testIn(FAILING_TEXT);
    const previous = { ...last.result, warnings: ['no span from pokeshop-worker arrived this time'] };
    const gates = DEFAULT_GATE_SETTINGS;
    const rechecked = recheckResult(previous, test, last.result.trace!, { variables, processEnv, gates, text: FAILING_TEXT });

    assert.equal(last.result.status, 'passed');
    assert.equal(rechecked.status, 'failed');
    assert.deepEqual(rechecked.specs, edited.result.specs, 'the same spec results, placed at the same lines and columns');
    assert.ok(rechecked.specs[0]!.line !== undefined && rechecked.specs[0]!.column !== undefined, 'placed in the file');
    assert.deepEqual([rechecked.analyzer?.score, rechecked.gates], [edited.result.analyzer?.score, edited.result.gates]);
    assert.deepEqual([rechecked.trigger, rechecked.traceId, rechecked.warnings], [last.result.trigger, last.result.traceId, previous.warnings]);
  });

  test("the last run's error does not outlive a re-check that has none", async () => {
    const last = await replay(IMPORT_TEST_TEXT, PATH);
    const test = testIn(IMPORT_TEST_TEXT);
    const previous = { ...last.result, status: 'errored' as const, error: 'trace: timed out' };
    const rechecked = recheckResult(previous, test, last.result.trace!, { variables, processEnv });
    assert.deepEqual([rechecked.status, rechecked.error], ['passed', undefined]);
  });
});
