// The `TestRunner`'s required gates: a test passes when every gate it requires passes (Tracetest's semantics: a
// gate not required does not count, even `test-specs`). An errored test stays errored.
import type { SpecResult, Status } from '../engine/result';
import type { Trace } from '../trace/model';
import { analyze } from './analyze';
import type { Gate, GateSettings } from './config';
import type { AnalyzerResult, GateResult } from './result';

export interface Judgement {
  status: Status;
  /** Absent when the analyzer is disabled. */
  analyzer?: AnalyzerResult;
  /** The required gates, in the TestRunner's order. */
  gates: GateResult[];
}

/** `evaluation`: what the specs and outputs gave (evaluateTest). */
export function judge(evaluation: { status: Status; specs: readonly SpecResult[] }, trace: Trace, settings: GateSettings): Judgement {
  const analyzer = analyze(trace, settings.analyzer);
  const gates = settings.requiredGates.map((gate) => gateResult(gate, evaluation, analyzer));
  const status: Status = evaluation.status === 'errored' ? 'errored' : gates.every((g) => g.passed) ? 'passed' : 'failed';
  return { status, ...(analyzer ? { analyzer } : {}), gates };
}

function gateResult(gate: Gate, evaluation: { status: Status; specs: readonly SpecResult[] }, analyzer: AnalyzerResult | undefined): GateResult {
  if (gate === 'test-specs') {
    if (evaluation.status === 'passed') return { gate, passed: true };
    const bad = evaluation.specs.filter((s) => s.status !== 'passed').length;
    return {
      gate,
      passed: false,
      message:
        bad > 0 ? `${bad} of ${evaluation.specs.length} spec${evaluation.specs.length === 1 ? '' : 's'} did not pass` : 'an output could not be computed',
    };
  }
  if (!analyzer) return { gate, passed: true, message: 'not judged: the analyzer is disabled' };
  if (gate === 'analyzer-score') {
    return analyzer.score >= analyzer.minimumScore
      ? { gate, passed: true }
      : { gate, passed: false, message: `score ${analyzer.score} is below the minimum ${analyzer.minimumScore}` };
  }
  if (analyzer.passed) return { gate, passed: true };
  const failed = analyzer.plugins.flatMap((p) => p.rules.filter((r) => r.level === 'error' && !r.passed));
  return {
    gate,
    passed: false,
    message: `failed: ${failed.map((r) => `${r.id} (${r.failures.length} span${r.failures.length === 1 ? '' : 's'})`).join(', ')}`,
  };
}
