// `npm run bench`: the trace panel in headless Chromium (the built bundle, as the editor loads it): show → interactive
// for 1k–100k generated spans, split into its phases; pan/zoom frame times on the graph; and the elkjs layout of an
// aggregated graph of ~300 nodes. Writes bench/panel-results.json with the machine it ran on. Medians of repeated runs.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { ROOT } from '../scripts/code-server';
import { buildTrace } from '../src/core/trace/build';
import type { RawSpan } from '../src/core/trace/model';
import { toWireTrace } from '../src/core/trace/wire';
import type { ShowMessage } from '../src/protocol';
import { generateRawSpans, GENERATED_TRACE_ID } from '../test/support/generated-trace';
import { launchChromium, openWebview } from '../test/webview/support/browser';

const SIZES = [1_000, 10_000, 50_000, 100_000];
const RUNS = 3;
const FRAMES = 60;
const BUNDLE = join(ROOT, 'dist', 'webview', 'panel.js');
const CSS = ['media/panel.css', 'media/graph.css', 'media/timeline.css'];

function message(raw: RawSpan[]): ShowMessage {
  return {
    type: 'show',
    test: { file: '/bench/orders.yaml', label: 'orders.yaml', key: 'orders', name: 'Orders', status: 'passed', durationMs: 1 },
    trace: toWireTrace(buildTrace(raw, { traceId: GENERATED_TRACE_ID })),
    specs: [],
    outputs: [],
    variables: [],
  };
}

/** A trace whose graph has ~300 distinct nodes (no repeated siblings to aggregate): the elkjs path at its limit. */
function distinctNodes(count: number): RawSpan[] {
  return generateRawSpans(count).map((s, i) => ({ ...s, name: `${s.name} #${i}` }));
}

interface Shown {
  /** postMessage → first frame with the trace drawn. */
  interactiveMs: number;
  /** postMessage → the graph drawn (the elkjs layout comes back from its worker after the first frame). */
  graphDrawnMs: number;
  /** Phases after the message arrived: structured clone, protocol check, model, first view. */
  phases: Record<string, number>;
  mode: string;
}

/** Posts the message the way the extension does (a structured clone) and waits, frame by frame, for the trace and the graph. */
async function show(page: Page, json: string): Promise<Shown> {
  await page.evaluate((text) => {
    (globalThis as unknown as { __message: unknown }).__message = JSON.parse(text);
  }, json);
  return page.evaluate(
    () =>
      new Promise<Shown>((resolve) => {
        const g = globalThis as unknown as {
          document: { body: { dataset: Record<string, string> }; querySelector(s: string): { dataset: Record<string, string> } | null };
          postMessage(m: unknown, o: string): void;
          requestAnimationFrame(cb: () => void): void;
          __message: unknown;
        };
        const body = g.document.body;
        const before = Number(body.dataset.shown ?? '0');
        const started = performance.now();
        let interactiveMs: number | undefined;
        const poll = () => {
          const now = performance.now();
          if (interactiveMs === undefined && Number(body.dataset.shown ?? '0') > before) interactiveMs = now - started;
          const drawn = g.document.querySelector('.graph-view[data-mode="svg"] [data-span-id], .graph-view[data-mode="canvas"] canvas');
          if (interactiveMs === undefined || !drawn) {
            g.requestAnimationFrame(poll);
            return;
          }
          const at = (name: string) => performance.getEntriesByName(`tracelens:${name}`).at(-1)!.startTime;
          resolve({
            interactiveMs,
            graphDrawnMs: now - started,
            phases: {
              clone: at('received') - started,
              check: at('checked') - at('received'),
              model: at('model') - at('checked'),
              view: at('view') - at('model'),
              firstFrame: at('shown') - at('view'),
            },
            mode: g.document.querySelector('.graph-view')?.dataset.mode ?? '',
          });
        };
        g.postMessage(g.__message, '*');
        g.requestAnimationFrame(poll);
      }),
  );
}

