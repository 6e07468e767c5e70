// Scores, levels and the Analyzer / TestRunner resources as users write them, and the required gates.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze, analyzerConfig, gateSettings, judge, requiredGates } from '../../../src/core/analyzer/index';
import type { SpecResult } from '../../../src/core/engine/result';
import { loadFile } from '../../../src/core/testfile/index';
import type { AnalyzerDef, ResourceDef, TestRunnerDef } from '../../../src/core/testfile/model';
import { TraceBuilder } from '../../support/trace-builder';

/** One span failing span-naming (standards) and secure-https-protocol (security); common passes. */
const trace = () =>
  new TraceBuilder()
    .span('GET /pokemon/25', {
      kind: 'server',
      attrs: { 'http.request.method': 'GET', 'http.route': '/pokemon/:id', 'url.path': '/pokemon/25', 'url.scheme': 'http', 'server.address': 'api' },
    })
    .build();

function resource<K extends ResourceDef['kind']>(yaml: string, kind: K): Extract<ResourceDef, { kind: K }> {
  const loaded = loadFile(yaml, 'settings.yaml');
  assert.deepEqual(loaded.problems, []);
  const found = loaded.resources[0]?.resource;
  assert.equal(found?.kind, kind);
  return found as Extract<ResourceDef, { kind: K }>;
}

const analyzerFile = (spec: string) => resource(`type: Analyzer\nspec:\n${spec}`, 'Analyzer') as AnalyzerDef;

describe('the score', () => {
  test("per plugin, the share of its error-level rules' weight that passed; overall, the integer mean", () => {
    const result = analyze(trace(), analyzerConfig())!;
    assert.deepEqual(
      result.plugins.map((p) => [p.id, p.score, p.passed]),
      [
        ['standards', 75, false],
        ['common', 100, true],
        ['security', 70, false],
      ],
    );
    assert.equal(result.score, 81);
    assert.equal(result.minimumScore, 0);
    assert.equal(result.passed, false);
  });

  test('a warning is reported but does not count; a disabled rule is not run; a disabled plugin is left out', () => {
    const config = analyzerConfig(
      analyzerFile(`  minimumScore: 90
  plugins:
  - id: standards
    rules:
    - id: span-naming
      errorLevel: warning
  - id: security
    rules:
    - id: secure-https-protocol
      errorLevel: disabled
  - id: common
    enabled: false
`),
    );
    const result = analyze(trace(), config)!;
    assert.deepEqual(
      result.plugins.map((p) => [p.id, p.score, p.passed]),
      [
        ['standards', 100, true],
        ['security', 100, true],
      ],
    );
    const naming = result.plugins[0]!.rules[0]!;
    assert.deepEqual([naming.id, naming.level, naming.passed, naming.failures.length], ['span-naming', 'warning', false, 1]);
    const https = result.plugins[1]!.rules[0]!;
    assert.deepEqual([https.id, https.level, https.passed, https.failures], ['secure-https-protocol', 'disabled', true, []]);
    assert.equal(result.score, 100);
    assert.equal(result.minimumScore, 90);
    assert.equal(result.passed, true);
  });

  test('weights are shares of their plugin; no error-level rule or no enabled plugin scores 100', () => {
    const weighted = analyze(
      trace(),
      analyzerConfig(
        analyzerFile(
          '  plugins:\n  - id: security\n    rules:\n    - id: secure-https-protocol\n      weight: 10\n    - id: no-api-key-leak\n      weight: 90\n',
        ),
      ),
    )!;
    assert.equal(weighted.plugins.find((p) => p.id === 'security')!.score, 90);
    const none = analyze(
      trace(),
      analyzerConfig(analyzerFile('  plugins:\n  - {id: standards, enabled: false}\n  - {id: common, enabled: false}\n  - {id: security, enabled: false}\n')),
    )!;
    assert.deepEqual([none.score, none.passed, none.plugins], [100, true, []]);
  });

  test('enabled: false turns the analyzer off', () => {
    assert.equal(analyze(trace(), analyzerConfig(analyzerFile('  enabled: false\n'))), undefined);
  });

  test("Tracetest's own Analyzer file gives the defaults it lists", () => {
    const def = analyzerFile(`  id: current
  name: analyzer
  enabled: true
  minimumScore: 95
  plugins:
    - id: standards
      enabled: true
      rules:
        - {id: span-naming, weight: 25, errorLevel: error}
        - {id: required-attributes, weight: 25, errorLevel: error}
        - {id: attribute-naming, weight: 25, errorLevel: error}
        - {id: no-empty-attributes, weight: 25, errorLevel: error}
    - id: common
      enabled: true
      rules:
        - {id: prefer-dns, weight: 100, errorLevel: error}
    - id: security
      enabled: true
      rules:
        - {id: secure-https-protocol, weight: 30, errorLevel: error}
        - {id: no-api-key-leak, weight: 70, errorLevel: error}
`);
    assert.deepEqual(analyzerConfig(def), { ...analyzerConfig(), minimumScore: 95 });
  });
});

