// Parse errors: what was expected, what was found, and where (line and column, offset and length).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseError } from './support';

interface Case {
  selector: string;
  message: string;
  line: number;
  column: number;
  length: number;
}

const CASES: Case[] = [
  { selector: 'span[name="POST /pokemon"', message: 'expected `]` but found end of selector at 1:26', line: 1, column: 26, length: 0 },
  {
    selector: 'span[]:second',
    message: 'unknown pseudo-class `:second` at 1:7 (expected :first, :last or :nth_child(n))',
    line: 1,
    column: 7,
    length: 7,
  },
  { selector: 'span[name="abc]', message: 'unterminated string starting at 1:11', line: 1, column: 11, length: 5 },
  { selector: "span[name='it\\']", message: 'unterminated string starting at 1:11', line: 1, column: 11, length: 6 },
  { selector: 'spam[]', message: 'expected `span[` but found `spam` at 1:1', line: 1, column: 1, length: 4 },
  { selector: 'span', message: 'expected `[` after `span` but found end of selector at 1:5', line: 1, column: 5, length: 0 },
  { selector: 'span[]  ,  ', message: 'expected `span[` after `,` but found end of selector at 1:12', line: 1, column: 12, length: 0 },
  { selector: ', span[]', message: 'expected `span[` but found `,` at 1:1', line: 1, column: 1, length: 1 },
  { selector: 'span[]]', message: 'expected `span[`, `,`, a pseudo-class or end of selector but found `]` at 1:7', line: 1, column: 7, length: 1 },
  { selector: 'span[] div[]', message: 'expected `span[`, `,`, a pseudo-class or end of selector but found `div` at 1:8', line: 1, column: 8, length: 3 },
  {
    selector: 'span[name]',
    message: 'expected an operator (=, !=, contains, not-contains, <, <=, >, >=) after `name` but found `]` at 1:10',
    line: 1,
    column: 10,
    length: 1,
  },
  {
    selector: 'span[name contain "x"]',
    message: 'expected an operator (=, !=, contains, not-contains, <, <=, >, >=) after `name` but found `contain` at 1:11',
    line: 1,
    column: 11,
    length: 7,
  },
  { selector: 'span[name=]', message: 'expected a value (a quoted string, a number, true or false) but found `]` at 1:11', line: 1, column: 11, length: 1 },
  {
    selector: 'span[name=POST]',
    message: 'expected a value (a quoted string, a number, true or false) but found `POST` at 1:11 (quote text: "POST")',
    line: 1,
    column: 11,
    length: 4,
  },
  {
    selector: 'span[a==1]',
    message: 'expected a value (a quoted string, a number, true or false) but found `=` at 1:8 (use a single `=`)',
    line: 1,
    column: 8,
    length: 1,
  },
  { selector: 'span[a="1",]', message: 'expected an attribute key after `,` but found `]` at 1:12', line: 1, column: 12, length: 1 },
  { selector: 'span[,a="1"]', message: 'expected an attribute key or `]` but found `,` at 1:6', line: 1, column: 6, length: 1 },
  { selector: 'span[a="1" )', message: 'expected an attribute key, `,` or `]` but found `)` at 1:12', line: 1, column: 12, length: 1 },
  {
    selector: 'span[a.b..c=1]',
    message: 'invalid key `a.b..c` at 1:6 (a key is names joined by dots, like http.status_code; quote any other key: "a.b..c")',
    line: 1,
    column: 6,
    length: 6,
  },
  { selector: 'span[a<"abc"]', message: '`<` compares numbers but string "abc" is not a number at 1:8', line: 1, column: 8, length: 5 },
  { selector: 'span[a>=true]', message: '`>=` compares numbers but `true` is not a number at 1:9', line: 1, column: 9, length: 4 },
  {
    selector: 'span[]:',
    message: 'expected a pseudo-class (:first, :last or :nth_child(n)) after `:` but found end of selector at 1:8',
    line: 1,
    column: 8,
    length: 0,
  },
  { selector: 'span[]:nth_child', message: 'expected `(` after `:nth_child` but found end of selector at 1:17', line: 1, column: 17, length: 0 },
  {
    selector: 'span[]:nth_child(0)',
    message: '`:nth_child` needs a positive integer (1 is the first span) but found `0` at 1:18',
    line: 1,
    column: 18,
    length: 1,
  },
  {
    selector: 'span[]:nth_child(-1)',
    message: '`:nth_child` needs a positive integer (1 is the first span) but found `-1` at 1:18',
    line: 1,
    column: 18,
    length: 2,
  },
  {
    selector: 'span[]:nth_child(1.5)',
    message: '`:nth_child` needs a positive integer (1 is the first span) but found `1.5` at 1:18',
    line: 1,
    column: 18,
    length: 3,
  },
  {
    selector: 'span[]:nth_child("2")',
    message: '`:nth_child` needs a positive integer (1 is the first span) but found string "2" at 1:18',
    line: 1,
    column: 18,
    length: 3,
  },
  {
    selector: 'span[]:nth_child()',
    message: '`:nth_child` needs a positive integer (1 is the first span) but found `)` at 1:18',
    line: 1,
    column: 18,
    length: 1,
  },
  { selector: 'span[]:nth_child(2', message: 'expected `)` after `:nth_child(2` but found end of selector at 1:19', line: 1, column: 19, length: 0 },
  { selector: 'span[a="1" ! b="2"]', message: 'unexpected `!` at 1:12 (did you mean `!=`?)', line: 1, column: 12, length: 1 },
  { selector: 'span[] @', message: 'unexpected character `@` at 1:8', line: 1, column: 8, length: 1 },
  { selector: 'span[]\u0007', message: 'unexpected character U+0007 at 1:7', line: 1, column: 7, length: 1 },
  { selector: 'span[]😀', message: 'unexpected character `😀` at 1:7', line: 1, column: 7, length: 2 },
];

