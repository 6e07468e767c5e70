// `npm run bench`: the trace panel in headless Chromium (the built bundle, as the editor loads it). For generated
// traces of 1k–100k spans, and one million once: show → interactive, split into its phases; show → graph drawn, in a
// new panel (the elkjs worker still starting) and for the next run of the same test (warm); selecting a span; the
// page's JavaScript heap; the main thread's work per frame while the graph is zoomed and panned (from Chromium's
// trace, since vsync caps frame intervals at 16.7 ms). Realistic traces aggregate to a few dozen nodes; traces whose
// spans all have distinct names do not, and take the canvas path. Writes bench/panel-results.json with the machine
// it ran on. Medians of repeated runs. `panel.bench.ts 10000 100000` runs only those sizes and writes nothing;
// `--before <dir>` compares with an earlier build (see main).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { machine as machineInfo } from './measure';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, ROOT } from '../test/support/code-server';
import { buildTrace } from '../src/core/trace/build';
import type { RawSpan } from '../src/core/trace/model';
import { generateRawSpans, GENERATED_TRACE_ID } from '../test/support/generated-trace';
import { CODICON_CSS, launchChromium, openWebview } from '../test/webview/support/browser';
import { hostMessages, messageJson, showMessage } from '../test/webview/support/messages';

const SIZES = [1_000, 10_000, 50_000, 100_000];
const RUNS = 3;
/** One run of a million spans (it takes seconds), shown once: a second copy would only measure the garbage collector. */
const MILLION = 1_000_000;
/** The message text crosses into the page in pieces: one string of hundreds of MB is more than the driver takes. */
const CHUNK = 32 * 2 ** 20;
const FRAMES = 60;
const BUNDLE = join(ROOT, 'dist', 'webview', 'panel.js');
const CSS = [CODICON_CSS, 'media/panel.css', 'media/graph.css', 'media/timeline.css'];

/** Spans that all have distinct names: nothing aggregates (~300 is the elkjs path at its limit; more is the canvas). */
function distinctNodes(count: number): RawSpan[] {
  return generateRawSpans(count).map((s, i) => ({ ...s, name: `${s.name} #${i}` }));
}

interface Shown {
  /** postMessage → first frame with the trace drawn. */
  interactiveMs: number;
  /** postMessage → the graph drawn (the elkjs layout comes back from its worker after the first frame). */
  graphDrawnMs: number;
  /** Phases after the trace message arrived: structured clone, protocol check, model (with the results message), first view. */
  phases: Record<string, number>;
  mode: string;
  /** The page's main-thread CPU time until the graph was drawn. */
  graphCpuMs?: number;
}

/**
 * Runs in the page: posts the message the way the extension does (a structured clone; VS Code transfers the typed
 * arrays' buffers to the page) and waits, frame by frame, for the trace and the graph. Plain JavaScript text: the
 * page has none of the helpers tsx adds to named functions.
 */
const SHOW_IN_PAGE = `new Promise((resolve) => {
  const body = document.body;
  const before = Number(body.dataset.shown ?? '0');
  const started = performance.now();
  let interactiveMs;
  // The first mark after the post: received and checked are the trace message's (the results message follows it).
  const at = (name) => performance.getEntriesByName('tracelens:' + name).find((e) => e.startTime >= started).startTime;
  const poll = () => {
    const now = performance.now();
    if (interactiveMs === undefined && Number(body.dataset.shown ?? '0') > before) interactiveMs = now - started;
    const drawn = document.querySelector('.graph-view[data-mode="svg"] [data-span-id], .graph-view[data-mode="canvas"] canvas');
    if (interactiveMs === undefined || !drawn) return requestAnimationFrame(poll);
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
      mode: document.querySelector('.graph-view')?.dataset.mode ?? '',
    });
  };
  for (const message of window.__messages) {
    const columns = [...Object.values(message.trace ?? {}), ...Object.values(message.trace?.spans ?? {})].filter((c) => ArrayBuffer.isView(c));
    postMessage(message, '*', columns.map((c) => c.buffer));
  }
  requestAnimationFrame(poll);
})`;

/**
 * Runs in the page: selects a span as "Open trace at span" does; ms until its details and selector candidates are
 * shown, and its phases: the views (the graph opens the groups that hide the span), the details (candidates
 * included), and the rest (the graph's layout, which runs after them, and the frame).
 */
