// "Where am I" in real test files, complete and half-typed: the YAML path, key or value, and the place inside
// selectors and assertions.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contextAt, type LanguageContext } from '../../../src/extension/language/context';
import { formatPath } from '../../../src/extension/language/yaml-position';
import { offsetOf, readProjectFile, typing } from '../../support/vscode-fake/language';

const demo = readProjectFile('demo/tests/import-pokemon.yaml');
const tracetest = readProjectFile('test/fixtures/tracetest/resources/tests/import-pokemon.yaml');

function at(text: string, offset: number): LanguageContext {
  const c = contextAt(text, offset);
  assert.ok(c, `no context at ${offset}`);
  return c;
}

describe('YAML position', () => {
  it('knows a key position and the keys already present', () => {
    const c = at(demo, offsetOf(demo, '      method: POST', 9));
    assert.equal(c.kind, 'key');
    if (c.kind !== 'key') return;
    assert.equal(formatPath(c.yaml.path), 'spec.trigger.httpRequest');
    assert.equal(c.yaml.partial, 'met');
    assert.deepEqual(c.yaml.siblings.sort(), ['body', 'headers', 'url']);
  });

  it('reads list items in both indentation styles', () => {
    for (const text of [demo, tracetest]) {
      const c = at(text, offsetOf(text, 'name: The request', 2));
      assert.equal(c.kind, 'key');
      assert.equal(formatPath(c.yaml.path), 'spec.specs[]');
    }
  });

  it('knows a plain YAML value with enum values', () => {
    const c = at(demo, offsetOf(demo, 'method: POST', 10));
    assert.equal(c.kind, 'value');
    assert.equal(formatPath(c.yaml.path), 'spec.trigger.httpRequest.method');
  });

  it('finds the spec selector and test id the cursor belongs to', () => {
    const c = at(demo, offsetOf(demo, 'attr:pokemon.name', 8));
    assert.equal(c.info.testId, 'pokeshop-import-pokemon');
    assert.equal(c.info.index, 0);
    assert.equal(c.info.itemSelector, 'span[tracetest.span.type="general" name="import pokemon"]');
  });

  it('tells documents of a multi-document file apart', () => {
    const text = `${demo}---\ntype: Test\nspec:\n  id: second\n  trigger:\n    type: http\n`;
    const c = at(text, offsetOf(text, 'id: second', 5));
    assert.equal(c.info.index, 1);
    assert.equal(c.info.testId, 'second');
  });
});

describe('selector place', () => {
  const place = (text: string, offset: number) => {
    const c = at(text, offset);
    assert.equal(c.kind, 'selector');
    return c.kind === 'selector' ? c.place : undefined;
  };

  it('after `span[` and between filters: a key', () => {
    const t = typing(demo, 'span[tracetest.span.type="general" name="import pokemon"]', 'span[‸');
    assert.equal(place(t.text, t.offset)?.role, 'key');
    const p = place(demo, offsetOf(demo, 'name="import pokemon"]', 2));
    assert.deepEqual([p?.role, p?.partial], ['key', 'na']);
  });

  it('after a key and a space: an operator; after `=`: a value of that key', () => {
    const t1 = typing(demo, 'span[tracetest.span.type="general" name="import pokemon"]', 'span[kind ‸');
    assert.deepEqual([place(t1.text, t1.offset)?.role, place(t1.text, t1.offset)?.key], ['operator', 'kind']);
    const t2 = typing(demo, 'span[tracetest.span.type="general" name="import pokemon"]', 'span[name=‸');
    const p = place(t2.text, t2.offset);
    assert.deepEqual([p?.role, p?.key, p?.quote], ['value', 'name', undefined]);
  });

  it('inside an open quote: a value that replaces the whole string', () => {
    const t = typing(demo, 'span[tracetest.span.type="general" name="import pokemon"]', 'span[name="imp‸');
    const p = place(t.text, t.offset);
    assert.deepEqual([p?.role, p?.partial, p?.quote], ['value', 'imp', '"']);
  });

  it('after `]:` a pseudo-class, after `] ` a new step', () => {
    const t1 = typing(demo, 'span[tracetest.span.type="general" name="import pokemon"]', 'span[name="x"]:‸');
    assert.equal(place(t1.text, t1.offset)?.role, 'pseudo');
    const t2 = typing(demo, 'span[tracetest.span.type="general" name="import pokemon"]', 'span[name="x"] ‸');
    assert.equal(place(t2.text, t2.offset)?.role, 'step');
  });

  it('works in a double-quoted YAML scalar, where quotes inside are escaped', () => {
    const t = typing(demo, 'span[tracetest.span.type="general" name="import pokemon"]', '"span[name=\\"imp‸\\"]"');
    const p = place(t.text, t.offset);
    assert.deepEqual([p?.role, p?.partial, p?.quote], ['value', 'imp', '"']);
  });

  it('works in the older `selector: {query: …}` form', () => {
    const legacy = readProjectFile('test/fixtures/testfiles/legacy-specs.yaml');
    const c = at(legacy, offsetOf(legacy, 'query: span[tracetest.span.type="http"]', 12));
    assert.equal(c.kind, 'selector');
  });
});

describe('expression place', () => {
  const place = (text: string, offset: number) => {
    const c = at(text, offset);
    assert.equal(c.kind, 'expression');
    return c.kind === 'expression' ? c.place : undefined;
  };

  it('after `attr:` an attribute name, also half-typed on a new item', () => {
    const t = typing(demo, '        - attr:pokemon.name = "snorlax"', '        - attr:pokemon.name = "snorlax"\n        - attr:pok‸');
    const p = place(t.text, t.offset);
    assert.deepEqual([p?.role, p?.role === 'ref' && p.store, p?.partial], ['ref', 'attr', 'pok']);
  });

  it('after the left side and a space: a comparator', () => {
    const t = typing(demo, '- attr:pokemon.name = "snorlax"', '- attr:pokemon.name ‸');
    assert.equal(place(t.text, t.offset)?.role, 'comparator');
  });

  it('after a comparator: an operand that knows the compared attribute', () => {
    const t = typing(demo, '- attr:pokemon.name = "snorlax"', '- attr:pokemon.name = ‸');
    const p = place(t.text, t.offset);
    assert.deepEqual([p?.role, p?.role === 'operand' && p.comparedAttr], ['operand', 'pokemon.name']);
  });

  it('after `|`: a filter', () => {
    const p = place(demo, offsetOf(demo, "json_path '$.id' = 143", 4));
    assert.deepEqual([p?.role, p?.partial], ['filter', 'json']);
  });

  it('inside `${` of a trigger field: a variable name', () => {
    const p = place(demo, offsetOf(demo, '${var:POKESHOP_API_URL}', 8));
    assert.deepEqual([p?.role, p?.role === 'ref' && p.store, p?.partial], ['ref', 'var', 'PO']);
  });

  it('an output value is an expression without comparators', () => {
    const text = readProjectFile('test/fixtures/tracetest/setup-pokemon.yaml');
    const c = at(text, offsetOf(text, 'value: attr:tracetest.response.body', 12));
    assert.equal(c.kind === 'expression' && c.mode, 'expression');
  });
});
