import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TestRunResult } from '../../../src/core/engine/result';
import { loadFile, type LoadedFile } from '../../../src/core/testfile/index';
import type { StoredRun } from '../../../src/extension/run-store';
import { buildTrace } from '../../../src/core/trace/build';
import { progressLine } from '../../../src/run/reporters/progress';
import type { RunEvent } from '../../../src/run/runner';
import { generateRawSpans, GENERATED_TRACE_ID } from '../../support/generated-trace';
import { annotateFile } from '../../../src/extension/results/annotate';
import { computeDecorations as decorationsOf } from '../../../src/extension/results/decorations';
import { computeRunDiagnostics as runDiagnosticsOf } from '../../../src/extension/results/diagnostics';
import { LineIndex } from '../../../src/extension/results/lines';
import { resultSummary } from '../../../src/extension/results/summary';
import { entriesOf } from '../../../src/extension/results/file-entries';
import { FAILING_TEXT, IMPORT_TEST_TEXT, lineOf, MULTI_SPAN_TEXT, replay } from './support';

/** As the test documents hold them: the runs laid onto the file's text once, then each view computed from that. */
const computeDecorations = (file: LoadedFile, runs: StoredRun[]) => decorationsOf(annotateFile(file, runs), new LineIndex(file.text));
const computeRunDiagnostics = (file: LoadedFile, runs: StoredRun[]) => runDiagnosticsOf(annotateFile(file, runs));

describe('after-text decorations from a real run', () => {
  test('a passing run puts the observed value after every assertion line', async () => {
    const { file, run } = await replay(IMPORT_TEST_TEXT);
    const decorations = computeDecorations(file, [run]);
    assert.deepEqual(
      decorations.map((d) => [d.line, d.text, d.status]),
      [
        [lineOf(IMPORT_TEST_TEXT, 'attr:http.status_code'), '✓ 200', 'passed'],
        [lineOf(IMPORT_TEST_TEXT, "attr:http.response.body | json_path '$.id'"), '✓ 143', 'passed'],
        [lineOf(IMPORT_TEST_TEXT, 'attr:validation.is_valid'), '✓ true', 'passed'],
        [lineOf(IMPORT_TEST_TEXT, "attr:messaging.payload | json_path '$.id'"), '✓ 143', 'passed'],
        [lineOf(IMPORT_TEST_TEXT, "json_path '$.fields.routingKey'"), '✓ queue.synchronizePokemon', 'passed'],
        [lineOf(IMPORT_TEST_TEXT, 'attr:tracetest.selected_spans.count >= 1'), '✓ 1', 'passed'],
      ],
    );
    const first = decorations[0]!;
    assert.equal(first.character, IMPORT_TEST_TEXT.split('\n')[first.line]!.length, 'anchored at the end of the line');
  });

  test('a failed assertion shows observed and expected; one failing on some spans shows how many', async () => {
    const failing = await replay(FAILING_TEXT);
    const byLine = new Map(computeDecorations(failing.file, [failing.run]).map((d) => [d.line, d]));
    assert.equal(byLine.get(lineOf(FAILING_TEXT, 'attr:http.status_code = 201'))?.text, '✗ 200 (expected 201)');
    assert.equal(byLine.get(lineOf(FAILING_TEXT, 'attr:http.status_code = 201'))?.status, 'failed');

    const multi = await replay(MULTI_SPAN_TEXT);
    const lines = new Map(computeDecorations(multi.file, [multi.run]).map((d) => [d.line, d]));
    const serviceLine = lines.get(lineOf(MULTI_SPAN_TEXT, 'attr:service.name = "pokeshop-api"'))!;
    assert.equal(serviceLine.text, '✗ 2 of 3 spans');
    assert.match(serviceLine.hover, /expected pokeshop-api, observed (tracetest|pokeshop-worker) \(2 of 3 spans\)/);
    assert.equal(lines.get(lineOf(MULTI_SPAN_TEXT, 'attr:tracetest.selected_spans.count = 3'))?.text, '✓ 3 (3 spans)');
  });

  test('edits above move the after-text with the assertion; an edited assertion loses its stale result', async () => {
    const { run } = await replay(FAILING_TEXT);
    const edited = FAILING_TEXT.replace('  description: Import a Pokemon\n', '  description: Import a Pokemon\n  # a comment\n  # and another\n').replace(
      'attr:validation.is_valid = "true"',
      'attr:validation.is_valid = "false"',
    );
    const decorations = computeDecorations(loadFile(edited, run.path), [run]);
    const texts = new Map(decorations.map((d) => [d.line, d.text]));
    assert.equal(texts.get(lineOf(edited, 'attr:http.status_code = 201')), '✗ 200 (expected 201)', 'followed the assertion two lines down');
    assert.equal(texts.has(lineOf(edited, 'attr:validation.is_valid')), false, 'the changed assertion has no result any more');
    assert.equal(decorations.length, 5);
  });

  test('a test that errored before its specs ran shows the reason on its name line', async () => {
    const { file, run } = await replay(IMPORT_TEST_TEXT);
    const errored = { ...run, result: { ...run.result, status: 'errored' as const, error: 'trace 4bf9…: no span arrived within 30s', specs: [], outputs: [] } };
    assert.deepEqual(
      computeDecorations(file, [errored]).map((d) => [d.line, d.text, d.status]),
      [[lineOf(IMPORT_TEST_TEXT, 'name: Import a Pokemon'), '! trace 4bf9…: no span arrived within 30s', 'errored']],
    );
  });

  test('a broken selector and a broken assertion are errored at the offending column', async () => {
    const text = IMPORT_TEST_TEXT.replace('span[tracetest.span.type="general" name="validate request"]', 'span[tracetest.span.type="general" name=]').replace(
      'attr:tracetest.selected_spans.count >= 1',
      'attr:tracetest.selected_spans.count >=',
    );
    const { file, run } = await replay(text);
    const annotations = annotateFile(file, [run]).filter((a) => a.status === 'errored');
    assert.deepEqual(
      annotations.map((a) => a.kind),
      ['selector', 'assertion'],
    );
    const selectorAt = text.indexOf('name=]') + 'name='.length;
    assert.equal(annotations[0]!.range.start, selectorAt, 'points at the missing value');
    assert.match(annotations[0]!.short, /^! /);
  });
});

