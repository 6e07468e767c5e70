// Every resource kind, every trigger type and the legacy forms load into the typed model.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadFile, type SpecDef, type TestDef } from '../../../src/core/testfile/index';
import { validateFile } from '../../../src/core/testfile/validate';
import { fixtureText, loadFixture, resourceOf, resourcesOf } from './helpers';

const triggers = () => resourcesOf(loadFixture('testfiles', 'triggers.yaml')) as TestDef[];

describe('triggers', () => {
  it('loads one test per document, in order', () => {
    assert.deepEqual(
      triggers().map((t) => [t.kind, t.trigger.type]),
      [
        ['Test', 'http'],
        ['Test', 'grpc'],
        ['Test', 'graphql'],
        ['Test', 'traceid'],
        ['Test', 'kafka'],
        ['Test', 'cypress'],
        ['Test', 'playwrightengine'],
      ],
    );
  });

  it('http: defaults the method to GET and sslVerification to false, keeps numeric header values as written, reads apiKey auth', () => {
    const { trigger } = triggers()[0]!;
    assert.equal(trigger.type, 'http');
    if (trigger.type !== 'http') return;
    assert.equal(trigger.method, 'GET');
    assert.equal(trigger.sslVerification, false);
    assert.deepEqual(
      trigger.headers.map((h) => [h.key.value, h.value.value]),
      [['X-Count', '3']],
    );
    assert.equal(trigger.auth?.type, 'apiKey');
    if (trigger.auth?.type !== 'apiKey') return;
    assert.deepEqual([trigger.auth.apiKey.key.value, trigger.auth.apiKey.value.value, trigger.auth.apiKey.in], ['X-API-Key', '${var:API_KEY}', 'query']);
  });

  it('grpc: reads every field, metadata and bearer auth; pollingProfile names a profile', () => {
    const test = triggers()[1]!;
    assert.equal(test.pollingProfile?.value, 'quick');
    const { trigger } = test;
    assert.equal(trigger.type, 'grpc');
    if (trigger.type !== 'grpc') return;
    assert.equal(trigger.protobufFile?.value, './pokeshop.proto');
    assert.equal(trigger.address.value, 'localhost:8082');
    assert.equal(trigger.service?.value, 'pokeshop.Pokeshop');
    assert.equal(trigger.method.value, 'pokeshop.Pokeshop.getPokemonList');
    assert.equal(trigger.request?.value, '{"take": 10}');
    assert.deepEqual(
      trigger.metadata.map((m) => [m.key.value, m.value.value]),
      [['tenant', 'ash']],
    );
    assert.equal(trigger.auth?.type === 'bearer' && trigger.auth.bearer.token.value, '${var:TOKEN}');
  });

  it('graphql: variables written as a map become JSON text; basic auth; sslVerification', () => {
    const { trigger } = triggers()[2]!;
    assert.equal(trigger.type, 'graphql');
    if (trigger.type !== 'graphql') return;
    assert.equal(trigger.url.value, 'http://localhost:8081/graphql');
    assert.equal(trigger.body.query?.value, './query.graphql');
    assert.equal(trigger.body.variables?.value, '{"take":10}');
    assert.equal(trigger.body.operationName?.value, '');
    assert.equal(trigger.sslVerification, true);
    assert.equal(trigger.schema?.value, './schema.graphql');
    assert.equal(trigger.auth?.type === 'basic' && `${trigger.auth.basic.username.value}:${trigger.auth.basic.password.value}`, 'ash:pikachu');
  });

  it('traceid, kafka and cypress', () => {
    const [, , , traceid, kafka, cypress] = triggers();
    assert.deepEqual(traceid!.trigger.type === 'traceid' && traceid!.trigger.id?.value, '${var:TRACE_ID}');
    assert.equal(kafka!.trigger.type, 'kafka');
    if (kafka!.trigger.type === 'kafka') {
      assert.deepEqual(
        kafka!.trigger.brokerUrls.map((b) => b.value),
        ['localhost:9092', 'localhost:9093'],
      );
      assert.equal(kafka!.trigger.sslVerification, true);
      assert.deepEqual(kafka!.trigger.headers, []);
      assert.equal(kafka!.trigger.authentication?.plain.username.value, 'user');
      assert.equal(kafka!.trigger.authentication?.plain.password.value, 'secret');
    }
    assert.deepEqual(cypress!.trigger, { type: 'cypress' });
    assert.deepEqual(cypress!.specs, []);
  });

  it("playwrightengine: target, method and the script; the script's own `${…}` is JavaScript, not a template", () => {
    const { trigger } = triggers()[6]!;
    assert.equal(trigger.type, 'playwrightengine');
    if (trigger.type !== 'playwrightengine') return;
    assert.equal(trigger.target.value, '${var:WEB_URL}/shop');
    assert.equal(trigger.method.value, 'buy');
    assert.match(trigger.script.value, /^module\.exports = \{\n {2}async buy\(page\) \{\n/);
    assert.deepEqual(validateFile(loadFixture('testfiles', 'triggers.yaml')), []);
    const broken = loadFile(
      'type: Test\nspec:\n  trigger:\n    type: playwrightengine\n    playwrightEngine:\n      target: ${var:WEB\n      script: ./s.js\n      method: run\n',
      't.yaml',
    );
    assert.deepEqual(
      validateFile(broken).map((p) => `${p.line}:${p.column}: ${p.message}`),
      ['6:15: template: expected `}` to close this `${`'],
    );
  });
});

describe('legacy forms', () => {
  const summary = (specs: SpecDef[]) => specs.map((s) => [s.selector.value, s.name?.value, s.assertions.map((a) => a.value)]);
  const expected = [
    ['span[tracetest.span.type="http"]', 'The API answered', ['attr:http.status_code = 200']],
    ['span[name="pg query"]', undefined, ['attr:tracetest.span.duration < 100ms']],
  ];

  it('the spec map keyed by selector and `selector: {query}` both load like the list form', () => {
    const [map, query] = resourcesOf(loadFixture('testfiles', 'legacy-specs.yaml')) as TestDef[];
    assert.deepEqual(summary(map!.specs), expected);
    assert.deepEqual(summary(query!.specs), expected);
    assert.equal(query!.outputs[0]?.selector.value, 'span[tracetest.span.type="http"]');
  });

  it('a legacy spec range covers the selector key through its assertions; a list spec range is the list item', () => {
    const text = fixtureText('testfiles', 'legacy-specs.yaml');
    const [map, query] = resourcesOf(loadFile(text, 'legacy-specs.yaml')) as TestDef[];
    const slice = (s: SpecDef) => text.slice(s.range.start, s.range.end);
    assert.equal(
      slice(map!.specs[0]!),
      'span[tracetest.span.type="http"]:\n      name: The API answered\n      assertions:\n        - attr:http.status_code = 200',
    );
    assert.equal(slice(map!.specs[1]!).startsWith('\'span[name="pg query"]\':'), true);
    assert.equal(map!.specs[1]!.selector.value, 'span[name="pg query"]');
    assert.equal(slice(query!.specs[0]!).startsWith('selector:\n        query: span[tracetest.span.type="http"]\n      name: The API answered'), true);
    assert.equal(slice(query!.specs[1]!).endsWith('- attr:tracetest.span.duration < 100ms'), true);
  });

  it('Transaction loads as a TestSuite', () => {
    const suite = resourceOf(loadFixture('testfiles', 'transaction.yaml'), 'TestSuite');
    assert.equal(suite.alias, 'Transaction');
    assert.equal(suite.description?.value, 'The older name of a TestSuite');
    assert.deepEqual(
      suite.steps.map((s) => s.value),
      ['./add.yaml', 'list-pokemons'],
    );
  });

  it('Environment loads as a VariableSet; values keep numbers as written and empty values are empty strings', () => {
    const vars = resourceOf(loadFixture('testfiles', 'environment.yaml'), 'VariableSet');
    assert.equal(vars.alias, 'Environment');
    assert.deepEqual(
      vars.values.map((v) => [v.key.value, v.value.value, v.type]),
      [
        ['PORT', '8081', 'raw'],
        ['TOKEN', 's3cr3t', 'secret'],
        ['EMPTY', '', 'raw'],
      ],
    );
  });
});

describe('configuration kinds', () => {
  const all = () => resourcesOf(loadFixture('testfiles', 'settings.yaml'));

  it('loads every kind of settings.yaml', () => {
    assert.deepEqual(
      all().map((r) => r.kind),
      ['PollingProfile', 'DataStore', 'DataStore', 'DataStore', 'DataStore', 'Config', 'Analyzer', 'TestRunner', 'Demo'],
    );
  });

  it('PollingProfile: compound Go durations, zero retries, default false', () => {
    const profile = all()[0]!;
    assert.equal(profile.kind, 'PollingProfile');
    if (profile.kind !== 'PollingProfile') return;
    assert.equal(profile.default, false);
    assert.equal(profile.retryDelayMs, 500);
    assert.equal(profile.timeoutMs, 90_000);
    assert.equal(profile.selectorMatchRetries, 0);
  });

  it('DataStore: settings are the sub-object named by the type, or empty', () => {
    const stores = all().filter((r) => r.kind === 'DataStore');
    assert.deepEqual(
      stores.map((s) => s.kind === 'DataStore' && [s.type, s.default, s.settings]),
      [
        ['tempo', false, { type: 'http', http: { url: 'http://tempo:3200', tls: { insecure: true } } }],
        ['file', true, { path: './traces/run.json' }],
        ['otlp', false, {}],
        ['awsxray', false, { region: 'us-west-2', useDefaultAuth: true }],
      ],
    );
  });

  it('Analyzer and TestRunner are read as written, Config and Demo keep their spec as plain data', () => {
    const [config, analyzer, runner, demo] = all().slice(5);
    assert.deepEqual(config, { kind: 'Config', spec: { id: 'current', name: 'Config', analyticsEnabled: false } });
    assert.ok(analyzer?.kind === 'Analyzer');
    assert.deepEqual([analyzer.enabled, analyzer.minimumScore], [true, 80]);
    assert.deepEqual(
      analyzer.plugins.map((p) => [p.id.value, p.enabled, p.rules.map((r) => [r.id.value, r.weight, r.errorLevel])]),
      [['standards', true, [['span-naming', 25, 'error']]]],
    );
    assert.deepEqual(runner?.kind === 'TestRunner' && runner.requiredGates?.map((g) => g.value), ['analyzer-score', 'test-specs']);
    assert.deepEqual(demo?.kind === 'Demo' && demo.spec['pokeshop'], { httpEndpoint: 'http://demo-api:8081', grpcEndpoint: 'demo-rpc:8082' });
  });
});

describe('documents', () => {
  it('numbers documents as they are in the file, skips empty ones, and gives each its range (from its `---`)', () => {
    const text = '---\n---\ntype: TestSuite\nspec:\n  steps: [a.yaml]\n---\n# nothing here\n---\ntype: Config\nspec: {}\n';
    const file = loadFile(text, 'multi.yaml');
    assert.deepEqual(file.problems, []);
    assert.deepEqual(
      file.resources.map((r) => [r.document, r.resource?.kind, text.slice(r.range.start, r.range.end)]),
      [
        [1, 'TestSuite', '---\ntype: TestSuite\nspec:\n  steps: [a.yaml]\n'],
        [3, 'Config', '---\ntype: Config\nspec: {}\n'],
      ],
    );
  });

  it('a broken document does not hide the valid ones around it', () => {
    const text = 'type: Config\nspec: {}\n---\ntype: Config\nspec: {oops: 1}\n---\ntype: TestRunner\nspec: {}\n';
    const file = loadFile(text, 'x.yaml');
    assert.deepEqual(
      file.resources.map((r) => r.resource?.kind),
      ['Config', undefined, 'TestRunner'],
    );
    assert.deepEqual(
      file.problems.map((p) => [p.line, p.message]),
      [[5, 'unknown property `oops` in Config spec (expected one of: id, name, analyticsEnabled)']],
    );
  });

  it('an empty or comment-only file has no resources and no problems', () => {
    for (const text of ['', '# just a comment\n', '\n  \n'])
      assert.deepEqual(loadFile(text, 'x.yaml'), { fileName: 'x.yaml', text, resources: [], problems: [] });
  });

  it('follows YAML aliases', () => {
    const text =
      'type: Test\nspec:\n  trigger:\n    type: http\n    httpRequest:\n      url: &u http://x/\n  specs:\n    - selector: span\n      assertions: [*u]\n';
    const test = resourceOf(loadFile(text, 'x.yaml'), 'Test');
    assert.equal(test.specs[0]?.assertions[0]?.value, 'http://x/');
  });
});
