// The TextMate injection grammar: well-formed, every rule's regex compiles, includes resolve, and the rules
// match the pieces of real test files they are meant to colour.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readProjectFile } from '../../support/vscode-fake/language';

interface Rule {
  match?: string;
  begin?: string;
  end?: string;
  name?: string;
  include?: string;
  patterns?: Rule[];
  captures?: Record<string, { name: string }>;
  beginCaptures?: Record<string, { name: string }>;
  endCaptures?: Record<string, { name: string }>;
}

const grammar = JSON.parse(readProjectFile('syntaxes/tracelens.injection.tmLanguage.json')) as {
  scopeName: string;
  injectionSelector: string;
  patterns: Rule[];
  repository: Record<string, Rule>;
};
const manifest = JSON.parse(readProjectFile('package.json')) as { contributes: { grammars: Array<{ scopeName: string; path: string; injectTo: string[] }> } };

/**
 * Oniguruma regex → JavaScript RegExp. The grammar avoids Oniguruma-only syntax except back-references from
 * `end` to `begin` captures (`\1` = the begin's indentation), which stand for spaces here.
 */
function compile(source: string, isEnd: boolean): RegExp {
  return new RegExp(isEnd ? source.replaceAll('\\1', ' *') : source, 'u');
}

function rules(): Array<{ path: string; rule: Rule }> {
  const out: Array<{ path: string; rule: Rule }> = [];
  const visit = (rule: Rule, path: string): void => {
    out.push({ path, rule });
    rule.patterns?.forEach((r, i) => visit(r, `${path}.patterns[${i}]`));
  };
  grammar.patterns.forEach((r, i) => visit(r, `patterns[${i}]`));
  for (const [name, rule] of Object.entries(grammar.repository)) visit(rule, `repository.${name}`);
  return out;
}

/** First regex in `rule` (or its includes) that matches `text`, with the scope names it captures. */
function scopesOf(ruleName: string, text: string): string[] {
  const scopes: string[] = [];
  const collect = (rule: Rule, seen: Set<Rule>): void => {
    if (seen.has(rule)) return;
    seen.add(rule);
    if (rule.include) return collect(grammar.repository[rule.include.slice(1)]!, seen);
    const source = rule.match ?? rule.begin;
    if (source) {
      const re = new RegExp(source, 'gu');
      for (const m of text.matchAll(re)) {
        if (m[0] === '') continue;
        if (rule.name) scopes.push(rule.name);
        for (const [group, c] of Object.entries(rule.captures ?? rule.beginCaptures ?? {})) if (m[Number(group)] !== undefined) scopes.push(c.name);
      }
    }
    rule.patterns?.forEach((r) => collect(r, seen));
  };
  collect(grammar.repository[ruleName]!, new Set());
  return scopes;
}

describe('injection grammar', () => {
  it('is the one package.json contributes, injected into YAML', () => {
    const contributed = manifest.contributes.grammars.find((g) => g.scopeName === grammar.scopeName);
    assert.equal(contributed?.path, './syntaxes/tracelens.injection.tmLanguage.json');
    assert.deepEqual(contributed?.injectTo, ['source.yaml']);
    assert.match(grammar.injectionSelector, /^L:source\.yaml/);
  });

  it('every regex compiles and every include resolves', () => {
    for (const { path, rule } of rules()) {
      for (const key of ['match', 'begin', 'end'] as const) {
        const source = rule[key];
        if (source === undefined) continue;
        assert.doesNotThrow(() => compile(source, key === 'end'), `${path}.${key}: ${source}`);
        assert.ok(!/\\[GhHAz]|\(\?[<]?[=!]?\w*>|\\p\{/.test(source.replace(/\(\?<[=!]/g, '')), `${path}.${key} uses Oniguruma-only syntax`);
      }
      if (rule.include) assert.ok(rule.include.startsWith('#') && grammar.repository[rule.include.slice(1)], `${path}: ${rule.include}`);
      assert.ok(rule.match || rule.begin || rule.include || rule.patterns, `${path} does nothing`);
      if (rule.begin) assert.ok(rule.end, `${path} has begin without end`);
    }
  });

  it('colours the parts of a selector', () => {
    const scopes = scopesOf('selector', 'span[tracetest.span.type="http" http.status_code >= 200 kind contains \'cl\']:nth_child(2), span[]:first');
    for (const s of [
      'entity.name.type.span.selector.tracelens',
      'variable.other.attribute.selector.tracelens',
      'keyword.operator.comparison.selector.tracelens',
      'string.quoted.double.selector.tracelens',
      'string.quoted.single.selector.tracelens',
      'constant.numeric.selector.tracelens',
      'entity.other.attribute-name.pseudo-class.selector.tracelens',
      'punctuation.separator.union.selector.tracelens',
    ]) {
      assert.ok(scopes.includes(s), s);
    }
  });

  it('colours the parts of an assertion', () => {
    const scopes = scopesOf(
      'expression',
      `attr:http.response.body | json_path '$.id' = "\${var:ID}" and attr:tracetest.span.duration < 25ms + randomInt(1, 2)`,
    );
    for (const s of [
      'storage.type.reference.expression.tracelens',
      'variable.other.reference.expression.tracelens',
      'support.function.filter.expression.tracelens',
      'keyword.operator.comparison.expression.tracelens',
      'constant.numeric.duration.expression.tracelens',
      'support.function.expression.tracelens',
      'string.quoted.double.expression.tracelens',
      'meta.template.expression.tracelens',
    ]) {
      assert.ok(scopes.includes(s), s);
    }
  });

  it('starts on the YAML lines that hold selectors, assertions and output values, and nowhere else', () => {
    const begin = (name: string) => new RegExp(grammar.repository[name]!.begin!, 'u');
    const demo = readProjectFile('demo/tests/add-pokemon.yaml').split('\n');
    assert.equal(demo.filter((l) => begin('selector-entry').test(l)).length, 5);
    assert.equal(demo.filter((l) => begin('assertions-block').test(l)).length, 4);
    assert.equal(demo.filter((l) => begin('outputs-value').test(l)).length, 1);
    assert.ok(!begin('selector-entry').test('      name: selector: of things'));
    // The block ends at the next key as deep as `assertions:`, and goes on through its items in both styles.
    const end = compile(grammar.repository['assertions-block']!.end!, true);
    assert.ok(end.test('      name: next'.replace(/^ {6}/, '')));
    assert.ok(!end.test('        - attr:http.status_code = 201'));
  });
});