describe('Problems-view entries from a real run', () => {
  test('one error per failing assertion line, at the assertion; a passing run has none', async () => {
    const failing = await replay(FAILING_TEXT);
    const diagnostics = computeRunDiagnostics(failing.file, [failing.run]);
    assert.equal(diagnostics.length, 1);
    const [d] = diagnostics;
    assert.equal(d!.severity, 'error');
    assert.equal(FAILING_TEXT.slice(d!.range.start, d!.range.end), 'attr:http.status_code = 201');
    assert.match(d!.message, /^attr:http\.status_code = 201: span 00f067aa0ba902b7 "POST \/pokemon\/import": expected 201, observed 200$/);

    const passing = await replay(IMPORT_TEST_TEXT);
    assert.deepEqual(computeRunDiagnostics(passing.file, [passing.run]), []);
  });
});

describe('the result summary above a test', () => {
  test('specs passed, duration and span count', async () => {
    const { result } = await replay(FAILING_TEXT);
    assert.match(resultSummary(result), /^4\/5 specs passed · \d+ ms · 9 spans$/);
    assert.equal(resultSummary({ ...result, durationMs: 412 }), '4/5 specs passed · 412 ms · 9 spans');
    assert.equal(
      resultSummary({ ...result, status: 'errored', error: 'trigger: connect ECONNREFUSED 127.0.0.1:9', specs: [], durationMs: 3, trace: undefined }),
      'errored: trigger: connect ECONNREFUSED 127.0.0.1:9 · 3 ms',
    );
  });
});

