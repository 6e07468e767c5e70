// The timeline view in real Chromium: the real bundle of the view with the panel's CSS, driven by the mouse and
// the keyboard, on hand-made traces and on generated ones up to 100k spans.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Trace } from '../../src/core/trace/model';
import type { PanelSpec } from '../../src/protocol';
import { generateTrace } from '../support/generated-trace';
import { TraceBuilder } from '../support/trace-builder';
import { bundle, launchChromium, openWebview } from './support/browser';
import { messageJson, REVIVE_TYPED, showMessage, type ShowMessage } from './support/messages';
import type { ScreenRow, TimelineHarness } from './timeline-screen';

type Harnessed = { timeline: TimelineHarness };

/**
 * An order request, 412 ms from the trigger's start to the end of the worker:
 *
 *   Tracetest trigger                0–412
 *     POST /orders       gateway     0–412
 *       orders.Create    orders     10–300
 *         INSERT orders  orders     20–80
 *         SELECT products orders    90–150  (error)
 *       GET /users/{id}  users      15–60
 *       orders publish   gateway   305–310
 *         orders process worker    320–400  (consumer)
 */
function orderTrace(): { trace: Trace; id: (name: string) => string } {
  const builder = new TraceBuilder()
    .span('POST /orders', { service: 'gateway', kind: 'server', startMs: 0, durationMs: 412 })
    .span('orders.Create', { parent: 'POST /orders', service: 'orders', kind: 'server', startMs: 10, durationMs: 290 })
    .span('INSERT orders', { parent: 'orders.Create', service: 'orders', kind: 'client', startMs: 20, durationMs: 60 })
    .span('SELECT products', { parent: 'orders.Create', service: 'orders', kind: 'client', startMs: 90, durationMs: 60, error: 'timeout' })
    .span('GET /users/{id}', { parent: 'POST /orders', service: 'users', kind: 'server', startMs: 15, durationMs: 45 })
    .span('orders publish', { parent: 'POST /orders', service: 'gateway', kind: 'producer', startMs: 305, durationMs: 5 })
    .span('orders process', { parent: 'orders publish', service: 'worker', kind: 'consumer', startMs: 320, durationMs: 80 });
  const trace = builder.build();
  return { trace, id: (name) => trace.spans.find((s) => s.name === name)!.id };
}

const ORDER = ['Tracetest trigger', 'POST /orders', 'orders.Create', 'INSERT orders', 'SELECT products', 'GET /users/{id}', 'orders publish', 'orders process'];

let browser: Browser;
let script: string;

before(async () => {
  [browser, script] = await Promise.all([launchChromium(), bundle('test/webview/timeline-harness.ts')]);
});

after(async () => {
  await browser?.close();
});

/** A page with the timeline showing `message`. */
async function open(message: ShowMessage): Promise<Timeline> {
  const { page } = await openWebview(browser, script, { css: ['media/timeline.css'] });
  await page.evaluate(`globalThis.reviveTyped = ${REVIVE_TYPED}`);
  await page.evaluate((json) => {
    const page = globalThis as unknown as Harnessed & { reviveTyped: (key: string, value: unknown) => unknown };
    page.timeline.show(JSON.parse(json, page.reviveTyped) as ShowMessage);
  }, messageJson(message));
  return new Timeline(page);
}

