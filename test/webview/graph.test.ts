// The graph view in real Chromium: the real bundle of the view (elk in its worker, d3-zoom) with the panel's CSS,
// driven by the mouse and the keyboard, on hand-made traces and on generated ones of 10k spans.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { join } from 'node:path';
import { buildTrace } from '../../src/core/trace/build';
import type { Trace } from '../../src/core/trace/model';
import type { PanelSpec } from '../../src/protocol';
import { readTraceFile } from '../../src/run/trace-file';
import { ROOT } from '../support/code-server';
import { generateRawSpans, generateTrace, GENERATED_TRACE_ID } from '../support/generated-trace';
import { TraceBuilder } from '../support/trace-builder';
import type { GraphHarness, Point, ScreenNode } from './graph-screen';
import { bundle, CODICON_CSS, launchChromium, openWebview } from './support/browser';
import { messageJson, REVIVE_TYPED, showMessage, type ShowMessage } from './support/messages';

type Harnessed = { graph: GraphHarness };

/**
 * An order request whose service loops over the products, one query each:
 *
 *   Tracetest trigger
 *     POST /orders        gateway   HTTP
 *       orders.Create     orders    RPC
 *         INSERT orders   orders    DB     (the test passed it)
 *         SELECT products orders    DB  ×12 (the sixth timed out)
 *       GET /users/{id}   users     HTTP   (the test failed it)
 *       orders publish    gateway   MSG
 *         orders process  worker
 */
function orderTrace(): { trace: Trace; id: (ref: string) => string; specs: PanelSpec[] } {
  const builder = new TraceBuilder()
    .span('POST /orders', { service: 'gateway', kind: 'server', startMs: 0, durationMs: 412, attrs: { 'http.request.method': 'POST' } })
    .span('orders.Create', { parent: 'POST /orders', service: 'orders', kind: 'server', startMs: 10, durationMs: 290, attrs: { 'rpc.system': 'grpc' } })
    .span('INSERT orders', { parent: 'orders.Create', service: 'orders', kind: 'client', startMs: 20, durationMs: 60, attrs: { 'db.system': 'postgresql' } });
  for (let i = 0; i < 12; i++) {
    builder.span('SELECT products', {
      ref: `select${i}`,
      parent: 'orders.Create',
      service: 'orders',
      kind: 'client',
      startMs: 90 + i * 10,
      durationMs: 8,
      attrs: { 'db.system': 'postgresql' },
      ...(i === 5 ? { error: 'timeout' } : {}),
    });
  }
  builder
    .span('GET /users/{id}', { parent: 'POST /orders', service: 'users', kind: 'server', startMs: 15, durationMs: 45, attrs: { 'http.request.method': 'GET' } })
    .span('orders publish', {
      parent: 'POST /orders',
      service: 'gateway',
      kind: 'producer',
      startMs: 305,
      durationMs: 5,
      attrs: { 'messaging.system': 'rabbitmq' },
    })
    .span('orders process', { parent: 'orders publish', service: 'worker', kind: 'consumer', startMs: 320, durationMs: 80 });
  const trace = builder.build();
  const id = (ref: string) => trace.spans[trace.byId.get(builder.idOf(ref))!.index]!.id;
  const specs: PanelSpec[] = [
    { selector: 'span[name="INSERT orders"]', status: 'passed', spanIds: [id('INSERT orders')], line: 4, assertions: [] },
    {
      selector: 'span[name="GET /users/{id}"]',
      status: 'failed',
      spanIds: [id('GET /users/{id}')],
      line: 9,
      assertions: [
        {
          text: 'attr:http.response.status_code = 200',
          comparator: '=',
          status: 'failed',
          line: 11,
          results: [{ spanId: id('GET /users/{id}'), status: 'failed', observed: '404', expected: '200' }],
        },
      ],
    },
  ];
  return { trace, id, specs };
}

/** About 10k spans of order requests whose names all differ, so nothing aggregates: the canvas graph. */
function wideTrace(): Trace {
  const raw = generateRawSpans(10_000);
  raw.forEach((span, i) => (span.name = `${span.name} #${i}`));
  return buildTrace(raw, { traceId: GENERATED_TRACE_ID });
}

let browser: Browser;
let script: string;

before(async () => {
  [browser, script] = await Promise.all([launchChromium(), bundle('test/webview/graph-harness.ts')]);
});

after(async () => {
  await browser?.close();
});

/** A page with the graph showing `message`, once it is laid out. */
async function open(message: ShowMessage, options: { hidden?: boolean } = {}): Promise<Graph> {
  const { page } = await openWebview(browser, script, { css: [CODICON_CSS, 'media/graph.css'], width: 1000, height: 600 });
  const g = new Graph(page);
  if (options.hidden) await g.call((graph) => graph.setHidden(true));
  await page.evaluate(`globalThis.reviveTyped = ${REVIVE_TYPED}`);
  await page.evaluate((json) => {
    const page = globalThis as unknown as Harnessed & { reviveTyped: (key: string, value: unknown) => unknown };
    page.graph.show(JSON.parse(json, page.reviveTyped) as ShowMessage);
  }, messageJson(message));
  await g.until((graph) => graph.mode() !== '' && graph.zoomState() !== null);
  return g;
}

