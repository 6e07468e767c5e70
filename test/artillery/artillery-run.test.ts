// artillery-plugin-tracelens in a real `artillery run` (installed on first use, see test/support/artillery.ts):
// requests to an instrumented service carry the plugin's traceparent, the service exports its spans to the real
// receiver behind Tempo's query API, and the sampled traces are judged by a Tracelens test, during the run (the
// verdicts in Artillery's JSON report, `ensure` failing the run) or afterwards with `tracelens check --trace-ids`.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { main } from '../../src/cli';
import { installArtillery, runArtillery } from '../support/artillery';
import { startTempoLike, type TempoLike } from '../support/tempo-api';
import { startTracedService, type TracedService } from '../support/traced-service';

/** A test of `POST /orders`: its order is processed by a consumer span 150 ms after the answer. */
function ordersTest(dir: string, orderId: number): string {
  const file = join(dir, 'orders.yaml');
  writeFileSync(
    file,
    `type: Test
spec:
  id: orders
  name: Orders under load
  trigger:
    type: http
    httpRequest:
      method: POST
      url: \${var:SHOP_URL}/orders
  specs:
  - name: Order processed once
    selector: span[name="process order"]
    assertions:
    - attr:tracetest.selected_spans.count = 1
    - attr:order.id = ${orderId}
  - selector: span[name="POST /orders"]
    assertions:
    - attr:http.response.status_code = 201
`,
  );
  return file;
}

/** An Artillery script: 3 s at 10 arrivals a second, each a `POST /orders`; `plugin` is the plugin's settings. */
function script(dir: string, target: string, plugin: string, ensure = ''): string {
  const file = join(dir, 'load.yml');
  writeFileSync(
    file,
    `config:
  target: ${target}
  phases:
    - duration: 3
      arrivalRate: 10
  plugins:
    tracelens:
${plugin
  .trim()
  .split('\n')
  .map((line) => `      ${line}`)
  .join('\n')}
${ensure}
scenarios:
  - flow:
      - post:
          url: /orders
          headers:
            traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01
`,
  );
  return file;
}

/** Artillery loads its ensure plugin when it is among the plugins. */
const ENSURE = `    ensure:
      conditions:
        - expression: tracelens.traces_checked > 0 and tracelens.traces_failed == 0`;
/** A threshold: fewer than one failed trace. */
const THRESHOLD = `    ensure:
      thresholds:
        - tracelens.traces_failed: 1`;

interface Report {
  aggregate: { counters: Record<string, number>; summaries: Record<string, { count: number; max: number }> };
}

function report(dir: string): Report['aggregate'] {
  return (JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report).aggregate;
}

describe('artillery-plugin-tracelens in artillery run', () => {
  let tempo: TempoLike;
  let service: TracedService;
  before(async () => {
    const seconds = installArtillery();
    if (seconds > 0) process.stderr.write(`(Artillery installed in ${seconds} s)\n`);
    tempo = await startTempoLike();
    service = await startTracedService(tempo.otlpUrl);
  });
  after(async () => {
    await service?.close();
    await tempo?.close();
  });

  /** `artillery run` of the orders test expecting `orderId`, with these plugin settings; the report in `dir`. */
  async function artilleryRun(orderId: number, settings: string, ensure = '') {
    const dir = mkdtempSync(join(tmpdir(), 'tracelens-artillery-'));
    const testFile = ordersTest(dir, orderId);
    const run = await runArtillery(['run', script(dir, service.url, settings, ensure), '--output', join(dir, 'report.json')], { cwd: dir });
    return { dir, testFile, run };
  }

  const withTempo = (sample: number) => `test: orders.yaml\nsample: ${sample}\ndataStore: tempo=${tempo.url}\nexportDelay: 500ms\ntimeout: 10s`;

  test('judges the sampled traces against Tempo during the run; the verdicts are Artillery counters that ensure passes', async () => {
    const { dir, run } = await artilleryRun(7, withTempo(0.5), ENSURE);
    assert.equal(run.code, 0, run.output);
    const c = report(dir).counters;
    assert.equal(c['http.codes.201'], 30, run.output);
    const sampled = c['tracelens.traces_sampled']!;
    // 30 requests at 0.5: all but certainly between 5 and 25.
    assert.ok(sampled >= 5 && sampled <= 25, `sampled ${sampled}`);
    assert.equal(c['tracelens.traces_checked'], sampled, 'every sampled trace was judged before the report');
    assert.equal(c['tracelens.traces_passed'], sampled);
    assert.equal(c['tracelens.traces_failed'], 0);
    assert.equal(c['tracelens.traces_unresolved'], 0);
    assert.equal(c['tracelens.spec.order_processed_once.passed'], sampled);
    assert.equal(c['tracelens.spec.span_name_post_orders.passed'], sampled);
    assert.equal(report(dir).summaries['tracelens.check_ms']?.count, sampled);
  });

  test('a failing spec fails the run through an ensure threshold, and the failed traces are named in the output', async () => {
    const { dir, run } = await artilleryRun(8, withTempo(0.3), THRESHOLD);
    assert.notEqual(run.code, 0, run.output);
    const c = report(dir).counters;
    assert.ok(c['tracelens.traces_failed']! > 0, JSON.stringify(c));
    assert.equal(c['tracelens.traces_failed'], c['tracelens.traces_checked']);
    assert.equal(c['tracelens.spec.order_processed_once.failed'], c['tracelens.traces_failed']);
    assert.equal(c['tracelens.spec.span_name_post_orders.failed'], 0);
    assert.match(run.output, /tracelens: trace [0-9a-f]{32} failed: Order processed once: attr:order\.id = 8 \(observed 7\)/);
    assert.match(run.output, /fail: tracelens\.traces_failed < 1/);
  });

  test('without a data store the sampled ids go to a file that tracelens check --trace-ids judges', async () => {
    const { dir, testFile, run } = await artilleryRun(7, 'test: orders.yaml\nsample: 0.4\ntraceIdsFile: sampled.txt');
    assert.equal(run.code, 0, run.output);
    const ids = readFileSync(join(dir, 'sampled.txt'), 'utf8').trim().split('\n');
    assert.equal(ids.length, report(dir).counters['tracelens.traces_sampled']);
    assert.ok(ids.length > 0 && ids.every((id) => /^[0-9a-f]{32}$/.test(id)), ids.join(','));
    assert.equal(new Set(ids).size, ids.length, 'each request its own trace, whatever traceparent the script sets');

    let stdout = '';
    let stderr = '';
    const code = await main(
      [
        'check',
        testFile,
        '--trace-ids',
        join(dir, 'sampled.txt'),
        '--data-store',
        `tempo=${tempo.url}`,
        '--var',
        `SHOP_URL=${service.url}`,
        '--reporter',
        'json',
      ],
      { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env: {} },
    );
    assert.equal(code, 0, stderr);
    const checked = JSON.parse(stdout) as { traces: Record<string, number> };
    assert.deepEqual(checked.traces, { sampled: ids.length, checked: ids.length, passed: ids.length, failed: 0, errored: 0, unresolved: 0 });
  });
});
