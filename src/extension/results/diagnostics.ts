// Problems-view entries for a run's failures: one per failing or errored assertion line, one per broken selector,
// one at the test's name when the test errored before its specs ran (trigger failed, no trace). Pure: annotations → list.
import type { Range } from '../../core/testfile/model';
import type { Annotation } from './annotate';

export interface RunDiagnostic {
  range: Range;
  message: string;
  /** A failed assertion is an error in the test; an errored one (the system, the trace, an evaluation) a warning. */
  severity: 'error' | 'warning';
  key: string;
}

/** `annotations`: the stored runs laid onto the file's current text (see annotate.ts). */
export function computeRunDiagnostics(annotations: readonly Annotation[]): RunDiagnostic[] {
  return annotations
    .filter((a) => a.status !== 'passed')
    .map((a) => ({ range: a.range, message: a.message, severity: a.status === 'failed' ? 'error' : 'warning', key: a.key }));
}
