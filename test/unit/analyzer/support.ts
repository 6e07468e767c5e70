// Analyzer tests: a trace from the builder, one rule's verdict per span by span name.
import { analyze, analyzerConfig, type RuleId } from '../../../src/core/analyzer/index';
import type { AnalyzerResult } from '../../../src/core/analyzer/result';
import type { Trace } from '../../../src/core/trace/model';
import { TraceBuilder, type SpanSpec } from '../../support/trace-builder';

export function analyzeDefault(trace: Trace): AnalyzerResult {
  return analyze(trace, analyzerConfig())!;
}

export function ruleOf(result: AnalyzerResult, id: RuleId) {
  const rule = result.plugins.flatMap((p) => p.rules).find((r) => r.id === id);
  if (!rule) throw new Error(`no result for ${id}`);
  return rule;
}

/** The errors of one rule, by name of each span it failed on. */
export function failuresOf(trace: Trace, id: RuleId): Record<string, readonly string[]> {
  const out: Record<string, readonly string[]> = {};
  for (const f of ruleOf(analyzeDefault(trace), id).failures) out[trace.byId.get(f.spanId)!.name] = f.errors;
  return out;
}

/** A trace of one span. */
export function oneSpan(name: string, spec: SpanSpec): Trace {
  return new TraceBuilder().span(name, spec).build();
}

/** The span's errors for the rule ([] when it passes). */
export function errorsOf(name: string, spec: SpanSpec, id: RuleId): readonly string[] {
  return failuresOf(oneSpan(name, spec), id)[name] ?? [];
}
