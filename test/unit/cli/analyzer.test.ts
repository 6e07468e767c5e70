// The analyzer and the required gates through `tracelens run`: the Analyzer and TestRunner found with the tests,
// the JSON report of cli.md, the pretty report, JUnit, and the exit code.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { main } from '../../../src/cli';

const ROOT = join(__dirname, '..', '..', '..');
const POKESHOP_TRACE = join(ROOT, 'test', 'fixtures', 'traces', 'pokeshop.otlp.json');
const IMPORT_TEST = join(ROOT, 'test', 'fixtures', 'tracetest', 'resources', 'tests', 'import-pokemon.yaml');

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    env: {},
  });
  return { code, stdout, stderr };
}

/** The import test in a folder of its own, with these settings files beside it. */
function folder(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'tracelens-analyzer-'));
  copyFileSync(IMPORT_TEST, join(dir, 'import.yaml'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const run = (dir: string, ...more: string[]) => cli(['run', dir, '--trace', POKESHOP_TRACE, '--var', 'POKESHOP_API_URL=x', ...more]);

describe('tracelens run: the analyzer and the required gates', () => {
  test('the JSON report carries the analyzer (scores, every rule, the spans each failed on) and the required gates', async () => {
    const r = await run(folder(), '--reporter', 'json');
    assert.equal(r.code, 0, 'by default only the specs decide');
    const [t] = JSON.parse(r.stdout).tests;
    assert.deepEqual({ ...t.analyzer, plugins: undefined }, { score: 81, minimumScore: 0, passed: false, plugins: undefined });
    assert.deepEqual(
      t.analyzer.plugins.map((p: { id: string; score: number; rules: Array<{ id: string; level: string; weight: number; passed: boolean }> }) => [
        p.id,
        p.score,
        p.rules.map((x) => [x.id, x.level, x.weight, x.passed]),
      ]),
      [
        [
          'standards',
          75,
          [
            ['span-naming', 'error', 25, false],
            ['required-attributes', 'error', 25, true],
            ['attribute-naming', 'error', 25, true],
            ['no-empty-attributes', 'error', 25, true],
          ],
        ],
        ['common', 100, [['prefer-dns', 'error', 100, true]]],
        [
          'security',
          70,
          [
            ['secure-https-protocol', 'error', 30, false],
            ['no-api-key-leak', 'error', 70, true],
          ],
        ],
      ],
    );
    assert.deepEqual(t.analyzer.plugins[2].rules[0].results, [
      { spanId: '00f067aa0ba902b7', passed: false, errors: ['http.scheme is http', 'http.url is http (http://demo-api:8081)'] },
    ]);
    assert.deepEqual(t.analyzer.plugins[0].rules[1].results, [], 'a rule lists only the spans it failed on');
    assert.deepEqual(t.gates, [{ gate: 'test-specs', passed: true }]);
  });

  test('an Analyzer and a TestRunner found with the tests fail a test below the minimum score: exit 1, and every report says why', async () => {
    const dir = folder({
      'analyzer.yaml': 'type: Analyzer\nspec:\n  id: current\n  name: analyzer\n  minimumScore: 90\n',
      'runner.yaml': 'type: TestRunner\nspec:\n  id: current\n  name: default\n  requiredGates:\n  - analyzer-score\n  - test-specs\n',
    });
    const json = await run(dir, '--reporter', 'json');
    assert.equal(json.code, 1);
    assert.match(json.stderr, /tracelens: using the Analyzer of .*analyzer\.yaml\n/);
    assert.match(json.stderr, /tracelens: using the TestRunner of .*runner\.yaml\n/);
    const report = JSON.parse(json.stdout);
    assert.deepEqual(report.summary, { passed: 0, failed: 1, errored: 0 });
    assert.equal(report.tests[0].status, 'failed');
    assert.equal(report.tests[0].error, undefined, 'failed, not errored');
    assert.deepEqual(report.tests[0].gates, [
      { gate: 'analyzer-score', passed: false, message: 'score 81 is below the minimum 90' },
      { gate: 'test-specs', passed: true },
    ]);

    const pretty = await run(dir, '--reporter', 'pretty');
    assert.match(pretty.stdout, /✗ Import a Pokemon using API and MQ Worker/);
    assert.match(
      pretty.stdout,
      /\n {2}analyzer score 81\/100 \(minimum 90\) · 2 of 7 rules failed\n {4}✗ span-naming \(1 span\)\n {8}span 7f6e5d4c3b2a1908 "pg\.query:INSERT pokeshop": named "pg\.query:INSERT pokeshop"; the conventions name it "pokeshop"\n/,
    );
    assert.match(pretty.stdout, /\n {2}✗ required gate analyzer-score: score 81 is below the minimum 90\n/);

    const junit = await run(dir, '--reporter', 'junit');
    assert.match(junit.stdout, /<testsuite name="Import a Pokemon using API and MQ Worker › analyzer" tests="8" failures="1" errors="0" skipped="0">/);
    assert.match(
      junit.stdout,
      /<testcase name="score 81\/100 \(minimum 90\)"[^>]*>\n {6}<failure type="analyzer-score" message="score 81 is below the minimum 90" \/>/,
    );
    assert.match(
      junit.stdout,
      /<testcase name="standards: span-naming"[^>]*>\n {6}<system-out>failed on 1 span \(not failing the test: the analyzer-rules gate is not required\)/,
    );
  });

  test('analyzer-rules: an error-level rule that failed fails the test and is a JUnit failure; warnings and disabled rules are not', async () => {
    const dir = folder({
      'settings.yaml': `type: Analyzer
spec:
  plugins:
  - id: standards
    rules:
    - id: span-naming
      errorLevel: warning
    - id: attribute-naming
      errorLevel: disabled
---
type: TestRunner
spec:
  requiredGates: [test-specs, analyzer-rules]
`,
    });
    const r = await run(dir, '--reporter', 'junit');
    assert.equal(r.code, 1);
    assert.match(r.stdout, /<testsuite name="[^"]+ › analyzer" tests="8" failures="1" errors="0" skipped="1">/);
    assert.match(
      r.stdout,
      /<testcase name="security: secure-https-protocol"[^>]*>\n {6}<failure type="analyzer-rules" message="1 span">span 00f067aa0ba902b7: http\.scheme is http; http\.url is http \(http:\/\/demo-api:8081\)<\/failure>/,
    );
    assert.match(r.stdout, /<testcase name="standards: span-naming"[^>]*>\n {6}<system-out>failed on 1 span \(not failing the test: warning level\)/);
    assert.match(r.stdout, /<testcase name="standards: attribute-naming"[^>]*>\n {6}<skipped message="disabled" \/>/);
    const json = JSON.parse((await run(dir, '--reporter', 'json')).stdout);
    assert.deepEqual(json.tests[0].gates[1], { gate: 'analyzer-rules', passed: false, message: 'failed: secure-https-protocol (1 span)' });
  });

  test('an invalid Analyzer file found with the tests is a usage error at its line and column, and nothing runs', async () => {
    const dir = folder({ 'analyzer.yaml': 'type: Analyzer\nspec:\n  minimumScore: 120\n' });
    const r = await run(dir, '--reporter', 'json');
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /analyzer\.yaml:3:17: `minimumScore` must be <= 100/);
  });
});
