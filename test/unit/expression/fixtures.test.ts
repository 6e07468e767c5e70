// The real Tracetest example files: every assertion, output value and trigger field parses, and the assertions
// pass against a span carrying the attributes the example system produces.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { parseAssertion, parseExpression, parseTemplate } from '../../../src/core/expression';
import { context, holds, shown, spanWith } from './support';

const FIXTURES = join(__dirname, '../../fixtures/tracetest');

interface Found {
  assertions: string[];
  outputs: string[];
  templates: string[];
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(entry.name) ? [path] : [];
  });
}

function collect(node: unknown, found: Found, inTrigger = false): void {
  if (typeof node === 'string') {
    if (inTrigger) found.templates.push(node);
    return;
  }
  if (Array.isArray(node)) {
    for (const item of node) collect(item, found, inTrigger);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'assertions' && Array.isArray(value)) found.assertions.push(...value.filter((v): v is string => typeof v === 'string'));
    else if (key === 'outputs' && Array.isArray(value))
      found.outputs.push(...value.map((o: { value?: unknown }) => o.value).filter((v): v is string => typeof v === 'string'));
    else collect(value, found, inTrigger || key === 'trigger');
  }
}

function fixtures(): Found {
  const found: Found = { assertions: [], outputs: [], templates: [] };
  for (const file of yamlFiles(FIXTURES)) collect(parse(readFileSync(file, 'utf8')), found);
  return found;
}

/** What the example system records on the asserted span, per assertion. */
const OBSERVED: Record<string, Record<string, string | number | boolean>> = {
  'attr:messaging.system = "kafka"': { 'messaging.system': 'kafka' },
  'attr:name = "import pokemon"': {},
  'attr:rpc.grpc.status_code  =  0': { 'rpc.grpc.status_code': 0 },
  'attr:tracetest.response.status = 201': { 'tracetest.response.status': 201 },
  'attr:http.status_code  =  200': { 'http.status_code': 200 },
  'attr:http.status_code = 201': { 'http.status_code': 201 },
  'attr:http.response.body | json_path \'$.id\' = "143"': { 'http.response.body': '{"id":143,"name":"snorlax"}' },
  'attr:validation.is_valid = "true"': { 'validation.is_valid': true },
  'attr:messaging.payload | json_path \'$.id\' = "143"': { 'messaging.payload': '{"id":143}' },
  'attr:messaging.payload | json_path \'$.fields.routingKey\' = "queue.synchronizePokemon"': {
    'messaging.payload': '{"fields":{"routingKey":"queue.synchronizePokemon"}}',
  },
  'attr:tracetest.selected_spans.count >= 1': {},
  'attr:db.result | json_path \'$.imageUrl\'  =  "https://assets.pokemon.com/assets/cms2/img/pokedex/full/052.png"': {
    'db.result': '{"id":52,"imageUrl":"https://assets.pokemon.com/assets/cms2/img/pokedex/full/052.png"}',
  },
  'attr:db.operation = "count"': { 'db.operation': 'count' },
  'attr:db.operation = "findMany"': { 'db.operation': 'findMany' },
};

test('every assertion in the example files parses', () => {
  const { assertions } = fixtures();
  assert.ok(assertions.length >= 14, `expected the example assertions, found ${assertions.length}`);
  for (const a of assertions) {
    const parsed = parseAssertion(a);
    assert.ok(parsed.ok, `${JSON.stringify(a)}: ${parsed.ok ? '' : parsed.error.message}`);
  }
});

test('every assertion in the example files passes against what the example system records', () => {
  for (const a of fixtures().assertions) {
    const attrs = OBSERVED[a];
    assert.ok(attrs, `no observed attributes listed for ${JSON.stringify(a)}`);
    holds(a, context({ span: spanWith(attrs, {}, 'import pokemon') }));
  }
});

test('every output value in the example files parses and extracts its value', () => {
  const { outputs } = fixtures();
  assert.deepEqual(outputs, ["attr:tracetest.response.body| json_path '$.id'"]);
  for (const value of outputs) assert.ok(parseExpression(value).ok, value);
  assert.equal(shown(outputs[0]!, context({ span: spanWith({ 'tracetest.response.body': '{"id": 52, "name": "fearow"}' }) })), '52');
});

test('every trigger field in the example files parses as a template', () => {
  const { templates } = fixtures();
  assert.ok(templates.some((t) => t.includes('${var:POKESHOP_API_URL}')));
  for (const t of templates) {
    const parsed = parseTemplate(t);
    assert.ok(parsed.ok, `${JSON.stringify(t)}: ${parsed.ok ? '' : parsed.error.message}`);
  }
});
