// language.md §3: errors are reported per assertion as errors (not failures), with the offending text and column.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseAssertion, parseExpression } from '../../../src/core/expression';
import { context, errors, outcome, parseErrorOf, spanWith } from './support';

describe('error kinds and columns', () => {
  test('a missing attribute is an error naming it, pointing at the reference', () => {
    const e = errors('attr:http.status_code = 200', context({ span: spanWith({}) }));
    assert.equal(e.kind, 'missing-attribute');
    assert.match(e.message, /span "GET \/pokemon" has no attribute `http.status_code` at 1:1/);
    assert.deepEqual([e.column, e.length], [1, 21]);
  });

  test('a missing attribute on the right side points there', () => {
    const e = errors('200 = attr:http.status_code', context({ span: spanWith({}) }));
    assert.equal(e.column, 7);
  });

  test('a missing variable is an error naming it', () => {
    const e = errors('attr:x = var:user_id', context({ span: spanWith({ x: 1 }) }));
    assert.equal(e.kind, 'missing-variable');
    assert.match(e.message, /variable `user_id` is not set at 1:10/);
    assert.deepEqual([e.column, e.length], [10, 11]);
  });

  test('env: reads the same store and reports the same way', () => {
    assert.equal(errors('env:NOPE = 1').kind, 'missing-variable');
    assert.equal(outcome('env:HOST = "x"', context({ variables: new Map([['HOST', 'x']]) })).status, 'passed');
  });

  test('a parse error says what was expected and where', () => {
    const e = parseErrorOf('attr:x = [1, 2');
    assert.equal(e.kind, 'parse');
    assert.match(e.message, /expected `,` or `]`, found the end at 1:15/);
    assert.equal(e.column, 15);
  });

  test('a missing comparator', () => {
    const e = parseErrorOf('attr:x "200"');
    assert.match(e.message, /expected a comparator .*, found `"200"` at 1:8/);
  });

  test('== and a lone ! get a hint', () => {
    assert.match(parseErrorOf('attr:x == 1').message, /single `=`/);
    assert.match(parseErrorOf('attr:x ! 1').message, /did you mean `!=`/);
  });

  test('an unquoted word gets a hint', () => {
    const e = parseErrorOf('attr:validation.is_valid = true');
    assert.match(e.message, /unexpected word `true` \(text needs quotes/);
    assert.equal(e.column, 28);
  });

  test('an unknown prefix is named', () => {
    assert.match(parseErrorOf('span:x = 1').message, /unknown prefix `span:`/);
  });

  test('a reference without a name', () => {
    const e = parseErrorOf('attr: = 1');
    assert.match(e.message, /expected a name after `attr:`/);
    assert.equal(e.column, 6);
  });

  test('an unexpected character is shown whole, even outside the BMP', () => {
    const e = parseErrorOf('attr:x = 😀');
    assert.match(e.message, /unexpected character `😀`/);
    assert.equal(e.length, 2);
  });

  test('a type error points at the non-number operand', () => {
    const e = errors('attr:name > 5');
    assert.equal(e.kind, 'type');
    assert.equal(e.column, 1);
    assert.match(e.message, /`GET \/pokemon` is not a number/);
  });

  test('errors on a later line of a multi-line assertion count lines', () => {
    const e = parseErrorOf('attr:x =\n  nope()');
    assert.deepEqual([e.line, e.column], [2, 3]);
  });

  test('an output value is one expression: a comparison there is a parse error', () => {
    const parsed = parseExpression('attr:x = 1');
    assert.ok(!parsed.ok);
    assert.match(parsed.error.message, /expected the end of the expression, found `=`/);
  });

  test('an empty assertion is a parse error at its start', () => {
    const parsed = parseAssertion('');
    assert.ok(!parsed.ok);
    assert.equal(parsed.error.column, 1);
  });

  test('nesting deeper than the limit is a parse error, not a crash', () => {
    const deep = `${'('.repeat(5000)}1${')'.repeat(5000)} = 1`;
    assert.match(parseErrorOf(deep).message, /nested more than 128 levels/);
    const chain = `${Array.from({ length: 5000 }, () => '1').join(' + ')} = 1`;
    assert.match(parseErrorOf(chain).message, /nested more than 128 levels/);
  });
});
