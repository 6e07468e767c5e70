// The JSON report of cli.md: the stable machine-readable shape CI tools consume.
import type { AnalyzerResult } from '../../core/analyzer/index';
import { describeDifference, type TraceDifference } from '../../core/compare/diff';
import { outputStatus, type FilePlace, type SpanAssertionResult, type TestRunResult } from '../../core/engine/result';

export interface Summary {
  passed: number;
  failed: number;
  errored: number;
}

export function summarize(results: readonly TestRunResult[]): Summary {
  const summary: Summary = { passed: 0, failed: 0, errored: 0 };
  for (const r of results) summary[r.status]++;
  return summary;
}

export function jsonReport(results: readonly TestRunResult[]): object {
  return {
    tests: results.map((t) => ({
      file: t.file,
      id: t.id,
      name: t.name,
      ...(t.suite !== undefined ? { suite: t.suite } : {}),
      status: t.status,
      ...(t.error !== undefined ? { error: t.error, ...place(t) } : {}),
      traceId: t.traceId,
      durationMs: t.durationMs,
      trigger: t.trigger,
      specs: t.specs.map((s) => ({
        ...(s.name !== undefined ? { name: s.name } : {}),
        selector: s.selector,
        status: s.status,
        ...(s.selectorError ? { error: `selector: ${s.selectorError.message}` } : {}),
        ...place(s),
        spanIds: s.spanIds,
        assertions: s.assertions.map((a) => ({ assertion: a.assertion, status: a.status, ...place(a), results: a.results.map(spanResult) })),
      })),
      ...(t.warnings?.length ? { warnings: t.warnings } : {}),
      outputs: t.outputs.map((o) => ({
        name: o.name,
        status: outputStatus(o),
        ...(o.value !== undefined ? { value: o.value } : {}),
        spanId: o.spanId,
        ...(o.error !== undefined ? { error: o.error } : {}),
        ...place(o),
      })),
      ...(t.analyzer ? { analyzer: analyzerReport(t.analyzer) } : {}),
      ...(t.gates ? { gates: t.gates } : {}),
      ...(t.sinceLastPass ? { sinceLastPass: t.sinceLastPass.map(difference) } : {}),
    })),
    summary: summarize(results),
  };
}

/** `line` and `column` in the test file, when the run knew its text. */
function place(x: FilePlace): FilePlace {
  return x.line !== undefined ? { line: x.line, column: x.column } : {};
}

function spanResult(r: SpanAssertionResult): object {
  return {
    spanId: r.spanId,
    observed: r.observed,
    expected: r.expected,
    passed: r.status === 'passed',
    ...(r.message !== undefined ? { message: r.message } : {}),
    ...(r.error ? { error: r.error.message } : {}),
  };
}

/** Rules list only the spans they failed on. */
function analyzerReport(a: AnalyzerResult): object {
  return {
    score: a.score,
    minimumScore: a.minimumScore,
    passed: a.passed,
    plugins: a.plugins.map((p) => ({
      id: p.id,
      score: p.score,
      rules: p.rules.map((r) => ({
        id: r.id,
        level: r.level,
        weight: r.weight,
        passed: r.passed,
        results: r.failures.map((f) => ({ spanId: f.spanId, passed: false, errors: f.errors })),
      })),
    })),
  };
}

/** A difference from the last pass: its one-line text first, then the facts it is made of. */
function difference(d: TraceDifference): object {
  return {
    text: describeDifference(d),
    kind: d.kind,
    service: d.service,
    name: d.name,
    path: d.path,
    before: d.before,
    after: d.after,
    spanIds: d.spanIds,
    ...(d.descendants ? { descendants: d.descendants } : {}),
    ...(d.attributes ? { attributes: d.attributes } : {}),
    ...(d.durationMs ? { durationMs: d.durationMs } : {}),
  };
}
