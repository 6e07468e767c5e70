// Fuzzing: random and mutated assertions, expressions and templates must each come back as a clean Result or
// outcome, never throw and never hang. Reproduce a failure with FUZZ_SEED=<seed> (printed with the input).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EvalContext, ExpressionError } from '../../../src/core/expression';
import { evaluateAssertion, evaluateExpression, parseAssertion, parseExpression, parseTemplate, renderTemplate } from '../../../src/core/expression';
import { context, seededRandom, spanWith } from './support';

const SEED = Number(process.env.FUZZ_SEED ?? 20240229);
const CASES = 4000;

const VALID = [
  'attr:http.status_code = 200',
  'attr:tracetest.response.body | json_path \'$.id\' = "143"',
  'attr:tracetest.span.duration <= 25ms',
  '2 + 3 * 4 = 14',
  '(2 + 3) * 4 = 20',
  '1.5 > 1',
  "'it\\'s' = \"it's\"",
  '\'{"m": "say \\"hi\\""}\' | json_path \'$.m\' = \'say "hi"\'',
  "'order 123' | regex_group '(\\d+)' = 123",
  '[31,35,39] contains 35',
  'attr:body contains \'{"items": [{"x": 3}]}\'',
  "attr:body | json_path '$.items[*].x' | get_index 'last' = 3",
  '"héllo" | length = 5',
  '"${attr:tracetest.selected_spans.count} spans" = "1 spans"',
  "'${attr:body | json_path \\'$.id\\'}' = 8",
  'var:X + 1 = 42',
  'randomInt(1, 5) <= 5',
  "date('YYYY') != dateTime()",
  'uuid() | length = 36',
  '["number", "string"] contains attr:x | type',
  'attr:tracetest.selected_spans.count = 0',
  '100ms + 200ms = 300ms',
  'attr:list not-contains 4',
  '${var:X}/pokemon?take=${HOME}&id=${uuid()}',
  '{"id": "${var:X + 1}", "name": "${firstName()}"}',
];

const PIECES = [
  'attr:',
  'var:',
  'env:',
  'attr:x',
  'attr:body',
  'var:X',
  'env:D',
  '=',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  'contains',
  'not-contains',
  '+',
  '-',
  '*',
  '/',
  '(',
  ')',
  '[',
  ']',
  ',',
  '|',
  '${',
  '}',
  '"',
  "'",
  '\\',
  "\\'",
  'json_path',
  'regex',
  'regex_group',
  'get_index',
  'length',
  'type',
  "'last'",
  "'$.id'",
  "'$..*'",
  "'(\\d+)'",
  'uuid()',
  'randomInt(',
  'date(',
  '0',
  '1.5',
  '25ms',
  '3 s',
  '007',
  '"1e400"',
  "'-5'",
  '"1e-7"',
  ' ',
  '\n',
  '\t',
  'true',
  'nope',
  '😀',
  'é',
  '\u0000',
  '\ud800',
  '$',
  '{',
  ':',
  '.',
  '==',
  '!',
  'not',
  '-contains',
];

function pick<T>(list: readonly T[], random: () => number): T {
  return list[Math.floor(random() * list.length)]!;
}

function randomUnicode(random: () => number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) {
    const r = random();
    if (r < 0.5) s += String.fromCharCode(32 + Math.floor(random() * 95));
    else if (r < 0.8) s += String.fromCharCode(Math.floor(random() * 0xffff));
    else s += String.fromCodePoint(0x10000 + Math.floor(random() * 0x10ffff - 0x10000));
  }
  return s;
}

function mutate(input: string, random: () => number): string {
  let s = input;
  const edits = 1 + Math.floor(random() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(random() * (s.length + 1));
    const r = random();
    if (r < 0.3) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(random() * 5));
    else if (r < 0.6) s = s.slice(0, at) + pick(PIECES, random) + s.slice(at);
    else if (r < 0.75) s = s.slice(0, at) + randomUnicode(random, 1 + Math.floor(random() * 3)) + s.slice(at);
    else if (r < 0.9) {
      const from = Math.floor(random() * s.length);
      s = s.slice(0, at) + s.slice(from, from + Math.floor(random() * 12)) + s.slice(at);
    } else s = s.split('').reverse().join('');
  }
  return s;
}

