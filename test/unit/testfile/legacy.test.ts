// Older forms Tracetest's tools wrote are read with a warning that says what they mean here, and a quick fix whose
// edits touch only what they rewrite.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadFile, type LoadedFile, type Problem, type TestDef } from '../../../src/core/testfile/index';
import { applyEdits } from '../../../src/core/testfile/text-edits';
import { validateFile } from '../../../src/core/testfile/validate';

function test(spec: string): string {
  return `type: Test\nspec:\n  name: legacy\n${spec}`;
}

const HTTP = `  trigger:
    type: http
    httpRequest:
      url: http://localhost:8081/pokemon
`;

function load(text: string): { file: LoadedFile; warnings: Problem[] } {
  const file = loadFile(text, 'legacy.yaml');
  assert.deepEqual(
    validateFile(file)
      .filter((p) => p.severity === 'error')
      .map((p) => p.message),
    [],
    'the file loads without errors',
  );
  return { file, warnings: file.problems.filter((p) => p.severity === 'warning') };
}

function testOf(file: LoadedFile): TestDef {
  const resource = file.resources[0]?.resource;
  assert.equal(resource?.kind, 'Test');
  return resource as TestDef;
}

/** The text after the quick fix of the warning whose message matches. */
function fixed(text: string, message: RegExp): string {
  const problem = loadFile(text, 'legacy.yaml').problems.find((p) => message.test(p.message));
  assert.ok(problem?.fix, `a warning with a fix matching ${message}`);
  return applyEdits(text, problem.fix.edits);
}

describe('fields Tracetest added on export', () => {
  it('are warnings, at the key, and their fix removes the line with its comment', () => {
    const text = test(`  createdAt: 2023-02-14T12:00:00Z # exported\n  version: 3\n${HTTP}`);
    const { warnings } = load(text);
    assert.deepEqual(
      warnings.map((w) => [w.line, w.column, w.message]),
      [
        [4, 3, "`createdAt` was added by Tracetest's server when it exported this file; it is ignored here"],
        [5, 3, "`version` was added by Tracetest's server when it exported this file; it is ignored here"],
      ],
    );
    assert.equal(fixed(text, /createdAt/), test(`  version: 3\n${HTTP}`));
  });

  it('in a flow map the fix removes the entry and one comma', () => {
    const text = 'type: TestSuite\nspec: {id: s, createdAt: "2023", steps: [a.yaml]}\n';
    const { file, warnings } = load(text);
    assert.equal(warnings.length, 1);
    assert.equal(file.resources[0]?.resource?.kind, 'TestSuite');
    assert.equal(fixed(text, /createdAt/), 'type: TestSuite\nspec: {id: s, steps: [a.yaml]}\n');
    const first = 'type: TestSuite\nspec: {createdAt: "2023", id: s, steps: [a.yaml]}\n';
    assert.equal(fixed(first, /createdAt/), 'type: TestSuite\nspec: {id: s, steps: [a.yaml]}\n');
  });
});

describe('older field names', () => {
  it('`protobuf_file` is read as `protobufFile`; the fix renames the key and nothing else', () => {
    const text = test(
      `  trigger:\n    type: grpc\n    grpc:\n      protobuf_file: ./api.proto # the API\n      address: localhost:8082\n      method: pokeshop.Pokeshop.getPokemonList\n`,
    );
    const { file, warnings } = load(text);
    assert.deepEqual(
      warnings.map((w) => [w.line, w.column, w.message, w.fix?.title]),
      [[7, 7, '`protobuf_file` is the older name of `protobufFile`; read as `protobufFile`', 'Rename `protobuf_file` to `protobufFile`']],
    );
    const trigger = testOf(file).trigger;
    assert.equal(trigger.type === 'grpc' && trigger.protobufFile?.value, './api.proto');
    assert.equal(fixed(text, /protobuf_file/), text.replace('protobuf_file:', 'protobufFile:'));
  });

  it('`authentication` of an HTTP request is read as `auth`, and when both are written the older one is ignored', () => {
    const auth = (key: string, token: string) => `      ${key}:\n        type: bearer\n        bearer:\n          token: ${token}\n`;
    const text = test(`  trigger:\n    type: http\n    httpRequest:\n      url: http://localhost\n${auth('authentication', 'old')}`);
    const trigger = testOf(load(text).file).trigger;
    assert.equal(trigger.type === 'http' && trigger.auth?.type === 'bearer' && trigger.auth.bearer.token.value, 'old');

    const both = test(`  trigger:\n    type: http\n    httpRequest:\n      url: http://localhost\n${auth('auth', 'new')}${auth('authentication', 'old')}`);
    const { file, warnings } = load(both);
    assert.deepEqual(
      warnings.map((w) => w.message),
      ['`authentication` is the older name of `auth`, which is also set: `authentication` is ignored'],
    );
    const t = testOf(file).trigger;
    assert.equal(t.type === 'http' && t.auth?.type === 'bearer' && t.auth.bearer.token.value, 'new');
  });

  it("a Kafka trigger's `authentication` is its current name: no warning", () => {
    const text = test(
      `  trigger:\n    type: kafka\n    kafka:\n      brokerUrls: [stream:9092]\n      topic: pokemon\n      authentication:\n        type: plain\n        plain: {username: u, password: p}\n`,
    );
    assert.deepEqual(load(text).warnings, []);
  });

  it("a DataStore's `isdefault` is read as `default`", () => {
    const { file, warnings } = load('type: DataStore\nspec:\n  name: otlp\n  type: otlp\n  isdefault: true\n');
    assert.equal(warnings.length, 1);
    assert.equal(file.resources[0]?.resource?.kind === 'DataStore' && file.resources[0].resource.default, true);
  });
});

