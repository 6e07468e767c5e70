// language.md §3: filters json_path, regex, regex_group, get_index, length, type.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { context, errors, holds, parseErrorOf, shown, spanWith } from './support';

const BODY = '{"id": 8, "name": "john doe", "array": [{"name": "john", "age": 37}, {"name": "jonas", "age": 38}]}';
const withBody = () => context({ span: spanWith({ 'tracetest.response.body': BODY }) });

describe('json_path', () => {
  test('one result is the value itself', () => {
    holds("attr:tracetest.response.body | json_path '$.id' = 8", withBody());
    holds('attr:tracetest.response.body | json_path \'$.name\' = "john doe"', withBody());
  });

  test('several results are an array', () => {
    holds("attr:tracetest.response.body | json_path '$.array[*].age' = [37, 38]", withBody());
    assert.equal(shown("attr:tracetest.response.body | json_path '$.array[*].name'", withBody()), '["john", "jonas"]');
  });

  test('no result is the empty value', () => {
    holds('attr:tracetest.response.body | json_path \'$.missing\' = ""', withBody());
    assert.equal(shown("attr:tracetest.response.body | json_path '$.missing' | type", withBody()), 'nil');
  });

  test('an object result is JSON text', () => {
    holds('\'{"a": {"b": 1}}\' | json_path \'$.a\' = \'{"b":1}\'');
    assert.equal(shown('\'{"a": {"b": 1}}\' | json_path \'$.a\' | type'), 'json');
  });

  test("the leading $ may be left out, as Tracetest allowed ('.age')", () => {
    holds('\'{ "name": "Jorge", "age": 27 }\' | json_path \'.age\' = 27');
  });

  test('the JSON-with-escapes example: say "hi"', () => {
    holds('\'{"m": "say \\"hi\\""}\' | json_path \'$.m\' = \'say "hi"\'');
  });

  test('filter expressions run in the safe evaluator', () => {
    holds('attr:tracetest.response.body | json_path \'$.array[?(@.age > 37)].name\' = "jonas"', withBody());
  });

  test('JSON nested deeper than 100 levels is an error, not a crash', () => {
    const deep = `'{"a": ${'['.repeat(20_000)}${']'.repeat(20_000)}}'`;
    assert.match(errors(`${deep} | json_path '$.a' = 1`).message, /nested more than 100 levels deep/);
  });

  test('input that is not JSON is an error at the filter name', () => {
    const e = errors("'not json' | json_path '$.id' = 1");
    assert.equal(e.kind, 'invalid-argument');
    assert.match(e.message, /json_path needs JSON/);
    assert.equal(e.column, 14);
  });
});

describe('regex and regex_group', () => {
  test('regex gives the match', () => {
    holds("'My account balance is $48.52' | regex '\\$\\d+(\\.\\d+)?' = '$48.52'");
  });

  test('regex with several matches gives an array', () => {
    holds("'a1 b22 c333' | regex '\\d+' = [1, 22, 333]");
  });

  test('regex with no match gives an empty array', () => {
    assert.equal(shown("'abc' | regex '\\d+' | length"), '0');
  });

  test('regex_group gives the groups of every match', () => {
    holds("'Hello Marcus, today you have 8 meetings' | regex_group 'Hello (\\w+), today you have (\\d+) meetings' = '[\"Marcus\", 8]'");
    holds('\'{ "name": "john", "age": 37 }\' | regex_group \'"age": (\\d+)\' = 37');
  });

  test('filters chain: regex_group then get_index', () => {
    holds('\'{ "array": [{ "name": "john", "age": 37 }, { "name": "jonas", "age": 38 }]}\' | regex_group \'"age": (\\d+)\' | get_index 1 = 38');
  });

  test("Go's inline flags and named groups are understood", () => {
    holds("'HELLO' | regex '(?i)hello' = 'HELLO'");
    holds("'id=42' | regex_group 'id=(?P<id>\\d+)' = 42");
  });

  test('an invalid regular expression is an error at the pattern', () => {
    const e = errors("'abc' | regex '(' = 1");
    assert.equal(e.kind, 'invalid-argument');
    assert.equal(e.column, 15);
  });
});

describe('get_index', () => {
  test('0-based index', () => {
    holds("'{ \"array\": [1, 2, 3] }' | json_path '$.array[*]' | get_index 1 = 2");
    holds('["this", "is", "sparta"] | get_index 0 = "this"');
  });

  test("'last' picks the last item", () => {
    holds("'{ \"array\": [1, 2, 5] }' | json_path '$.array[*]' | get_index 'last' = 5");
  });

  test('works on an array attribute', () => {
    holds('attr:ops | get_index 2 | type = "string"', context({ span: spanWith({ ops: '["a","b","c"]' }) }));
  });

  test('an index out of range is an error at the index', () => {
    const e = errors('[1, 2] | get_index 5 = 1');
    assert.match(e.message, /index 5 is out of range: the value has 2 items/);
    assert.equal(e.column, 20);
  });

  test('an index that is not a whole number is an error', () => {
    assert.match(errors("[1, 2] | get_index 'first' = 1").message, /whole number or 'last'/);
  });
});

describe('length', () => {
  test('of an array is its number of items', () => {
    holds("'{ \"array\": [1, 2, 3] }' | json_path '$.array[*]' | length = 3");
    holds('[1, 2, 3] | length = 3');
  });

  test('of "héllo" is 5: characters, not bytes', () => {
    holds('"héllo" | length = 5');
  });

  test('of an emoji is 1 code point', () => {
    holds('"😀" | length = 1');
    holds('"a😀b" | length = 3');
  });

  test('of a JSON array of objects is its number of objects', () => {
    holds('\'[{"key": "a"}, {"key": "b"}]\' | length = 2');
  });

  test('filters chain: get_index then length', () => {
    holds('["this", "is", "sparta"] | get_index 2 | length = 6');
  });
});

describe('type', () => {
  test('number, duration, string, array, json', () => {
    holds('2 | type = "number"');
    holds('2s | type = "duration"');
    holds('"something" | type = "string"');
    holds('[1, 2s, "this is a string"] | type = "array"');
    holds('\'{"a": 1}\' | type = "json"');
  });

  test('check a type against a list of types', () => {
    holds('["number", "string"] contains attr:my_attribute | type', context({ span: spanWith({ my_attribute: 'x' }) }));
  });
});

describe('filter names and arguments', () => {
  test('an unknown filter is an error naming it, at its name', () => {
    const e = parseErrorOf("attr:x | jsonpath '$.a' = 1");
    assert.equal(e.kind, 'unknown-filter');
    assert.match(e.message, /unknown filter `jsonpath`/);
    assert.equal(e.column, 10);
    assert.equal(e.length, 8);
  });

  test('a wrong number of arguments is a parse error', () => {
    assert.match(parseErrorOf('attr:x | json_path = 1').message, /takes 1 argument, got 0/);
    assert.match(parseErrorOf("attr:x | length 'a' = 1").message, /takes 0 arguments, got 1/);
  });

  test('a filter name is required after |', () => {
    assert.match(parseErrorOf('attr:x | = 1').message, /expected a filter name after `\|`/);
  });
});
