// A `show` message for a trace, as the extension would post it for a failed run of a test named "Create order".
import type { Trace } from '../../../src/core/trace/model';
import { toWireTrace } from '../../../src/core/trace/wire';
import type { PanelSpec, ShowMessage } from '../../../src/protocol';

export function showMessage(trace: Trace, specs: PanelSpec[] = []): ShowMessage {
  return {
    type: 'show',
    test: {
      file: '/work/tests/create-order.yaml',
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
