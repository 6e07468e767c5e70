// language.md §3: quoting rule and `${expr}` interpolation inside quoted strings.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseAssertion } from '../../../src/core/expression';
import { context, holds, parseErrorOf, shown, spanWith } from './support';

describe('quoting', () => {
  test("'it\\'s': a backslash before the enclosing quote stands for that quote", () => {
    assert.equal(shown("'it\\'s'"), "it's");
    assert.equal(shown('"say \\"hi\\""'), 'say "hi"');
  });

  test('every other backslash is kept as written', () => {
    assert.equal(shown("'a\\nb'"), 'a\\nb');
    assert.equal(shown("'C:\\temp'"), 'C:\\temp');
    assert.equal(shown('"it\\\'s"'), "it\\'s");
  });

  test('JSON inside single quotes keeps its own escapes', () => {
    holds('\'{"m": "say \\"hi\\""}\' | json_path \'$.m\' = \'say "hi"\'');
  });

  test("regular expressions keep theirs: '(\\d+)'", () => {
    holds("'order 123 shipped' | regex_group '(\\d+)' = 123");
    holds("'a.b' | regex '\\.' = '.'");
  });

  test('the other quote needs no escape', () => {
    assert.equal(shown('"it\'s"'), "it's");
    assert.equal(shown('\'say "hi"\''), 'say "hi"');
  });

  test('an unterminated string is a parse error at its opening quote', () => {
    const e = parseErrorOf('attr:x = "abc');
    assert.match(e.message, /unterminated string/);
    assert.equal(e.column, 10);
  });
});

describe('interpolation', () => {
  test('${expr} is replaced by the value of the expression', () => {
    holds('attr:text = \'this run took ${"25ms"}\'', context({ span: spanWith({ text: 'this run took 25ms' }) }));
  });

  test('several interpolations of numbers, strings and durations (durations as nanoseconds, as Tracetest did)', () => {
    holds(`'\${1} is a number, \${"dog"} is a string, and \${1ms + 1ns} is a duration' = '1 is a number, dog is a string, and 1000001 is a duration'`);
  });

  test('attributes, variables and filters inside ${}', () => {
    const ctx = context({ span: spanWith({ amount: 30, body: '{"id": 8}' }), variables: new Map([['USER', 'ash']]) });
    holds('"Could not withdraw ${attr:amount}, ${var:USER}" = "Could not withdraw 30, ash"', ctx);
    holds('"id=${attr:body | json_path \'$.id\'}" = "id=8"', ctx);
  });

  test('the selected span count interpolates', () => {
    holds('"Selected matched ${attr:tracetest.selected_spans.count} spans" = "Selected matched 2 spans"', context({ selectedCount: 2 }));
  });

  test('a string quoted like the enclosing one works inside ${}, escaped or not', () => {
    const ctx = context({ span: spanWith({ body: '{"id": 8}' }) });
    holds("'${attr:body | json_path \\'$.id\\'}' = 8", ctx);
    holds("'${attr:body | json_path '$.id'}' = 8", ctx);
  });

  test('the interpolated text is typed again: "${1}00" is the number 100', () => {
    holds('"${1}00" > 99');
  });

  test('interpolation nests', () => {
    assert.equal(shown('"a${"b${"c"}"}"'), 'abc');
  });

  test('a lone $ or { is plain text', () => {
    assert.equal(shown("'$48.52 {x}'"), '$48.52 {x}');
  });

  test('an unclosed ${ is a parse error at the ${', () => {
    const e = parseErrorOf('attr:x = "a ${attr:y"');
    assert.match(e.message, /expected `}`/);
    assert.equal(e.column, 13);
  });

  test('an empty ${} is a parse error', () => {
    assert.match(parseErrorOf('attr:x = "a ${}"').message, /empty `\$\{\}`/);
  });

  test('a parse error inside ${} points into the string', () => {
    const e = parseErrorOf('attr:x = "a ${1 +}"');
    assert.equal(e.column, 18);
  });

  test('${} outside a string is a parse error that says so', () => {
    assert.match(parseErrorOf('${var:X} = 1').message, /only works inside a quoted string/);
  });

  test('interpolated expressions carry offsets into the assertion text', () => {
    const parsed = parseAssertion('"x ${var:ID}" = "x 1"');
    assert.ok(parsed.ok);
    const left = parsed.value.left;
    assert.equal(left.kind, 'string');
    if (left.kind !== 'string') return;
    const part = left.parts[1]!;
    assert.equal(part.kind, 'interpolation');
    if (part.kind !== 'interpolation') return;
    assert.deepEqual({ offset: part.offset, length: part.length }, { offset: 3, length: 9 });
    assert.deepEqual({ kind: part.expr.kind, offset: part.expr.offset, length: part.expr.length }, { kind: 'var', offset: 5, length: 6 });
  });
});
