// isRunnableFile, parseGoDuration and createProblem.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createProblem, isResourceFile, isRunnableFile, parseGoDuration } from '../../../src/core/testfile/index';
import { fixtureText } from './helpers';

describe('isResourceFile', () => {
  it('is true for any top-level type, including kinds that are not run', () => {
    assert.equal(isResourceFile(fixtureText('tracetest', 'resources', 'config', 'variableset.yaml')), true);
    assert.equal(isResourceFile('---\ntype: DataStore\nspec: {}\n'), true);
  });
  it('is false for YAML that is no resource, or whose `type` is nested', () => {
    assert.equal(isResourceFile('name: ci\non: push\n'), false);
    assert.equal(isResourceFile('spec:\n  type: Test\n'), false);
  });
});

describe('isRunnableFile', () => {
  it('is true for tests and suites, in any document, quoted or not', () => {
    assert.equal(isRunnableFile(fixtureText('tracetest', 'kafka-trigger.yaml')), true);
    assert.equal(isRunnableFile(fixtureText('tracetest', 'resources', 'suites', 'pokeshop.yaml')), true);
    assert.equal(isRunnableFile('type: Transaction\nspec: {}\n'), true);
    assert.equal(isRunnableFile('type: Config\nspec: {}\n---\ntype: "Test"  # a test\nspec: {}\n'), true);
    assert.equal(isRunnableFile("\uFEFFtype: 'TestSuite'\r\nspec: {}\r\n"), true);
  });

  it('is false for other kinds, nested `type:` keys and other YAML', () => {
    assert.equal(isRunnableFile(fixtureText('tracetest', 'resources', 'config', 'variableset.yaml')), false);
    assert.equal(isRunnableFile('type: DataStore\nspec:\n  type: jaeger\n'), false);
    assert.equal(isRunnableFile('spec:\n  type: Test\n'), false);
    assert.equal(isRunnableFile('type: Tests\n'), false);
    assert.equal(isRunnableFile('name: ci\non: push\n'), false);
    assert.equal(isRunnableFile(''), false);
  });
});

describe('parseGoDuration', () => {
  it('reads single and compound durations in milliseconds', () => {
    assert.equal(parseGoDuration('5s'), 5000);
    assert.equal(parseGoDuration('1m'), 60_000);
    assert.equal(parseGoDuration('500ms'), 500);
    assert.equal(parseGoDuration('1m30s'), 90_000);
    assert.equal(parseGoDuration('1h2m3s4ms'), 3_723_004);
    assert.equal(parseGoDuration('1.5s'), 1500);
    assert.equal(parseGoDuration('.5h'), 1_800_000);
    assert.equal(parseGoDuration('250us'), 0.25);
    assert.equal(parseGoDuration('250µs'), 0.25);
    assert.equal(parseGoDuration('1000000ns'), 1);
    assert.equal(parseGoDuration('0'), 0);
    assert.equal(parseGoDuration('-2s'), -2000);
  });

  it('rejects what Go rejects', () => {
    for (const text of ['', '5', '1.5', 's', '5 s', '5sec', '1d', '1m 30s', '+', '-', '5s ', 'ms5', '1..5s']) {
      assert.equal(parseGoDuration(text), undefined, text);
    }
  });
});

describe('createProblem', () => {
  it('gives 1-based start and end positions for a range', () => {
    const text = 'type: Test\nspec:\n  name: x\n';
    assert.deepEqual(createProblem(text, { start: 19, end: 23 }, 'bad name', 'schema'), {
      severity: 'error',
      source: 'schema',
      message: 'bad name',
      range: { start: 19, end: 23 },
      line: 3,
      column: 3,
      endLine: 3,
      endColumn: 7,
    });
    assert.equal(createProblem(text, { start: 0, end: 0 }, 'w', 'yaml', 'warning').severity, 'warning');
  });
});