for (const c of CASES) {
  test(`error for ${JSON.stringify(c.selector)}: ${c.message}`, () => {
    const error = parseError(c.selector);
    assert.equal(error.message, c.message);
    assert.deepEqual([error.line, error.column, error.length], [c.line, c.column, c.length]);
    assert.equal(error.offset, c.column - 1, 'single-line selectors: offset is column − 1');
  });
}

test('the first error wins: a syntax error before an unterminated string is reported, not the string', () => {
  const error = parseError('span[a=POST b="unterminated');
  assert.match(error.message, /found `POST` at 1:8/);
});

test('errors in multi-line selectors report line and column', () => {
  const selector = 'span[name="POST /pokemon"]\n  span[\n    http.method = POST\n  ]';
  const error = parseError(selector);
  assert.deepEqual([error.line, error.column, error.offset, error.length], [3, 19, selector.indexOf('POST\n'), 4]);
  assert.match(error.message, / at 3:19 /);
});

test('an unterminated string in a block scalar points at its opening quote', () => {
  const selector = 'span[tracetest.span.type="http"]\n\nspan[name = "GET /\n  pokemon]';
  const error = parseError(selector);
  assert.equal(error.message, 'unterminated string starting at 3:13');
  assert.deepEqual([error.line, error.column, error.offset, error.length], [3, 13, selector.indexOf('"GET'), selector.length - selector.indexOf('"GET')]);
});

test('a missing `]` on the last line points at the end of the selector', () => {
  const selector = 'span[name="a"]\r\n  span[kind="client"';
  const error = parseError(selector);
  assert.deepEqual([error.line, error.column, error.offset, error.length], [2, 21, selector.length, 0]);
  assert.equal(error.message, 'expected `]` but found end of selector at 2:21');
});

test('long words and strings are shortened in messages', () => {
  const error = parseError(`span[name=${'x'.repeat(500)}]`);
  assert.ok(error.message.length < 200, error.message);
  assert.equal(error.length, 500);
});
