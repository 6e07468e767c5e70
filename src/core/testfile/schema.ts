// The JSON schemas in `schemas/` (also contributed to the editor) compiled once with ajv and reused for every load.
import Ajv, { type ValidateFunction } from 'ajv';
import analyzer from '../../../schemas/analyzer.schema.json';
import config from '../../../schemas/config.schema.json';
import datastore from '../../../schemas/datastore.schema.json';
import demo from '../../../schemas/demo.schema.json';
import pollingprofile from '../../../schemas/pollingprofile.schema.json';
import test from '../../../schemas/test.schema.json';
import testrunner from '../../../schemas/testrunner.schema.json';
import testsuite from '../../../schemas/testsuite.schema.json';
import tracelens from '../../../schemas/tracelens.schema.json';
import variableset from '../../../schemas/variableset.schema.json';
import type { ResourceKind } from './model';

/** Schema file name → schema, as they are registered in ajv (so `tracelens.schema.json` resolves its `$ref`s). */
export const SCHEMA_FILES: Readonly<Record<string, object>> = {
  'test.schema.json': test,
  'testsuite.schema.json': testsuite,
  'variableset.schema.json': variableset,
  'pollingprofile.schema.json': pollingprofile,
  'datastore.schema.json': datastore,
  'config.schema.json': config,
  'analyzer.schema.json': analyzer,
  'testrunner.schema.json': testrunner,
  'demo.schema.json': demo,
  'tracelens.schema.json': tracelens,
};

/** The schema file of each kind, by name in SCHEMA_FILES. */
export const KIND_SCHEMA: Readonly<Record<ResourceKind, string>> = {
  Test: 'test.schema.json',
  TestSuite: 'testsuite.schema.json',
  VariableSet: 'variableset.schema.json',
  PollingProfile: 'pollingprofile.schema.json',
  DataStore: 'datastore.schema.json',
  Config: 'config.schema.json',
  Analyzer: 'analyzer.schema.json',
  TestRunner: 'testrunner.schema.json',
  Demo: 'demo.schema.json',
};

/**
 * An ajv instance with every schema registered. Strict, so a schema mistake fails loudly; `patternErrorMessage`
 * is the VS Code JSON-schema extension the schemas use for readable pattern errors.
 */
export function createSchemaAjv(): Ajv {
  const ajv = new Ajv({ strict: true, allErrors: true, verbose: true, allowUnionTypes: true });
  ajv.addVocabulary(['patternErrorMessage']);
  for (const [file, schema] of Object.entries(SCHEMA_FILES)) ajv.addSchema(schema, file);
  return ajv;
}

let shared: Ajv | undefined;
const validators = new Map<ResourceKind, ValidateFunction>();

export function validatorFor(kind: ResourceKind): ValidateFunction {
  let validate = validators.get(kind);
  if (!validate) {
    shared ??= createSchemaAjv();
    validate = shared.getSchema(KIND_SCHEMA[kind])!;
    validators.set(kind, validate);
  }
  return validate;
}

/**
 * For each `then` subschema of an `if: {properties: {<key>: {const}}}` rule, the condition in words, e.g.
 * "needed when `type` is `http`", so a "missing property" error can say why the property is required.
 */
export const CONDITIONS: WeakMap<object, string> = indexConditions();

function indexConditions(): WeakMap<object, string> {
  const out = new WeakMap<object, string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const schema = node as Record<string, unknown>;
    const condition = conditionText(schema['if']);
    if (condition && schema['then'] && typeof schema['then'] === 'object') out.set(schema['then'], condition);
    Object.values(schema).forEach(visit);
  };
  Object.values(SCHEMA_FILES).forEach(visit);
  return out;
}

function conditionText(ifSchema: unknown): string | undefined {
  const properties = (ifSchema as { properties?: Record<string, { const?: unknown }> } | undefined)?.properties;
  if (!properties) return undefined;
  const [key, value] = Object.entries(properties)[0] ?? [];
  return key && value && 'const' in value ? `needed when \`${key}\` is \`${String(value.const)}\`` : undefined;
}
