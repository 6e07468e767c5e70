// Evaluation of assertions, expressions and templates against one span and the run's variables (language.md §3, §4).
import type { Result, SourceError } from '../text-position';
import { spanValue } from '../trace/build';
import type { Span } from '../trace/model';
import { applyArithmetic } from './arithmetic';
import type { AssertionAst, AttributeNode, Comparator, ExprAst, ExprNode, TemplateAst, VariableNode } from './ast';
import { someNode } from './ast';
import { compare } from './compare';
import { durationNanoseconds } from './durations';
import type { Attempt, ExpressionError } from './errors';
import { fail, ok, quoted, toExpressionError } from './errors';
import { applyFilter } from './filters';
import { callFunction } from './functions';
import type { Value } from './values';
import { arrayValue, displayValue, durationValue, numberValue, valueFromText } from './values';

export interface EvalContext {
  /** The span under test; undefined when the selector matched no span (the "empty span"). */
  span: Span | undefined;
  /** The spec's selector, for messages. */
  selector?: string;
  /** Value of attr:tracetest.selected_spans.count. */
  selectedCount: number;
  /** var: and env: read this same store. */
  variables: ReadonlyMap<string, string>;
  /** Bare `${NAME}` in templates; core never reads process.env itself. */
  processEnv?: (name: string) => string | undefined;
  now?: () => Date;
  random?: () => number;
}

export type AssertionStatus = 'passed' | 'failed' | 'errored';

export interface AssertionOutcome {
  status: AssertionStatus;
  /** The left value as shown to a user (durations in their display unit). */
  observed: string;
  /** The right value as shown. */
  expected: string;
  /** Why it failed, for a user. */
  message?: string;
  /** Only when errored. */
  error?: SourceError;
}

export const SELECTED_SPANS_COUNT = 'tracetest.selected_spans.count';
const SPAN_DURATION = 'tracetest.span.duration';

/** True if evaluating the node needs a span: any attribute other than the selected-spans count. */
export function readsSpan(node: ExprNode): boolean {
  return someNode(node, (n) => n.kind === 'attr' && n.name !== SELECTED_SPANS_COUNT);
}

export function evaluateAssertion(ast: AssertionAst, ctx: EvalContext): AssertionOutcome {
  if (!ctx.span && (readsSpan(ast.left) || readsSpan(ast.right))) {
    const right = readsSpan(ast.right) ? undefined : evaluate(ast.right, ctx);
    return { status: 'failed', observed: '', expected: right?.ok ? displayValue(right.value) : '', message: noSpanMessage(ctx) };
  }
  const errored = (error: ExpressionError, observed = ''): AssertionOutcome => ({ status: 'errored', observed, expected: '', error });
  const left = evaluate(ast.left, ctx);
  if (!left.ok) return errored(toExpressionError(ast.source, left.error));
  const right = evaluate(ast.right, ctx);
  if (!right.ok) return errored(toExpressionError(ast.source, right.error), displayValue(left.value));
  const compared = compare(ast.comparator, left.value, right.value, ast.left, ast.right);
  if (!compared.ok) return errored(toExpressionError(ast.source, compared.error), displayValue(left.value));
  const { holds, observed, expected } = compared.value;
  if (holds) return { status: 'passed', observed, expected };
  return { status: 'failed', observed, expected, message: failureMessage(ast.comparator, observed, expected) };
}

export function evaluateExpression(ast: ExprAst, ctx: EvalContext): Result<Value, ExpressionError> {
  const value = evaluate(ast.body, ctx);
  return value.ok ? value : { ok: false, error: toExpressionError(ast.source, value.error) };
}