/** The harness's calls, from Node. */
class Timeline {
  constructor(readonly page: Page) {}
  rows = (): Promise<ScreenRow[]> => this.page.evaluate(() => (globalThis as unknown as Harnessed).timeline.rows());
  inView = async (): Promise<ScreenRow[]> => (await this.rows()).filter((r) => r.inView);
  row = async (id: string): Promise<ScreenRow | undefined> => (await this.rows()).find((r) => r.id === id);
  selected = async (): Promise<string | undefined> => (await this.rows()).find((r) => r.selected)?.name;
  activeSpan = (): Promise<string | null> => this.page.evaluate(() => (globalThis as unknown as Harnessed).timeline.activeSpan());
  selections = (): Promise<string[]> => this.page.evaluate(() => (globalThis as unknown as Harnessed).timeline.selections());
  rowElements = (): Promise<number> => this.page.evaluate(() => (globalThis as unknown as Harnessed).timeline.rowElements());
  setSelected = (id: string | null, reveal: boolean): Promise<void> =>
    this.page.evaluate(([i, r]) => (globalThis as unknown as Harnessed).timeline.setSelected(i, r), [id, reveal] as const);
  setHighlight = (ids: string[] | null): Promise<void> => this.page.evaluate((i) => (globalThis as unknown as Harnessed).timeline.setHighlight(i), ids);
  setCriticalPath = (on: boolean): Promise<void> => this.page.evaluate((o) => (globalThis as unknown as Harnessed).timeline.setCriticalPath(o), on);
  scrollTop = (): Promise<number> => this.page.evaluate(() => (globalThis as unknown as Harnessed).timeline.scrollTop());
  setScrollTop = (top: number): Promise<void> => this.page.evaluate((t) => (globalThis as unknown as Harnessed).timeline.setScrollTop(t), top);
  collapsedSpans = (): Promise<string[]> => this.page.evaluate(() => (globalThis as unknown as Harnessed).timeline.collapsedSpans());
  setCollapsedSpans = (ids: string[]): Promise<void> => this.page.evaluate((i) => (globalThis as unknown as Harnessed).timeline.setCollapsedSpans(i), ids);
  setHidden = (hidden: boolean): Promise<void> => this.page.evaluate((h) => (globalThis as unknown as Harnessed).timeline.setHidden(h), hidden);
  click = (id: string, part = '.tl-name'): Promise<void> => this.page.click(`[data-span-id="${id}"] ${part}`);
  press = async (...keys: string[]): Promise<void> => {
    for (const key of keys) await this.page.keyboard.press(key);
  };
}