describe('auth blocks without a type', () => {
  it('`auth: {apiKey: {}, basic: {}, bearer: {}}` is no auth; the fix removes it', () => {
    const text = test(
      `  trigger:\n    type: http\n    httpRequest:\n      url: http://localhost\n      auth: {apiKey: {}, basic: {}, bearer: {}}\n      method: GET\n`,
    );
    const { file, warnings } = load(text);
    assert.deepEqual(
      warnings.map((w) => [w.line, w.column, w.fix?.title]),
      [[8, 7, 'Remove the empty `auth` block']],
    );
    const trigger = testOf(file).trigger;
    assert.equal(trigger.type === 'http' && trigger.auth, undefined);
    assert.equal(fixed(text, /without `type`/), text.replace('      auth: {apiKey: {}, basic: {}, bearer: {}}\n', ''));
  });

  it('the block form of a GraphQL request, with empty strings', () => {
    const text = test(
      `  trigger:\n    type: graphql\n    graphql:\n      url: http://localhost/graphql\n      auth:\n        type: ""\n        apiKey:\n          key: ""\n        basic: {}\n      body:\n        query: "{ a }"\n`,
    );
    assert.equal(fixed(text, /without `type`/), text.replace(/ {6}auth:\n(?: {8}.*\n)+/, ''));
  });

  it('an auth with settings but no `type` sends nothing and says how to use them, with no fix', () => {
    const text = test(`  trigger:\n    type: http\n    httpRequest:\n      url: http://localhost\n      auth:\n        basic: {username: u, password: p}\n`);
    const { warnings } = load(text);
    assert.match(warnings[0]!.message, /no `type`, so no authentication is added/);
    assert.equal(warnings[0]!.fix, undefined);
  });

  it('with a `type`, the empty blocks of the other schemes are ignored one by one', () => {
    const text = test(
      `  trigger:\n    type: http\n    httpRequest:\n      url: http://localhost\n      auth:\n        type: basic\n        apiKey: {}\n        basic:\n          username: u\n          password: p\n        bearer: {}\n`,
    );
    const { file, warnings } = load(text);
    assert.deepEqual(
      warnings.map((w) => w.message),
      ['the empty `apiKey` block is ignored: `type` is `basic`', 'the empty `bearer` block is ignored: `type` is `basic`'],
    );
    const trigger = testOf(file).trigger;
    assert.equal(trigger.type === 'http' && trigger.auth?.type, 'basic');
    assert.equal(fixed(text, /`bearer`/), text.replace('        bearer: {}\n', ''));
  });
});

describe('settings of another trigger type', () => {
  it('are ignored with a warning; the fix removes the whole block', () => {
    const text = test(
      `  trigger:\n    type: http\n    httpRequest:\n      url: http://localhost\n    grpc:\n      protobuf_file: ""\n      address: ""\n  specs: []\n`,
    );
    const { warnings } = load(text);
    assert.deepEqual(
      warnings.map((w) => w.message),
      ["`grpc` is ignored: this trigger's `type` is `http`"],
      'no second warning about the older name inside it',
    );
    assert.equal(fixed(text, /`grpc`/), text.replace(/ {4}grpc:\n(?: {6}.*\n)+/, ''));
  });
});

describe('Tracetest Cloud environments', () => {
  it('without `values` are not variable sets: a warning and no resource', () => {
    const { file, warnings } = load('type: Environment\nspec:\n  id: cloud\n  resources: ./resources\n  agentConfiguration:\n    serverless: true\n');
    assert.deepEqual(
      warnings.map((w) => [w.line, w.column]),
      [[1, 7]],
    );
    assert.match(warnings[0]!.message, /Tracetest Cloud environment/);
    assert.equal(file.resources[0]?.resource, undefined);
  });

  it('with `values`, a variable set whose Cloud fields are ignored', () => {
    const { file, warnings } = load('type: Environment\nspec:\n  resources: ./resources\n  values:\n    - key: A\n      value: "1"\n');
    assert.deepEqual(
      warnings.map((w) => w.fix?.title),
      ['Remove `resources`'],
    );
    const set = file.resources[0]?.resource;
    assert.equal(set?.kind === 'VariableSet' && set.values[0]?.value.value, '1');
  });
});

