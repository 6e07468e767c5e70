// Selector semantics (language.md §2). A chain is a pipeline: each step keeps the spans matching its filters
// that lie strictly inside the subtree of some span of the previous step, then applies its own pseudo-classes.
// Subtrees are the pre-order intervals (index, subtreeEnd], so one step is a single sweep over the trace:
// linear, iterative (a trace can be a 100k-deep chain) and free of per-span allocation.
import { attributeColumn, builtColumn, columnFor, columnValue, isSpanProperty } from '../trace/columns';
import type { Span, Trace } from '../trace/model';
import type { ChainNode, FilterNode, Operator, PseudoNode, SelectorAst, StepNode } from './ast';
import type { NumberLiteral } from './numbers';
import { compareToNumber, readNumber } from './numbers';

/** The spans the selector selects, in span order, each once. */
export function matchSelector(trace: Trace, ast: SelectorAst): Span[] {
  const spans = trace.spans;
  if (ast.chains.length === 0) return spans.slice();
  if (ast.chains.length === 1) return matchChain(trace, ast.chains[0]!);
  const selected = new Uint8Array(spans.length);
  for (const chain of ast.chains) for (const span of matchChain(trace, chain)) selected[span.index] = 1;
  const union: Span[] = [];
  for (let i = 0; i < spans.length; i++) if (selected[i]) union.push(spans[i]!);
  return union;
}

function matchChain(trace: Trace, chain: ChainNode): Span[] {
  const spans = trace.spans;
  let current: Span[] = [];
  chain.steps.forEach((step, k) => {
    let next: Span[] = [];
    if (k === 0) next = matchFirstStep(trace, step);
    else {
      const test = compileStep(trace, step);
      // `current` is in span order, so a span inside an already swept subtree has its whole subtree inside it.
      let swept = -1;
      for (const ancestor of current) {
        if (ancestor.index <= swept) continue;
        for (let i = ancestor.index + 1; i <= ancestor.subtreeEnd; i++) if (test(i)) next.push(spans[i]!);
        swept = ancestor.subtreeEnd;
      }
    }
    current = applyPseudos(next, step.pseudos);
  });
  return current;
}

function applyPseudos(list: Span[], pseudos: readonly PseudoNode[]): Span[] {
  for (const pseudo of pseudos) {
    const position = positionOf(pseudo, list.length);
    list = position >= 0 && position < list.length ? [list[position]!] : [];
  }
  return list;
}

/** 0-based position a pseudo-class keeps in a list of `length` spans. */
function positionOf(pseudo: PseudoNode, length: number): number {
  if (pseudo.name === 'nth_child') return pseudo.n - 1;
  return pseudo.name === 'first' ? 0 : length - 1;
}

/**
 * A step that starts a chain tests every span: filters whose column exists or is cheap (`name`, `kind`) go first,
 * and a filter left with few spans may read their values from the spans instead of making its column over the whole
 * trace (columnFor). The first query on a new trace (`span[tracetest.span.type="database" name="…"]`) reads `name`
 * of every span and the type of the few that have that name.
 */
function matchFirstStep(trace: Trace, step: StepNode): Span[] {
  const spans = trace.spans;
  if (step.filters.every((f) => builtColumn(trace, f.key.name))) {
    const test = compileStep(trace, step);
    const next: Span[] = [];
    for (let i = 0; i < spans.length; i++) if (test(i)) next.push(spans[i]!);
    return next;
  }
  const cost = (f: FilterNode): number => (builtColumn(trace, f.key.name) ? 0 : isSpanProperty(f.key.name) ? 1 : 2);
  const filters = step.filters.map((f, i) => ({ f, i })).sort((a, b) => cost(a.f) - cost(b.f) || a.i - b.i);
  const first = filters[0]!.f;
  let kept = passingAll(attributeColumn(trace, first.key.name), compileFilter(first));
  for (let k = 1; k < filters.length; k++) {
    const node = filters[k]!.f;
    const filter = compileFilter(node);
    const values = columnFor(trace, node.key.name, kept.length);
    kept = values ? passingColumn(kept, values, filter) : passingSpans(kept, spans, node.key.name, filter);
  }
  return kept.map((i) => spans[i]!);
}

function passingAll(values: ReadonlyArray<string | undefined>, filter: CompiledFilter): number[] {
  const passing: number[] = [];
  for (let i = 0; i < values.length; i++) if (holds(filter, values[i] ?? '')) passing.push(i);
  return passing;
}

function passingColumn(kept: readonly number[], values: ReadonlyArray<string | undefined>, filter: CompiledFilter): number[] {
  const passing: number[] = [];
  for (const i of kept) if (holds(filter, values[i] ?? '')) passing.push(i);
  return passing;
}

function passingSpans(kept: readonly number[], spans: readonly Span[], key: string, filter: CompiledFilter): number[] {
  const passing: number[] = [];
  for (const i of kept) if (holds(filter, columnValue(spans[i]!, key) ?? '')) passing.push(i);
  return passing;
}

/** Takes a span index. */
type SpanTest = (index: number) => boolean;

/** A filter with its literal read once per match rather than once per span. */
interface CompiledFilter {
  operator: Operator;
  literal: string;
  number: NumberLiteral | undefined;
}

/** All filters of one `span[...]` must hold. */
function compileStep(trace: Trace, step: StepNode): SpanTest {
  const filters = step.filters.map(compileFilter);
  const columns = step.filters.map((f) => attributeColumn(trace, f.key.name));
  const count = filters.length;
  return (index) => {
    for (let i = 0; i < count; i++) if (!holds(filters[i]!, columns[i]![index] ?? '')) return false;
    return true;
  };
}

function compileFilter(filter: FilterNode): CompiledFilter {
  const literal = filter.value.text;
  return { operator: filter.operator.operator, literal, number: readNumber(literal) };
}

/** Whether a value passes `key <operator> literal`, the literal read once: for callers that hold the values themselves. */
export function valueTest(operator: Operator, literal: string): (value: string) => boolean {
  const filter: CompiledFilter = { operator, literal, number: readNumber(literal) };
  return (value) => holds(filter, value);
}

function holds(filter: CompiledFilter, value: string): boolean {
  switch (filter.operator) {
    case '=':
      return equals(value, filter);
    case '!=':
      return !equals(value, filter);
    case 'contains':
      return value.includes(filter.literal);
    case 'not-contains':
      return !value.includes(filter.literal);
    case '<':
      return order(value, filter) < 0;
    case '<=':
      return order(value, filter) <= 0;
    case '>':
      return order(value, filter) > 0;
    case '>=':
      return order(value, filter) >= 0;
  }
}

/** Numeric when both sides are numbers (`0.5` = `0.50`), otherwise exact text. */
function equals(value: string, filter: CompiledFilter): boolean {
  if (value === filter.literal) return true;
  return filter.number !== undefined && compareToNumber(value, filter.number) === 0;
}

/** Sign of `value − literal`; NaN, which fails every ordering, when either side is not a number. */
function order(value: string, filter: CompiledFilter): number {
  if (filter.number === undefined) return Number.NaN;
  return compareToNumber(value, filter.number) ?? Number.NaN;
}