function nested(random: () => number): string {
  const n = 1 + Math.floor(random() * 1000);
  switch (Math.floor(random() * 8)) {
    case 0:
      return `${'('.repeat(n)}1${')'.repeat(n)} = 1`;
    case 6:
      return `'${'['.repeat(n)}1${']'.repeat(n)}' | json_path '$..*' | length > 0`;
    case 7:
      return `'${'{"a":'.repeat(n)}1${'}'.repeat(n)}' contains '{"a": {"a": 1}}'`;
    case 1:
      return `${'['.repeat(n)}1${']'.repeat(n)} contains 1`;
    case 2:
      return `${'"${'.repeat(n)}1${'}"'.repeat(n)} = 1`;
    case 3:
      return `${Array.from({ length: n }, () => '1').join(' + ')} = ${n}`;
    case 4:
      return `${'uuid('.repeat(n)}${')'.repeat(n)}`;
    default:
      return `${'('.repeat(n)}`;
  }
}

function long(random: () => number): string {
  const n = 1000 + Math.floor(random() * 20_000);
  switch (Math.floor(random() * 5)) {
    case 0:
      return `'${'a'.repeat(n)}' | length = ${n}`;
    case 1:
      return `${'9'.repeat(n)} > ${'9'.repeat(n - 1)}`;
    case 2:
      return `attr:${'a.'.repeat(n / 2)}x = 1`;
    case 3:
      return `'${'x'.repeat(n)}' contains "${'x'.repeat(100)}"`;
    default:
      return `${'${var:X}'.repeat(n / 8)}`;
  }
}

function generate(random: () => number): string {
  const r = random();
  if (r < 0.55) return mutate(pick(VALID, random), random);
  if (r < 0.75) return Array.from({ length: 1 + Math.floor(random() * 12) }, () => pick(PIECES, random)).join(random() < 0.5 ? ' ' : '');
  if (r < 0.88) return randomUnicode(random, Math.floor(random() * 40));
  if (r < 0.95) return nested(random);
  return long(random);
}

const BODY = '{"id": 8, "items": [{"x": 1}, {"x": 3}], "name": "john"}';

function contexts(random: () => number): EvalContext[] {
  const variables = new Map([
    ['X', '41'],
    ['D', '25ms'],
  ]);
  const common = { random, now: () => new Date(Date.UTC(2024, 1, 29)), processEnv: (n: string) => (n === 'HOME' ? '/root' : undefined), variables };
  return [
    context({ ...common, span: spanWith({ body: BODY, list: '[1,2,3]', x: 'x', 'http.status_code': 200 }, { durationNs: 25_187_564n }) }),
    context({ ...common, span: undefined, selectedCount: 0 }),
  ];
}

function checkError(input: string, error: ExpressionError): void {
  assert.equal(typeof error.message, 'string');
  assert.ok(error.message.length > 0, 'an error has a message');
  assert.ok(error.offset >= 0 && error.offset <= input.length, `offset ${error.offset} outside the input`);
  assert.ok(error.length >= 0, 'length is not negative');
  assert.ok(error.line >= 1 && error.column >= 1, 'line and column are 1-based');
}

function exercise(input: string, ctxs: EvalContext[]): void {
  const assertion = parseAssertion(input);
  if (!assertion.ok) checkError(input, assertion.error);
  else {
    for (const ctx of ctxs) {
      const o = evaluateAssertion(assertion.value, ctx);
      assert.ok(['passed', 'failed', 'errored'].includes(o.status));
      assert.equal(typeof o.observed, 'string');
      assert.equal(typeof o.expected, 'string');
      if (o.status === 'errored') checkError(input, o.error as ExpressionError);
    }
  }
  const expression = parseExpression(input);
  if (!expression.ok) checkError(input, expression.error);
  else {
    for (const ctx of ctxs) {
      const v = evaluateExpression(expression.value, ctx);
      if (!v.ok) checkError(input, v.error);
    }
  }
  const template = parseTemplate(input);
  if (!template.ok) checkError(input, template.error);
  else {
    for (const ctx of ctxs) {
      const out = renderTemplate(template.value, ctx);
      if (!out.ok) checkError(input, out.error);
      else assert.equal(typeof out.value, 'string');
    }
  }
}

// No time is asserted per case (a loaded machine would fail it); a case that blew up (exponential backtracking) would
// keep the test past its timeout.
test(`${CASES} random and mutated inputs each give a clean result (seed ${SEED})`, { timeout: 60_000 }, () => {
  const random = seededRandom(SEED);
  const ctxs = contexts(seededRandom(SEED + 1));
  for (const valid of VALID) exercise(valid, ctxs);
  for (let i = 0; i < CASES; i++) {
    const input = generate(random);
    try {
      exercise(input, ctxs);
    } catch (e) {
      assert.fail(`case ${i} with seed ${SEED} failed on input ${JSON.stringify(input.slice(0, 500))}: ${(e as Error).stack}`);
    }
  }
});
