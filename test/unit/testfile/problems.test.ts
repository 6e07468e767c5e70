// Problems say what is wrong and point at the exact line and column of the offending YAML.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadFile, type Problem } from '../../../src/core/testfile/index';

const GOOD_TEST = `type: Test
spec:
  name: Add a pokemon
  trigger:
    type: http
    httpRequest:
      method: POST
      url: http://localhost:8081/pokemon
  specs:
    - selector: span[name="POST /pokemon"]
      assertions:
        - attr:http.status_code = 201
`;

/** GOOD_TEST with one line replaced. */
function withLine(line: number, replacement: string): string {
  const lines = GOOD_TEST.split('\n');
  lines[line - 1] = replacement;
  return lines.join('\n');
}

function problemsOf(text: string): Array<Pick<Problem, 'source' | 'severity' | 'line' | 'column' | 'message'> & { text: string }> {
  return loadFile(text, 'test.yaml').problems.map((p) => ({
    source: p.source,
    severity: p.severity,
    line: p.line,
    column: p.column,
    message: p.message,
    text: text.slice(p.range.start, p.range.end),
  }));
}

describe('problems', () => {
  it('the example is valid', () => {
    assert.deepEqual(problemsOf(GOOD_TEST), []);
  });

  it('YAML syntax error: reported by the parser at its line and column, and the document yields no resource', () => {
    const text = withLine(8, '      url: [http://localhost:8081/pokemon');
    const file = loadFile(text, 'test.yaml');
    assert.deepEqual(
      file.resources.map((r) => r.resource),
      [undefined],
    );
    assert.ok(file.problems.length >= 1);
    assert.ok(file.problems.every((p) => p.source === 'yaml' && p.severity === 'error'));
    const [first] = file.problems;
    assert.deepEqual([first!.line, first!.column], [9, 3]);
    assert.match(first!.message, /Flow sequence/);
  });

  it('YAML: an unterminated string points at the end of the file', () => {
    const text = 'type: Test\nspec:\n  name: "oops\n';
    assert.deepEqual(
      problemsOf(text).map((p) => [p.source, p.line, p.column, p.message]),
      [['yaml', 4, 1, 'Missing closing "quote']],
    );
  });

  it('YAML: duplicate keys', () => {
    const text = withLine(3, '  name: Add a pokemon\n  name: again');
    assert.deepEqual(
      problemsOf(text).map((p) => [p.source, p.line, p.column, p.message]),
      [['yaml', 4, 3, 'Map keys must be unique']],
    );
  });

  it('unknown key (a typo in a spec) points at the key and lists the expected ones', () => {
    const text = withLine(10, '    - selectr: span[name="POST /pokemon"]');
    assert.deepEqual(problemsOf(text), [
      {
        source: 'schema',
        severity: 'error',
        line: 10,
        column: 7,
        message: 'missing required property `selector` in spec',
        text: 'selectr: span[name="POST /pokemon"]',
      },
      {
        source: 'schema',
        severity: 'error',
        line: 10,
        column: 7,
        message: 'unknown property `selectr` in spec (expected one of: selector, name, assertions)',
        text: 'selectr',
      },
    ]);
  });

  it('unknown key in httpRequest', () => {
    const text = withLine(7, '      methd: POST');
    assert.deepEqual(
      problemsOf(text).map((p) => [p.line, p.column, p.text, p.message]),
      [[7, 7, 'methd', 'unknown property `methd` in httpRequest (expected one of: method, url, headers, body, auth, sslVerification)']],
    );
  });

  it('wrong enum value points at the value', () => {
    const text = withLine(5, '    type: htp');
    assert.deepEqual(problemsOf(text), [
      {
        source: 'schema',
        severity: 'error',
        line: 5,
        column: 11,
        text: 'htp',
        message: '`trigger.type` must be one of http, grpc, graphql, traceid, kafka, playwrightengine, cypress, playwright, k6, artillery; got `htp`',
      },
    ]);
  });

  it('wrong HTTP method', () => {
    const text = withLine(7, '      method: FETCH');
    assert.deepEqual(
      problemsOf(text).map((p) => [p.line, p.column, p.text]),
      [[7, 15, 'FETCH']],
    );
    assert.match(problemsOf(text)[0]!.message, /^`trigger\.httpRequest\.method` must be one of GET, POST, /);
  });

  it('missing required field points at the map that lacks it', () => {
    const text = withLine(8, '      body: "{}"');
    assert.deepEqual(
      problemsOf(text).map((p) => [p.line, p.column, p.text, p.message]),
      [[7, 7, 'method: POST', 'missing required property `url` in httpRequest']],
    );
  });

  it('missing trigger sub-object says why it is required', () => {
    const text = 'type: Test\nspec:\n  trigger:\n    type: grpc\n';
    assert.deepEqual(
      problemsOf(text).map((p) => [p.line, p.column, p.message]),
      [[4, 5, 'missing required property `grpc` in trigger (needed when `type` is `grpc`)']],
    );
  });

  it('wrong type points at the value and says what was found', () => {
    const text = withLine(11, '      assertions: attr:http.status_code = 201').replace('\n        - attr:http.status_code = 201', '');
    assert.deepEqual(
      problemsOf(text).map((p) => [p.line, p.column, p.text, p.message]),
      [[11, 19, 'attr:http.status_code = 201', '`specs[0].assertions` must be a list; got a string (`attr:http.status_code = 201`)']],
    );
  });

  it('a boolean given as a string', () => {
    const text = GOOD_TEST + '  skipTraceCollection: "yes"\n';
    assert.deepEqual(
      problemsOf(text).map((p) => [p.line, p.column, p.text, p.message]),
      [[13, 24, '"yes"', '`skipTraceCollection` must be true or false; got a string (`yes`)']],
    );
  });

  it('an empty value points at its key', () => {
    const text = withLine(8, '      url:');
    assert.deepEqual(
      problemsOf(text).map((p) => [p.line, p.column, p.text, p.message]),
      [[8, 7, 'url', '`trigger.httpRequest.url` must be a string; got nothing']],
    );
  });

  it('a bad duration names the expected format', () => {
    const text = 'type: PollingProfile\nspec:\n  periodic:\n    timeout: 5 sec\n';
    assert.deepEqual(
      problemsOf(text).map((p) => [p.line, p.column, p.text, p.message]),
      [[4, 14, '5 sec', '`periodic.timeout` must be a Go-style duration such as 500ms, 5s, 1m or 1m30s; got `5 sec`']],
    );
  });

  it('an unknown top-level type points at it', () => {
    assert.deepEqual(
      problemsOf('type: Tset\nspec: {}\n').map((p) => [p.line, p.column, p.text, p.message]),
      [
        [
          1,
          7,
          'Tset',
          '`type` must be one of Test, TestSuite, Transaction, VariableSet, Environment, PollingProfile, DataStore, Config, Analyzer, TestRunner, Demo; got `Tset`',
        ],
      ],
    );
  });

  it('a missing top-level type points at the document', () => {
    const [problem] = problemsOf('# a test\nspec:\n  name: x\n');
    assert.deepEqual([problem?.line, problem?.column, problem?.text], [2, 1, 'spec:']);
    assert.match(problem!.message, /^missing required property `type` in resource \(one of: Test, /);
  });

  it('a document that is not a map', () => {
    assert.deepEqual(
      problemsOf('- type: Test\n').map((p) => [p.line, p.column, p.message]),
      [[1, 1, 'a resource must be a map with `type` and `spec`; got a list']],
    );
  });

  it('an unknown top-level key, and a missing spec', () => {
    assert.deepEqual(
      problemsOf('type: Test\nspecs: []\n').map((p) => [p.line, p.column, p.text, p.message]),
      [
        [1, 1, 'type: Test', 'missing required property `spec` in resource'],
        [2, 1, 'specs', 'unknown property `specs` in resource (expected one of: type, spec)'],
      ],
    );
  });

  it('problems in the legacy spec map are located in it', () => {
    const text =
      'type: Test\nspec:\n  trigger:\n    type: traceid\n    traceid: {id: abc}\n  specs:\n    span[name="x"]:\n      nam: typo\n      assertions: []\n';
    assert.deepEqual(
      problemsOf(text).map((p) => [p.line, p.column, p.text, p.message]),
      [[8, 7, 'nam', 'unknown property `nam` in spec (expected one of: name, assertions)']],
    );
  });

  it('one mistake gives one problem, and every problem has an end position', () => {
    const text = withLine(5, '    type: 42');
    const file = loadFile(text, 'test.yaml');
    assert.equal(file.problems.length, 1);
    assert.deepEqual(
      file.problems.map((p) => [p.line, p.column, p.endLine, p.endColumn, p.message]),
      [[5, 11, 5, 13, '`trigger.type` must be a string; got `42`']],
    );
  });

  it('YAML warnings do not stop loading', () => {
    const file = loadFile('type: Config\nspec: !!custom {}\n', 'x.yaml');
    assert.deepEqual(
      file.problems.map((p) => [p.severity, p.source, p.line, p.column]),
      [['warning', 'yaml', 2, 7]],
    );
    assert.equal(file.resources[0]?.resource?.kind, 'Config');
  });

  it('an alias bomb is reported, not expanded', () => {
    const level = (name: string, item: string) => `  ${name}: &${name} [${Array(10).fill(item).join(', ')}]`;
    const text = ['type: Config', 'spec:', level('a', 'x'), level('b', '*a'), level('c', '*b'), level('d', '*c'), level('e', '*d')].join('\n');
    const file = loadFile(text, 'bomb.yaml');
    assert.deepEqual(
      file.resources.map((r) => r.resource),
      [undefined],
    );
    assert.deepEqual(
      file.problems.map((p) => [p.source, p.line, p.column]),
      [['yaml', 1, 1]],
    );
    assert.match(file.problems[0]!.message, /alias/i);
  });
});
