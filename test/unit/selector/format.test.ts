// Printing selectors back (click-to-assert writes ASTs into test files): canonical text that selects the same spans.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FilterNode, Operator, PseudoNode, SelectorAst, StepNode, ValueNode } from '../../../src/core/selector';
import { formatSelector, matchSelector, OPERATORS, quoteSelectorValue } from '../../../src/core/selector';
import { TraceBuilder } from '../../support/trace-builder';
import { random, testSeed } from './prng';
import type { Random } from './prng';
import { parsed, pokeshopTrace, shape } from './support';

const at = { offset: 0, length: 0 };

test('formatSelector prints the canonical form', () => {
  const cases: Array<[string, string]> = [
    ["span[ tracetest.span.type = 'http' , name='POST /pokemon' ]", 'span[tracetest.span.type="http" name="POST /pokemon"]'],
    ['span[ n >= -1.5  ok=true x contains "a"]', 'span[n>=-1.5 ok=true x contains "a"]'],
    ["span['dapr-app-id'!='x' \"odd key\" not-contains 'it\\'s']", 'span[dapr-app-id!="x" "odd key" not-contains "it\'s"]'],
    ['span[]  :nth_child( 02 ) :last\n span[kind="client"]:first ,span[]', 'span[]:nth_child(2):last span[kind="client"]:first, span[]'],
    ['span[v="say \\"hi\\""]', 'span[v="say \\"hi\\""]'],
    ['', ''],
  ];
  for (const [input, expected] of cases) assert.equal(formatSelector(parsed(input)), expected, input);
});

test('quoteSelectorValue escapes only the double quote and keeps other backslashes', () => {
  assert.equal(quoteSelectorValue('POST /pokemon'), '"POST /pokemon"');
  assert.equal(quoteSelectorValue('say "hi"'), '"say \\"hi\\""');
  assert.equal(quoteSelectorValue('(\\d+)'), '"(\\d+)"');
  assert.equal(quoteSelectorValue(''), '""');
});

test('quoteSelectorValue output reads back as the same value, for awkward values', () => {
  for (const value of ['say "hi"', 'a\\"b', '\\"', '{"m": "say \\"hi\\""}', "it's", 'line\nbreak', '😀 ünï', '\\\\"x', ' ']) {
    const ast = parsed(`span[k=${quoteSelectorValue(value)}]`);
    assert.equal(ast.chains[0]!.steps[0]!.filters[0]!.value.text, value, JSON.stringify(value));
  }
});

test('formatSelector quotes keys that are not identifier paths', () => {
  const ast = selectorOf([step([filter('has space', '=', str('x')), filter('a..b', '=', str('y')), filter('', '=', str('z'))])]);
  assert.equal(formatSelector(ast), 'span["has space"="x" "a..b"="y" ""="z"]');
});

test('formatSelector quotes values built in code whose type does not fit their text', () => {
  const ast = selectorOf([step([filter('n', '=', { kind: 'value', type: 'number', text: '12abc', ...at })])]);
  assert.equal(formatSelector(ast), 'span[n="12abc"]');
});

test('round trip: parse(format(ast)) has the same structure and selects the same spans, for random selectors', () => {
  const seed = testSeed(20240611);
  const rng = random(seed);
  const trace = roundTripTrace();
  for (let i = 0; i < 1500; i++) {
    const ast = randomSelector(rng);
    const text = formatSelector(ast);
    const context = `seed ${seed}, case ${i}: ${JSON.stringify(text)}`;
    const again = parsed(text);
    assert.deepEqual(shape(again), shape(ast), context);
    assert.equal(formatSelector(again), text, context);
    assert.deepEqual(
      matchSelector(trace, again).map((s) => s.id),
      matchSelector(trace, ast).map((s) => s.id),
      context,
    );
  }
});

