// What one test run produced: shared by the CLI reporters, the editor (Testing API, decorations) and the panel.
import type { AnalyzerResult, GateResult } from '../analyzer/result';
import type { TraceDifference } from '../compare/diff';
import type { SourceError } from '../text-position';
import type { OutputDef, SpecDef, SourceString } from '../testfile/model';
import type { Trace } from '../trace/model';

export type Status = 'passed' | 'failed' | 'errored';

/**
 * Where a result is in its test file (1-based), for reports: the item's start, or where it breaks when it does not
 * parse or errored. Set by runs that know the file's text.
 */
export interface FilePlace {
  line?: number;
  column?: number;
}

export interface SpanAssertionResult {
  /** '' when the selector matched no span and the assertion ran against the empty span. */
  spanId: string;
  status: Status;
  observed: string;
  expected: string;
  /** Why it failed, for a person (e.g. "no span matched selector …"). */
  message?: string;
  /** Only when errored; offsets are relative to the assertion text. */
  error?: SourceError;
}

export interface AssertionResult extends FilePlace {
  assertion: string;
  /** `=`, `<`, `contains`...: how observed relates to expected, for messages. Empty when the assertion does not parse. */
  comparator: string;
  status: Status;
  results: SpanAssertionResult[];
  source: SourceString;
}

export interface SpecResult extends FilePlace {
  name?: string;
  selector: string;
  status: Status;
  spanIds: string[];
  /** Set when the selector itself is broken; offsets are relative to the selector text. */
  selectorError?: SourceError;
  assertions: AssertionResult[];
  source: SpecDef;
}

export interface OutputResult extends FilePlace {
  name: string;
  value?: string;
  spanId: string;
  error?: string;
  /** Set when the selector or the value does not parse: the output errored (its test too), rather than failed. */
  parseError?: { in: 'selector' | 'value'; error: SourceError };
  source: OutputDef;
}

export interface TriggerResult {
  type: string;
  /** HTTP or gRPC status code, when the trigger produced one. */
  status?: number;
  durationMs: number;
  /** What the trigger printed while it ran (a Playwright script's console), in order. */
  output?: string[];
  /** Path of the Playwright trace (trace.zip) saved for the run. */
  playwrightTrace?: string;
}

export interface TestRunResult extends FilePlace {
  file: string;
  id: string;
  name: string;
  /** Set for steps of a test suite. */
  suite?: string;
  status: Status;
  /** Only when errored: why (its place, when it is one field of the file: a trigger template that does not parse). */
  error?: string;
  traceId: string;
  durationMs: number;
  trigger: TriggerResult;
  specs: SpecResult[];
  outputs: OutputResult[];
  /** What the run noticed while collecting the trace, e.g. a service of the last run that did not report. */
  warnings?: string[];
  /** What the analyzer said about the trace; absent when it is disabled or the test did not get that far. */
  analyzer?: AnalyzerResult;
  /** The TestRunner's required gates, judged once the specs ran. */
  gates?: GateResult[];
  /** A failed run's trace compared with the test's last passing one, when there is one to compare with. */
  sinceLastPass?: TraceDifference[];
  trace?: Trace;
}

/** errored wins over failed, failed over passed. */
export function worstStatus(statuses: Iterable<Status>): Status {
  let worst: Status = 'passed';
  for (const s of statuses) {
    if (s === 'errored') return 'errored';
    if (s === 'failed') worst = 'failed';
  }
  return worst;
}

/** An output that does not parse errored; one that could not be computed (no span, an evaluation error) failed. */
export function outputStatus(o: OutputResult): Status {
  return o.parseError ? 'errored' : o.error !== undefined ? 'failed' : 'passed';
}
