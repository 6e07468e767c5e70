// The assertion engine: outputs first (they become variables), then every spec, per selected span (language.md §3).
import { evaluateAssertion, evaluateExpression, parseAssertion, parseExpression, displayValue, someNode, SELECTED_SPANS_COUNT } from '../expression/index';
import type { AssertionAst, AssertionOutcome, EvalContext } from '../expression/index';
import { matchSelector, parseSelector } from '../selector/index';
import type { SourceError } from '../text-position';
import type { OutputDef, SpecDef, TestDef } from '../testfile/model';
import { valueReader } from '../trace/columns';
import type { Span, Trace } from '../trace/model';
import type { AssertionResult, OutputResult, SpanAssertionResult, SpecResult, Status } from './result';
import { outputStatus, worstStatus } from './result';

export interface EvaluateOptions {
  processEnv?: EvalContext['processEnv'];
  now?: EvalContext['now'];
  random?: EvalContext['random'];
}

export interface TestEvaluation {
  status: Status;
  /** The first thing that errored, for the run's `error`. */
  error?: string;
  specs: SpecResult[];
  outputs: OutputResult[];
  /** The run's variables with the outputs added: what a test suite passes to its next step. */
  variables: Map<string, string>;
}

export function evaluateTest(test: TestDef, trace: Trace, variables: ReadonlyMap<string, string>, options: EvaluateOptions = {}): TestEvaluation {
  const vars = new Map(variables);
  const selections = new SelectionCache(trace);
  const outputs = test.outputs.map((o) => evaluateOutput(o, selections, vars, options));
  for (const o of outputs) if (o.value !== undefined) vars.set(o.name, o.value);
  const specs = test.specs.map((s) => specResult(s, selections, vars, options));
  const status = worstStatus([...specs.map((s) => s.status), ...outputs.map(outputStatus)]);
  const error = status === 'errored' ? (firstSpecError(specs) ?? firstOutputError(outputs)) : undefined;
  return {
    status,
    ...(error ? { error } : {}),
    specs,
    outputs,
    variables: vars,
  };
}

/** Parses each distinct selector once per run: specs and outputs often share one. */
class SelectionCache {
  private readonly cache = new Map<string, { spans: Span[] } | { error: SourceError }>();
  constructor(readonly trace: Trace) {}

  select(selector: string): { spans: Span[] } | { error: SourceError } {
    let hit = this.cache.get(selector);
    if (!hit) {
      const parsed = parseSelector(selector);
      hit = parsed.ok ? { spans: matchSelector(this.trace, parsed.value) } : { error: parsed.error };
      this.cache.set(selector, hit);
    }
    return hit;
  }
}

/** One spec on its own: the editor's re-check of an edited spec against the last trace. */
export function evaluateSpec(spec: SpecDef, trace: Trace, variables: ReadonlyMap<string, string>, options: EvaluateOptions = {}): SpecResult {
  return specResult(spec, new SelectionCache(trace), variables, options);
}

function specResult(spec: SpecDef, cache: SelectionCache, variables: ReadonlyMap<string, string>, options: EvaluateOptions): SpecResult {
  const selector = spec.selector.value;
  const base = { ...(spec.name ? { name: spec.name.value } : {}), selector, source: spec };
  const selected = cache.select(selector);
  if ('error' in selected) {
    return {
      ...base,
      status: 'errored',
      spanIds: [],
      selectorError: selected.error,
      assertions: spec.assertions.map((a) => ({
        assertion: a.value,
        comparator: '',
        status: 'errored',
        results: [{ spanId: '', status: 'errored', observed: '', expected: '', message: `the selector does not parse: ${selected.error.message}` }],
        source: a,
      })),
    };
  }
  const spans = selected.spans;
  const assertions: AssertionResult[] = spec.assertions.map((a) => {
    const parsed = parseAssertion(a.value);
    if (!parsed.ok) {
      return {
        assertion: a.value,
        comparator: '',
        status: 'errored',
        source: a,
        results: [{ spanId: '', status: 'errored', observed: '', expected: '', error: parsed.error }],
      };
    }
    // One context per assertion, re-pointed at each span: a spec can select tens of thousands of spans.
    const ctx: EvalContext = { span: undefined, selector, selectedCount: spans.length, variables, ...options };
    const targets: Array<Span | undefined> = spans.length > 0 ? spans : [undefined];
    const outcomeFor = outcomesByValue(parsed.value, cache.trace, ctx, spans.length);
    const results = targets.map((span) => spanAssertionResult(span?.id ?? '', outcomeFor(span)));
    return { assertion: a.value, comparator: parsed.value.comparator, status: worstOf(results), results, source: a };
  });
  return { ...base, status: worstStatus(assertions.map((a) => a.status)), spanIds: spans.map((s) => s.id), assertions };
}

