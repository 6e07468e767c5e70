// A run's trace and results, as the extension would post them (a `trace` message, then `results`) for a failed run
// of a test named "Create order".
import type { Trace } from '../../../src/core/trace/model';
import { resultsMessage, type CurrentFile } from '../../../src/extension/panel/payload';
import type { StoredRun } from '../../../src/extension/run-store';
import { toWireTrace } from '../../../src/core/trace/wire';
import type { PanelSpec, ResultsMessage, TraceMessage, WireTrace } from '../../../src/protocol';

/** The results with the trace they are on: what the views are shown. */
export type ShowMessage = ResultsMessage & { trace: WireTrace };

export function showMessage(trace: Trace, specs: PanelSpec[] = []): ShowMessage {
  return {
    type: 'results',
    traceId: trace.traceId,
    test: {
      file: '/home/dev/shop/tests/create-order.yaml',
      label: 'tests/create-order.yaml',
      key: 'create-order',
      name: 'Create order',
      status: 'failed',
      durationMs: 500,
    },
    trace: toWireTrace(trace),
    specs,
    outputs: [],
    variables: [],
  };
}

/** What the extension posts for a stored run (its trace, then its results). */
export function runMessage(run: StoredRun, current: CurrentFile, label: string): ShowMessage {
  return { ...resultsMessage(run, current, label)!, trace: toWireTrace(run.result.trace!) };
}

/** The two messages the page is posted for `shown`. */
export function hostMessages({ trace, ...results }: ShowMessage): [TraceMessage, ResultsMessage] {
  return [{ type: 'trace', trace }, results];
}
