// The JSON schemas are valid draft-07, documented for hover, and the dispatching schema agrees with the loader.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import { parseAllDocuments } from 'yaml';
import { RESOURCE_TYPES } from '../../../src/core/testfile/kinds';
import { SCHEMA_FILES } from '../../../src/core/testfile/schema';
import { FIXTURES, yamlFilesUnder } from './helpers';

const SCHEMAS = join(__dirname, '..', '..', '..', 'schemas');
const files = readdirSync(SCHEMAS).filter((f) => f.endsWith('.schema.json'));
const read = (file: string) => JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8')) as Record<string, unknown>;

function strictAjv(): Ajv {
  const ajv = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true });
  ajv.addVocabulary(['patternErrorMessage']); // VS Code's message for `pattern`
  for (const file of files) ajv.addSchema(read(file), file);
  return ajv;
}

describe('schemas', () => {
  it('every schema file on disk is one the loader uses', () => {
    assert.deepEqual([...files].sort(), Object.keys(SCHEMA_FILES).sort());
    assert.equal(files.length, 10);
  });

  for (const file of files) {
    it(`${file} is draft-07 and compiles in ajv strict mode`, () => {
      const schema = read(file);
      assert.equal(schema['$schema'], 'http://json-schema.org/draft-07/schema#');
      const ajv = strictAjv();
      assert.equal(ajv.validateSchema(schema), true, JSON.stringify(ajv.errors));
      assert.equal(typeof ajv.getSchema(file), 'function');
    });

    it(`${file}: every property has a description`, () => {
      const missing: string[] = [];
      const visit = (node: unknown, path: string): void => {
        if (Array.isArray(node)) return node.forEach((n, i) => visit(n, `${path}/${i}`));
        if (!node || typeof node !== 'object') return;
        const schema = node as Record<string, unknown>;
        const properties = schema['properties'] as Record<string, unknown> | undefined;
        // `if` holds conditions and `then` only re-declares keys for strictRequired: neither defines properties.
        const conditional = path.endsWith('/if') || path.endsWith('/then');
        for (const [name, property] of Object.entries(conditional ? {} : (properties ?? {}))) {
          if (typeof (property as { description?: unknown }).description !== 'string') missing.push(`${path}/properties/${name}`);
        }
        for (const [key, value] of Object.entries(schema)) visit(value, `${path}/${key}`);
      };
      visit(read(file), '#');
      assert.deepEqual(missing, []);
    });
  }

  it('tracelens.schema.json accepts every kind the loader accepts', () => {
    const types = (read('tracelens.schema.json')['properties'] as { type: { enum: string[] } }).type.enum;
    assert.deepEqual([...types].sort(), Object.keys(RESOURCE_TYPES).sort());
  });

  it('tracelens.schema.json validates every fixture document', () => {
    const validate = strictAjv().getSchema('tracelens.schema.json')!;
    const paths = [...yamlFilesUnder(join(FIXTURES, 'tracetest')), ...yamlFilesUnder(join(FIXTURES, 'testfiles'))];
    assert.ok(paths.length >= 15);
    for (const path of paths) {
      for (const doc of parseAllDocuments(readFileSync(path, 'utf8'))) {
        if (doc.contents === null) continue;
        assert.equal(validate(doc.toJS()), true, `${path}: ${JSON.stringify(validate.errors)}`);
      }
    }
  });

  it('tracelens.schema.json dispatches on `type`, so errors stay specific to the kind', () => {
    const validate = strictAjv().getSchema('tracelens.schema.json')!;
    const errorsOf = (data: unknown) => {
      validate(data);
      return (validate.errors ?? []).filter((e) => e.keyword !== 'if').map((e) => [e.instancePath, e.keyword, e.params]);
    };
    const trigger = { type: 'http', httpRequest: { url: 'http://x' } };
    assert.deepEqual(errorsOf({ type: 'Test', spec: { trigger, specs: [{ selectr: 'span', assertions: [] }] } }), [
      ['/spec/specs/0', 'required', { missingProperty: 'selector' }],
      ['/spec/specs/0', 'additionalProperties', { additionalProperty: 'selectr' }],
    ]);
    assert.deepEqual(errorsOf({ type: 'Test', spec: { trigger: { type: 'kafka' } } }), [['/spec/trigger', 'required', { missingProperty: 'kafka' }]]);
    assert.deepEqual(errorsOf({ type: 'Environment', spec: { values: [{ key: 'A', value: 1, type: 'hidden' }] } }), [
      ['/spec/values/0/type', 'enum', { allowedValues: ['raw', 'secret'] }],
    ]);
    assert.deepEqual(errorsOf({ type: 'Nope', spec: {} }), [['/type', 'enum', { allowedValues: Object.keys(RESOURCE_TYPES) }]]);
    assert.deepEqual(
      errorsOf({ type: 'PollingProfile', spec: { periodic: { retryDelay: '1m30s', timeout: '2 minutes' } } }).map((e) => e.slice(0, 2)),
      [['/spec/periodic/timeout', 'pattern']],
    );
  });
});
