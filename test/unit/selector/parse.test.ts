// The syntax tree and the positions the editor relies on (completion, hover, highlighting).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NodeRange } from '../../../src/core/selector';
import { parsed } from './support';

/** The text a node covers. */
function textOf(source: string, node: NodeRange): string {
  return source.slice(node.offset, node.offset + node.length);
}

test('every chain, step, filter, key, operator, value and pseudo-class records where it is', () => {
  const source = 'span[tracetest.span.type="http" , "dapr-app-id" != \'x\'] span[ n >= -1.5 ]:nth_child( 2 ):last,\n  span[]:first';
  const ast = parsed(source);
  assert.deepEqual([ast.offset, ast.length], [0, source.length]);
  assert.deepEqual(
    ast.chains.map((c) => textOf(source, c)),
    ['span[tracetest.span.type="http" , "dapr-app-id" != \'x\'] span[ n >= -1.5 ]:nth_child( 2 ):last', 'span[]:first'],
  );
  const [first, second] = ast.chains;
  assert.deepEqual(
    first!.steps.map((s) => textOf(source, s)),
    ['span[tracetest.span.type="http" , "dapr-app-id" != \'x\']', 'span[ n >= -1.5 ]:nth_child( 2 ):last'],
  );
  const [type, dapr] = first!.steps[0]!.filters;
  assert.equal(textOf(source, type!), 'tracetest.span.type="http"');
  assert.equal(textOf(source, type!.key), 'tracetest.span.type');
  assert.equal(textOf(source, type!.operator), '=');
  assert.equal(textOf(source, type!.value), '"http"');
  assert.equal(textOf(source, dapr!), '"dapr-app-id" != \'x\'');
  assert.equal(textOf(source, dapr!.key), '"dapr-app-id"');
  assert.equal(textOf(source, dapr!.operator), '!=');
  assert.equal(textOf(source, dapr!.value), "'x'");

  const step = first!.steps[1]!;
  assert.equal(textOf(source, step.filters[0]!.operator), '>=');
  assert.equal(textOf(source, step.filters[0]!.value), '-1.5');
  assert.deepEqual(
    step.pseudos.map((p) => textOf(source, p)),
    [':nth_child( 2 )', ':last'],
  );
  const nth = step.pseudos[0]!;
  assert.ok(nth.name === 'nth_child');
  assert.equal(textOf(source, nth.argument), '2');
  assert.equal(textOf(source, second!.steps[0]!.pseudos[0]!), ':first');
});

test('keys, operators and values are read into their meaning', () => {
  const ast = parsed(`span["dapr-app-id"='it\\'s' n>=-1.5 ok=true x contains "a\\\\d" y not-contains ''] span[]:nth_child(007)`);
  const filters = ast.chains[0]!.steps[0]!.filters;
  assert.deepEqual(
    filters.map((f) => [f.key.name, f.key.quoted, f.operator.operator, f.value.type, f.value.text]),
    [
      ['dapr-app-id', true, '=', 'string', "it's"],
      ['n', false, '>=', 'number', '-1.5'],
      ['ok', false, '=', 'boolean', 'true'],
      ['x', false, 'contains', 'string', 'a\\\\d'],
      ['y', false, 'not-contains', 'string', ''],
    ],
  );
  const pseudo = ast.chains[0]!.steps[1]!.pseudos[0]!;
  assert.ok(pseudo.name === 'nth_child');
  assert.equal(pseudo.n, 7);
});

test('the empty selector has no chains', () => {
  assert.deepEqual(parsed('').chains, []);
  assert.deepEqual(parsed(' \n ').chains, []);
});

test('words that are operators or values elsewhere can be keys', () => {
  const ast = parsed('span[contains contains "x" span="y" true=1 not-contains not-contains "z"]');
  assert.deepEqual(
    ast.chains[0]!.steps[0]!.filters.map((f) => [f.key.name, f.operator.operator]),
    [
      ['contains', 'contains'],
      ['span', '='],
      ['true', '='],
      ['not-contains', 'not-contains'],
    ],
  );
});

test('steps need no whitespace between them and keys may be unicode identifiers', () => {
  const ast = parsed('span[]span[größe=1 名前="x"]');
  assert.equal(ast.chains[0]!.steps.length, 2);
  assert.deepEqual(
    ast.chains[0]!.steps[1]!.filters.map((f) => f.key.name),
    ['größe', '名前'],
  );
});

test('a quoted string keeps every backslash that does not precede its own quote', () => {
  const value = (source: string) => parsed(source).chains[0]!.steps[0]!.filters[0]!.value.text;
  assert.equal(value(String.raw`span[x="a\'b"]`), String.raw`a\'b`);
  assert.equal(value(String.raw`span[x='a\"b']`), String.raw`a\"b`);
  assert.equal(value(String.raw`span[x="a\\""]`), String.raw`a\"`);
  assert.equal(value(String.raw`span[x="\n\t\u0041"]`), String.raw`\n\t\u0041`);
});
