// Completion items on real test files against the recorded Pokéshop import trace.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FILTERS } from '../../../src/core/expression/index';
import { computeCompletions, type LanguageSources, type Suggestion } from '../../../src/extension/language/completions';
import { snippetToText, TEMPLATES } from '../../../src/extension/language/snippets';
import { loadFile } from '../../../src/core/testfile/index';
import { validateFile } from '../../../src/core/testfile/validate';
import { offsetOf, pokeshopImportTrace, readProjectFile, typing } from '../../support/vscode-fake/language';

const demo = readProjectFile('demo/tests/import-pokemon.yaml');
const trace = pokeshopImportTrace();
const sources: LanguageSources = { traceFor: () => trace, variables: new Map([['POKESHOP_API_URL', 'http://localhost:8081']]) };
const noTrace: LanguageSources = { traceFor: () => undefined, variables: new Map() };

const labels = (items: Suggestion[]): string[] => items.map((i) => i.label);
const complete = (text: string, offset: number, s = sources) => computeCompletions(text, offset, s);
const SELECTOR = 'span[tracetest.span.type="general" name="import pokemon"]';

describe('schema completion', () => {
  it('offers the keys of the mapping that are still missing, with their descriptions', () => {
    const t = typing(demo, '      method: POST\n', '      ‸\n');
    const items = complete(t.text, t.offset);
    assert.ok(labels(items).includes('method'));
    assert.ok(!labels(items).includes('url'), 'url is already there');
    assert.match(items.find((i) => i.label === 'method')!.documentation!, /HTTP method/);
  });

  it('offers enum values for a value', () => {
    const items = complete(demo, offsetOf(demo, 'method: POST', 8));
    assert.deepEqual(labels(items).slice(0, 3), ['GET', 'POST', 'PUT']);
    assert.deepEqual(items[0]!.range, { start: offsetOf(demo, 'method: POST', 8), end: offsetOf(demo, 'method: POST', 12) });
  });

  it('offers a trigger snippet per type in an empty trigger', () => {
    const t = typing(demo, '    type: http\n    httpRequest:', '    ‸\n    httpRequest:');
    const snippets = complete(t.text, t.offset).filter((i) => i.kind === 'snippet');
    assert.deepEqual(labels(snippets), [
      'trigger: http',
      'trigger: grpc',
      'trigger: graphql',
      'trigger: traceid',
      'trigger: playwrightengine',
      'trigger: kafka',
    ]);
  });

  it('offers spec and output snippets on new list items', () => {
    const t = typing(demo, '  specs:\n', '  specs:\n    - ‸\n');
    assert.ok(labels(complete(t.text, t.offset)).includes('spec'));
    const withOutputs = `${demo}  outputs:\n    - |`;
    const offset = withOutputs.lastIndexOf('|');
    assert.ok(labels(complete(withOutputs.replace(/\|$/, ''), offset)).includes('output'));
  });

  it('offers test templates in an empty file, and every template is a valid test', () => {
    assert.deepEqual(
      labels(complete('', 0)).slice(0, TEMPLATES.length),
      TEMPLATES.map((t) => `Test: ${t.label}`),
    );
    for (const t of TEMPLATES) {
      const text = snippetToText(t.body);
      assert.deepEqual(
        validateFile(loadFile(text, `${t.id}.yaml`)).map((p) => p.message),
        [],
        t.id,
      );
    }
  });
});