describe('the resources in files', () => {
  test('an unknown plugin, or a rule under the wrong plugin, is an error at its line and column', () => {
    const loaded = loadFile('type: Analyzer\nspec:\n  plugins:\n  - id: linting\n  - id: security\n    rules:\n    - id: prefer-dns\n', 'a.yaml');
    assert.deepEqual(
      loaded.problems.map((p) => [p.line, p.column, p.message]),
      [
        [4, 9, '`plugins[0].id` must be one of standards, common, security; got `linting`'],
        [7, 11, '`plugins[1].rules[0].id` must be one of secure-https-protocol, no-api-key-leak; got `prefer-dns`'],
      ],
    );
  });

  test('TestRunner: test-specs without the file or the field, the gates as listed otherwise (none at all is allowed)', () => {
    const runner = (spec: string) => resource(`type: TestRunner\nspec:\n${spec}`, 'TestRunner') as TestRunnerDef;
    assert.deepEqual(requiredGates(), ['test-specs']);
    assert.deepEqual(requiredGates(runner('  id: current\n')), ['test-specs']);
    assert.deepEqual(requiredGates(runner('  requiredGates: [analyzer-score, test-specs, analyzer-score]\n')), ['analyzer-score', 'test-specs']);
    assert.deepEqual(requiredGates(runner('  requiredGates: []\n')), []);
    const bad = loadFile('type: TestRunner\nspec:\n  requiredGates: [analyzer-scores]\n', 'r.yaml');
    assert.deepEqual(
      bad.problems.map((p) => [p.line, p.column, p.message]),
      [[3, 19, '`requiredGates[0]` must be one of analyzer-score, analyzer-rules, test-specs; got `analyzer-scores`']],
    );
  });
});

describe('required gates', () => {
  const specs = (status: SpecResult['status']) => ({ status, specs: [{ status } as SpecResult, { status: 'passed' } as SpecResult] });
  const settings = (gates: string, minimumScore = 0) =>
    gateSettings(
      analyzerFile(`  minimumScore: ${minimumScore}\n`),
      resource(`type: TestRunner\nspec:\n  requiredGates: [${gates}]\n`, 'TestRunner') as TestRunnerDef,
    );

  test('by default only the specs decide; the analyzer still reports', () => {
    const passed = judge(specs('passed'), trace(), gateSettings());
    assert.equal(passed.status, 'passed');
    assert.deepEqual(passed.gates, [{ gate: 'test-specs', passed: true }]);
    assert.equal(passed.analyzer?.score, 81);
    assert.deepEqual(judge(specs('failed'), trace(), gateSettings()).gates, [{ gate: 'test-specs', passed: false, message: '1 of 2 specs did not pass' }]);
  });

  test('analyzer-score fails below the minimum, analyzer-rules when an error-level rule fails', () => {
    const scored = judge(specs('passed'), trace(), settings('test-specs, analyzer-score', 82));
    assert.equal(scored.status, 'failed');
    assert.deepEqual(scored.gates, [
      { gate: 'test-specs', passed: true },
      { gate: 'analyzer-score', passed: false, message: 'score 81 is below the minimum 82' },
    ]);
    assert.equal(judge(specs('passed'), trace(), settings('analyzer-score', 81)).status, 'passed');
    const rules = judge(specs('passed'), trace(), settings('analyzer-rules'));
    assert.deepEqual(
      [rules.status, rules.gates],
      ['failed', [{ gate: 'analyzer-rules', passed: false, message: 'failed: span-naming (1 span), secure-https-protocol (1 span)' }]],
    );
  });

  test('a gate not required does not count, not even test-specs; an errored test stays errored', () => {
    assert.equal(judge(specs('failed'), trace(), settings('analyzer-score')).status, 'passed');
    assert.equal(judge(specs('failed'), trace(), settings('')).status, 'passed');
    assert.equal(judge(specs('errored'), trace(), settings('')).status, 'errored');
  });

  test('with the analyzer off its gates are not judged and pass, saying so', () => {
    const off = gateSettings(
      analyzerFile('  enabled: false\n  minimumScore: 100\n'),
      resource('type: TestRunner\nspec:\n  requiredGates: [analyzer-score, analyzer-rules]\n', 'TestRunner') as TestRunnerDef,
    );
    const judged = judge(specs('passed'), trace(), off);
    assert.equal(judged.status, 'passed');
    assert.equal(judged.analyzer, undefined);
    assert.deepEqual(
      judged.gates.map((g) => [g.gate, g.passed, g.message]),
      [
        ['analyzer-score', true, 'not judged: the analyzer is disabled'],
        ['analyzer-rules', true, 'not judged: the analyzer is disabled'],
      ],
    );
  });
});
