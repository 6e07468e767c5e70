// The embedded receiver's trace source: it waits on the TraceStore (no polling) and finishes when the trace has
// settled — quiet, parents present (or given up on with a warning), selectors matched (or retries used up) — or
// says what it saw when time runs out.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RawSpan } from '../../../src/core/trace/model';
import { TraceStore } from '../../../src/run/sources/otlp/store';
import { ReceiverSource } from '../../../src/run/sources/receiver-source';
import { NO_EXPECTATIONS } from '../../../src/run/sources/expectations';
import type { LateSpans } from '../../../src/run/sources/lateness';
import type { CollectOutcome, CollectProgress } from '../../../src/run/sources/types';
import { collectRequest, failed, makeSpan, ok, pokeshopSpans, selectorsMatching, TRACE_ID, TRIGGER_SPAN_ID } from './support';

const DESCRIPTION = 'the embedded OTLP receiver (127.0.0.1:4318 HTTP, 127.0.0.1:4317 gRPC)';

function setup(): { store: TraceStore; source: ReceiverSource } {
  const store = new TraceStore();
  return { store, source: new ReceiverSource(store, DESCRIPTION) };
}

function names(outcome: CollectOutcome): string[] {
  return outcome.spans.map((s) => s.name).sort();
}

describe('ReceiverSource', () => {
  it('takes spans that arrived before collect() was called', async () => {
    const { store, source } = setup();
    const spans = pokeshopSpans();
    store.add(spans);
    const progress: CollectProgress[] = [];
    const outcome = ok(await source.collect(collectRequest({ onProgress: (p) => progress.push(p) })));
    assert.equal(outcome.spans.length, 8);
    assert.deepEqual(outcome.warnings, []);
    assert.deepEqual(progress.at(-1), { spans: 8, services: ['pokeshop-api', 'pokeshop-worker'] });
  });

  it('returns a copy: spans arriving later do not change the result', async () => {
    const { store, source } = setup();
    store.add([makeSpan({ name: 'GET /pokemon' })]);
    const outcome = ok(await source.collect(collectRequest()));
    store.add([makeSpan({ name: 'late' })]);
    assert.deepEqual(names(outcome), ['GET /pokemon']);
    assert.equal(store.get(TRACE_ID)!.spans.length, 2);
  });

  it('collects spans trickling in over several batches and reports progress on the way', async () => {
    const { store, source } = setup();
    const spans = pokeshopSpans();
    const progress: CollectProgress[] = [];
    const pending = source.collect(collectRequest({ quietMs: 200, onProgress: (p) => progress.push(p) }));
    for (const span of spans) {
      store.add([span]);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const outcome = ok(await pending);
    assert.equal(outcome.spans.length, 8);
    assert.deepEqual(
      outcome.spans.map((s) => s.id),
      spans.map((s) => s.id),
    );
    assert.ok(progress.length >= 1);
    assert.deepEqual(progress.at(-1), { spans: 8, services: ['pokeshop-api', 'pokeshop-worker'] });
    const counts = progress.map((p) => p.spans);
    assert.deepEqual(
      counts,
      [...counts].sort((a, b) => a - b),
      'progress counts only grow',
    );
  });

  it('throttles progress: a burst of batches gives far fewer calls, ending on the final count', async () => {
    const { store, source } = setup();
    const progress: CollectProgress[] = [];
    const pending = source.collect(collectRequest({ onProgress: (p) => progress.push(p) }));
    for (let i = 0; i < 200; i++) store.add([makeSpan({ name: `span ${i}`, service: i % 2 ? 'worker' : 'api' })]);
    ok(await pending);
    assert.ok(progress.length < 10, `${progress.length} progress calls for 200 batches`);
    assert.deepEqual(progress.at(-1), { spans: 200, services: ['api', 'worker'] });
  });

  it('waits for selectors that match nothing yet: the async worker spans arrive after the first quiet window', async () => {
    const { store, source } = setup();
    const spans = pokeshopSpans();
    const api = spans.filter((s) => s.resource.get('service.name') === 'pokeshop-api');
    const worker = spans.filter((s) => s.resource.get('service.name') === 'pokeshop-worker');
    const check = selectorsMatching(['span[name="import pokemon"]']);
    let windows = 0;
    store.add(api);
    const outcome = ok(
      await source.collect(
        collectRequest({
          selectorMatchRetries: 5,
          unmatchedSelectors: (seen) => {
            // The first quiet window has passed with the API spans only: now the worker's spans come in.
            if (windows++ === 0) setImmediate(() => store.add(worker));
            return check(seen);
          },
        }),
      ),
    );
    assert.equal(outcome.spans.length, 8);
    assert.ok(windows >= 2);
  });

  it('finishes OK with the selectors still unmatched once selectorMatchRetries windows are used up', async () => {
    const { store, source } = setup();
    store.add(pokeshopSpans());
    const calls = { count: 0 };
    const outcome = ok(
      await source.collect(collectRequest({ selectorMatchRetries: 3, unmatchedSelectors: selectorsMatching(['span[name="never there"]'], calls) })),
    );
    assert.equal(outcome.spans.length, 8);
    // One check per quiet window: the first, then one per retry.
    assert.equal(calls.count, 4);
  });

  it('waits for a missing parent, up to the export delay after the last span', async () => {
    const { store, source } = setup();
    const parent = makeSpan({ name: 'POST /pokemon', id: '1111111111111111' });
    const child = makeSpan({ name: 'pg.query INSERT', parentId: parent.id });
    store.add([child]);
    let windows = 0;
    const outcome = ok(
      await source.collect(
        collectRequest({
          exportDelayMs: 200,
          unmatchedSelectors: () => {
            if (windows++ === 0) setImmediate(() => store.add([parent]));
            return [];
          },
        }),
      ),
    );
    assert.deepEqual(names(outcome), ['POST /pokemon', 'pg.query INSERT']);
    assert.deepEqual(outcome.warnings, []);
  });

  it('goes on when a parent never arrives (the trace built from the spans lists it among its problems)', async () => {
    const { store, source } = setup();
    store.add([makeSpan({ name: 'GET /pokemon' }), makeSpan({ name: 'consume', parentId: 'feedfacefeedface', service: 'worker' })]);
    const outcome = ok(await source.collect(collectRequest({ exportDelayMs: 50 })));
    assert.equal(outcome.spans.length, 2);
    assert.deepEqual(outcome.warnings, []);
  });

  it('does not count spans under the trigger span or without a parent as gaps', async () => {
    const { store, source } = setup();
    store.add([makeSpan({ name: 'child of trigger', parentId: TRIGGER_SPAN_ID }), makeSpan({ name: 'a root', parentId: '' })]);
    assert.deepEqual(ok(await source.collect(collectRequest())).warnings, []);
  });

  it('times out with what it saw: span count, services and the selectors that matched nothing', async () => {
    const { store, source } = setup();
    store.add(pokeshopSpans());
    const outcome = failed(
      await source.collect(
        collectRequest({
          timeoutMs: 150,
          selectorMatchRetries: 1_000_000,
          unmatchedSelectors: selectorsMatching(['span[name="import pokemon"]', 'span[name="charge card"]', 'span[tracetest.span.type="database"]']),
        }),
      ),
    );
    assert.equal(
      outcome.message,
      'trace 4bf92f… was not complete after 150ms: 8 spans from pokeshop-api, pokeshop-worker; selectors that matched nothing: span[name="charge card"]',
    );
    assert.equal(outcome.spans.length, 8);
  });

  it('says when spans were still arriving at the timeout', async () => {
    const { store, source } = setup();
    const feeder = setInterval(() => store.add([makeSpan({ name: 'tick', service: 'poller' })]), 5);
    try {
      const outcome = failed(await source.collect(collectRequest({ timeoutMs: 100, quietMs: 1_000 })));
      assert.match(outcome.message, /^trace 4bf92f… was not complete after 100ms: \d+ spans from poller; spans were still arriving$/);
    } finally {
      clearInterval(feeder);
    }
  });

  it('with no span at all, says where it listened and what to check', async () => {
    const { source } = setup();
    const outcome = failed(await source.collect(collectRequest({ timeoutMs: 50 })));
    assert.equal(
      outcome.message,
      `no spans of trace 4bf92f… arrived at ${DESCRIPTION} within 50ms — is the service exporting OTLP to it, and does it propagate the traceparent header?`,
    );
    assert.deepEqual(outcome.spans, []);
  });

  it('stops at once when cancelled, keeping what arrived', async () => {
    const { store, source } = setup();
    const controller = new AbortController();
    store.add([makeSpan({ name: 'GET /pokemon' })]);
    const pending = source.collect(collectRequest({ signal: controller.signal, timeoutMs: 60_000, quietMs: 60_000 }));
    controller.abort();
    const outcome = failed(await pending);
    assert.equal(outcome.message, 'cancelled');
    assert.deepEqual(names(outcome), ['GET /pokemon']);
  });

  it('does not start when the signal is already aborted', async () => {
    const { source } = setup();
    const outcome = failed(await source.collect(collectRequest({ signal: AbortSignal.abort(), timeoutMs: 60_000 })));
    assert.equal(outcome.message, 'cancelled');
  });

  it('lets go of the trace when done, so the store may evict it', async () => {
    const store = new TraceStore({ maxTraces: 1, maxSpansPerTrace: 100 });
    const source = new ReceiverSource(store, DESCRIPTION);
    store.add([makeSpan({ name: 'first' })]);
    ok(await source.collect(collectRequest()));
    store.add([makeSpan({ name: 'other', traceId: 'ffffffffffffffffffffffffffffffff' })]);
    assert.equal(store.get(TRACE_ID), undefined);
  });

  it('keeps 20 concurrent collects on one store apart', async () => {
    const { store, source } = setup();
    const traceIds = Array.from({ length: 20 }, (_, i) => (i + 1).toString(16).padStart(32, '0'));
    const pending = traceIds.map((traceId) =>
      source.collect(
        collectRequest({ traceId, quietMs: 40, selectorMatchRetries: 2, unmatchedSelectors: (spans) => (spans.length < 5 ? ['span[name="last"]'] : []) }),
      ),
    );
    // Interleaved batches, each holding spans of several traces, as one exporter batching many requests sends them.
    for (let round = 0; round < 5; round++) {
      const batch: RawSpan[] = [];
      for (const traceId of traceIds) batch.push(makeSpan({ name: `${traceId.slice(-2)}-${round}`, traceId, service: `svc-${round}` }));
      store.add(batch);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const outcomes = await Promise.all(pending);
    outcomes.forEach((outcome, i) => {
      const traceId = traceIds[i]!;
      const result = ok(outcome);
      assert.equal(result.spans.length, 5);
      assert.ok(result.spans.every((s) => s.traceId === traceId));
      assert.deepEqual(
        names(result),
        [0, 1, 2, 3, 4].map((r) => `${traceId.slice(-2)}-${r}`),
      );
    });
  });

  it('survives a throwing progress callback and selector check', async () => {
    const { store, source } = setup();
    store.add([makeSpan({ name: 'GET /pokemon' })]);
    const outcome = ok(
      await source.collect(
        collectRequest({
          onProgress: () => {
            throw new Error('display broke');
          },
          unmatchedSelectors: () => {
            throw new Error('selector bug');
          },
        }),
      ),
    );
    assert.deepEqual(outcome.warnings, ['checking the selectors failed: selector bug']);
  });

  describe('waits for what the test still expects, within the export delay', () => {
    it("waits for a service of the test's last run, and judges as soon as it came", async () => {
      const { store, source } = setup();
      store.add([makeSpan({ name: 'GET /pokemon', service: 'api' })]);
      let checks = 0;
      const progress: CollectProgress[] = [];
      const outcome = ok(
        await source.collect(
          collectRequest({
            // Waiting for the whole export delay would run into the timeout, which says so in a warning.
            timeoutMs: 20_000,
            exportDelayMs: 60_000,
            expectations: { ...NO_EXPECTATIONS, previous: { services: { api: 1, worker: 1 } } },
            unmatchedSelectors: () => {
              if (checks++ === 0) setTimeout(() => store.add([makeSpan({ name: 'consume', service: 'worker' })]), 300);
              return [];
            },
            onProgress: (p) => progress.push(p),
          }),
        ),
      );
      assert.deepEqual(names(outcome), ['GET /pokemon', 'consume']);
      assert.deepEqual(outcome.warnings, [], 'judged when the worker came, not at the end of the wait');
      const waiting = progress.find((p) => p.waiting)?.waiting;
      assert.deepEqual(waiting?.reasons, ['spans from worker (seen in the last run)']);
      assert.ok(waiting.until > Date.now() + 5_000, 'up to the export delay');
      assert.equal(progress.at(-1)?.waiting, undefined, 'the final progress waits for nothing');
    });

    it('gives up on a service of the last run after the export delay, with a warning', async () => {
      const { store, source } = setup();
      store.add([makeSpan({ name: 'GET /pokemon', service: 'api' })]);
      const outcome = ok(
        await source.collect(collectRequest({ exportDelayMs: 80, expectations: { ...NO_EXPECTATIONS, previous: { services: { api: 1, worker: 2 } } } })),
      );
      assert.deepEqual(outcome.warnings, ['no span from worker arrived this time (it sent 2 spans in the last run)']);
    });

    it('judges a selector that matches nothing only after the export delay: a span that comes then is seen', async () => {
      const { store, source } = setup();
      store.add([makeSpan({ name: 'GET /pokemon', service: 'api' })]);
      const check = selectorsMatching(['span[name="charge card"]']);
      let checks = 0;
      const outcome = ok(
        await source.collect(
          collectRequest({
            exportDelayMs: 400,
            unmatchedSelectors: (spans) => {
              // The span comes 200 ms after the first quiet window: after the old selector retries, within the delay.
              if (checks++ === 0) setTimeout(() => store.add([makeSpan({ name: 'charge card', service: 'billing' })]), 200);
              return check(spans);
            },
          }),
        ),
      );
      assert.deepEqual(names(outcome), ['GET /pokemon', 'charge card']);
    });

    it('judges a spec that counts spans only after the export delay, even when its selector matches', async () => {
      const { store, source } = setup();
      store.add([makeSpan({ name: 'SELECT', service: 'api' })]);
      setTimeout(() => store.add([makeSpan({ name: 'SELECT', service: 'api' })]), 150);
      const outcome = ok(
        await source.collect(collectRequest({ exportDelayMs: 400, expectations: { ...NO_EXPECTATIONS, countSelectors: ['span[name="SELECT"]'] } })),
      );
      assert.equal(outcome.spans.length, 2);
    });

    it('never waits past the timeout: a quiet trace is judged before it, with a warning', async () => {
      const { store, source } = setup();
      store.add([makeSpan({ name: 'GET /pokemon' })]);
      const outcome = ok(
        await source.collect(collectRequest({ timeoutMs: 300, exportDelayMs: 60_000, unmatchedSelectors: selectorsMatching(['span[name="never there"]']) })),
      );
      assert.deepEqual(outcome.warnings, [
        'stopped waiting for a span matching span[name="never there"] at the 300ms timeout: the trace was judged as it was (raise the timeout above the export delay)',
      ]);
    });

    it('tells about spans that arrive after the trace was judged', async () => {
      const { store, source } = setup();
      store.add([makeSpan({ name: 'GET /pokemon', service: 'api' })]);
      const late: LateSpans[] = [];
      ok(await source.collect(collectRequest({ respondedAt: performance.now(), onLateSpans: (l) => late.push(l) })));
      store.add([makeSpan({ name: 'consume', service: 'worker' })]);
      assert.equal(late.length, 1);
      assert.equal(late[0]?.service, 'worker');
      assert.equal(late[0]?.spans, 1);
      source.dispose();
    });
  });
});
