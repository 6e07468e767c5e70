// Every node carries its offset and length in the source, for hover, completion and colouring in the editor.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ExprNode } from '../../../src/core/expression';
import { childrenOf, parseAssertion, parseExpression } from '../../../src/core/expression';

/** Each node as `kind:text-it-covers`, in source order. */
function covered(text: string, root: ExprNode): string[] {
  const out = [`${root.kind}:${text.slice(root.offset, root.offset + root.length)}`];
  for (const child of childrenOf(root)) out.push(...covered(text, child));
  return out;
}

test('nodes of an assertion cover their text', () => {
  const text = 'attr:http.response.body | json_path \'$.id\' = "143"';
  const parsed = parseAssertion(text);
  assert.ok(parsed.ok);
  const a = parsed.value;
  assert.deepEqual(covered(text, a.left), ["filtered:attr:http.response.body | json_path '$.id'", 'attr:attr:http.response.body', "string:'$.id'"]);
  assert.equal(text.slice(a.comparatorOffset, a.comparatorOffset + a.comparatorLength), '=');
  assert.deepEqual(covered(text, a.right), ['string:"143"']);
  const left = a.left;
  assert.ok(left.kind === 'filtered');
  const filter = left.filters[0]!;
  assert.equal(text.slice(filter.offset, filter.offset + filter.length), "| json_path '$.id'");
  assert.equal(text.slice(filter.nameOffset, filter.nameOffset + filter.name.length), 'json_path');
  assert.ok(left.input.kind === 'attr');
  assert.equal(text.slice(left.input.nameOffset, left.input.nameOffset + left.input.name.length), 'http.response.body');
});

test('arithmetic nodes nest by precedence and record the operator', () => {
  const text = 'var:a + 2 * (3 - 1ms)';
  const parsed = parseExpression(text);
  assert.ok(parsed.ok);
  assert.deepEqual(covered(text, parsed.value.body), [
    'binary:var:a + 2 * (3 - 1ms)',
    'var:var:a',
    'binary:2 * (3 - 1ms)',
    'number:2',
    'group:(3 - 1ms)',
    'binary:3 - 1ms',
    'number:3',
    'duration:1ms',
  ]);
  const body = parsed.value.body;
  assert.ok(body.kind === 'binary');
  assert.equal(text[body.opOffset], '+');
});

test('calls, arrays and not-contains', () => {
  const text = '[randomInt(1, 2), "x"] not-contains date()';
  const parsed = parseAssertion(text);
  assert.ok(parsed.ok);
  assert.deepEqual(covered(text, parsed.value.left), ['array:[randomInt(1, 2), "x"]', 'call:randomInt(1, 2)', 'number:1', 'number:2', 'string:"x"']);
  assert.equal(parsed.value.comparator, 'not-contains');
  assert.equal(text.slice(parsed.value.comparatorOffset, parsed.value.comparatorOffset + parsed.value.comparatorLength), 'not-contains');
  assert.deepEqual(covered(text, parsed.value.right), ['call:date()']);
});

test('names may contain letters, digits, _ . and -', () => {
  const parsed = parseAssertion('attr:dapr-app-id = var:my.var_2');
  assert.ok(parsed.ok);
  assert.ok(parsed.value.left.kind === 'attr' && parsed.value.right.kind === 'var');
  assert.equal(parsed.value.left.name, 'dapr-app-id');
  assert.equal(parsed.value.right.name, 'my.var_2');
  assert.equal(parsed.value.right.store, 'var');
});

test('whitespace, newlines and no whitespace are all fine', () => {
  for (const text of ['attr:x=1', '  attr:x   =   1  ', 'attr:x\n=\n1', 'attr:x|length=1', "attr:x| json_path '$.a'=1"]) {
    assert.ok(parseAssertion(text).ok, text);
  }
});