describe('attributes without `attr:`', () => {
  const withAssertions = (assertions: string) => test(`${HTTP}  specs:\n    - selector: span[name="x"]\n      assertions:\n${assertions}`);

  it('are read as `attr:` on the left of an assertion; errors later point into the file as written', () => {
    const text = withAssertions('        - http.status_code = 200\n        - "tracetest.span.duration < 5ms"\n');
    const { file, warnings } = load(text);
    assert.deepEqual(
      warnings.map((w) => [w.line, w.column, text.slice(w.range.start, w.range.end)]),
      [
        [11, 11, 'http.status_code'],
        [12, 12, 'tracetest.span.duration'],
      ],
    );
    const [first, second] = testOf(file).specs[0]!.assertions;
    assert.equal(first!.value, 'attr:http.status_code = 200');
    assert.equal(second!.value, 'attr:tracetest.span.duration < 5ms');
    assert.equal(text[first!.valueOffsets![7]!], 't', 'characters after the inserted prefix map to where they are');
    assert.equal(fixed(text, /http\.status_code/), text.replace('- http.status_code', '- attr:http.status_code'));
    assert.equal(fixed(text, /tracetest\.span/), text.replace('"tracetest.span', '"attr:tracetest.span'));
  });

  it('in a flow list, and in a double-quoted assertion with escapes (rewritten whole)', () => {
    const text = withAssertions('        - "tracetest.response.body contains \\"id\\""\n') + '';
    const fix = fixed(text, /tracetest\.response\.body/);
    assert.equal(testOf(load(fix).file).specs[0]!.assertions[0]!.value, 'attr:tracetest.response.body contains "id"');
    const flow = test(`${HTTP}  specs:\n    - selector: span[]\n      assertions: [http.status_code = 200, attr:name = "x"]\n`);
    assert.equal(fixed(flow, /http\.status_code/), flow.replace('[http.status_code', '[attr:http.status_code'));
  });

  it('leave alone what parses as written, and what no rewrite repairs', () => {
    const text = withAssertions('        - attr:http.status_code = 200\n        - var:ID = 1\n        - uuid() != ""\n        - \'"a" = "a"\'\n');
    assert.deepEqual(load(text).warnings, []);
    const broken = loadFile(withAssertions('        - http.status_code | nosuchfilter = 200\n'), 'legacy.yaml');
    assert.deepEqual(broken.problems, []);
    assert.match(validateFile(broken)[0]!.message, /^assertion: unexpected word `http`/);
  });

  it('in output values', () => {
    const text = test(`${HTTP}  outputs:\n    - name: ID\n      selector: span[]\n      value: tracetest.response.body | json_path '$.id'\n`);
    assert.equal(testOf(load(text).file).outputs[0]!.value.value, "attr:tracetest.response.body | json_path '$.id'");
  });
});

describe('typographic quotes', () => {
  const withSelector = (selector: string, assertion = 'attr:name = "x"') =>
    test(`${HTTP}  specs:\n    - selector: ${selector}\n      assertions:\n        - ${assertion}\n`);

  it('in a selector are read as straight quotes; the fix replaces just those characters', () => {
    const text = withSelector('span[name = “Tracetest trigger”]');
    const { file, warnings } = load(text);
    assert.equal(text.slice(warnings[0]!.range.start, warnings[0]!.range.end), '“Tracetest trigger”');
    assert.equal(testOf(file).specs[0]!.selector.value, 'span[name = "Tracetest trigger"]');
    assert.equal(fixed(text, /typographic/), withSelector('span[name = "Tracetest trigger"]'));
  });

  it('are escaped in a double-quoted scalar and doubled in a single-quoted one', () => {
    assert.equal(fixed(withSelector('"span[name = “a”]"'), /typographic/), withSelector('"span[name = \\"a\\"]"'));
    assert.equal(fixed(withSelector("'span[name = ‘a’]'"), /typographic/), withSelector("'span[name = ''a'']'"));
  });

  it('in an assertion, together with a bare attribute: two warnings, each fix on its own', () => {
    const text = withSelector('span[]', 'name = “x”');
    const { file, warnings } = load(text);
    assert.equal(warnings.length, 2);
    assert.equal(testOf(file).specs[0]!.assertions[0]!.value, 'attr:name = "x"');
    assert.equal(fixed(fixed(text, /typographic/), /`name`/), withSelector('span[]', 'attr:name = "x"'));
  });

  it('inside a string that parses are text, not a mistake', () => {
    assert.deepEqual(load(withSelector('span[]', 'attr:message = "said “hi”"')).warnings, []);
  });
});