test('round trip of the Pokeshop selectors selects the same spans', () => {
  const trace = pokeshopTrace();
  for (const text of [
    'span[tracetest.span.type="http" name="POST /pokemon" http.method="POST"]',
    "span[ kind = 'client' ] , span[name contains 'pokemon']:last",
    'span[name="POST /pokemon"] span[tracetest.span.type="messaging"]:first span[]',
    'span[http.status_code>=200 http.status_code<300]',
  ]) {
    const ast = parsed(text);
    assert.deepEqual(matchSelector(trace, parsed(formatSelector(ast))), matchSelector(trace, ast), text);
  }
});

// Random ASTs draw keys and values from a small pool so that many of them select something.

const KEYS = ['name', 'kind', 'k', 'n', 'http.status_code', 'odd key', 'dapr-app-id', 'größe', '"q"', "it's", 'x\\y', ''];
const STRINGS = ['a', 'POST /pokemon', 'say "hi"', "it's", '\\d+', 'a\\"b', '', 'client', '10', '0.5', 'größe 😀', '\n'];
const NUMBERS = ['0', '10', '-1.5', '+2', '.5', '0.50', '1e3', '12345678901234567890'];

function roundTripTrace() {
  const builder = new TraceBuilder();
  for (let i = 0; i < 12; i++) {
    builder.span(i % 3 === 0 ? 'POST /pokemon' : `span ${i}`, {
      ref: `s${i}`,
      parent: i > 0 ? `s${Math.floor((i - 1) / 2)}` : undefined,
      kind: i % 2 ? 'client' : 'server',
      attrs: { k: STRINGS[i % STRINGS.length]!, n: NUMBERS[i % NUMBERS.length]!, 'odd key': i % 2 ? 'a' : 'say "hi"', 'http.status_code': 200 + (i % 3) * 100 },
    });
  }
  return builder.build();
}

function randomSelector(rng: Random): SelectorAst {
  const chains = Array.from({ length: rng.int(3) }, () => Array.from({ length: 1 + rng.int(3) }, () => randomStep(rng)));
  return selectorOf(...chains);
}

function randomStep(rng: Random): StepNode {
  const filters = Array.from({ length: rng.int(4) }, () => {
    const operator = rng.pick(OPERATORS);
    const ordering = operator === '<' || operator === '<=' || operator === '>' || operator === '>=';
    return filter(rng.pick(KEYS), operator, ordering ? num(rng.pick(NUMBERS)) : randomValue(rng));
  });
  const pseudos: PseudoNode[] = Array.from({ length: rng.chance(0.7) ? 0 : 1 + rng.int(2) }, () => {
    const which = rng.int(3);
    if (which === 0) return { kind: 'pseudo', name: 'first', ...at };
    if (which === 1) return { kind: 'pseudo', name: 'last', ...at };
    return { kind: 'pseudo', name: 'nth_child', n: 1 + rng.int(4), argument: at, ...at };
  });
  return step(filters, pseudos);
}

function randomValue(rng: Random): ValueNode {
  const which = rng.int(3);
  if (which === 0) return num(rng.pick(NUMBERS));
  if (which === 1) return { kind: 'value', type: 'boolean', text: rng.pick(['true', 'false']), ...at };
  return str(rng.pick(STRINGS));
}

function selectorOf(...chains: StepNode[][]): SelectorAst {
  return { kind: 'selector', chains: chains.map((steps) => ({ kind: 'chain', steps, ...at })), ...at };
}

function step(filters: FilterNode[], pseudos: PseudoNode[] = []): StepNode {
  return { kind: 'step', filters, pseudos, ...at };
}

function filter(key: string, operator: Operator, value: ValueNode): FilterNode {
  return { kind: 'filter', key: { kind: 'key', name: key, quoted: false, ...at }, operator: { kind: 'operator', operator, ...at }, value, ...at };
}

function str(text: string): ValueNode {
  return { kind: 'value', type: 'string', text, ...at };
}

function num(text: string): ValueNode {
  return { kind: 'value', type: 'number', text, ...at };
}
