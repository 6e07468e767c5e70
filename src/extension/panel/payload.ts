// What the panel is sent for a stored run: the trace as wire.ts columns (once per trace the page holds), and the
// results with the lines they have in the test file as it is now (the author may have edited it since the run), and
// the run's variables. No vscode import.
import type { SpecResult } from '../../core/engine/result';
import type { LoadedFile, Range } from '../../core/testfile/model';
import type { Trace } from '../../core/trace/model';
import { toWireTrace } from '../../core/trace/wire';
import type { PanelSpec, ResultsMessage, TraceMessage } from '../../protocol';
import { alignResult } from '../results/align';
import type { LineIndex } from '../results/lines';
import { findTest } from '../results/file-entries';
import type { StoredRun } from '../run-store';

/** The test file as it is now, parsed (a test document). */
export interface CurrentFile {
  file: LoadedFile;
  lines: LineIndex;
}

export function traceMessage(trace: Trace): TraceMessage {
  return { type: 'trace', trace: toWireTrace(trace) };
}

/** `current`: the test file now, if it can be read; `label`: its workspace-relative path. Undefined when the run has no trace. */
export function resultsMessage(run: StoredRun, current: CurrentFile | undefined, label: string, focusSpanId?: string): ResultsMessage | undefined {
  const { result } = run;
  if (!result.trace) return undefined;
  const test = current && findTest(current.file, run.key)?.test;
  const aligned = test ? alignResult(test, result) : [];
  // Lines of the spec or assertion in the current text; one that is gone keeps its offset from the run, read against
  // the current text (its line may have moved).
  const lineOf = (range: Range) => (current ? current.lines.at(range.start).line : 0) + 1;
  const specs = result.specs.map((spec: SpecResult): PanelSpec => {
    const now = aligned.find((a) => a.result === spec);
    return {
      ...(spec.name !== undefined ? { name: spec.name } : {}),
      selector: spec.selector,
      status: spec.status,
      spanIds: spec.spanIds,
      ...(spec.selectorError ? { selectorError: spec.selectorError.message } : {}),
      line: lineOf(now?.spec.range ?? spec.source.range),
      assertions: spec.assertions.map((a) => ({
        text: a.assertion,
        comparator: a.comparator,
        status: a.status,
        line: lineOf(now?.assertions.find((x) => x.result === a)?.source.range ?? a.source.range),
        results: a.results.map((r) => ({
          spanId: r.spanId,
          status: r.status,
          observed: r.observed,
          expected: r.expected,
          ...(r.message !== undefined ? { message: r.message } : r.error ? { message: r.error.message } : {}),
        })),
      })),
    };
  });
  const outputs = result.outputs.map((o) => ({
    name: o.name,
    spanId: o.spanId,
    ...(o.value !== undefined ? { value: o.value } : {}),
    ...(o.error !== undefined ? { error: o.error } : {}),
  }));
  return {
    type: 'results',
    traceId: result.trace.traceId,
    test: {
      file: run.path,
      label,
      key: run.key,
      name: result.name || run.key,
      status: result.status,
      ...(result.error !== undefined ? { error: result.error } : {}),
      durationMs: result.durationMs,
    },
    specs,
    outputs,
    ...(result.analyzer ? { analyzer: result.analyzer } : {}),
    ...(result.gates ? { gates: result.gates } : {}),
    variables: result.outputs.filter((o) => o.value !== undefined).map((o) => [o.name, o.value!]),
    ...(focusSpanId && result.trace.byId.has(focusSpanId) ? { focusSpanId } : {}),
  };
}
