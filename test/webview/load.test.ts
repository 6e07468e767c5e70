// The real load panel bundle (dist/webview/load.js, built by `npm run build`) in headless Chromium with
// acquireVsCodeApi stubbed: the charts and the failing traces a person sees while a load runs, and what the page
// posts back (Stop, open a trace).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { FailingTrace, LoadHostMessage, LoadPoint, LoadTotals } from '../../src/load-protocol';
import { ROOT } from '../support/code-server';
import { launchChromium, openWebview, type WebviewPage } from './support/browser';

const BUNDLE = join(ROOT, 'dist', 'webview', 'load.js');
const SPECS = ['The import was accepted', 'It was stored once'];
const TRACE = { open: '4bf92f3577b34da6a3ce929d0e0e4736', gone: '0af7651916cd43dd8448eb211c80319c' };

let browser: Browser;
let script: string;

before(async () => {
  assert.ok(existsSync(BUNDLE), `${BUNDLE} is missing: run npm run build first`);
  script = readFileSync(BUNDLE, 'utf8');
  browser = await launchChromium();
});

after(() => browser?.close());

/** Second s of a 20 req/s load: the second spec fails from second 8 on, and nothing was judged in second 5. */
function point(s: number): LoadPoint {
  const judged = s !== 5;
  return {
    t: s,
    requested: 20,
    achieved: s === 1 ? 14 : 20,
    latencyP50: 10 + s,
    latencyP95: 30 + 2 * s,
    specs: [
      { passRate: judged ? 1 : null, spanP50: judged ? 3 : null, spanP95: judged ? 6 : null },
      { passRate: judged ? (s >= 8 ? 0.5 : 1) : null, spanP50: judged ? 12 : null, spanP95: judged ? 40 : null },
    ],
  };
}

const FAILING: FailingTrace[] = [
  { traceId: TRACE.open, at: Date.UTC(2026, 11, 5, 11, 0, 9), status: 'failed', specs: ['It was stored once'], open: true },
  { traceId: TRACE.gone, at: Date.UTC(2026, 11, 5, 11, 0, 8), status: 'errored', specs: [], error: 'trigger: connect ECONNREFUSED', open: false },
];

const TOTALS: LoadTotals = {
  elapsedMs: 10_000,
  requests: 194,
  errors: 1,
  checked: 19,
  passed: 17,
  failed: 1,
  errored: 1,
  unresolved: 0,
  passRate: 0.8947,
  latencyP95: 48.2,
};

function session(seconds: number): LoadHostMessage {
  return {
    type: 'session',
    info: { test: { name: 'Import under load', label: 'tests/import.yaml' }, specs: SPECS, profile: '20 req/s for 30s, sample 0.1', durationMs: 30_000 },
    status: 'running',
    points: Array.from({ length: seconds }, (_, i) => point(i + 1)),
    failing: FAILING,
    totals: TOTALS,
  };
}

async function page(): Promise<WebviewPage> {
  const p = await openWebview(browser, script, { css: ['media/load.css'], body: '<div id="app"></div>', width: 1200, height: 900 });
  await p.page.waitForFunction(() => (globalThis as unknown as { __posted: unknown[] }).__posted.length > 0);
  return p;
}

async function points(p: Page, n: number): Promise<void> {
  await p.waitForFunction(
    (count) => (globalThis as unknown as { document: { body: { dataset: Record<string, string> } } }).document.body.dataset.points === String(count),
    n,
  );
}

const series = (p: Page, chart: string, name: string) => p.locator(`[data-chart="${chart}"] .series[data-series="${name}"]`);

/** The points a line's path goes through, per unbroken run. */
async function segments(p: Page, chart: string, name: string): Promise<number[]> {
  const d = (await series(p, chart, name).locator('path').getAttribute('d')) ?? '';
  return d
    .split('M')
    .filter((s) => s !== '')
    .map((s) => s.split('L').length);
}