describe('selector completion', () => {
  it('after `span[`: attribute names, most common first, with a count and a sample', () => {
    const t = typing(demo, SELECTOR, 'span[‸');
    const items = complete(t.text, t.offset);
    const names = labels(items);
    assert.ok(names.indexOf('service.name') < names.indexOf('pokemon.name'));
    assert.ok(names.includes('name') && names.includes('kind'));
    assert.match(items.find((i) => i.label === 'pokemon.name')!.detail!, /^1 span · e\.g\. snorlax$/);
  });

  it('after `name=`: observed span names, quoted, with counts', () => {
    const t = typing(demo, SELECTOR, 'span[name=‸');
    const item = complete(t.text, t.offset).find((i) => i.label === 'import pokemon')!;
    assert.equal(item.insertText, '"import pokemon"');
    assert.equal(item.detail, '1 span');
  });

  it('inside an open quote the value replaces the whole string', () => {
    const t = typing(demo, SELECTOR, 'span[kind="cl‸"]');
    const item = complete(t.text, t.offset).find((i) => i.label === 'client')!;
    assert.equal(item.insertText, '"client"');
    assert.equal(t.text.slice(item.range!.start, item.range!.end), '"cl"');
    assert.equal(item.detail, '3 spans');
  });

  it('in a double-quoted YAML scalar values use single quotes', () => {
    const t = typing(demo, SELECTOR, '"span[kind=‸]"');
    assert.equal(complete(t.text, t.offset).find((i) => i.label === 'client')!.insertText, "'client'");
  });

  it('offers operators after a key and pseudo-classes after `:`', () => {
    const t1 = typing(demo, SELECTOR, 'span[http.status_code ‸');
    assert.deepEqual(labels(complete(t1.text, t1.offset)), ['=', '!=', 'contains', 'not-contains', '<', '<=', '>', '>=']);
    const t2 = typing(demo, SELECTOR, 'span[kind="client"]:‸');
    assert.deepEqual(labels(complete(t2.text, t2.offset)), ['first', 'last', 'nth_child']);
  });

  it('without a trace still offers the span properties and kinds', () => {
    const t = typing(demo, SELECTOR, 'span[kind=‸');
    assert.ok(labels(complete(t.text, t.offset, noTrace)).includes('consumer'));
  });
});

describe('assertion completion', () => {
  const newAssertion = (typed: string) =>
    typing(demo, '        - attr:pokemon.name = "snorlax"', `        - attr:pokemon.name = "snorlax"\n        - ${typed}`);

  it('after `attr:`: the attributes of the spans the spec selected', () => {
    const t = newAssertion('attr:‸');
    const names = labels(complete(t.text, t.offset));
    assert.ok(names.includes('pokemon.weight'));
    assert.ok(!names.includes('http.status_code'), 'the import pokemon span has no HTTP attributes');
    assert.ok(names.includes('tracetest.selected_spans.count'));
  });

  it('after a comparator: the observed values of the compared attribute', () => {
    const t = newAssertion('attr:pokemon.weight = ‸');
    const items = complete(t.text, t.offset);
    const weight = trace.spans.find((s) => s.name === 'import pokemon')!.flat.get('pokemon.weight')!;
    assert.equal(items[0]!.label, weight);
    assert.ok(labels(items).includes('attr:') && labels(items).includes('uuid'));
  });

  it('comparators after the left side, filters with signatures after `|`', () => {
    const t1 = newAssertion('attr:pokemon.name ‸');
    assert.deepEqual(labels(complete(t1.text, t1.offset)).slice(0, 2), ['=', '!=']);
    const t2 = newAssertion('attr:pokemon.name | ‸');
    const items = complete(t2.text, t2.offset);
    assert.deepEqual(
      labels(items),
      FILTERS.map((f) => f.name),
    );
    assert.equal(items.find((i) => i.label === 'json_path')!.insertText, "json_path '${1}'");
  });

  it('`var:` offers the active variable set and the outputs of the file', () => {
    const file = readProjectFile('test/fixtures/tracetest/setup-pokemon.yaml');
    const t = typing(file, '    - attr:tracetest.response.status = 201', '    - attr:tracetest.response.status = var:‸');
    const items = complete(t.text, t.offset);
    assert.deepEqual(labels(items), ['POKESHOP_API_URL', 'pokemon_id']);
    assert.equal(items[0]!.detail, 'http://localhost:8081');
  });

  it('inside `${` in a trigger URL: variables', () => {
    const items = complete(demo, offsetOf(demo, '${var:POKESHOP_API_URL}', 6));
    assert.deepEqual(labels(items), ['POKESHOP_API_URL']);
  });
});