/** Zooms and pans the graph one step per frame; frame intervals from requestAnimationFrame timestamps. */
async function frames(page: Page): Promise<{ medianMs: number; p95Ms: number }> {
  const box = await page.locator('.graph-view').boundingBox();
  if (!box) throw new Error('no graph');
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.mouse.move(cx, cy);
  await page.evaluate((count) => {
    const g = globalThis as unknown as { __frames: number[]; requestAnimationFrame(cb: (t: number) => void): void };
    g.__frames = [];
    let n = 0;
    const tick = (t: number) => {
      g.__frames.push(t);
      if (++n <= count) g.requestAnimationFrame(tick);
    };
    g.requestAnimationFrame(tick);
  }, FRAMES);
  for (let i = 0; i < FRAMES / 2; i++) await page.mouse.wheel(0, i % 2 === 0 ? -120 : 60);
  await page.mouse.down();
  for (let i = 0; i < FRAMES / 2; i++) await page.mouse.move(cx + (i % 10) * 12, cy + (i % 7) * 9);
  await page.mouse.up();
  const stamps = await page.evaluate(() => (globalThis as unknown as { __frames: number[] }).__frames);
  const intervals = stamps.slice(1).map((t, i) => t - stamps[i]!).sort((a, b) => a - b);
  return { medianMs: intervals[Math.floor(intervals.length / 2)] ?? NaN, p95Ms: intervals[Math.floor(intervals.length * 0.95)] ?? NaN };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  if (!existsSync(BUNDLE)) execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  const script = readFileSync(BUNDLE, 'utf8');
  const browser = await launchChromium();
  const rows: Array<Record<string, unknown>> = [];
  try {
    const cases: Array<[string, number, RawSpan[]]> = [
      ...SIZES.map((n): [string, number, RawSpan[]] => ['generated', n, generateRawSpans(n)]),
      ['~300 distinct nodes (elkjs)', 300, distinctNodes(300)],
    ];
    for (const [name, spans, raw] of cases) {
      const json = JSON.stringify(message(raw));
      const runs: Array<Shown & { frames?: { medianMs: number; p95Ms: number } }> = [];
      for (let r = 0; r < RUNS; r++) {
        const panel = await openWebview(browser, script, { css: CSS, body: '<div id="app"></div>', width: 1400, height: 900 });
        const shown = await show(panel.page, json);
        const framesMeasured = r === 0 ? await frames(panel.page) : undefined;
        runs.push({ ...shown, ...(framesMeasured ? { frames: framesMeasured } : {}) });
        await panel.page.close();
      }
      const phases = Object.fromEntries(Object.keys(runs[0]!.phases).map((k) => [k, median(runs.map((r) => r.phases[k]!))]));
      const row = {
        case: name,
        spans,
        graph: runs[0]!.mode,
        interactiveMs: median(runs.map((r) => r.interactiveMs)),
        graphDrawnMs: median(runs.map((r) => r.graphDrawnMs)),
        phases,
        frameMedianMs: runs[0]!.frames?.medianMs,
        frameP95Ms: runs[0]!.frames?.p95Ms,
      };
      rows.push(row);
      const f = (x: number | undefined) => (x === undefined ? '' : x.toFixed(1));
      console.log(
        `${name.padEnd(28)} ${String(spans).padStart(7)} spans  ${row.graph.padEnd(6)} interactive ${f(row.interactiveMs).padStart(7)} ms  graph drawn ${f(row.graphDrawnMs).padStart(7)} ms  ` +
          `frames ${f(row.frameMedianMs)} / p95 ${f(row.frameP95Ms)} ms  [${Object.entries(phases).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}]`,
      );
    }
  } finally {
    await browser.close();
  }
  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, chromium: browserVersion() };
  const targets = { '10k spans interactive': '≤ 500 ms', '10k pan/zoom frame median': '≤ 16 ms', '50k spans interactive': '≤ 1500 ms', 'elkjs graph of ≤ 300 nodes': '≤ 300 ms' };
  writeFileSync(new URL('./panel-results.json', import.meta.url), `${JSON.stringify({ date: new Date().toISOString(), machine, targets, results: rows }, null, 2)}\n`);
}

function browserVersion(): string {
  try {
    return execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

void main();