describe('the load panel in Chromium', () => {
  test('says ready, then draws the four charts from the series and lists the failing traces', async () => {
    const p = await page();
    assert.deepEqual(await p.posted(), [{ type: 'ready' }]);
    await p.send(session(10));
    await points(p.page, 10);
    const { page: pg } = p;
    assert.equal(await pg.locator('.load-title').textContent(), 'Import under load · tests/import.yaml');
    assert.equal(await pg.locator('.load-status').textContent(), 'running 10/30 s');
    assert.match(
      (await pg.locator('.load-totals').textContent())!,
      /194 requests, 1 errors · p95 48\.2 ms · 19 traces checked: 17 passed, 1 failed, 1 errored · pass rate 89\.47%/,
    );
    assert.deepEqual(await pg.locator('.chart figcaption').allTextContents(), [
      'Requests per second',
      'Latency',
      'Pass rate per spec',
      'Duration of the spans each spec selects',
    ]);
    assert.deepEqual(await segments(pg, 'rate', 'achieved'), [10]);
    assert.deepEqual(await segments(pg, 'latency', 'p95'), [10]);
    // The second with no judged trace is a gap in the spec lines.
    assert.deepEqual(await segments(pg, 'pass-rate', 'It was stored once'), [4, 5]);
    assert.deepEqual(await segments(pg, 'span-durations', 'The import was accepted p95'), [4, 5]);
    // The failing spec's line ends lower than the passing one's.
    const lastY = async (name: string) => Number((await series(pg, 'pass-rate', name).locator('path').getAttribute('d'))!.split(',').at(-1));
    assert.ok((await lastY('It was stored once')) > (await lastY('The import was accepted')), 'svg y grows downwards: 50% is below 100%');
    assert.deepEqual(await pg.locator('[data-chart="pass-rate"] .legend-item').allTextContents(), ['The import was accepted 100%', 'It was stored once 50%']);
    assert.deepEqual(await pg.locator('[data-chart="rate"] .legend-item').allTextContents(), ['requested 20/s', 'achieved 20/s']);
    assert.deepEqual(await pg.locator('[data-chart="pass-rate"] .tick.y').allTextContents(), ['0%', '50%', '100%']);

    const rows = pg.locator('.failing tbody tr');
    assert.equal(await rows.count(), 2);
    const [id, time, status, specs] = await rows.nth(0).locator('td').allTextContents();
    assert.deepEqual([id, status, specs], [TRACE.open, 'failed', 'It was stored once']);
    assert.match(time!, /:00:09/);
    assert.equal(await rows.nth(1).locator('.specs').textContent(), 'trigger: connect ECONNREFUSED');
    assert.equal(await rows.nth(1).locator('button').isDisabled(), true);
  });

  test('a tick adds a second; a click on a failing trace asks to open it; Stop asks to stop', async () => {
    const p = await page();
    await p.send(session(10));
    await points(p.page, 10);
    await p.send({ type: 'tick', point: point(11), failing: FAILING, totals: { ...TOTALS, elapsedMs: 11_000 } } satisfies LoadHostMessage);
    await points(p.page, 11);
    assert.deepEqual(await segments(p.page, 'rate', 'achieved'), [11]);
    assert.equal(await p.page.locator('.load-status').textContent(), 'running 11/30 s');

    await p.page.locator(`.trace-link[data-trace-id="${TRACE.open}"]`).click();
    await p.page.locator(`.trace-link[data-trace-id="${TRACE.gone}"]`).click({ force: true });
    await p.page.locator('.stop').click();
    assert.deepEqual((await p.posted()).slice(1), [{ type: 'openTrace', traceId: TRACE.open }, { type: 'stop' }]);
    assert.equal(await p.page.locator('.stop').textContent(), 'Stopping…');
  });

  test('the end: its status, no Stop; a page built again gets it all from the snapshot; an error says why', async () => {
    const p = await page();
    await p.send({ ...session(30), status: 'failed', message: 'Failed: 600 requests, 1 errors; 60 traces checked' } as LoadHostMessage);
    await points(p.page, 30);
    assert.equal(await p.page.locator('.load-status').textContent(), 'failed');
    assert.equal(await p.page.locator('.stop').count(), 0);
    assert.deepEqual(await segments(p.page, 'latency', 'p50'), [30]);
    await p.send({ type: 'ended', status: 'error', message: 'port 4318 is in use', failing: [], totals: null } satisfies LoadHostMessage);
    await p.page.locator('.load-message', { hasText: 'port 4318 is in use' }).waitFor();
    assert.equal(await p.page.locator('.load-status').textContent(), 'error');
  });

  test('before the load starts, and with no failure: says so', async () => {
    const p = await page();
    assert.equal(await p.page.locator('.load-header').textContent(), 'Starting the load…');
    await p.send({ ...session(3), failing: [], totals: { ...TOTALS, failed: 0, errored: 0, passed: 19, passRate: 1 } } as LoadHostMessage);
    await points(p.page, 3);
    assert.equal(await p.page.locator('.failing p').textContent(), 'None: every trace checked passed.');
  });
});
