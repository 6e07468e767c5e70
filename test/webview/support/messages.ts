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

/**
 * `messages` as JSON text, typed arrays as `{ typed, values }`: a page takes it back with JSON.parse and REVIVE_TYPED
 * (Playwright serializes a large object argument value by value, far slower than JSON.parse).
 */
export function messageJson(messages: unknown): string {
  return JSON.stringify(messages, (_key, value: unknown) =>
    ArrayBuffer.isView(value) ? { typed: (value as Float64Array)[Symbol.toStringTag], values: Array.from(value as Float64Array) } : value,
  );
}

/** The JSON.parse reviver that makes messageJson's typed arrays typed again, as page script text. */
export const REVIVE_TYPED = '(_key, v) => (v && typeof v.typed === "string" ? new globalThis[v.typed](v.values) : v)';

/** `text` added to the wire's packed string table; its string index. */
export function addWireString(trace: WireTrace, text: string): number {
  trace.strings += text;
  trace.stringEnds = Uint32Array.of(...trace.stringEnds, trace.strings.length);
  return trace.stringEnds.length - 1;
}

/** The two messages the page is posted for `shown`. */
export function hostMessages({ trace, ...results }: ShowMessage): [TraceMessage, ResultsMessage] {
  return [{ type: 'trace', trace }, results];
}