/** The harness's calls, from Node. */
class Graph {
  constructor(readonly page: Page) {}

  call<T>(fn: (graph: GraphHarness) => T): Promise<T> {
    return this.page.evaluate(`(${fn.toString()})(globalThis.graph)`) as Promise<T>;
  }

  async until(fn: (graph: GraphHarness) => boolean): Promise<void> {
    await this.page.waitForFunction(`(${fn.toString()})(globalThis.graph)`, null, { timeout: 10_000 });
  }

  nodes = (): Promise<ScreenNode[]> => this.page.evaluate(() => (globalThis as unknown as Harnessed).graph.nodes());
  node = async (spanId: string): Promise<ScreenNode | undefined> => (await this.nodes()).find((n) => n.spanId === spanId);
  byName = async (name: string): Promise<ScreenNode> => {
    const node = (await this.nodes()).find((n) => n.name === name);
    assert.ok(node, `a node named ${name}`);
    return node;
  };
  selections = (): Promise<string[]> => this.page.evaluate(() => (globalThis as unknown as Harnessed).graph.selections());
  setSelected = (id: string | null, reveal: boolean): Promise<void> =>
    this.page.evaluate(([i, r]) => (globalThis as unknown as Harnessed).graph.setSelected(i, r), [id, reveal] as const);
  setHighlight = (ids: string[] | null): Promise<void> => this.page.evaluate((i) => (globalThis as unknown as Harnessed).graph.setHighlight(i), ids);
  position = async (id: string): Promise<Point> => {
    const point = await this.page.evaluate((i) => (globalThis as unknown as Harnessed).graph.nodePosition(i), id);
    assert.ok(point, `span ${id} is laid out`);
    return point;
  };
  pixel = (point: Point): Promise<[number, number, number]> => this.page.evaluate((p) => (globalThis as unknown as Harnessed).graph.pixel(p), point);
  live = (): Promise<string> => this.page.evaluate(() => (globalThis as unknown as Harnessed).graph.live());
  clickNode = async (node: ScreenNode): Promise<void> => this.page.mouse.click(node.x, node.y + 8);
  clickBadge = async (node: ScreenNode): Promise<void> => {
    const box = await this.page.locator(`[data-span-id="${node.spanId}"] .graph-badge rect`).boundingBox();
    assert.ok(box, 'the node has a badge');
    await this.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  };
  press = async (...keys: string[]): Promise<void> => {
    for (const key of keys) await this.page.keyboard.press(key);
  };
}

const near = (a: Point, b: Point, tolerance = 2): boolean => Math.abs(a.x - b.x) <= tolerance && Math.abs(a.y - b.y) <= tolerance;