export function renderTemplate(ast: TemplateAst, ctx: EvalContext): Result<string, ExpressionError> {
  let out = '';
  for (const part of ast.parts) {
    if (part.kind === 'text') out += part.value;
    else if (part.kind === 'process-env') out += ctx.processEnv?.(part.name) ?? '';
    else {
      const value = evaluate(part.expr, ctx);
      if (!value.ok) return { ok: false, error: toExpressionError(ast.source, value.error) };
      out += value.value.text;
    }
  }
  return { ok: true, value: out };
}

function noSpanMessage(ctx: EvalContext): string {
  return ctx.selector === undefined ? 'no span matched the selector' : `no span matched selector ${ctx.selector}`;
}

const FAILURE_WORDING: Record<Comparator, string> = {
  '=': 'is not equal to',
  '!=': 'is equal to',
  '<': 'is not less than',
  '<=': 'is not less than or equal to',
  '>': 'is not greater than',
  '>=': 'is not greater than or equal to',
  contains: 'does not contain',
  'not-contains': 'contains',
};

function failureMessage(op: Comparator, observed: string, expected: string): string {
  return `${quoted(observed)} ${FAILURE_WORDING[op]} ${quoted(expected)}`;
}

function evaluate(node: ExprNode, ctx: EvalContext): Attempt<Value> {
  switch (node.kind) {
    case 'number':
      return ok(numberValue(node.text));
    case 'duration':
      return ok(durationValue(durationNanoseconds(node.amount, node.unit)));
    case 'string': {
      let text = '';
      for (const part of node.parts) {
        if (part.kind === 'text') text += part.value;
        else {
          const value = evaluate(part.expr, ctx);
          if (!value.ok) return value;
          text += value.value.text;
        }
      }
      return ok(valueFromText(text));
    }
    case 'attr':
      return attribute(node, ctx);
    case 'var':
      return variable(node, ctx);
    case 'call': {
      const args = evaluateAll(node.args, ctx);
      return args.ok ? callFunction(node, args.value, ctx) : args;
    }
    case 'array': {
      const items = evaluateAll(node.items, ctx);
      return items.ok ? ok(arrayValue(items.value)) : items;
    }
    case 'group':
      return evaluate(node.expr, ctx);
    case 'binary': {
      const left = evaluate(node.left, ctx);
      if (!left.ok) return left;
      const right = evaluate(node.right, ctx);
      if (!right.ok) return right;
      return applyArithmetic(node, left.value, right.value);
    }
    case 'filtered': {
      let value = evaluate(node.input, ctx);
      for (const filter of node.filters) {
        if (!value.ok) return value;
        const args = evaluateAll(filter.args, ctx);
        if (!args.ok) return args;
        value = applyFilter(filter, value.value, args.value);
      }
      return value;
    }
  }
}

function evaluateAll(nodes: ExprNode[], ctx: EvalContext): Attempt<Value[]> {
  const values: Value[] = [];
  for (const node of nodes) {
    const value = evaluate(node, ctx);
    if (!value.ok) return value;
    values.push(value.value);
  }
  return ok(values);
}

function attribute(node: AttributeNode, ctx: EvalContext): Attempt<Value> {
  if (node.name === SELECTED_SPANS_COUNT) return ok(numberValue(String(ctx.selectedCount)));
  const span = ctx.span;
  if (!span) return fail('no-span', `${noSpanMessage(ctx)}, so ${quoted(`attr:${node.name}`)} has no value`, node.offset, node.length);
  const text = spanValue(span, node.name);
  if (text === undefined) {
    return fail('missing-attribute', `span "${span.name}" has no attribute ${quoted(node.name)}`, node.offset, node.length);
  }
  if (node.name === SPAN_DURATION && /^\d+$/.test(text)) return ok(durationValue(BigInt(text)));
  return ok(valueFromText(text));
}

function variable(node: VariableNode, ctx: EvalContext): Attempt<Value> {
  const text = ctx.variables.get(node.name);
  if (text === undefined) return fail('missing-variable', `variable ${quoted(node.name)} is not set`, node.offset, node.length);
  return ok(valueFromText(text));
}
