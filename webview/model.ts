// What the panel shows: once per `trace` message, the trace the run judged read back from the wire's columns (so
// selectors and assertions run on exactly what the run saw), spans' timing as numbers and services with their colour
// slot, both straight from the columns; once per `results`
// message, the test's and the analyzer's results per span, laid on that trace.
import type { AnalyzerResult, GateResult, RuleResult } from '../src/core/analyzer/result';
import type { Status } from '../src/core/engine/result';
import type { Span, Trace } from '../src/core/trace/model';
import { fromWireTrace } from '../src/core/trace/wire';
import type { PanelOutput, PanelSpec, PanelTest, ResultsMessage, WireTrace } from '../src/protocol';

/** Per span: how the test judged it. */
export const enum TestMark {
  None = 0,
  Passed = 1,
  Failed = 2,
  Errored = 3,
}

/** One failing assertion on one span. */
export interface SpanFailure {
  spec: PanelSpec;
  assertion: string;
  comparator: string;
  line: number;
  status: Exclude<Status, 'passed'>;
  observed: string;
  expected: string;
  message?: string;
}

/** What the trace alone gives: kept while only the results change. */
export interface TraceModel {
  trace: Trace;
  /** Distinct `service.name`s in order of first appearance; colours are picked by this index. */
  services: string[];
  /** Per span index: index into `services`. */
  serviceOf: Uint16Array;
  /** Per span index: start and end in ms after the trace's first start. */
  startMs: Float64Array;
  endMs: Float64Array;
  /** End of the latest span, ms after the trace start. */
  totalMs: number;
}

export interface PanelModel extends TraceModel {
  test: PanelTest;
  specs: PanelSpec[];
  outputs: PanelOutput[];
  variables: ReadonlyMap<string, string>;
  /** Per span index: TestMark. */
  marks: Uint8Array;
  /** Failing assertions by span index. */
  failures: Map<number, SpanFailure[]>;
  /** Absent when the analyzer is disabled. */
  analyzer?: AnalyzerResult;
  gates: GateResult[];
  /** Analyzer rules failed by span index, with why. */
  ruleFailures: Map<number, Array<{ rule: RuleResult; errors: readonly string[] }>>;
}

export function serviceName(span: Span): string {
  return span.resource.get('service.name') ?? 'unknown service';
}

export function spanType(span: Span): string {
  return span.flat.get('tracetest.span.type') ?? 'general';
}

export function isErrorSpan(span: Span): boolean {
  return span.status.code === 'STATUS_CODE_ERROR';
}

export function buildModel(wire: WireTrace, results: ResultsMessage): PanelModel {
  return withResults(traceModel(wire), results);
}

export function traceModel(wire: WireTrace): TraceModel {
  const trace = fromWireTrace(wire);
  const { spans } = wire;
  const n = trace.spans.length;
  // Services by resource (a trace has a handful): the wire's span times already count from the first start.
  const services: string[] = [];
  const serviceIndex = new Map<string, number>();
  const serviceOfResource: Array<string | undefined> = new Array(wire.resources.length);
  const serviceOf = new Uint16Array(n);
  const startMs = new Float64Array(n);
  const endMs = new Float64Array(n);
  let totalMs = 0;
  for (let i = 0; i < n; i++) {
    const name = (serviceOfResource[spans.resources[i]!] ??= serviceName(trace.spans[i]!));
    let si = serviceIndex.get(name);
    if (si === undefined) serviceIndex.set(name, (si = services.push(name) - 1));
    serviceOf[i] = Math.min(si, 0xffff);
    startMs[i] = spans.starts[i]! / 1e6;
    endMs[i] = Math.max(startMs[i]!, spans.ends[i]! / 1e6);
    if (endMs[i]! > totalMs) totalMs = endMs[i]!;
  }
  return { trace, services, serviceOf, startMs, endMs, totalMs };
}

/** The model with `message`'s results on its trace (the previous results, if any, are dropped). */
export function withResults(base: TraceModel, message: ResultsMessage): PanelModel {
  const { trace } = base;
  const n = trace.spans.length;
  const marks = new Uint8Array(n);
  const failures = new Map<number, SpanFailure[]>();
  const mark = (index: number, m: TestMark) => {
    if (m > marks[index]!) marks[index] = m;
  };
  for (const spec of message.specs) {
    for (const id of spec.spanIds) {
      const span = trace.byId.get(id);
      if (span) mark(span.index, spec.status === 'passed' ? TestMark.Passed : spec.status === 'failed' ? TestMark.Failed : TestMark.Errored);
    }
    for (const assertion of spec.assertions) {
      for (const r of assertion.results) {
        if (r.status === 'passed') continue;
        const span = r.spanId ? trace.byId.get(r.spanId) : undefined;
        if (!span) continue;
        mark(span.index, r.status === 'failed' ? TestMark.Failed : TestMark.Errored);
        let list = failures.get(span.index);
        if (!list) failures.set(span.index, (list = []));
        list.push({
          spec,
          assertion: assertion.text,
          comparator: assertion.comparator,
          line: assertion.line,
          status: r.status,
          observed: r.observed,
          expected: r.expected,
          ...(r.message ? { message: r.message } : {}),
        });
      }
    }
  }
  const ruleFailures = new Map<number, Array<{ rule: RuleResult; errors: readonly string[] }>>();
  for (const rule of message.analyzer?.plugins.flatMap((p) => p.rules) ?? []) {
    for (const f of rule.failures) {
      const span = trace.byId.get(f.spanId);
      if (!span) continue;
      let list = ruleFailures.get(span.index);
      if (!list) ruleFailures.set(span.index, (list = []));
      list.push({ rule, errors: f.errors });
    }
  }
  return {
    trace,
    services: base.services,
    serviceOf: base.serviceOf,
    startMs: base.startMs,
    endMs: base.endMs,
    totalMs: base.totalMs,
    test: message.test,
    specs: message.specs,
    outputs: message.outputs,
    variables: new Map(message.variables),
    marks,
    failures,
    ...(message.analyzer ? { analyzer: message.analyzer } : {}),
    gates: message.gates ?? [],
    ruleFailures,
  };
}

/** A failure as observed against expected; an error (nothing to compare) by its message. */
export function failureText(f: SpanFailure): string {
  if (f.status === 'errored') return f.message ?? 'could not be evaluated';
  const comparator = f.comparator === '=' || f.comparator === '' ? '' : `${f.comparator} `;
  return `observed ${f.observed}, expected ${comparator}${f.expected}`;
}

/** `12 ms`, `1.2 s`, `850 µs`: what a duration looks like in the panel. */
export function formatMs(ms: number): string {
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}
