// The real Tracetest example files load without a problem and mean what they say.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { loadFile } from '../../../src/core/testfile/index';
import { assertExactOffsets, FIXTURES, loadFixture, resourceOf, resourcesOf, sourceStrings, yamlFilesUnder } from './helpers';

const TRACETEST = join(FIXTURES, 'tracetest');
const tracetest = (...parts: string[]) => loadFixture('tracetest', ...parts);

describe('Tracetest example files', () => {
  const files = yamlFilesUnder(TRACETEST);

  it('finds every example file', () => {
    assert.equal(files.length, 10);
  });

  for (const path of files) {
    it(`loads ${relative(TRACETEST, path)} with zero problems and one resource`, () => {
      const text = readFileSync(path, 'utf8');
      const file = loadFile(text, path);
      assert.equal(resourcesOf(file).length, 1);
      for (const s of sourceStrings(file.resources)) {
        // Only escaped double-quoted scalars lack a character mapping in these files.
        if (text.slice(s.range.start, s.range.end).includes('\\')) assert.equal(s.valueOffsets, undefined);
        else assertExactOffsets(text, s);
      }
    });
  }

  it('reads the HTTP trigger, headers, body and specs of add-pokemon', () => {
    const test = resourceOf(tracetest('resources', 'tests', 'add-pokemon.yaml'), 'Test');
    assert.equal(test.id?.value, 'pokeshop-demo-add-pokemon');
    assert.equal(test.name?.value, 'Pokeshop - Add');
    assert.equal(test.trigger.type, 'http');
    if (test.trigger.type !== 'http') return;
    assert.equal(test.trigger.method, 'POST');
    assert.equal(test.trigger.url.value, '${var:POKESHOP_API_URL}/pokemon');
    assert.deepEqual(
      test.trigger.headers.map((h) => [h.key.value, h.value.value]),
      [['Content-Type', 'application/json']],
    );
    assert.equal(test.trigger.body?.value.startsWith('{\n  "name": "meowth",\n'), true);
    assert.equal(test.trigger.body?.value.endsWith('"isFeatured": true\n}\n'), true);
    assert.equal(test.trigger.sslVerification, false);
    assert.deepEqual(
      test.specs.map((s) => s.selector.value),
      [
        'span[tracetest.span.type="http" name="POST /pokemon" http.method="POST"]',
        'span[tracetest.span.type="general" name="validate request"]',
        'span[tracetest.span.type="database" name="create pokeshop.pokemon" db.operation="create" db.sql.table="pokemon"]',
      ],
    );
    assert.equal(test.specs[2]?.name?.value, 'A Pokemon was inserted on database');
    assert.deepEqual(
      test.specs[2]?.assertions.map((a) => a.value),
      ['attr:db.result | json_path \'$.imageUrl\'  =  "https://assets.pokemon.com/assets/cms2/img/pokedex/full/052.png"'],
    );
    assert.deepEqual(test.outputs, []);
    assert.equal(test.skipTraceCollection, false);
  });

  it('reads every assertion of import-pokemon', () => {
    const test = resourceOf(tracetest('resources', 'tests', 'import-pokemon.yaml'), 'Test');
    assert.deepEqual(
      test.specs.map((s) => s.assertions.length),
      [2, 1, 1, 1, 1],
    );
    assert.equal(test.specs[0]?.assertions[1]?.value, 'attr:http.response.body | json_path \'$.id\' = "143"');
    assert.equal(test.specs[4]?.assertions[0]?.value, 'attr:tracetest.selected_spans.count >= 1');
  });

  it('reads the GET trigger of list-pokemons, which has no body', () => {
    const test = resourceOf(tracetest('resources', 'tests', 'list-pokemons.yaml'), 'Test');
    assert.equal(test.trigger.type === 'http' && test.trigger.method, 'GET');
    assert.equal(test.trigger.type === 'http' && test.trigger.body, undefined);
    assert.equal(test.specs.length, 3);
  });

  it('reads outputs, skipTraceCollection and an escaped body in setup-pokemon (its last line is only spaces)', () => {
    const text = readFileSync(join(TRACETEST, 'setup-pokemon.yaml'), 'utf8');
    assert.match(text, /\n[ \t]+$/);
    const test = resourceOf(loadFile(text, 'setup-pokemon.yaml'), 'Test');
    assert.equal(test.skipTraceCollection, true);
    assert.equal(test.trigger.type, 'http');
    if (test.trigger.type !== 'http') return;
    assert.equal(test.trigger.url.value, 'https://demo-pokeshop.tracetest.io/pokemon');
    assert.equal(test.trigger.body?.value.split('\n')[1], '  "name": "fearow",');
    // Escapes make the character mapping unknowable: no offsets, and offsetOf falls back to the node start.
    assert.equal(test.trigger.body?.valueOffsets, undefined);
    assert.equal(test.outputs.length, 1);
    const [output] = test.outputs;
    assert.equal(output?.name.value, 'pokemon_id');
    assert.equal(output?.selector.value, 'span[tracetest.span.type="general" name="Tracetest trigger"]');
    assert.equal(output?.value.value, "attr:tracetest.response.body| json_path '$.id'");
    assert.equal(text.slice(output!.range.start, output!.range.end).startsWith('name: pokemon_id'), true);
  });

  it('reads the embedded protobuf and the JSON request of the gRPC example', () => {
    const test = resourceOf(tracetest('grpc-trigger-embedded-protobuf.yaml'), 'Test');
    assert.equal(test.trigger.type, 'grpc');
    if (test.trigger.type !== 'grpc') return;
    assert.equal(test.trigger.protobufFile?.value.startsWith('syntax = "proto3";\n\noption java_multiple_files = true;\n'), true);
    assert.equal(test.trigger.protobufFile?.value.includes('\nservice Pokeshop {\n  rpc getPokemonList'), true);
    assert.equal(test.trigger.address.value, 'demo-rpc:8082');
    assert.equal(test.trigger.method.value, 'pokeshop.Pokeshop.createPokemon');
    assert.equal(test.trigger.request?.value, '{\n  "name": "Pikachu",\n  "type": "eletric",\n  "isFeatured": true\n}');
    assert.deepEqual(test.trigger.metadata, []);
    assert.equal(test.specs[0]?.assertions[0]?.value, 'attr:rpc.grpc.status_code  =  0');
  });

  it('reads the Kafka example', () => {
    const test = resourceOf(tracetest('kafka-trigger.yaml'), 'Test');
    assert.equal(test.trigger.type, 'kafka');
    if (test.trigger.type !== 'kafka') return;
    assert.deepEqual(
      test.trigger.brokerUrls.map((b) => b.value),
      ['stream:9092'],
    );
    assert.equal(test.trigger.topic.value, 'pokemon');
    assert.deepEqual(test.trigger.headers, []);
    assert.equal(test.trigger.messageKey?.value, 'snorlax-key');
    assert.equal(test.trigger.messageValue?.value, '{"id":143}');
    assert.equal(test.trigger.authentication, undefined);
    assert.equal(test.specs.length, 2);
  });

  it('reads the suite steps', () => {
    const suite = resourceOf(tracetest('resources', 'suites', 'pokeshop.yaml'), 'TestSuite');
    assert.equal(suite.alias, 'TestSuite');
    assert.equal(suite.id?.value, 'pokeshop-demo-test-suite');
    assert.deepEqual(
      suite.steps.map((s) => s.value),
      ['../tests/add-pokemon.yaml', '../tests/import-pokemon.yaml', '../tests/list-pokemons.yaml'],
    );
  });

  it('reads the variable set', () => {
    const vars = resourceOf(tracetest('resources', 'config', 'variableset.yaml'), 'VariableSet');
    assert.equal(vars.alias, 'VariableSet');
    assert.deepEqual(
      vars.values.map((v) => [v.key.value, v.value.value, v.type]),
      [['POKESHOP_API_URL', 'https://demo-pokeshop.tracetest.io', 'raw']],
    );
  });

  it('reads the polling profile durations in milliseconds', () => {
    const profile = resourceOf(tracetest('resources', 'config', 'pollingprofile.yaml'), 'PollingProfile');
    assert.deepEqual(
      { ...profile, id: profile.id?.value, name: profile.name?.value },
      { kind: 'PollingProfile', id: 'pokeshop-demo', name: 'pokeshop-demo', default: true, retryDelayMs: 5000, timeoutMs: 60_000, selectorMatchRetries: 3 },
    );
  });

  it('reads the Jaeger data store with its type-specific settings', () => {
    const store = resourceOf(tracetest('resources', 'config', 'tracing-backend.yaml'), 'DataStore');
    assert.equal(store.type, 'jaeger');
    assert.equal(store.default, true);
    assert.equal(store.name?.value, 'jaeger');
    assert.deepEqual(store.settings, { endpoint: 'demo-pokeshop-jaeger-query.demo:16685', tls: { insecure: true, settings: {} } });
  });
});