describe('graph view', () => {
  it('draws each span as a focusable node with its service, type, name, duration and the test’s verdict', async () => {
    const { trace, id, specs } = orderTrace();
    const g = await open(showMessage(trace, specs));
    assert.equal(await g.call((graph) => graph.mode()), 'svg');
    const nodes = await g.nodes();
    assert.deepEqual(
      nodes.map((n) => n.name),
      ['Tracetest trigger', 'POST /orders', 'orders.Create', 'INSERT orders', 'SELECT products', 'GET /users/{id}', 'orders publish', 'orders process'],
    );
    assert.ok(nodes.every((n) => /^[0-9a-f]{16}$/.test(n.spanId) && n.role === 'treeitem' && n.inView));
    assert.deepEqual(
      nodes.filter((n) => n.tabIndex === 0).map((n) => n.name),
      ['Tracetest trigger'],
      'one node is in the tab order',
    );
    const post = await g.byName('POST /orders');
    assert.equal(post.meta, 'gateway');
    assert.equal(post.duration, '412 ms');
    assert.equal(post.label, 'gateway POST /orders, HTTP, 412 ms');
    // Each span's type is a codicon glyph, drawn in the codicon font and named for assistive technology.
    const icons = Object.fromEntries(nodes.map((n) => [n.name, [n.icon, n.iconLabel]]));
    assert.deepEqual(icons, {
      'Tracetest trigger': ['pulse', 'general span'],
      'POST /orders': ['globe', 'HTTP span'],
      'orders.Create': ['arrow-swap', 'RPC span'],
      'INSERT orders': ['database', 'database span'],
      'SELECT products': ['database', 'database span'],
      'GET /users/{id}': ['globe', 'HTTP span'],
      'orders publish': ['mail', 'messaging span'],
      'orders process': ['pulse', 'general span'],
    });
    assert.ok(
      nodes.every((n) => n.iconFont === 'codicon'),
      nodes[0]!.iconFont,
    );
    assert.ok(await g.page.evaluate("document.fonts.check('12px codicon')"), 'the codicon font is loaded');
    assert.equal((await g.byName('orders process')).meta, 'worker');

    const insert = (await g.node(id('INSERT orders')))!;
    assert.equal(insert.mark, '✓');
    assert.match(insert.label, /passed/);
    const users = (await g.node(id('GET /users/{id}')))!;
    assert.equal(users.mark, '✗');
    assert.equal(users.label, 'users GET /users/{id}, HTTP, 45 ms, failed');
    assert.equal(users.error, false);

    const selects = await g.byName('SELECT products');
    assert.equal(selects.kind, 'group');
    assert.equal(selects.spanId, id('select0'));
    assert.equal(selects.count, 12);
    assert.equal(selects.badge, '×12 +');
    assert.equal(selects.duration, '⚠ Σ 96 ms');
    assert.equal(selects.error, true, 'a group with an ERROR span says so');
    assert.match(selects.label, /12 spans, total 96 ms, 1 with errors/);
    const styles = new Set(nodes.map((n) => n.fill));
    assert.ok(styles.size >= 4, 'services have their own colours');
    await g.page.close();
  });

  it('expands a group with a click on its badge and collapses it back; the app can save and restore what is expanded', async () => {
    const { trace, id } = orderTrace();
    const g = await open(showMessage(trace));
    const group = await g.byName('SELECT products');
    await g.clickBadge(group);
    await g.until((graph) => graph.nodes().filter((n) => n.name === 'SELECT products').length === 12);
    const members = (await g.nodes()).filter((n) => n.name === 'SELECT products');
    assert.deepEqual(
      members.map((n) => n.spanId),
      Array.from({ length: 12 }, (_, i) => id(`select${i}`)),
    );
    assert.ok(members.every((n) => n.kind === 'span' && n.count === 1));
    assert.deepEqual(
      members.map((n) => n.badge),
      ['×12 −', ...Array<string>(11).fill('')],
    );
    assert.equal(members[5]!.error, true);
    assert.equal(members[5]!.duration, '⚠ 8.0 ms');
    assert.ok(near({ x: members[0]!.x, y: members[0]!.y }, { x: group.x, y: group.y }, 30), 'the first member opens where the group was');
    assert.equal(await g.call((graph) => graph.layout()), 'elk', 'elk lays out graphs this small, in its worker');
    const saved = await g.call((graph) => graph.expandedGroups());
    assert.equal(saved.length, 1);
    assert.ok((await g.call((graph) => graph.viewStateChanges())) > 0, 'the app hears that there is state to save');

    await g.clickBadge(members[0]!);
    await g.until((graph) => graph.nodes().filter((n) => n.name === 'SELECT products').length === 1);
    assert.deepEqual(await g.call((graph) => graph.expandedGroups()), []);

    await g.page.evaluate((keys) => (globalThis as unknown as Harnessed).graph.setExpandedGroups(keys), saved);
    await g.until((graph) => graph.nodes().filter((n) => n.name === 'SELECT products').length === 12);

    // A double-click anywhere on a group expands it too.
    const other = await open(showMessage(trace));
    const otherGroup = await other.byName('SELECT products');
    await other.page.mouse.dblclick(otherGroup.x, otherGroup.y + 8);
    await other.until((graph) => graph.nodes().filter((n) => n.name === 'SELECT products').length === 12);
    assert.deepEqual(await other.call((graph) => graph.expandedGroups()), saved, 'the same group has the same key in another page');
    await other.page.close();
    await g.page.close();
  });

  it('shows a generated 10k-span trace of 526 identical requests as one request with counts', async () => {
    const trace = generateTrace(10_000);
    const g = await open(showMessage(trace));
    assert.equal(await g.call((graph) => graph.mode()), 'svg');
    const nodes = await g.nodes();
    assert.ok(nodes.length < 30, `${nodes.length} nodes`);
    const requests = trace.spans.filter((s) => s.name === 'POST /orders').length;
    const post = await g.byName('POST /orders');
    assert.equal(post.count, requests);
    assert.equal(post.badge, `×${requests} +`);
    const selects = await g.byName('SELECT products');
    assert.equal(selects.count, trace.spans.filter((s) => s.name === 'SELECT products').length, 'children of the requests are merged under them');
    assert.equal(
      nodes.reduce((sum, n) => sum + n.count, 0),
      trace.spans.length,
      'every span is in exactly one node',
    );

    // Expanded, the requests are too many for elk: the canvas takes over, the first request where the group was.
    await g.clickBadge(post);
    await g.until((graph) => graph.mode() === 'canvas');
    const first = await g.position(post.spanId);
    assert.ok(Math.abs(first.y - post.y) <= 2, `the first request at ${first.y}, the group was at ${post.y}`);
    assert.match(await g.call((graph) => graph.canvasLabel()), new RegExp(`${trace.spans.length} spans`));
    await g.page.close();
  });

  it('reports the clicked span and outlines its node; a click on a group reports its first span', async () => {
    const { trace, id } = orderTrace();
    const g = await open(showMessage(trace));
    await g.clickNode((await g.node(id('INSERT orders')))!);
    assert.deepEqual(await g.selections(), [id('INSERT orders')]);
    assert.equal((await g.node(id('INSERT orders')))!.selected, true);
    assert.equal(await g.call((graph) => graph.focused()), id('INSERT orders'));

    await g.clickNode(await g.byName('SELECT products'));
    assert.deepEqual(await g.selections(), [id('INSERT orders'), id('select0')]);
    const group = await g.byName('SELECT products');
    assert.equal(group.selected, true);
    assert.equal(group.badge, '#1 of 12 +');
    assert.equal((await g.node(id('INSERT orders')))!.selected, false);

    const insert = (await g.node(id('INSERT orders')))!;
    await g.page.mouse.move(insert.x, insert.y);
    await g.until((graph) => graph.tooltip() !== null);
    assert.deepEqual(await g.call((graph) => graph.tooltip()), ['INSERT orders', 'orders', '60 ms']);
    await g.page.mouse.move(group.x, group.y);
    await g.until((graph) => graph.tooltip()?.[0] === 'SELECT products');
    assert.equal((await g.call((graph) => graph.tooltip()))![2], '12 spans, total 96 ms, mean 8.0 ms');
    await g.page.close();
  });

  it('fades what the highlight does not match, outlines what it does, and counts matches in a group', async () => {
    const { trace, id } = orderTrace();
    const g = await open(showMessage(trace));
    await g.setHighlight([id('INSERT orders'), id('select3'), id('select4'), id('select9')]);
    const nodes = await g.nodes();
    const insert = nodes.find((n) => n.name === 'INSERT orders')!;
    assert.equal(insert.match, true);
    assert.equal(insert.opacity, 1);
    const group = nodes.find((n) => n.name === 'SELECT products')!;
    assert.equal(group.match, true);
    assert.equal(group.badge, '3 of 12 match +');
    for (const n of nodes.filter((n) => n.name !== 'INSERT orders' && n.name !== 'SELECT products')) {
      assert.equal(n.match, false, n.name);
      assert.ok(n.opacity < 0.5, `${n.name} fades`);
    }
    await g.clickNode(group);
    assert.deepEqual(await g.selections(), [id('select3')], 'a group reports its first match');
    assert.equal((await g.byName('SELECT products')).badge, '#4 of 12, 3 match +');

    await g.setHighlight(null);
    assert.ok((await g.nodes()).every((n) => n.opacity === 1 && !n.match));
    await g.page.close();
  });

  it('reveals a span hidden in a group: expands the group and centres the span’s node', async () => {
    const { trace, id } = orderTrace();
    const g = await open(showMessage(trace));
    await g.setSelected(id('select7'), true);
    await g.until((graph) => graph.nodes().some((n) => n.selected && n.kind === 'span'));
    const centre = await g.call((graph) => graph.centre());
    await g.page.waitForFunction(
      ([i, c]) => {
        const p = (globalThis as unknown as Harnessed).graph.nodePosition(i);
        return !!p && Math.abs(p.x - c.x) <= 2 && Math.abs(p.y - c.y) <= 2;
      },
      [id('select7'), centre] as const,
    );
    const node = (await g.node(id('select7')))!;
    assert.equal(node.selected, true);
    assert.ok(near(node, centre));
    assert.deepEqual(await g.selections(), [], 'revealing is not the user selecting');
    await g.page.close();
  });

  it('moves between parent, children and siblings with the arrow keys, selecting as it goes', async () => {
    const { trace, id } = orderTrace();
    const g = await open(showMessage(trace));
    await g.clickNode((await g.node(id('POST /orders')))!);
    await g.press('ArrowRight');
    assert.equal(await g.call((graph) => graph.focused()), id('orders.Create'), 'Right goes to the first child');
    await g.press('ArrowDown');
    assert.equal(await g.call((graph) => graph.focused()), id('GET /users/{id}'), 'Down goes to the next sibling');
    await g.press('ArrowDown', 'ArrowRight');
    assert.equal(await g.call((graph) => graph.focused()), id('orders process'));
    await g.press('ArrowLeft', 'ArrowUp', 'ArrowUp');
    assert.equal(await g.call((graph) => graph.focused()), id('orders.Create'));
    await g.press('ArrowLeft');
    assert.equal(await g.call((graph) => graph.focused()), id('POST /orders'), 'Left goes to the parent');
    assert.deepEqual(await g.selections(), [
      id('POST /orders'),
      id('orders.Create'),
      id('GET /users/{id}'),
      id('orders publish'),
      id('orders process'),
      id('orders publish'),
      id('GET /users/{id}'),
      id('orders.Create'),
      id('POST /orders'),
    ]);
    assert.equal((await g.node(id('POST /orders')))!.selected, true);

    await g.press('ArrowRight', 'ArrowRight', 'ArrowDown');
    assert.equal(await g.call((graph) => graph.focused()), id('select0'), 'on the group');
    await g.press('Space');
    await g.until((graph) => graph.nodes().filter((n) => n.name === 'SELECT products').length === 12);
    await g.press('ArrowDown');
    assert.equal((await g.selections()).at(-1), id('select1'), 'the keyboard moves through the expanded members');
    await g.page.close();
  });

  it('draws a 10k-span trace on a canvas, folded below a few levels; clicks select the span drawn there', async () => {
    const trace = wideTrace();
    const g = await open(showMessage(trace));
    assert.equal(await g.call((graph) => graph.mode()), 'canvas');
    assert.equal(await g.page.locator('.graph-node').count(), 0, 'no element per node');
    assert.match(await g.call((graph) => graph.canvasLabel()), /10000 spans/);
    const requests = trace.spans.filter((s) => s.name.startsWith('POST /orders'));
    const [a, b] = [requests[100]!, requests[101]!];

    await g.setSelected(a.id, true);
    const centre = await g.call((graph) => graph.centre());
    await g.page.waitForFunction(
      ([i, c]) => {
        const p = (globalThis as unknown as Harnessed).graph.nodePosition(i);
        return !!p && Math.abs(p.x - c.x) <= 2 && Math.abs(p.y - c.y) <= 2;
      },
      [a.id, centre] as const,
    );
    assert.ok((await g.live()).startsWith(`gateway ${a.name}, HTTP`), await g.live());
    const background = await g.pixel({ x: 5, y: 5 });
    const at = await g.position(b.id);
    assert.notDeepEqual(await g.pixel(at), background, 'the node is drawn where the view says');
    await g.page.mouse.click(at.x, at.y);
    assert.deepEqual(await g.selections(), [b.id]);
    assert.ok((await g.live()).startsWith(`gateway ${b.name}, HTTP`), await g.live());

    await g.press('ArrowDown');
    assert.deepEqual(await g.selections(), [b.id, requests[102]!.id], 'the arrow keys work on the canvas');
    await g.press('ArrowUp');

    // The request's subtree is folded into a stub; selecting a span in it names the stub, clicking the stub opens it.
    const child = b.children[0]!;
    await g.setSelected(child.id, false);
    assert.match(await g.live(), /^\d+ more spans/);
    const stub = await g.position(child.id);
    await g.page.mouse.click(stub.x, stub.y);
    await g.until((graph) => /RPC/.test(graph.live()));
    assert.ok((await g.live()).startsWith(`orders ${child.name}, RPC`), await g.live());
    assert.equal((await g.call((graph) => graph.expandedGroups())).length, 1);

    // Revealing a span deep in another request's stub unfolds it and centres the span.
    const deep = requests[300]!.children[0]!.children[0]!;
    await g.setSelected(deep.id, true);
    await g.page.waitForFunction(
      ([i, c]) => {
        const p = (globalThis as unknown as Harnessed).graph.nodePosition(i);
        return !!p && Math.abs(p.x - c.x) <= 2 && Math.abs(p.y - c.y) <= 2;
      },
      [deep.id, centre] as const,
    );
    assert.ok((await g.live()).startsWith(`orders ${deep.name}, database`), await g.live());
    await g.page.close();
  });

  it('draws with the new theme colours after a theme change', async () => {
    const { trace, id } = orderTrace();
    const g = await open(showMessage(trace));
    const before = (await g.node(id('POST /orders')))!.fill;
    await g.call((graph) => graph.setServiceColours(['#ff0000', '#00ff00', '#0000ff']));
    const after = (await g.node(id('POST /orders')))!.fill;
    assert.notEqual(after, before);
    assert.equal(after, 'rgb(0, 255, 0)', 'gateway is the second service');
    await g.page.close();

    const trace2 = wideTrace();
    const wide = await open(showMessage(trace2));
    const root = trace2.spans[0]!.id;
    await wide.setSelected(root, true);
    const centre = await wide.call((graph) => graph.centre());
    await wide.page.waitForFunction(
      ([i, c]) => {
        const p = (globalThis as unknown as Harnessed).graph.nodePosition(i);
        return !!p && Math.abs(p.x - c.x) <= 2 && Math.abs(p.y - c.y) <= 2;
      },
      [root, centre] as const,
    );
    // The middle of the service bar down the node's left side (nodes are 220 wide on the canvas).
    const { k } = (await wide.call((graph) => graph.zoomState()))!;
    const bar = { x: centre.x - (110 - 2) * k, y: centre.y };
    assert.deepEqual(await wide.pixel(bar), [0x37, 0x94, 0xff], 'the theme’s first chart colour');
    await wide.call((graph) => graph.setServiceColours(['#ff0000']));
    assert.deepEqual(await wide.pixel(bar), [255, 0, 0]);
    await wide.page.close();
  });

  it('gives its pan and zoom to the app to save and takes them back; a view laid out while hidden fits when shown', async () => {
    const { trace, id } = orderTrace();
    const g = await open(showMessage(trace));
    const fitted = (await g.call((graph) => graph.zoomState()))!;
    const changes = await g.call((graph) => graph.viewStateChanges());
    await g.page.mouse.move(500, 300);
    await g.page.mouse.wheel(120, 80);
    await g.page.waitForFunction((n) => (globalThis as unknown as Harnessed).graph.viewStateChanges() > n, changes);
    const panned = (await g.call((graph) => graph.zoomState()))!;
    assert.equal(panned.k, fitted.k, 'the wheel pans');
    assert.ok(near(panned, { x: fitted.x - 120, y: fitted.y - 80 }, 1), `${JSON.stringify(panned)} after ${JSON.stringify(fitted)}`);
    const where = await g.position(id('INSERT orders'));

    const restored = await open(showMessage(trace));
    await restored.page.evaluate((z) => (globalThis as unknown as Harnessed).graph.setZoomState(z), panned);
    assert.deepEqual(await restored.call((graph) => graph.zoomState()), panned);
    assert.ok(near(await restored.position(id('INSERT orders')), where, 0.5), 'the same pan and zoom show the same place');
    await restored.page.close();

    await g.page.keyboard.down('Control');
    await g.page.mouse.wheel(0, -100);
    await g.page.keyboard.up('Control');
    await g.page.waitForFunction((k) => (globalThis as unknown as Harnessed).graph.zoomState()!.k > k, panned.k);
    await g.page.close();

    const hidden = await open(showMessage(trace), { hidden: true });
    await hidden.call((graph) => graph.setHidden(false));
    await hidden.until((graph) => graph.nodes().length > 0 && graph.nodes().every((n) => n.inView));
    await hidden.page.close();
  });

  it('opens a long trace at a zoom its text can be read at, from the root or on the selected span; Fit shows it all', async () => {
    const builder = new TraceBuilder();
    for (let i = 0; i < 14; i++) builder.span(`step ${i}`, { service: 'chain', startMs: i, durationMs: 20 - i, ...(i > 0 ? { parent: `step ${i - 1}` } : {}) });
    const trace = builder.build();
    const last = trace.spans.at(-1)!.id;
    const g = await open(showMessage(trace));
    assert.equal((await g.call((graph) => graph.zoomState()))!.k, 0.75, 'not shrunk below a readable zoom');
    const nodes = await g.nodes();
    assert.ok(nodes.find((n) => n.name === 'Tracetest trigger')!.inView && !nodes.find((n) => n.spanId === last)!.inView, 'the root in view, the far end not');
    await g.page.locator('.graph-zoom-fit').click();
    await g.until((graph) => graph.zoomState()!.k < 0.75 && graph.nodes().every((n) => n.inView));
    await g.page.close();

    // A span selected with the new trace (a failed run selects its first failure) is where the view opens.
    const selected = await open(showMessage(new TraceBuilder().span('x').build()));
    await selected.page.evaluate(
      `globalThis.graph.show(JSON.parse(${JSON.stringify(messageJson(showMessage(trace)))}, ${REVIVE_TYPED})); globalThis.graph.setSelected(${JSON.stringify(last)}, false)`,
    );
    await selected.until((graph) => graph.nodes().some((n) => n.name === 'step 13' && n.inView));
    assert.equal((await selected.call((graph) => graph.zoomState()))!.k, 0.75);
    await selected.page.close();
  });

  it('keeps the selected node in sight when the view gets smaller', async () => {
    const { trace, id } = orderTrace();
    const g = await open(showMessage(trace));
    await g.clickNode(await g.byName('orders publish'));
    await g.until((graph) => graph.selections().length > 0);
    // The details open under the graph in a narrow panel: the graph keeps the top of the page only (the node was
    // drawn at y ≈ 370).
    await g.page.evaluate(`document.querySelector('.graph-view').parentElement.style.height = '300px'`);
    await g.until((graph) => graph.nodes().some((n) => n.name === 'orders publish' && n.inView));
    assert.ok(await g.node(id('orders publish')));
    await g.page.close();
  });

  it('zooms in and out about the middle and fits the whole trace again, from its buttons and from the keys + − 0', async () => {
    const { trace, id } = orderTrace();
    const g = await open(showMessage(trace));
    const fitted = (await g.call((graph) => graph.zoomState()))!;
    const zoomed = async (k: number) => {
      await g.page.waitForFunction((want) => Math.abs((globalThis as unknown as Harnessed).graph.zoomState()!.k - want) < 1e-6, k);
      return (await g.call((graph) => graph.zoomState()))!;
    };
    // The graph point in the middle of the view stays there.
    const middle = (z: { k: number; x: number; y: number }) => ({ x: (500 - z.x) / z.k, y: (300 - z.y) / z.k });
    await g.page.locator('.graph-zoom-in').click();
    const inOnce = await zoomed(fitted.k * 1.5);
    assert.ok(near(middle(inOnce), middle(fitted), 0.5), `${JSON.stringify(inOnce)} from ${JSON.stringify(fitted)}`);
    await g.page.locator('.graph-zoom-out').click();
    await zoomed(fitted.k);

    await g.clickNode(await g.byName('orders.Create'));
    await g.press('+', '+');
    await zoomed(fitted.k * 2.25);
    await g.press('-');
    await zoomed(fitted.k * 1.5);
    assert.ok(!(await g.nodes()).every((n) => n.inView), 'zoomed in, some nodes are out of view');
    await g.press('0');
    await g.until((graph) => graph.nodes().every((n) => n.inView));
    await g.page.mouse.wheel(300, 0);
    await g.page.locator('.graph-zoom-fit').click();
    // Fit animates, and after a pan its scale is the fitted one all along: wait for the view to be back, not the scale.
    const back = (want: { k: number; x: number; y: number }) => {
      const z = (globalThis as unknown as Harnessed).graph.zoomState()!;
      return Math.abs(z.k - want.k) < 1e-6 && Math.abs(z.x - want.x) <= 0.01 && Math.abs(z.y - want.y) <= 0.01;
    };
    await g.page.waitForFunction(back, fitted, { timeout: 5_000 }).catch(() => undefined);
    assert.ok(near(await zoomed(fitted.k), fitted, 0.01), 'Fit goes back to the first view');
    assert.ok(await g.node(id('INSERT orders')));
    await g.page.close();

    const hidden = await open(showMessage(trace), { hidden: true });
    await hidden.call((graph) => graph.setHidden(false));
    await hidden.until((graph) => graph.nodes().length > 0 && graph.nodes().every((n) => n.inView));
    await hidden.page.close();
  });

  it('grows down in a panel taller than wide and right in a wide one, turning when the panel crosses over with the selection kept', async () => {
    const { trace, id } = orderTrace();
    const g = await open(showMessage(trace));
    assert.equal(await g.call((graph) => graph.direction()), 'right', 'a 1000×600 panel');
    let post = (await g.node(id('POST /orders')))!;
    let create = (await g.node(id('orders.Create')))!;
    assert.ok(create.x > post.x + 100 && Math.abs(create.y - post.y) < 80, 'the child is to the right of its parent');
    await g.clickNode(await g.byName('orders publish'));

    // Dragged into a tall, narrow place (the side bar, or a narrow editor group).
    await g.page.setViewportSize({ width: 500, height: 900 });
    await g.until((graph) => graph.direction() === 'down');
    await g.until((graph) => graph.nodes().every((n) => n.inView));
    post = (await g.node(id('POST /orders')))!;
    create = (await g.node(id('orders.Create')))!;
    assert.ok(create.y > post.y + 30, 'the child is below its parent');
    assert.equal(await g.page.locator('.graph-view').getAttribute('data-leaves'), 'spread', 'side by side, as that fits');
    assert.equal((await g.node(id('orders publish')))!.selected, true, 'the selection is kept');
    assert.deepEqual(await g.selections(), [id('orders publish')], 'turning selects nothing');
    assert.ok((await g.call((graph) => graph.zoomState()))!.k >= 0.75, 'readable');
    // The arrow keys follow the drawing: Down goes to the first child, Right to the next sibling.
    await g.clickNode((await g.node(id('POST /orders')))!);
    await g.press('ArrowDown');
    assert.equal(await g.call((graph) => graph.focused()), id('orders.Create'));
    await g.press('ArrowRight');
    assert.equal(await g.call((graph) => graph.focused()), id('GET /users/{id}'));

    // Near square it stays as it is, so a drag does not flip it back and forth; wide again, it grows right.
    await g.page.setViewportSize({ width: 880, height: 900 });
    await g.page.waitForTimeout(200);
    assert.equal(await g.call((graph) => graph.direction()), 'down');
    await g.page.setViewportSize({ width: 1200, height: 500 });
    await g.until((graph) => graph.direction() === 'right');
    await g.until((graph) => graph.nodes().every((n) => n.inView));
    await g.page.close();
  });

  it('stacks leaves in columns when siblings side by side would be too wide for a tall panel, with lines clear of the nodes', async () => {
    const raw = (await readTraceFile(join(ROOT, 'test', 'fixtures', 'traces', 'demo', 'web-import-pokemon.otlp.json'))).spans;
    const g = await open(showMessage(buildTrace(raw)));
    // Beside the editor: growing down, the root's five children side by side would be too wide to read.
    await g.page.setViewportSize({ width: 720, height: 820 });
    await g.until((graph) => graph.direction() === 'down');
    await g.until((graph) => graph.nodes().length === 20 && graph.nodes().every((n) => n.inView));
    assert.equal(await g.page.locator('.graph-view').getAttribute('data-leaves'), 'stacked');
    assert.ok((await g.call((graph) => graph.zoomState()))!.k >= 0.75, 'readable');
    const boxes = await g.page
      .locator('.graph-node')
      .evaluateAll((nodes) =>
        Object.fromEntries(
          nodes.map((n) => [n.querySelector('.graph-name')!.textContent!, n.querySelector('.graph-box')!.getBoundingClientRect().toJSON() as Box]),
        ),
      );
    const [root, first, second] = [boxes['Tracetest trigger']!, boxes['GET /']!, boxes['GET /web/app.js']!];
    assert.ok(Math.abs(first.left - second.left) < 1 && second.top > first.bottom, 'the root’s leaves in a column');
    assert.ok(first.top > root.bottom, 'under the root');
    const below = ['documentLoad', 'list pokemon', 'import pokemon from the page'].map((name) => boxes[name]!);
    for (const node of below) {
      assert.ok(node.top > second.bottom, 'the other children below the column');
      assert.ok(Math.abs(node.top - below[0]!.top) < 1, 'side by side');
    }
    assert.deepEqual(await g.page.evaluate(EDGES_THROUGH_NODES), [], 'no line runs through a node');

    // The arrow keys follow the column down and go on to the children below it.
    const id = async (name: string) => (await g.byName(name)).spanId;
    await g.clickNode(await g.byName('GET /'));
    await g.press('ArrowDown');
    assert.equal(await g.call((graph) => graph.focused()), await id('GET /web/app.js'));
    await g.press('ArrowDown');
    assert.equal(await g.call((graph) => graph.focused()), await id('documentLoad'));
    await g.press('ArrowRight');
    assert.equal(await g.call((graph) => graph.focused()), await id('list pokemon'));
    await g.press('ArrowUp');
    assert.equal(await g.call((graph) => graph.focused()), await id('Tracetest trigger'));
    await g.press('ArrowDown');
    assert.equal(await g.call((graph) => graph.focused()), await id('GET /'));
    await g.page.close();
  });

  it('fits a graph clear of the zoom buttons in a short panel', async () => {
    const { trace } = orderTrace();
    const g = await open(showMessage(trace));
    // A panel of the graph's own shape: fitted, it would fill the view to its bottom right corner.
    const { k } = (await g.call((graph) => graph.zoomState()))!;
    const extent = await g.page.locator('.graph-box').evaluateAll((all) => {
      const rects = all.map((b) => b.getBoundingClientRect());
      return {
        w: Math.max(...rects.map((r) => r.right)) - Math.min(...rects.map((r) => r.left)),
        h: Math.max(...rects.map((r) => r.bottom)) - Math.min(...rects.map((r) => r.top)),
      };
    });
    await g.page.setViewportSize({ width: Math.round(extent.w / k + 48), height: Math.round(extent.h / k + 48) });
    await g.page.locator('.graph-zoom-fit').click();
    await g.until((graph) => graph.nodes().every((n) => n.inView));
    const controls = (await g.page.locator('.graph-controls').boundingBox())!;
    const boxes = await g.page
      .locator('.graph-box')
      .evaluateAll((all) => all.map((b) => b.getBoundingClientRect().toJSON() as { left: number; right: number; top: number; bottom: number }));
    for (const b of boxes) {
      const covered = b.right > controls.x && b.left < controls.x + controls.width && b.bottom > controls.y && b.top < controls.y + controls.height;
      assert.ok(!covered, `a node at ${JSON.stringify(b)} is under the zoom buttons at ${JSON.stringify(controls)}`);
    }
    await g.page.close();
  });
});

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/**
 * Runs in the page: each straight stretch of the edges that runs through a node's box (more than a unit inside it),
 * in graph units, as text. The edges are paths of M, H and V commands.
 */