const FOCUS_IN_PAGE = (spanId: string) => `new Promise((resolve) => {
  const started = performance.now();
  const at = (name) => performance.getEntriesByName('tracelens:' + name).find((e) => e.startTime >= started).startTime;
  const poll = () => {
    if (document.querySelector('.details[data-span-id="${spanId}"] .selector-choice')) {
      const ms = performance.now() - started;
      const views = at('selected-views') - at('select');
      const details = at('selected-details') - at('selected-views');
      return resolve({ ms, phases: { views, details, layoutAndFrame: ms - views - details } });
    }
    requestAnimationFrame(poll);
  };
  postMessage({ type: 'focus', spanId: '${spanId}' }, '*');
  requestAnimationFrame(poll);
})`;

async function show(page: Page, json: string): Promise<Shown> {
  await page.evaluate(() => ((globalThis as unknown as { __text: string }).__text = ''));
  for (let at = 0; at < json.length; at += CHUNK) {
    await page.evaluate((piece) => ((globalThis as unknown as { __text: string }).__text += piece), json.slice(at, at + CHUNK));
  }
  await page.evaluate(() => {
    type Typed = { typed: string; values: number[] };
    const page = globalThis as unknown as { __messages: Array<{ trace?: { spans: Record<string, unknown> } }>; __text: string };
    page.__messages = JSON.parse(page.__text) as typeof page.__messages;
    page.__text = '';
    for (const { trace } of page.__messages) {
      for (const parent of trace ? [trace as unknown as Record<string, unknown>, trace.spans] : []) {
        for (const [key, column] of Object.entries(parent)) {
          const { typed, values } = (column ?? {}) as Typed;
          if (typed) parent[key] = new (globalThis as unknown as Record<string, new (v: number[]) => unknown>)[typed]!(values);
        }
      }
    }
  });
  const { result, cpuMs } = await mainThreadCpu(page, () => page.evaluate(SHOW_IN_PAGE) as Promise<Shown>);
  return { ...result, graphCpuMs: cpuMs };
}

/** The page's JavaScript heap in MiB, after a full garbage collection: what the panel keeps for the trace it shows. */
async function heapMiB(page: Page): Promise<number> {
  await page.evaluate(() => ((globalThis as unknown as { __messages: unknown }).__messages = undefined));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return Math.round(usedSize / 2 ** 20);
}

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread (CPU) time of the event, µs. */
  tdur?: number;
  tid: number;
  args?: { name?: string };
}

/**
 * `act` run under Chromium's tracing, with the CPU time the renderer's main thread spent on its tasks meanwhile (script,
 * style, layout, paint; thread time, which other processes on a loaded machine do not inflate as they do wall time).
 */
async function mainThreadCpu<T>(page: Page, act: () => Promise<T>): Promise<{ result: T; cpuMs: number }> {
  const browser = page.context().browser()!;
  await browser.startTracing(page, { categories: ['toplevel'] });
  const result = await act();
  const { traceEvents } = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] };
  const main = traceEvents.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')?.tid;
  const tasks = traceEvents.filter((e) => e.tid === main && e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask');
  return { result, cpuMs: tasks.reduce((sum, t) => sum + (t.tdur ?? 0), 0) / 1000 };
}

/**
 * Zooms and pans the graph (one input step per frame) under Chromium's tracing, and returns the renderer main
 * thread's work per frame: the tasks run between one BeginMainThreadFrame and the next (script, style, layout, paint).
 * Frame intervals are capped by vsync at 16.7 ms in headless Chromium, so they would hide what a frame costs.
 */
async function frames(page: Page): Promise<{ medianMs: number; p95Ms: number }> {
  const box = await page.locator('.graph-view').boundingBox();
  if (!box) throw new Error('no graph');
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.mouse.move(cx, cy);
  const browser = page.context().browser()!;
  await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline.frame'] });
  for (let i = 0; i < FRAMES / 2; i++) await page.mouse.wheel(0, i % 2 === 0 ? -120 : 60);
  await page.mouse.down();
  for (let i = 0; i < FRAMES / 2; i++) await page.mouse.move(cx + (i % 10) * 12, cy + (i % 7) * 9);
  await page.mouse.up();
  const { traceEvents } = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] };
  const main = traceEvents.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')?.tid;
  const frameStarts = traceEvents
    .filter((e) => e.tid === main && e.name === 'BeginMainThreadFrame')
    .map((e) => e.ts)
    .sort((x, y) => x - y);
  const tasks = traceEvents.filter((e) => e.tid === main && e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask' && e.dur !== undefined);
  const work = frameStarts
    .slice(0, -1)
    .map((start, i) => tasks.filter((t) => t.ts >= start && t.ts < frameStarts[i + 1]!).reduce((sum, t) => sum + t.dur!, 0) / 1000);
  const sorted = work.sort((x, y) => x - y);
  return { medianMs: sorted[Math.floor(sorted.length / 2)] ?? NaN, p95Ms: sorted[Math.floor(sorted.length * 0.95)] ?? NaN };
}

