// language.md §3: when the selector selects no span, each assertion runs once against an empty span.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateExpression, parseExpression, parseTemplate, renderTemplate } from '../../../src/core/expression';
import { context, fails, holds } from './support';

const empty = context({ span: undefined, selectedCount: 0, selector: 'span[name="nope"]', variables: new Map([['X', '1']]) });

test('any attr: reference fails with "no span matched selector …"', () => {
  const o = fails('attr:http.status_code = 200', empty);
  assert.equal(o.message, 'no span matched selector span[name="nope"]');
  assert.equal(o.observed, '');
  assert.equal(o.expected, '200');
});

test('an attr: reference anywhere fails, even inside a string or on the right', () => {
  fails('var:X = "${attr:x}"', empty);
  fails('1 = attr:x | length', empty);
});

test('an attr: reference fails rather than errors, even next to an error', () => {
  fails('attr:x = var:MISSING', empty);
});

test('attr:tracetest.selected_spans.count = 0 passes', () => {
  const o = holds('attr:tracetest.selected_spans.count = 0', empty);
  assert.equal(o.observed, '0');
  fails('attr:tracetest.selected_spans.count > 0', empty);
});

test('assertions on variables evaluate normally', () => {
  holds('var:X = 1', empty);
  fails('var:X = 2', empty);
});

test('an output or template that reads an attribute without a span is an error', () => {
  const parsed = parseExpression('attr:x');
  assert.ok(parsed.ok);
  const value = evaluateExpression(parsed.value, empty);
  assert.ok(!value.ok);
  assert.equal(value.error.message, 'no span matched selector span[name="nope"], so `attr:x` has no value at 1:1');
  const template = parseTemplate('id=${attr:x}');
  assert.ok(template.ok);
  assert.ok(!renderTemplate(template.value, empty).ok);
});