const EDGES_THROUGH_NODES = `(() => {
  const boxes = [...document.querySelectorAll('.graph-node')].map((node) => {
    const [x, y] = node.getAttribute('transform').match(/-?[\\d.]+/g).map(Number);
    const box = node.querySelector('.graph-box');
    return { x0: x + 1, y0: y + 1, x1: x + Number(box.getAttribute('width')) - 1, y1: y + Number(box.getAttribute('height')) - 1 };
  });
  const through = [];
  for (const path of document.querySelectorAll('.graph-edge')) {
    let x = 0;
    let y = 0;
    for (const [, command, args] of path.getAttribute('d').matchAll(/([MHV])([^MHV]+)/g)) {
      const values = args.split(',').map(Number);
      const [fromX, fromY] = [x, y];
      if (command === 'M') [x, y] = values;
      else if (command === 'H') x = values[0];
      else y = values[0];
      if (command === 'M') continue;
      const [sx0, sx1, sy0, sy1] = [Math.min(fromX, x), Math.max(fromX, x), Math.min(fromY, y), Math.max(fromY, y)];
      for (const b of boxes) if (sx0 < b.x1 && sx1 > b.x0 && sy0 < b.y1 && sy1 > b.y0) through.push(command + ' ' + [fromX, fromY, x, y].join(' '));
    }
  }
  return through;
})()`;