describe('timeline view', () => {
  it('shows one row per span in span order: service, name, duration, errors and the test’s marks, on a ruler', async () => {
    const { trace, id } = orderTrace();
    const specs: PanelSpec[] = [
      { selector: 'span[name="INSERT orders"]', status: 'passed', spanIds: [id('INSERT orders')], line: 4, assertions: [] },
      {
        selector: 'span[name="SELECT products"]',
        status: 'failed',
        spanIds: [id('SELECT products')],
        line: 9,
        assertions: [
          {
            text: 'attr:tracetest.span.duration < 50ms',
            comparator: '<',
            status: 'failed',
            line: 11,
            results: [{ spanId: id('SELECT products'), status: 'failed', observed: '60ms', expected: '< 50ms' }],
          },
        ],
      },
    ];
    const t = await open(showMessage(trace, specs));
    const rows = await t.rows();
    assert.deepEqual(
      rows.map((r) => r.name),
      ORDER,
    );
    assert.ok(rows.every((r) => /^[0-9a-f]{16}$/.test(r.id) && r.inView));
    assert.deepEqual(
      rows.map((r) => [r.service, r.level, r.duration]),
      [
        ['tracetest', 1, '412 ms'],
        ['gateway', 2, '412 ms'],
        ['orders', 3, '290 ms'],
        ['orders', 4, '60 ms'],
        ['orders', 4, '60 ms'],
        ['users', 3, '45 ms'],
        ['gateway', 3, '5.0 ms'],
        ['worker', 4, '80 ms'],
      ],
    );
    assert.deepEqual(
      rows.map((r) => r.expanded),
      [true, true, true, undefined, undefined, undefined, true, undefined],
    );
    const byName = new Map(rows.map((r) => [r.name, r]));
    assert.equal(byName.get('INSERT orders')!.mark, 'passed');
    assert.equal(byName.get('SELECT products')!.mark, 'failed');
    assert.equal(byName.get('SELECT products')!.error, true);
    assert.equal(byName.get('INSERT orders')!.error, false);
    const labels = await t.page.evaluate(() => (globalThis as unknown as Harnessed).timeline.rulerLabels());
    assert.equal(labels[0], '0 ms');
    assert.equal(labels.at(-1), '412 ms');
    const tree = t.page.getByRole('tree');
    assert.ok(await tree.getAttribute('aria-label'));
    assert.equal(await tree.getByRole('treeitem').count(), ORDER.length);
    await t.page.close();
  });

  it('renders only the rows in view of a 100k-span trace, and scrolling to the end shows the last spans', async () => {
    const trace = generateTrace(100_000);
    const t = await open(showMessage(trace));
    assert.ok((await t.rowElements()) < 200, `${await t.rowElements()} row elements`);
    assert.deepEqual(
      (await t.inView()).map((r) => r.id),
      trace.spans.slice(0, (await t.inView()).length).map((s) => s.id),
    );

    await t.page.mouse.move(600, 300);
    await t.page.mouse.wheel(0, 5000);
    await t.page.waitForFunction(() => (globalThis as unknown as Harnessed).timeline.scrollTop() > 0);
    const scrolled = await t.inView();
    assert.ok(scrolled.length > 10);
    const first = trace.byId.get(scrolled[0]!.id)!.index;
    assert.ok(first > 100, `first row in view after the wheel: span ${first}`);
    assert.deepEqual(
      scrolled.map((r) => r.id),
      trace.spans.slice(first, first + scrolled.length).map((s) => s.id),
      'consecutive spans in span order',
    );
    await t.page.waitForFunction(() => (globalThis as unknown as Harnessed).timeline.viewStateChanges() > 0);

    await t.setScrollTop(1e9);
    const end = await t.inView();
    assert.equal(end.at(-1)!.id, trace.spans.at(-1)!.id);
    assert.equal(end.at(-1)!.name, trace.spans.at(-1)!.name);
    assert.ok((await t.rowElements()) < 200, `${await t.rowElements()} row elements after scrolling`);
    const ids = await t.page.locator('[data-span-id]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-span-id')));
    assert.equal(new Set(ids).size, ids.length, 'no two row elements claim one span');
    await t.page.close();
  });

  it('selects with a click and moves with the keyboard, reporting each selection', async () => {
    const { trace, id } = orderTrace();
    const t = await open(showMessage(trace));
    await t.click(id('orders.Create'));
    assert.equal(await t.selected(), 'orders.Create');
    assert.deepEqual(await t.selections(), [id('orders.Create')]);
    assert.equal(await t.activeSpan(), id('orders.Create'));
    assert.equal(await t.page.evaluate(() => (globalThis as unknown as Harnessed).timeline.treeFocused()), true, 'clicking a row focuses the tree');

    await t.press('ArrowDown');
    assert.equal(await t.selected(), 'INSERT orders');
    await t.press('ArrowDown', 'ArrowDown');
    assert.equal(await t.selected(), 'GET /users/{id}');
    await t.press('ArrowUp');
    assert.equal(await t.selected(), 'SELECT products');
    await t.press('ArrowLeft');
    assert.equal(await t.selected(), 'orders.Create', 'Left on a leaf goes to the parent');
    await t.press('ArrowLeft');
    assert.equal((await t.row(id('orders.Create')))!.expanded, false, 'Left on an expanded span collapses it');
    assert.equal(await t.row(id('INSERT orders')), undefined);
    await t.press('ArrowDown');
    assert.equal(await t.selected(), 'GET /users/{id}', 'Down skips the collapsed subtree');
    await t.press('ArrowUp', 'ArrowRight');
    assert.equal((await t.row(id('orders.Create')))!.expanded, true, 'Right on a collapsed span expands it');
    await t.press('ArrowRight');
    assert.equal(await t.selected(), 'INSERT orders', 'Right on an expanded span goes to its first child');
    await t.press('End');
    assert.equal(await t.selected(), 'orders process');
    await t.press('Home');
    assert.equal(await t.selected(), 'Tracetest trigger');
    await t.press('PageDown');
    assert.equal(await t.selected(), 'orders process', 'PageDown stops at the last row');
    await t.press('PageUp');
    assert.equal(await t.selected(), 'Tracetest trigger');
    const before = (await t.selections()).length;
    await t.press('Enter');
    assert.deepEqual((await t.selections()).slice(before), [id('Tracetest trigger')], 'Enter reports the selection again');
    assert.deepEqual(
      (await t.selections()).map((s) => trace.byId.get(s)!.name),
      [
        'orders.Create',
        'INSERT orders',
        'SELECT products',
        'GET /users/{id}',
        'SELECT products',
        'orders.Create',
        'GET /users/{id}',
        'orders.Create',
        'INSERT orders',
        'orders process',
        'Tracetest trigger',
        'orders process',
        'Tracetest trigger',
        'Tracetest trigger',
      ],
    );
    await t.page.close();
  });

  it('hides a subtree when its twisty is clicked, and shows it again', async () => {
    const { trace, id } = orderTrace();
    const t = await open(showMessage(trace));
    await t.click(id('orders.Create'), '.tl-twisty');
    assert.deepEqual(
      (await t.rows()).map((r) => r.name),
      ['Tracetest trigger', 'POST /orders', 'orders.Create', 'GET /users/{id}', 'orders publish', 'orders process'],
    );
    assert.deepEqual(await t.collapsedSpans(), [id('orders.Create')]);
    assert.deepEqual(await t.selections(), [], 'the twisty does not select');
    await t.click(id('orders.Create'), '.tl-twisty');
    assert.deepEqual(
      (await t.rows()).map((r) => r.name),
      ORDER,
    );
    await t.setCollapsedSpans([id('POST /orders')]);
    assert.deepEqual(
      (await t.rows()).map((r) => r.name),
      ['Tracetest trigger', 'POST /orders'],
    );
    await t.page.close();
  });

  it('reveals a deep span inside collapsed subtrees: expands its ancestors and scrolls it to the middle', async () => {
    const trace = generateTrace(10_000);
    const t = await open(showMessage(trace));
    const withChildren = trace.spans.filter((s) => s.children.length > 0).map((s) => s.id);
    await t.setCollapsedSpans(withChildren);
    assert.deepEqual(
      (await t.rows()).map((r) => r.name),
      ['Tracetest trigger'],
    );
    const target = trace.spans.filter((s) => s.index > 8000 && s.depth >= 5).at(0)!;
    await t.setSelected(target.id, true);
    const rows = await t.inView();
    const row = rows.find((r) => r.id === target.id);
    assert.ok(row, 'the span is in view');
    assert.equal(row.selected, true);
    const middle = rows.indexOf(row) / rows.length;
    assert.ok(middle > 0.3 && middle < 0.7, `row at ${Math.round(middle * 100)}% of the view`);
    for (let p = target.parent; p; p = p.parent) assert.ok(!(await t.collapsedSpans()).includes(p.id), `${p.name} expanded`);
    assert.equal(await t.activeSpan(), target.id);
    await t.page.close();
  });

  it('keeps a reveal and a scroll restore made while hidden until the view is shown', async () => {
    const trace = generateTrace(5_000);
    const t = await open(showMessage(trace));
    await t.setHidden(true);
    await t.setScrollTop(22 * 3000);
    await t.setHidden(false);
    assert.equal(await t.scrollTop(), 22 * 3000);
    assert.equal((await t.inView())[0]!.id, trace.spans[3000]!.id);
    await t.setHidden(true);
    await t.setSelected(trace.spans[40]!.id, true);
    await t.setHidden(false);
    assert.ok((await t.inView()).some((r) => r.id === trace.spans[40]!.id && r.selected));
    await t.page.close();
  });

  it('fades what the highlight does not match and marks what it does', async () => {
    const { trace, id } = orderTrace();
    const t = await open(showMessage(trace));
    await t.setHighlight([id('INSERT orders'), id('SELECT products')]);
    const rows = await t.rows();
    assert.deepEqual(
      rows.filter((r) => r.match).map((r) => r.name),
      ['INSERT orders', 'SELECT products'],
    );
    assert.deepEqual(
      rows.filter((r) => r.faded).map((r) => r.name),
      ORDER.filter((n) => n !== 'INSERT orders' && n !== 'SELECT products'),
    );
    assert.ok(
      rows.every((r) => (r.faded ? r.opacity < 1 : r.opacity === 1)),
      'faded rows are drawn fainter',
    );
    await t.setHighlight(null);
    assert.ok((await t.rows()).every((r) => !r.match && !r.faded));
    await t.page.close();
  });

  it('marks the critical path when it is turned on: the last finishers, never the consumer', async () => {
    const { trace } = orderTrace();
    const t = await open(showMessage(trace));
    assert.ok((await t.rows()).every((r) => !r.critical));
    await t.setCriticalPath(true);
    const rows = await t.rows();
    assert.deepEqual(
      rows.filter((r) => r.critical).map((r) => r.name),
      ['Tracetest trigger', 'POST /orders', 'orders.Create', 'INSERT orders', 'SELECT products', 'orders publish'],
    );
    // POST /orders waits on nothing during 0–10, 300–305 and 310–412; the trigger's time is all POST /orders'.
    assert.deepEqual(
      rows.map((r) => [r.name, r.stripes]),
      [
        ['Tracetest trigger', 0],
        ['POST /orders', 3],
        ['orders.Create', 3],
        ['INSERT orders', 1],
        ['SELECT products', 1],
        ['GET /users/{id}', 0],
        ['orders publish', 1],
        ['orders process', 0],
      ],
    );
    await t.setCriticalPath(false);
    assert.ok((await t.rows()).every((r) => !r.critical && r.stripes === 0));
    await t.page.close();
  });
});