const list = (phases: Record<string, number>) =>
  Object.entries(phases)
    .map(([k, v]) => `${k} ${v.toFixed(0)}`)
    .join(', ');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

type Run = Shown & {
  warmGraphMs?: number;
  selectMs: number;
  selectCpuMs: number;
  selectPhases: Record<string, number>;
  heapMiB?: number;
  frames?: { medianMs: number; p95Ms: number };
};

/** One new panel: the trace shown, shown again (the next run), a span selected; frames and heap when `full`. */
async function measure(browser: Browser, script: string, json: string, focusId: string, million: boolean, full: boolean): Promise<Run> {
  const panel = await openWebview(browser, script, { css: CSS, body: '<div id="app"></div>', width: 1400, height: 900 });
  const shown = await show(panel.page, json);
  const rerun = million ? undefined : await show(panel.page, json);
  const { result: selected, cpuMs: selectCpuMs } = await mainThreadCpu(
    panel.page,
    () => panel.page.evaluate(FOCUS_IN_PAGE(focusId)) as Promise<{ ms: number; phases: Record<string, number> }>,
  );
  const framesMeasured = full ? await frames(panel.page) : undefined;
  const heap = full ? await heapMiB(panel.page) : undefined;
  await panel.page.close();
  return {
    ...shown,
    warmGraphMs: rerun?.graphDrawnMs,
    selectMs: selected.ms,
    selectCpuMs,
    selectPhases: selected.phases,
    heapMiB: heap,
    ...(framesMeasured ? { frames: framesMeasured } : {}),
  };
}

function summarize(name: string, spans: number, runs: Run[], million: boolean) {
  const medians = (of: (r: Run) => Record<string, number>) => Object.fromEntries(Object.keys(of(runs[0]!)).map((k) => [k, median(runs.map((r) => of(r)[k]!))]));
  return {
    case: name,
    spans,
    graph: runs[0]!.mode,
    interactiveMs: median(runs.map((r) => r.interactiveMs)),
    graphDrawnMs: median(runs.map((r) => r.graphDrawnMs)),
    nextRunGraphDrawnMs: million ? undefined : median(runs.map((r) => r.warmGraphMs!)),
    selectSpanMs: median(runs.map((r) => r.selectMs)),
    /** Main-thread CPU time (Chromium's thread time): a new panel's until its graph is drawn, and selecting. */
    graphCpuMs: median(runs.map((r) => r.graphCpuMs!)),
    selectCpuMs: median(runs.map((r) => r.selectCpuMs)),
    selectPhases: medians((r) => r.selectPhases),
    phases: medians((r) => r.phases),
    frameMedianMs: runs[0]!.frames?.medianMs,
    frameP95Ms: runs[0]!.frames?.p95Ms,
    /** The page's JavaScript heap with the trace shown and a span selected. */
    heapMiB: runs[0]!.heapMiB,
  };
}

function print(label: string, row: ReturnType<typeof summarize>): void {
  const f = (x: number | undefined) => (x === undefined ? '' : x.toFixed(1));
  console.log(
    `${label.padEnd(15)} ${String(row.spans).padStart(7)} spans  ${row.graph.padEnd(6)} interactive ${f(row.interactiveMs).padStart(7)} ms  graph ${f(row.graphDrawnMs).padStart(7)} ms (next run ${f(row.nextRunGraphDrawnMs)})  select ${f(row.selectSpanMs)} ms  CPU graph ${f(row.graphCpuMs)} select ${f(row.selectCpuMs)} ms  heap ${row.heapMiB ?? ''} MiB  ` +
      `frames ${f(row.frameMedianMs)} / p95 ${f(row.frameP95Ms)} ms  [${list(row.phases)}] select [${list(row.selectPhases)}]`,
  );
}

