// Helpers for the expression tests: a span with given attributes, a context, and one-line checks.
import assert from 'node:assert/strict';
import type { AssertionOutcome, EvalContext, ExpressionError } from '../../../src/core/expression';
import { displayValue, evaluateAssertion, evaluateExpression, parseAssertion, parseExpression } from '../../../src/core/expression';
import type { Span } from '../../../src/core/trace/model';
import type { SpanSpec } from '../../support/trace-builder';
import { TraceBuilder } from '../../support/trace-builder';

/** The one non-trigger span of a trace holding a span `name` with the given attributes. */
export function spanWith(attrs: Record<string, string | number | boolean> = {}, spec: SpanSpec = {}, name = 'GET /pokemon'): Span {
  return new TraceBuilder().span(name, { ...spec, attrs }).build().spans[1]!;
}

export function context(overrides: Partial<EvalContext> = {}): EvalContext {
  return { span: spanWith(), selector: 'span[name="GET /pokemon"]', selectedCount: 1, variables: new Map(), ...overrides };
}

export function outcome(assertion: string, ctx: EvalContext = context()): AssertionOutcome {
  const parsed = parseAssertion(assertion);
  assert.ok(parsed.ok, `${assertion} should parse: ${parsed.ok ? '' : parsed.error.message}`);
  return evaluateAssertion(parsed.value, ctx);
}

export function holds(assertion: string, ctx?: EvalContext): AssertionOutcome {
  const o = outcome(assertion, ctx);
  assert.equal(o.status, 'passed', `${assertion} should pass: ${JSON.stringify(o)}`);
  return o;
}

export function fails(assertion: string, ctx?: EvalContext): AssertionOutcome {
  const o = outcome(assertion, ctx);
  assert.equal(o.status, 'failed', `${assertion} should fail: ${JSON.stringify(o)}`);
  return o;
}

export function errors(assertion: string, ctx?: EvalContext): ExpressionError {
  const o = outcome(assertion, ctx);
  assert.equal(o.status, 'errored', `${assertion} should error: ${JSON.stringify(o)}`);
  assert.ok(o.error);
  return o.error as ExpressionError;
}

/** The displayed value of a lone expression, which must evaluate. */
export function shown(expression: string, ctx: EvalContext = context()): string {
  const parsed = parseExpression(expression);
  assert.ok(parsed.ok, `${expression} should parse: ${parsed.ok ? '' : parsed.error.message}`);
  const value = evaluateExpression(parsed.value, ctx);
  assert.ok(value.ok, `${expression} should evaluate: ${value.ok ? '' : value.error.message}`);
  return displayValue(value.value);
}

export function parseErrorOf(assertion: string): ExpressionError {
  const parsed = parseAssertion(assertion);
  assert.ok(!parsed.ok, `${assertion} should not parse`);
  return parsed.error;
}

export { seededRandom } from '../../support/random';