describe('what the Testing view lists for a file', () => {
  test('tests by key, suites, and documents that claim to be tests but do not load', () => {
    const text = `${IMPORT_TEST_TEXT}---
type: TestSuite
spec:
  id: suite
  name: The suite
  steps:
    - pokeshop-demo-import-pokemon-queue
---
type: Test
spec:
  name: no trigger
`;
    const entries = entriesOf(loadFile(text, 'f.yaml'));
    assert.deepEqual(
      entries.map((e) => [e.kind, e.key, e.label]),
      [
        ['test', 'pokeshop-demo-import-pokemon-queue', 'Import a Pokemon using API and MQ Worker'],
        ['suite', 'suite', 'The suite'],
        ['broken', '#2', 'document 3'],
      ],
    );
    const broken = entries[2]!;
    assert.equal(broken.kind === 'broken' && broken.problems.length > 0, true, 'carries the schema problems');
  });
});

describe('the Testing view output of a run', () => {
  test('a test judged on a repaired trace says what was repaired, under its result line', async () => {
    const { result } = await replay(IMPORT_TEST_TEXT);
    const raw = generateRawSpans(20);
    raw[5]!.parentId = 'feedfacefeedface';
    const repaired = buildTrace(raw, { traceId: GENERATED_TRACE_ID });
    const line = (r: TestRunResult) => progressLine({ type: 'test-finished', run: 1, result: r } as RunEvent)!;
    assert.doesNotMatch(line(result), /⚠/, 'a sound trace: nothing to say');
    assert.match(
      line({ ...result, trace: repaired }),
      /^✓ Import a Pokemon using API and MQ Worker \([^)]*\)\n {2}⚠ trace: span [0-9a-f]{16} \("[^"]+"\) has parent feedfacefeedface, which is not in the trace; it is shown under the trigger span(\n|$)/,
    );
  });

  test("the analyzer's score, each failed rule with its spans, and a required gate that failed follow the result line", async () => {
    const { result } = await replay(IMPORT_TEST_TEXT);
    const gated: TestRunResult = {
      ...result,
      status: 'failed',
      gates: [
        { gate: 'test-specs', passed: true },
        { gate: 'analyzer-score', passed: false, message: 'score 81 is below the minimum 90' },
      ],
    };
    const text = progressLine({ type: 'test-finished', run: 1, result: gated } as RunEvent)!;
    assert.deepEqual(text.split('\n').slice(1), [
      '  analyzer score 81/100 · 2 of 7 rules failed',
      '    ✗ span-naming (1 span)',
      '        span 7f6e5d4c3b2a1908 "pg.query:INSERT pokeshop": named "pg.query:INSERT pokeshop"; the conventions name it "pokeshop"',
      '    ✗ secure-https-protocol (1 span)',
      '        span 00f067aa0ba902b7 "POST /pokemon/import": http.scheme is http; http.url is http (http://demo-api:8081)',
      '  ✗ required gate analyzer-score: score 81 is below the minimum 90',
    ]);
  });

  test('says what a run waits for and for how long at most, what it noticed, and spans that came after the judgement', async () => {
    const waiting = progressLine({
      type: 'test-progress',
      run: 1,
      phase: 'spans',
      progress: {
        spans: 3,
        services: ['pokeshop-api'],
        waiting: { reasons: ['spans from pokeshop-worker (seen in the last run)'], until: Date.now() + 5_500 },
      },
    });
    assert.match(waiting ?? '', /^ {2}3 spans so far from pokeshop-api; waiting for spans from pokeshop-worker \(seen in the last run\), up to 5\.[45]s$/);

    const { result } = await replay(IMPORT_TEST_TEXT);
    const noticed = progressLine({
      type: 'test-finished',
      run: 1,
      result: { ...result, warnings: ['no span from pokeshop-worker arrived this time (it sent 5 spans in the last run)'] },
    });
    assert.match(noticed ?? '', /\n {2}⚠ no span from pokeshop-worker arrived this time \(it sent 5 spans in the last run\)\n {2}analyzer score/);

    const late = progressLine({
      type: 'test-progress',
      run: 1,
      phase: 'late',
      test: 'Import',
      traceId: GENERATED_TRACE_ID,
      late: { service: 'pokeshop-worker', spans: 2, afterResponseMs: 6_100 },
    });
    assert.equal(
      late,
      "⚠ Import: 2 spans from pokeshop-worker arrived 6.1s after the trigger's response, after the test was judged: its result may be wrong (raise the export delay, or make that service export sooner)",
    );
  });
});