/**
 * `--before <dir>`: a checkout of an earlier commit, built (its dist/webview/panel.js). Its panel and this one are
 * measured in turn, run by run in the same browser, and each median printed with this one's ratio to it: wall-clock
 * times on a shared machine move with the load, so only the ratio within one run says what a change did.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const beforeAt = args.indexOf('--before');
  const beforeDir = beforeAt >= 0 ? args.splice(beforeAt, 2)[1] : undefined;
  if (!existsSync(BUNDLE)) execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  const builds: Array<[string, string]> = [['', readFileSync(BUNDLE, 'utf8')]];
  if (beforeDir) builds.unshift(['before', readFileSync(join(beforeDir, 'dist', 'webview', 'panel.js'), 'utf8')], ['after', builds.pop()![1]]);
  const browser = await launchChromium();
  const rows: Array<Record<string, unknown>> = [];
  try {
    const cases: Array<[string, number, () => RawSpan[]]> = [
      ...[...SIZES, MILLION].map((n): [string, number, () => RawSpan[]] => ['realistic', n, () => generateRawSpans(n)]),
      ['distinct names', 300, () => distinctNodes(300)],
      ...[10_000, 50_000].map((n): [string, number, () => RawSpan[]] => ['distinct names', n, () => distinctNodes(n)]),
    ];
    const only = args.map(Number);
    for (const [name, spans, generate] of cases.filter(([, n]) => only.length === 0 || only.includes(n))) {
      const raw = generate();
      const json = messageJson(hostMessages(showMessage(buildTrace(raw, { traceId: GENERATED_TRACE_ID }))));
      const million = spans >= MILLION;
      // A span deep in the trace: its candidates need the whole trace searched.
      const focusId = raw[Math.floor(raw.length * 0.8)]!.id;
      const runs = builds.map((): Run[] => []);
      for (let r = 0; r < (million ? 1 : RUNS); r++) {
        // Builds take turns going first.
        for (let b = 0; b < builds.length; b++) {
          const i = (b + r) % builds.length;
          runs[i]!.push(await measure(browser, builds[i]![1], json, focusId, million, r === 0));
        }
      }
      const summaries = runs.map((of) => summarize(name, spans, of, million));
      summaries.forEach((row, i) => print(`${name}${builds[i]![0] ? ` ${builds[i]![0]}` : ''}`, row));
      if (beforeDir) {
        const [before, after] = summaries as [ReturnType<typeof summarize>, ReturnType<typeof summarize>];
        const ratio = (a: number | undefined, b: number | undefined) => (a && b ? (a / b).toFixed(2) : '-');
        console.log(
          `  after/before: interactive ${ratio(after.interactiveMs, before.interactiveMs)}, graph ${ratio(after.graphDrawnMs, before.graphDrawnMs)}, ` +
            `select ${ratio(after.selectSpanMs, before.selectSpanMs)}; CPU graph ${ratio(after.graphCpuMs, before.graphCpuMs)}, select ${ratio(after.selectCpuMs, before.selectCpuMs)}; ` +
            Object.keys(after.phases)
              .map((k) => `${k} ${ratio(after.phases[k], before.phases[k])}`)
              .join(', ') +
            `; select ${Object.keys(after.selectPhases)
              .map((k) => `${k} ${ratio(after.selectPhases[k], before.selectPhases[k])}`)
              .join(', ')}`,
        );
      }
      rows.push(summaries[0]!);
    }
  } finally {
    await browser.close();
  }
  if (args.length > 0 || beforeDir) return;
  const machine = { ...machineInfo(), chromium: browserVersion() };
  const targets = {
    '10k spans interactive': '≤ 500 ms',
    '10k pan/zoom work per frame, median': '≤ 16 ms',
    '50k spans interactive': '≤ 1500 ms',
    '100k spans interactive': '≤ 500 ms',
    '10k spans, first graph in a new panel': '≤ 250 ms',
    '10k spans, selecting a span': '≤ 50 ms',
    '1M spans interactive': '≤ 3 s',
    'elkjs graph of ≤ 300 nodes (next run)': '≤ 300 ms',
  };
  writeFileSync(
    new URL('./panel-results.json', import.meta.url),
    `${JSON.stringify({ date: new Date().toISOString(), machine, targets, results: rows }, null, 2)}\n`,
  );
}

function browserVersion(): string {
  try {
    return execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

void main();
