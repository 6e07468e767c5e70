// What the receiver learns about how late each service's spans arrive after a trigger's response: a service is
// waited for from the response instead of from its last span once a few runs (each watched well after its
// judgement) showed how late it is, for less than the export delay only once five runs showed it fast; spans that
// arrive after the judgement are reported.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { ArrivalLateness, type LateSpans } from '../../../src/run/sources/lateness';
import { TraceStore } from '../../../src/run/sources/otlp/store';
import { makeSpan } from '../sources/support';

const EXPORT_DELAY = 5_500;
const WINDOW = 50;

let clock = 0;
const learners: ArrivalLateness[] = [];

function learner(store = new TraceStore()): { store: TraceStore; lateness: ArrivalLateness } {
  const lateness = new ArrivalLateness(store, { now: () => clock, minWindowMs: WINDOW, sweepMs: 10 });
  learners.push(lateness);
  return { store, lateness };
}

afterEach(() => {
  for (const l of learners.splice(0)) l.dispose();
});

let traces = 0;
/** One triggered run: the response at `clock`, then each service's spans `lateness` ms later. */
function run(store: TraceStore, lateness: ArrivalLateness, arrivals: Record<string, number>, onLate?: (late: LateSpans) => void) {
  const traceId = (++traces).toString(16).padStart(32, '0');
  const respondedAt = clock;
  const watch = lateness.watch(traceId, respondedAt, 0, onLate);
  for (const [service, after] of Object.entries(arrivals).sort((a, b) => a[1] - b[1])) {
    clock = respondedAt + after;
    store.add([makeSpan({ name: `${service} work`, service, traceId })]);
  }
  return { traceId, watch, respondedAt };
}

/** Several judged runs, a second apart. */
function runs(store: TraceStore, lateness: ArrivalLateness, service: string, latenesses: number[]): void {
  for (const after of latenesses) {
    run(store, lateness, { [service]: after }).watch.judged(true);
    clock += 1_000;
  }
}

/** Lets the learner's sweep (on a real 10 ms interval here) close every window that has passed. */
async function closeWindows(): Promise<void> {
  clock += 10 * WINDOW;
  await new Promise((resolve) => setTimeout(resolve, 50));
}

const at = { respondedAt: 10_000, since: 14_000, exportDelayMs: EXPORT_DELAY };

describe('ArrivalLateness', () => {
  it('knows nothing at first: every service is waited for the export delay after its last span', () => {
    const { lateness } = learner();
    assert.equal(lateness.boundOf('api', EXPORT_DELAY), undefined);
    assert.equal(lateness.deadline(new Set(['api']), at), 14_000 + EXPORT_DELAY);
    assert.equal(lateness.deadline(new Set(), at), 14_000 + EXPORT_DELAY);
  });

  it('waits less for a service seen fast five runs in a row, and only once their windows closed', async () => {
    const { store, lateness } = learner();
    runs(store, lateness, 'api', [80, 120, 100, 90, 110]);
    assert.equal(lateness.boundOf('api', EXPORT_DELAY), undefined, 'windows still open');
    await closeWindows();
    assert.deepEqual(lateness.samplesOf('api'), [80, 120, 100, 90, 110]);
    assert.equal(lateness.boundOf('api', EXPORT_DELAY), 2 * 120 + 100);
    assert.equal(lateness.deadline(new Set(['api']), at), 10_000 + 340, 'from the response');
    // A service not known yet keeps the export delay after the last span.
    assert.equal(lateness.deadline(new Set(['api', 'never-seen']), at), 14_000 + EXPORT_DELAY);
  });

  it('three fast runs are not yet enough to wait less than the export delay', async () => {
    const { store, lateness } = learner();
    runs(store, lateness, 'api', [80, 120, 100]);
    await closeWindows();
    assert.equal(lateness.boundOf('api', EXPORT_DELAY), EXPORT_DELAY);
  });

  it('waits for a known slow service from the response, not from its last span: 5 s batches cost one wait, not two', async () => {
    const { store, lateness } = learner();
    runs(store, lateness, 'worker', [5_000, 5_100, 4_900]);
    await closeWindows();
    assert.equal(lateness.boundOf('worker', EXPORT_DELAY), Math.ceil(5_100 * 1.25));
    assert.equal(lateness.deadline(new Set(['worker']), { ...at, since: 15_100 }), 10_000 + 6_375);
  });

  it('learns from spans that arrive after the judgement: a fast-looking service that was late is not fast', async () => {
    const { store, lateness } = learner();
    for (let i = 0; i < 5; i++) {
      const { watch, traceId, respondedAt } = run(store, lateness, { api: 90 });
      watch.judged(true);
      // Judged at 400 ms; the rest of the trace comes with the next 5 s tick.
      clock = respondedAt + 4_900;
      store.add([makeSpan({ name: 'late part', service: 'api', traceId })]);
      clock += 1_000;
    }
    await closeWindows();
    assert.deepEqual(lateness.samplesOf('api'), [4_900, 4_900, 4_900, 4_900, 4_900]);
    assert.equal(lateness.boundOf('api', EXPORT_DELAY), Math.ceil(4_900 * 1.25));
  });

  it('reports spans that arrive after a judged trace, not after a trace that errored', () => {
    const { store, lateness } = learner();
    const late: LateSpans[] = [];
    const judged = run(store, lateness, { api: 50 }, (l) => late.push(l));
    judged.watch.judged(true);
    clock = judged.respondedAt + 4_000;
    store.add([makeSpan({ name: 'a', service: 'worker', traceId: judged.traceId }), makeSpan({ name: 'b', service: 'worker', traceId: judged.traceId })]);
    assert.deepEqual(late, [{ service: 'worker', spans: 2, afterResponseMs: 4_000 }]);

    const errored = run(store, lateness, { api: 50 }, (l) => late.push(l));
    errored.watch.judged(false);
    store.add([makeSpan({ name: 'c', service: 'worker', traceId: errored.traceId })]);
    assert.equal(late.length, 1);
  });

  it('keeps the last 20 samples: one slow run keeps a service off the fast path for 20 runs', async () => {
    const { store, lateness } = learner();
    runs(store, lateness, 'api', [3_000, ...Array<number>(19).fill(100)]);
    await closeWindows();
    assert.equal(lateness.boundOf('api', EXPORT_DELAY), EXPORT_DELAY);
    runs(store, lateness, 'api', [100]);
    await closeWindows();
    assert.equal(lateness.samplesOf('api').length, 20);
    assert.equal(lateness.boundOf('api', EXPORT_DELAY), 300);
  });
});
