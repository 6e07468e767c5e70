// language.md §4: trigger fields are string templates.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EvalContext, ExpressionError } from '../../../src/core/expression';
import { parseTemplate, renderTemplate } from '../../../src/core/expression';
import { context, seededRandom } from './support';

function render(template: string, ctx: EvalContext = context()): string {
  const parsed = parseTemplate(template);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message);
  const out = renderTemplate(parsed.value, ctx);
  assert.ok(out.ok, out.ok ? '' : out.error.message);
  return out.value;
}

function renderError(template: string, ctx: EvalContext = context()): ExpressionError {
  const parsed = parseTemplate(template);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message);
  const out = renderTemplate(parsed.value, ctx);
  assert.ok(!out.ok, `${template} should not render`);
  return out.error as ExpressionError;
}

const vars = context({
  variables: new Map([
    ['POKESHOP_API_URL', 'http://demo-api:8081'],
    ['TOKEN', 'abc'],
    ['ID', '143'],
  ]),
});

describe('templates', () => {
  test('${var:NAME} is replaced by the variable', () => {
    assert.equal(render('${var:POKESHOP_API_URL}/pokemon?take=100&skip=0', vars), 'http://demo-api:8081/pokemon?take=100&skip=0');
  });

  test('${env:NAME} reads the same variable store', () => {
    assert.equal(render('Bearer ${env:TOKEN}', vars), 'Bearer abc');
  });

  test('any expression works in ${...}', () => {
    assert.equal(render('{"id": ${var:ID + 1}, "n": "${firstName()}"}', context({ ...vars, random: seededRandom(3) })).startsWith('{"id": 144, "n": "'), true);
    assert.equal(render('${"a" | length}'), '1');
  });

  test('bare ${NAME} reads the process environment', () => {
    const ctx = context({ processEnv: (name) => (name === 'HOME' ? '/home/ash' : undefined) });
    assert.equal(render('${HOME}/file', ctx), '/home/ash/file');
  });

  test('bare ${NAME} that is unset is empty', () => {
    assert.equal(render('[${NOT_SET}]', context({ processEnv: () => undefined })), '[]');
    assert.equal(render('[${NOT_SET}]'), '[]');
  });

  test('a missing variable is an error naming it, with its column', () => {
    const e = renderError('url: ${var:MISSING}/x', vars);
    assert.equal(e.kind, 'missing-variable');
    assert.match(e.message, /variable `MISSING` is not set at 1:8/);
    assert.equal(e.column, 8);
  });

  test('text outside ${} is literal: JSON, quotes, backslashes and lone $', () => {
    const body = '{"name": "it\\\'s \\"x\\"", "price": "$5", "re": "\\\\d+"}';
    assert.equal(render(body), body);
  });

  test('a template without ${} is its text', () => {
    const parsed = parseTemplate('{"id":143}');
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.value.parts, [{ kind: 'text', value: '{"id":143}', offset: 0, length: 10 }]);
  });

  test('strings inside ${} may hold any quote and a }', () => {
    assert.equal(render('x=${"}"}${\'"\'}'), 'x=}"');
  });

  test('an unclosed ${ is a parse error at its position', () => {
    const parsed = parseTemplate('abc ${var:X');
    assert.ok(!parsed.ok);
    assert.equal(parsed.error.column, 5);
    assert.match(parsed.error.message, /expected `}`/);
  });

  test('a syntax error inside ${} points at it', () => {
    const parsed = parseTemplate('abc ${var:X +}');
    assert.ok(!parsed.ok);
    assert.equal(parsed.error.column, 14);
  });

  test('parts carry their offsets', () => {
    const parsed = parseTemplate('a${HOME}b${var:X}');
    assert.ok(parsed.ok);
    assert.deepEqual(
      parsed.value.parts.map((p) => [p.kind, p.offset, p.length]),
      [
        ['text', 0, 1],
        ['process-env', 1, 7],
        ['text', 8, 1],
        ['interpolation', 9, 8],
      ],
    );
  });

  test('lines and columns count from the start of a multi-line body', () => {
    const e = renderError('{\n  "id": "${var:NOPE}"\n}', vars);
    assert.equal(e.line, 2);
    assert.equal(e.column, 12);
  });
});