/** Without spreading optional fields: a broad spec makes one result per selected span, ~100k in a large trace. */
function spanAssertionResult(spanId: string, outcome: AssertionOutcome): SpanAssertionResult {
  const { status, observed, expected, message, error } = outcome;
  if (!message && !error) return { spanId, status, observed, expected };
  return { spanId, status, observed, expected, ...(message ? { message } : {}), ...(error ? { error } : {}) };
}

function worstOf(results: readonly SpanAssertionResult[]): Status {
  let worst: Status = 'passed';
  for (const r of results) {
    if (r.status === 'errored') return 'errored';
    if (r.status === 'failed') worst = 'failed';
  }
  return worst;
}

/** Distinct outcomes one assertion keeps before it stops looking for repeats (every span's values differ). */
const MEMO_LIMIT = 256;

/**
 * Evaluates the assertion on a span, once per distinct set of attribute values it reads: a broad spec selects
 * thousands of spans that mostly share their values (`db.system`, a status code). Not for assertions that call
 * functions (dates, random values), nor for spans missing an attribute (the error names the span).
 */
function outcomesByValue(ast: AssertionAst, trace: Trace, ctx: EvalContext, selected: number): (span: Span | undefined) => AssertionOutcome {
  const evaluate = (span: Span | undefined): AssertionOutcome => {
    ctx.span = span;
    return evaluateAssertion(ast, ctx);
  };
  const keys = attributesRead(ast);
  if (!keys) return evaluate;
  const spans = trace.spans;
  const inTrace = (span: Span | undefined): span is Span => span !== undefined && spans[span.index] === span;
  const memo = new Map<string, AssertionOutcome>();
  const remembered = (key: string, span: Span): AssertionOutcome => {
    let outcome = memo.get(key);
    if (!outcome) {
      outcome = evaluate(span);
      if (memo.size < MEMO_LIMIT) memo.set(key, outcome);
    }
    return outcome;
  };
  // One key, the common shape (`attr:db.system = "postgres"`): its value is the memo's key, no array per span.
  if (keys.length === 1) {
    const read = valueReader(trace, keys[0]!, selected);
    return (span) => {
      const value = inTrace(span) ? read(span) : undefined;
      return value === undefined ? evaluate(span) : remembered(value, span!);
    };
  }
  const readers = keys.map((k) => valueReader(trace, k, selected));
  return (span) => {
    if (!inTrace(span)) return evaluate(span);
    const values = readers.map((read) => read(span));
    if (values.includes(undefined)) return evaluate(span);
    return remembered(JSON.stringify(values), span);
  };
}

/** The span attributes the assertion reads; undefined when its outcome can depend on more (a function call). */
function attributesRead(ast: AssertionAst): string[] | undefined {
  const keys: string[] = [];
  const calls = (n: AssertionAst['left']): boolean => {
    if (n.kind === 'attr' && n.name !== SELECTED_SPANS_COUNT && !keys.includes(n.name)) keys.push(n.name);
    return n.kind === 'call';
  };
  return someNode(ast.left, calls) || someNode(ast.right, calls) ? undefined : keys;
}

function evaluateOutput(output: OutputDef, cache: SelectionCache, variables: ReadonlyMap<string, string>, options: EvaluateOptions): OutputResult {
  const base = { name: output.name.value, source: output };
  const selected = cache.select(output.selector.value);
  if ('error' in selected)
    return { ...base, spanId: '', error: `selector does not parse: ${selected.error.message}`, parseError: { in: 'selector', error: selected.error } };
  const parsed = parseExpression(output.value.value);
  if (!parsed.ok) return { ...base, spanId: '', error: `value does not parse: ${parsed.error.message}`, parseError: { in: 'value', error: parsed.error } };
  const span = selected.spans[0];
  if (!span) return { ...base, spanId: '', error: `no span matched selector ${output.selector.value}` };
  const value = evaluateExpression(parsed.value, { span, selector: output.selector.value, selectedCount: selected.spans.length, variables, ...options });
  if (!value.ok) return { ...base, spanId: span.id, error: value.error.message };
  return { ...base, spanId: span.id, value: displayValue(value.value) };
}

function firstOutputError(outputs: OutputResult[]): string | undefined {
  const broken = outputs.find((o) => o.parseError);
  return broken ? `output ${broken.name}: ${broken.error}` : undefined;
}

function firstSpecError(specs: SpecResult[]): string | undefined {
  for (const spec of specs) {
    const label = spec.name ? `spec "${spec.name}"` : `spec ${spec.selector}`;
    if (spec.selectorError) return `${label}: selector error: ${spec.selectorError.message}`;
    for (const a of spec.assertions) {
      const r = a.results.find((x) => x.status === 'errored');
      if (r) return `${label}: \`${a.assertion}\`: ${r.error?.message ?? r.message ?? 'errored'}`;
    }
  }
  return undefined;
}
