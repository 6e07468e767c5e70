// Any text, valid or not, gets a clean Result: no exception, no hang (each test has a timeout; no time is asserted per
// case, which a loaded machine would fail), an error that points inside the text.
// Failures print the seed; rerun with TRACELENS_SEED=<seed> to reproduce.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatSelector, matchSelector, parseSelector } from '../../../src/core/selector';
import { positionAt } from '../../../src/core/text-position';
import { random, testSeed } from './prng';
import type { Random } from './prng';
import { pokeshopTrace, shape } from './support';

const trace = pokeshopTrace();

const VALID = [
  '',
  'span[]',
  'span[tracetest.span.type="http" name="POST /pokemon" http.method="POST"]',
  'span[tracetest.span.type="database" name="count pokeshop.pokemon" db.system="postgres" db.operation="count"]',
  "span['dapr-app-id' != 'it\\'s', n >= -1.5 ok=true]",
  'span[name contains "pokemon" name not-contains "queue"]:last',
  'span[name="POST /pokemon"] span[kind="client"]:nth_child(2), span[]:first',
  'span[http.status_code<300]\n  span[messaging.destination_kind="topic"]\n  span[rpc.grpc.status_code=0]',
  'span["odd key"="say \\"hi\\"" x=\'(\\d+)\']',
];

const PIECES = [
  'span',
  '[',
  ']',
  '"',
  "'",
  '\\',
  '=',
  '==',
  '!=',
  '!',
  '<',
  '<=',
  '>',
  '>=',
  'contains',
  'not-contains',
  ':',
  ':first',
  ':last',
  ':nth_child(',
  '(',
  ')',
  ',',
  ' ',
  '  ',
  '\n',
  '\r\n',
  '\t',
  'name',
  'http.status_code',
  '.',
  '..',
  '-',
  '+',
  '1',
  '0',
  '-1.5',
  '0.5',
  '1e3',
  'true',
  'false',
  '"x"',
  "'y'",
  '😀',
  '\u0000',
  '\u0007',
  '\ud800',
  '\udc00',
  'é',
  '名',
  '\u2028',
  '\u00a0',
  '\ufeff',
  '@',
  '#',
  '$',
  '`',
  '{',
  '}',
  '/',
  '*',
];

test('mutations of valid selectors always return a clean Result', { timeout: 60_000 }, () => {
  const seed = testSeed(7_3571);
  const rng = random(seed);
  for (let i = 0; i < 4000; i++) check(mutate(rng, rng.pick(VALID)), seed, `mutation ${i}`);
});

test('random selector-like text always returns a clean Result', { timeout: 60_000 }, () => {
  const seed = testSeed(42_4242);
  const rng = random(seed);
  for (let i = 0; i < 2500; i++) {
    const parts = Array.from({ length: 1 + rng.int(30) }, () => (rng.chance(0.15) ? randomChar(rng) : rng.pick(PIECES)));
    check(parts.join(''), seed, `random ${i}`);
  }
});

test('huge and deeply repetitive inputs get a clean Result too', { timeout: 60_000 }, () => {
  const cases: Array<[string, string]> = [
    ['20k chained steps', 'span[] '.repeat(20_000)],
    ['50k open brackets', '['.repeat(50_000)],
    ['20k unclosed steps', 'span['.repeat(20_000)],
    ['200k-character value', `span[a="${'x'.repeat(200_000)}"]`],
    ['50k escaped quotes, unterminated', `span[a="${'\\"'.repeat(50_000)}`],
    ['20k pseudo-classes', `span[]${':first'.repeat(20_000)}`],
    ['20k filters', `span[${'a=1 '.repeat(20_000)}]`],
    ['20k union members', `${'span[],'.repeat(20_000)}span[]`],
    ['100k-segment key', `span[${'a.'.repeat(50_000)}a=1]`],
    ['100k newlines then an error', `${'\n'.repeat(100_000)}@`],
    ['50k nested parentheses', `span[]:nth_child${'('.repeat(50_000)}`],
    ['100k-digit number', `span[n=${'9'.repeat(100_000)}]`],
    ['100k-digit nth_child', `span[]:nth_child(${'9'.repeat(100_000)})`],
  ];
  const seed = testSeed(1);
  for (const [label, text] of cases) check(text, seed, label);
});

test('the fuzz checks catch a malformed error', () => {
  assert.throws(() => assertWellFormed('span[', { ok: false, error: { message: 'x', offset: 9, length: 0, line: 1, column: 10 } }, 'self-test'));
});

function check(text: string, seed: number, label: string): void {
  const context = `seed ${seed}, ${label}: ${describe(text)}`;
  let result: ReturnType<typeof parseSelector>;
  try {
    result = parseSelector(text);
  } catch (error) {
    assert.fail(`parseSelector threw (${String(error)}); ${context}`);
  }
  assertWellFormed(text, result, context);
  if (!result.ok) return;
  try {
    const spans = matchSelector(trace, result.value);
    const again = parseSelector(formatSelector(result.value));
    assert.ok(again.ok, `the printed selector does not parse: ${again.ok ? '' : again.error.message}; ${context}`);
    assert.deepEqual(shape(again.value), shape(result.value), context);
    assert.deepEqual(matchSelector(trace, again.value), spans, context);
  } catch (error) {
    if (error instanceof assert.AssertionError) throw error;
    assert.fail(`matching or printing threw (${String(error)}); ${context}`);
  }
}

function assertWellFormed(text: string, result: ReturnType<typeof parseSelector>, context: string): void {
  if (result.ok) return;
  const { message, offset, length, line, column } = result.error;
  assert.ok(message.length > 0, `empty message; ${context}`);
  assert.ok(offset >= 0 && length >= 0 && offset + length <= text.length, `error range ${offset}+${length} outside the text; ${context}`);
  const position = positionAt(text, offset);
  assert.deepEqual([line, column], [position.line, position.column], `line/column do not match the offset; ${context}`);
  assert.ok(message.includes(`${line}:${column}`), `message does not say where: ${message}; ${context}`);
}

function mutate(rng: Random, text: string): string {
  let out = text;
  const edits = 1 + rng.int(4);
  for (let e = 0; e < edits; e++) {
    const at = rng.int(out.length + 1);
    switch (rng.int(7)) {
      case 0:
        out = out.slice(0, at) + rng.pick(PIECES) + out.slice(at);
        break;
      case 1:
        out = out.slice(0, at) + out.slice(at + 1 + rng.int(4));
        break;
      case 2:
        out = out.slice(0, at) + randomChar(rng) + out.slice(at + 1);
        break;
      case 3:
        out = out.slice(0, at) + out.slice(at, at + rng.int(20)).repeat(1 + rng.int(50)) + out.slice(at + 20);
        break;
      case 4:
        out = out.slice(0, at);
        break;
      case 5: {
        const other = rng.int(out.length + 1);
        out = out.slice(0, Math.min(at, other)) + out.slice(Math.max(at, other)) + out.slice(Math.min(at, other), Math.max(at, other));
        break;
      }
      default:
        out = out.slice(0, at) + randomChar(rng) + out.slice(at);
    }
  }
  return out;
}

/** Any code unit, lone surrogates and control characters included, or an astral character. */
function randomChar(rng: Random): string {
  if (rng.chance(0.2)) return String.fromCodePoint(0x10000 + rng.int(0xfffff));
  return String.fromCharCode(rng.int(rng.chance(0.5) ? 128 : 0x10000));
}

function describe(text: string): string {
  return text.length <= 300 ? JSON.stringify(text) : `${JSON.stringify(text.slice(0, 300))}… (${text.length} characters)`;
}
