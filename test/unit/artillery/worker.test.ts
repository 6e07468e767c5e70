// A worker's sampled requests as the plugin's hooks hand them over, without Artillery: traces of a real instrumented
// service, exported to the real receiver and read back through Tempo's query API, judged into the counters Artillery
// is given; the bounds (checks at once, the wait at the end); the ids file.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parsePluginConfig } from '../../../src/artillery/config';
import { loadTest, openSink } from '../../../src/artillery/plugin';
import type { Metrics } from '../../../src/artillery/worker';
import { newTraceContext } from '../../../src/run/triggers/context';
import { startTempoLike, type TempoLike } from '../../support/tempo-api';
import { startTracedService, type TracedService } from '../../support/traced-service';

class Recorded implements Metrics {
  readonly counters = new Map<string, number>();
  readonly histograms = new Map<string, number[]>();
  emit(type: 'counter' | 'histogram', name: string, value: number): void {
    if (type === 'counter') this.counters.set(name, (this.counters.get(name) ?? 0) + value);
    else this.histograms.set(name, [...(this.histograms.get(name) ?? []), value]);
  }
  count(name: string): number | undefined {
    return this.counters.get(`tracelens.${name}`);
  }
}

function testFile(orderId: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'tracelens-artillery-worker-'));
  writeFileSync(
    join(dir, 'orders.yaml'),
    `type: Test\nspec:\n  name: Orders\n  trigger:\n    type: http\n    httpRequest: { method: POST, url: "http://shop/orders" }\n  specs:\n  - name: Order processed\n    selector: span[name="process order"]\n    assertions:\n    - attr:order.id = ${orderId}\n`,
  );
  return dir;
}

describe('a worker judging its sampled traces', () => {
  let tempo: TempoLike;
  let service: TracedService;
  before(async () => {
    tempo = await startTempoLike();
    service = await startTracedService(tempo.otlpUrl);
  });
  after(async () => {
    await service.close();
    await tempo.close();
  });

  /** A request carrying a new trace context, as the plugin's beforeRequest sends it; its trace id. */
  async function order(): Promise<string> {
    const { traceId, spanId } = newTraceContext();
    const res = await fetch(`${service.url}/orders`, { method: 'POST', headers: { traceparent: `00-${traceId}-${spanId}-01` } });
    assert.equal(res.status, 201);
    return traceId;
  }

  async function sink(orderId: number, settings: Record<string, unknown> = {}) {
    const dir = testFile(orderId);
    const config = parsePluginConfig({ test: 'orders.yaml', dataStore: `tempo=${tempo.url}`, exportDelay: '300ms', timeout: '5s', ...settings }, dir);
    const printed: string[] = [];
    return { sink: await openSink(config, loadTest(config.test), (line) => printed.push(line)), printed };
  }

  test('each verdict is counted: traces by outcome, specs by outcome, the time to the verdict; every counter starts at 0', async () => {
    const { sink: worker, printed } = await sink(8);
    const metrics = new Recorded();
    const ids = [await order(), await order()];
    for (const id of ids) worker.answered(id, metrics);
    assert.equal(worker.inFlight, 2);
    assert.equal(metrics.count('traces_passed'), 0, 'present before any verdict, for ensure');
    await worker.drain(10_000);
    await worker.close();
    assert.deepEqual(
      ['traces_sampled', 'traces_checked', 'traces_passed', 'traces_failed', 'traces_errored', 'traces_unresolved', 'traces_skipped'].map((n) =>
        metrics.count(n),
      ),
      [2, 2, 0, 2, 0, 0, 0],
    );
    assert.equal(metrics.count('spec.order_processed.failed'), 2);
    assert.equal(metrics.count('spec.order_processed.passed'), 0);
    assert.equal(metrics.histograms.get('tracelens.check_ms')?.length, 2);
    assert.deepEqual(printed.sort(), ids.map((id) => `tracelens: trace ${id} failed: Order processed: attr:order.id = 8 (observed 7)`).sort());
  });

  test('beyond maxChecks a sampled trace is counted as skipped, not judged', async () => {
    const { sink: worker } = await sink(7, { maxChecks: 1 });
    const metrics = new Recorded();
    worker.answered(await order(), metrics);
    worker.answered(await order(), metrics);
    await worker.drain(10_000);
    await worker.close();
    assert.deepEqual([metrics.count('traces_sampled'), metrics.count('traces_passed'), metrics.count('traces_skipped')], [2, 1, 1]);
  });

  test('the wait at the end is bounded: traces still being judged then are counted unresolved, once', async () => {
    const { sink: worker, printed } = await sink(7, { timeout: '30s' });
    const metrics = new Recorded();
    // Never exported: Tempo answers 404 until the check's timeout.
    worker.answered(newTraceContext().traceId, metrics);
    const started = Date.now();
    await worker.drain(300);
    assert.ok(Date.now() - started < 5_000);
    assert.equal(worker.inFlight, 0);
    assert.equal(metrics.count('traces_unresolved'), 1);
    assert.match(printed.join('\n'), /1 sampled trace\(s\) still being judged after 300 ms at the end of the load: counted unresolved/);
    await worker.close();
  });
});

test('without a data store the sampled ids are appended to the file, one a line', async () => {
  const dir = testFile(7);
  const config = parsePluginConfig({ test: 'orders.yaml', traceIdsFile: 'ids.txt' }, dir);
  writeFileSync(config.traceIdsFile, 'left by the main process\n');
  const worker = await openSink(config, loadTest(config.test));
  const metrics = new Recorded();
  const ids = [newTraceContext().traceId, newTraceContext().traceId];
  for (const id of ids) worker.answered(id, metrics);
  await worker.close();
  assert.equal(readFileSync(config.traceIdsFile, 'utf8'), `left by the main process\n${ids.join('\n')}\n`);
  assert.equal(metrics.count('traces_sampled'), 2);
});
