// A test judged against a trace: its outputs and specs evaluated, placed in the file's text (line:column), then
// judged by the analyzer and the required gates. What a live run does once its trace settled, what a replay
// (`tracelens run --trace`) does with the given trace, and what a re-check does with a test's last trace.
import { DEFAULT_GATE_SETTINGS, judge, type GateSettings } from '../core/analyzer/index';
import { evaluateTest } from '../core/engine/evaluate';
import { placeResults } from '../core/engine/place';
import type { TestRunResult } from '../core/engine/result';
import type { TestDef } from '../core/testfile/model';
import type { Trace } from '../core/trace/model';

export interface JudgeOptions {
  variables: ReadonlyMap<string, string>;
  processEnv: (name: string) => string | undefined;
  /** The analyzer and the required gates; default: every rule, `test-specs` only. */
  gates?: GateSettings | undefined;
  /** The test file's text: results then say where they are in it. */
  text?: string | undefined;
}

export type JudgedFields = Pick<TestRunResult, 'status' | 'error' | 'specs' | 'outputs' | 'analyzer' | 'gates'>;

export interface Judged {
  fields: JudgedFields;
  /** The variables after the test's outputs: what the next suite step sees. */
  variables: ReadonlyMap<string, string>;
}

export function judgeTest(test: TestDef, trace: Trace, options: JudgeOptions): Judged {
  const evaluated = evaluateTest(test, trace, options.variables, { processEnv: options.processEnv });
  const evaluation = options.text === undefined ? evaluated : placeResults(evaluated, options.text);
  const judgement = judge(evaluation, trace, options.gates ?? DEFAULT_GATE_SETTINGS);
  return {
    fields: {
      status: judgement.status,
      ...(evaluation.error ? { error: evaluation.error } : {}),
      specs: evaluation.specs,
      outputs: evaluation.outputs,
      ...(judgement.analyzer ? { analyzer: judgement.analyzer } : {}),
      gates: judgement.gates,
    },
    variables: evaluation.variables,
  };
}

/**
 * The test as it is now judged against the trace of its last run, without sending anything: the last run's trigger,
 * trace id and warnings are kept, everything judged is new, and the duration is the re-check's.
 */
export function recheckResult(previous: TestRunResult, test: TestDef, trace: Trace, options: JudgeOptions): TestRunResult {
  const started = performance.now();
  const { fields } = judgeTest(test, trace, options);
  const { error: _previousError, analyzer: _previousAnalysis, ...kept } = previous;
  return { ...kept, trace, ...fields, durationMs: Math.round(performance.now() - started) };
}
