// The real panel bundle (dist/webview/panel.js, built by `npm run build`) in headless Chromium with acquireVsCodeApi
// stubbed: what a person sees and does in the trace panel, and what the panel posts to the extension.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { ROOT } from '../support/code-server';
import { buildTrace } from '../../src/core/trace/build';
import { loadFile } from '../../src/core/testfile/index';
import { testKey } from '../../src/extension/run-store';
import { Runner } from '../../src/run/runner';
import { readTraceFile } from '../../src/run/trace-file';
import { currentFile, FAILING_TEXT, IMPORT_TEST_TEXT, replay } from '../unit/testing/support';
import { generateRawSpans, GENERATED_TRACE_ID } from '../support/generated-trace';
import { CODICON_CSS, launchChromium, openWebview, type WebviewPage } from './support/browser';
import { addWireString, hostMessages, runMessage, showMessage as generatedRun, type ShowMessage } from './support/messages';
import type { ComparisonMessage, RunsMessage } from '../../src/protocol';

const BUNDLE = join(ROOT, 'dist', 'webview', 'panel.js');
const CSS = [CODICON_CSS, 'media/panel.css', 'media/graph.css', 'media/timeline.css'];
const SPAN = { http: '00f067aa0ba902b7', validate: '53995c3f42cd8ad8', insert: '7f6e5d4c3b2a1908' };
const INSERT_SELECTOR = 'span[tracetest.span.type="database" name="pg.query:INSERT pokeshop"]';

let browser: Browser;
let script: string;
let passing: ShowMessage;
let failing: ShowMessage;

before(async () => {
  assert.ok(existsSync(BUNDLE), `${BUNDLE} is missing: run npm run build first`);
  script = readFileSync(BUNDLE, 'utf8');
  browser = await launchChromium();
  const path = '/workspace/tests/import.yaml';
  passing = runMessage((await replay(IMPORT_TEST_TEXT, path)).run, currentFile(IMPORT_TEST_TEXT, path), 'tests/import.yaml')!;
  failing = runMessage((await replay(FAILING_TEXT, path)).run, currentFile(FAILING_TEXT, path), 'tests/import.yaml')!;
});

after(() => browser?.close());

async function panel(initialState?: unknown): Promise<WebviewPage> {
  const page = await openWebview(browser, script, { css: CSS, body: '<div id="app"></div>', initialState, width: 1400, height: 900 });
  await page.page.waitForFunction(() => (globalThis as unknown as { __posted: unknown[] }).__posted.length > 0);
  return page;
}

async function shown(page: WebviewPage, message: ShowMessage): Promise<void> {
  const before = await page.page.evaluate(() =>
    Number((globalThis as unknown as { document: { body: { dataset: Record<string, string> } } }).document.body.dataset.shown ?? '0'),
  );
  for (const m of hostMessages(message)) await page.send(m);
  await page.page.waitForFunction(
    (n) => Number((globalThis as unknown as { document: { body: { dataset: Record<string, string> } } }).document.body.dataset.shown ?? '0') > n,
    before,
  );
}

const row = (page: Page, spanId: string) => page.locator(`.tl [role="treeitem"][data-span-id="${spanId}"]`);

async function timeline(page: Page): Promise<void> {
  await page.locator('.view-timeline').click();
  await page.locator('.tl [role="treeitem"]').first().waitFor();
}

/** The text field inside a vscode-textfield. */
const field = (page: Page | FrameLocator, selector: string) => page.locator(`${selector} input`);

describe('the trace panel in Chromium', () => {
  test('says ready first, then shows the test, its spans and its status', async () => {
    const p = await panel();
    assert.deepEqual(await p.posted(), [{ type: 'ready' }]);
    await shown(p, passing);
    const page = p.page;
    assert.equal(await page.locator('.test-title').textContent(), 'Import a Pokemon using API and MQ Worker · tests/import.yaml');
    assert.equal(await page.locator('.test-status').textContent(), 'passed');
    assert.match((await page.locator('.test-summary').textContent())!, /^9 spans · \d services? · /);
    await timeline(page);
    assert.equal(await page.locator('.tl [role="treeitem"]').count(), 9);
    assert.equal(await row(page, SPAN.insert).locator('.tl-name').textContent(), 'pg.query:INSERT pokeshop');
  });

  test('a selector highlights what it matches, with a count; a broken one points at its column', async () => {
    const p = await panel();
    await shown(p, passing);
    const page = p.page;
    await timeline(page);
    await field(page, '.selector-input').fill('span[tracetest.span.type="database" service.name="pokeshop-worker"]');
    await page.locator('.selector-count', { hasText: '2 spans' }).waitFor();
    assert.deepEqual(await page.locator('.tl [role="treeitem"].is-match .tl-name').allTextContents(), ['get', 'pg.query:INSERT pokeshop']);
    assert.equal(await page.locator('.tl [role="treeitem"].is-faded').count(), 7);
    await field(page, '.selector-input').fill('span[name="POST /pokemon/import"] span[tracetest.span.type="database" name="get"]');
    await page.locator('.selector-count', { hasText: '1 span' }).waitFor();
    const viewTop = (await page.locator('.view-area').boundingBox())!.y;
    await field(page, '.selector-input').fill('span[name="x"');
    assert.equal(await page.locator('.selector-error').isHidden(), true, 'half-typed is not an error yet');
    await page.locator('.selector-error:not([hidden])').waitFor();
    assert.match((await page.locator('.selector-message').textContent())!, /^column 14: /);
    assert.equal(await page.locator('.selector-echo .caret').textContent(), `${' '.repeat(13)}^`);
    assert.equal(await page.locator('.tl [role="treeitem"].is-faded').count(), 0, 'a broken selector highlights nothing');
    assert.equal((await page.locator('.view-area').boundingBox())!.y, viewTop, 'the error does not push the views down');
    await field(page, '.selector-input').press('Escape');
    assert.equal(await field(page, '.selector-input').inputValue(), '');
    assert.equal(await page.locator('.selector-error').isHidden(), true);
  });

  test('text search finds spans by attribute values that no row shows, and Enter goes to the next match', async () => {
    const p = await panel();
    await shown(p, passing);
    const page = p.page;
    await timeline(page);
    await field(page, '.search-input').fill('postgres');
    await page.locator('.search-count', { hasText: /^\d+ spans?$/ }).waitFor();
    const total = Number.parseInt((await page.locator('.search-count').textContent())!, 10);
    await field(page, '.search-input').press('Enter');
    await page.locator('.details[data-span-id]').waitFor();
    assert.equal(await page.locator('.search-count').textContent(), `1 of ${total}`);
    const selected = await page.locator('.details').getAttribute('data-span-id');
    assert.equal(await row(page, selected!).getAttribute('aria-selected'), 'true');
    assert.match((await page.locator('.details .attribute-row .attribute-value').allTextContents()).join(' '), /postgres/);
  });

  test('click a span, Assert on an attribute: the proposed assertion is checked against the trace, then posted to be written', async () => {
    const p = await panel();
    await shown(p, passing);
    const page = p.page;
    await timeline(page);
    await row(page, SPAN.insert).click();
    await page.locator(`.details[data-span-id="${SPAN.insert}"]`).waitFor();
    assert.equal(await page.locator('.details .span-name').textContent(), 'pg.query:INSERT pokeshop');
    const choices = page.locator('.selector-choice');
    assert.equal(await choices.first().locator('.choice-selector').textContent(), INSERT_SELECTOR);
    assert.equal(await choices.first().locator('.choice-note').textContent(), 'matches 1 span');
    await page.locator('.attribute-row[data-attribute="db.system"] .assert-attribute').click();
    assert.equal(await page.locator('.assert-key').textContent(), 'attr:db.system');
    assert.equal(
      await page.locator('.attribute-row[data-attribute="db.system"] .attribute-key wbr').count(),
      1,
      'a long key may wrap at its dot, not mid-word',
    );
    assert.equal(await field(page, '.assert-value').inputValue(), '"postgresql"');
    assert.equal(await page.locator('.assert-check').textContent(), '✓ passes against this span now (observed postgresql)');
    await field(page, '.assert-value').fill('"mysql"');
    assert.equal(await page.locator('.assert-check').textContent(), '✗ observed postgresql (expected mysql): fails against this span now');
    await field(page, '.assert-value').fill('"postgresql"');
    await page.locator('.add-assertion').click();
    const posted = await p.posted();
    assert.deepEqual(posted.at(-1), {
      type: 'addAssertion',
      requestId: 1,
      spanId: SPAN.insert,
      selector: INSERT_SELECTOR,
      assertion: 'attr:db.system = "postgresql"',
    });
    await p.send({ type: 'written', requestId: 1, ok: true, message: 'Added attr:db.system = "postgresql" (line 40).' });
    await page.locator('.write-status', { hasText: 'Added attr:db.system = "postgresql" (line 40).' }).waitFor();
    // The re-check after the write sends the test's new result: the span, the form and the status stay.
    await shown(p, passing);
    assert.equal(await page.locator('.details').getAttribute('data-span-id'), SPAN.insert);
    assert.equal(await page.locator('.assert-key').textContent(), 'attr:db.system');
    assert.equal(await page.locator('.write-status').textContent(), 'Added attr:db.system = "postgresql" (line 40).');
  });

  test('a span the test has a spec for joins that spec by default; a chosen selector or a spec lights up what it selects', async () => {
    const p = await panel();
    await shown(p, failing);
    const page = p.page;
    const spec = 'span[tracetest.span.type="http" name="POST /pokemon/import" http.method="POST"]';
    await page.locator(`.details[data-span-id="${SPAN.http}"]`).waitFor();
    const checked = () =>
      page
        .locator('.selector-choice')
        .evaluateAll((radios) => radios.filter((r) => (r as unknown as { checked: boolean }).checked).map((r) => r.getAttribute('value')));
    assert.deepEqual(await checked(), [spec]);
    assert.match(
      (await page.locator(`.selector-choice[value='${spec}'] .choice-note`).textContent())!,
      /^matches 1 span · adds to spec "POST \/pokemon\/import was called successfuly"$/,
    );
    const generated = (await page.locator('.selector-choice').first().getAttribute('value'))!;
    assert.notEqual(generated, spec);
    await page.locator('.selector-choice').first().click();
    assert.equal(await field(page, '.selector-input').inputValue(), generated);
    await page.locator('.selector-count', { hasText: '1 span' }).waitFor();
    await page.locator('.failures .failure-spec').first().click();
    assert.equal(await field(page, '.selector-input').inputValue(), spec);
  });

  test('numbers and durations are proposed bare, JSON single-quoted; an output is posted with its name', async () => {
    const p = await panel();
    await shown(p, passing);
    const page = p.page;
    await timeline(page);
    await row(page, SPAN.http).click();
    await page.locator('.attribute-row[data-attribute="http.status_code"] .assert-attribute').click();
    assert.equal(await field(page, '.assert-value').inputValue(), '200');
    await page.locator('.attribute-row[data-attribute="tracetest.span.duration"] .assert-attribute').click();
    assert.match(await field(page, '.assert-value').inputValue(), /^\d+(\.\d+)?(ns|us|µs|ms|s)$/);
    await page.locator('.attribute-row[data-attribute="http.response.body"] .assert-attribute').click();
    assert.equal(await field(page, '.assert-value').inputValue(), `'{"id":143}'`);
    assert.match((await page.locator('.assert-check').textContent())!, /^✓ passes/);
    await page.locator('.attribute-row[data-attribute="http.status_code"] .assert-attribute').click();
    assert.equal(await field(page, '.output-name').inputValue(), 'HTTP_STATUS_CODE');
    await page.locator('.add-output').click();
    const message = (await p.posted()).at(-1) as Record<string, unknown>;
    assert.deepEqual(
      { ...message, selector: undefined },
      { type: 'addOutput', requestId: 1, spanId: SPAN.http, selector: undefined, name: 'HTTP_STATUS_CODE', value: 'attr:http.status_code' },
    );
  });

  test('a failed run lists its failing assertions; one click goes to the failing span', async () => {
    const p = await panel();
    await shown(p, failing);
    const page = p.page;
    assert.equal(await page.locator('.test-status').textContent(), 'failed');
    const failure = page.locator('.failures .failure').first();
    assert.match((await failure.textContent())!, /attr:http\.status_code = 201/);
    assert.match((await failure.textContent())!, /observed 200, expected 201/);
    // The panel opens on the first failing span.
    assert.equal(await page.locator('.details').getAttribute('data-span-id'), SPAN.http);
    await timeline(page);
    assert.equal(await row(page, SPAN.http).locator('.tl-mark').getAttribute('data-mark'), 'failed');
    await page.locator('.details .result.failed .line-link').first().click();
    assert.deepEqual((await p.posted()).at(-1), { type: 'revealLine', line: failing.specs[0]!.assertions[0]!.line });
  });

  test('the run picker switches runs; Compare with last pass lists the differences, highlights their spans, and each goes to its span', async () => {
    const p = await panel();
    await shown(p, failing);
    const page = p.page;
    assert.equal(await page.locator('.run-history').isHidden(), true, 'no runs told yet');
    const runs: RunsMessage = {
      type: 'runs',
      runs: [
        { id: 'mx2-b', at: Date.now(), status: 'failed', specs: 5, failedSpecs: 1, durationMs: 40 },
        { id: 'mx1-a', at: Date.now() - 60_000, status: 'passed', specs: 5, failedSpecs: 0, durationMs: 35 },
      ],
      shownId: 'mx2-b',
      lastPassAt: Date.now() - 60_000,
      comparing: false,
    };
    await p.send(runs);
    await page.locator('.run-picker').waitFor();
    assert.equal(await page.locator('.run-picker vscode-option').count(), 2);
    assert.match((await page.locator('.run-picker vscode-option').first().textContent())!, /^✗ .* · 1\/5 specs failed · 40/);
    await page.locator('.run-picker').evaluate((select) => {
      (select as unknown as { value: string }).value = 'mx1-a';
      select.dispatchEvent(new Event('change'));
    });
    assert.deepEqual((await p.posted()).at(-1), { type: 'showRun', id: 'mx1-a' });
    // The host shows that run and says so: the picker shows it too, not the newest.
    await p.send({ ...runs, shownId: 'mx1-a' });
    await page.waitForFunction(
      () => (globalThis as unknown as { document: { querySelector(s: string): { value: string } } }).document.querySelector('.run-picker').value === 'mx1-a',
    );
    await p.send(runs);

    await page.locator('.compare-toggle').click();
    assert.deepEqual((await p.posted()).at(-1), { type: 'compare', on: true });
    assert.equal(await page.locator('.compare-toggle').getAttribute('aria-pressed'), 'true');
    const comparison: ComparisonMessage = {
      type: 'comparison',
      traceId: failing.traceId,
      lastPassAt: runs.lastPassAt!,
      differences: [
        { kind: 'missing', text: "pokeshop-worker 'get' missing", spanIds: [SPAN.insert] },
        { kind: 'attributes', text: `pokeshop-api 'POST /pokemon/import' http.status_code "200" → "500"`, spanIds: [SPAN.http] },
      ],
    };
    await p.send(comparison);
    await page.locator('.comparison .difference').first().waitFor();
    assert.deepEqual(await page.locator('.comparison .difference').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-kind'), r.textContent])), [
      ['missing', "−pokeshop-worker 'get' missing under pg.query:INSERT pokeshop"],
      ['attributes', `≠pokeshop-api 'POST /pokemon/import' http.status_code "200" → "500"`],
    ]);
    await timeline(page);
    assert.deepEqual(
      (await page.locator('.tl [role="treeitem"].is-match').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-span-id')))).sort(),
      [SPAN.http, SPAN.insert].sort(),
    );
    await page.locator('.comparison .difference-text').first().click();
    assert.equal(await page.locator('.details').getAttribute('data-span-id'), SPAN.insert);

    await page.locator('.compare-toggle').click();
    assert.deepEqual((await p.posted()).at(-1), { type: 'compare', on: false });
    assert.equal(await page.locator('.comparison').count(), 0);
    assert.equal(await page.locator('.tl [role="treeitem"].is-faded').count(), 0, 'nothing is highlighted any more');
  });

  test('results alone (a re-check) keep the layout, zoom, selection, view, search and the side where it was; the marks and failures follow them', async () => {
    const p = await panel();
    await shown(p, passing);
    const page = p.page;
    await page.locator(`.graph-node[data-span-id="${SPAN.insert}"]`).click();
    await page.locator(`.details[data-span-id="${SPAN.insert}"]`).waitFor();
    await field(page, '.search-input').fill('postgres');
    await page.locator('.search-count', { hasText: /^\d+ spans?$/ }).waitFor();
    await page.mouse.move(500, 300);
    await page.mouse.wheel(120, 80);
    await page.evaluate(`document.querySelector('.side').scrollTop = 200`);
    const screen = () => page.evaluate(PANEL_SCREEN) as Promise<{ sideTop: number; highlighted: number; nodes: string[] }>;
    const before = await screen();
    assert.ok(before.sideTop > 0 && before.highlighted > 0 && before.nodes.length > 0, JSON.stringify(before));
    assert.equal(await page.locator('.failures .failure').count(), 0);

    // The re-check's results (the first assertion now expects 201): no trace message comes with them.
    const { trace, ...results } = failing;
    assert.equal(results.traceId, passing.traceId, 'the same trace');
    const counted = Number(await page.evaluate(`document.body.dataset.results ?? '0'`));
    await p.send(results);
    await page.waitForFunction(
      (n) => Number((globalThis as unknown as { document: { body: { dataset: Record<string, string> } } }).document.body.dataset.results ?? '0') > n,
      counted,
    );
    assert.equal(trace.traceId, passing.traceId);
    assert.deepEqual(await screen(), before, 'nothing moved');
    assert.equal(await page.locator('.test-status').textContent(), 'failed');
    await page.locator('.failures .failure').first().waitFor();
    assert.match((await page.locator(`.graph-node[data-span-id="${SPAN.http}"]`).getAttribute('aria-label'))!, /failed/);
    await timeline(page);
    assert.equal(await row(page, SPAN.http).locator('.tl-mark').getAttribute('data-mark'), 'failed', 'the view shown later has the new marks');
    assert.equal(await page.locator(`.details[data-span-id="${SPAN.insert}"]`).count(), 1);

    // Results for a trace the page does not hold are dropped, not laid on this one.
    await p.send({ ...passing, trace: undefined, traceId: 'f'.repeat(32) });
    await p.send({ type: 'running', running: false });
    assert.equal(await page.locator('.test-status').textContent(), 'failed');
  });

  test('a restored panel without a trace says so, and shows the trace once the test has run', async () => {
    const p = await panel();
    await shown(p, passing);
    await p.send({
      type: 'empty',
      test: { file: passing.test.file, label: 'tests/import.yaml', key: passing.test.key, name: passing.test.key },
      message: 'No trace for pokeshop-demo-import-pokemon-queue yet: run the test.',
    });
    await p.page.locator('.empty', { hasText: 'No trace for pokeshop-demo-import-pokemon-queue yet: run the test.' }).waitFor();
    assert.equal(await p.page.locator('.panel-body').isVisible(), false, 'the old trace is not left on screen');
    await shown(p, passing);
    assert.equal(await p.page.locator('.empty').isVisible(), false);
    assert.equal(await p.page.locator('.panel-body').isVisible(), true);
  });

  test("while the test runs the badge says RUNNING, Run again is disabled and asks for nothing, and the trace stays; the run's end or a new result ends it", async () => {
    const p = await panel();
    await shown(p, passing);
    const page = p.page;
    const [badge, rerun] = [page.locator('.test-status'), page.locator('.rerun')];
    await rerun.click();
    assert.deepEqual((await p.posted()).at(-1), { type: 'rerun' });
    const asked = (await p.posted()).length;

    await p.send({ type: 'running', running: true });
    await page.locator('.rerun[disabled]').waitFor();
    assert.equal(await badge.innerText(), 'RUNNING');
    assert.equal((await rerun.textContent())!.trim(), 'Running…');
    // No pointer reaches a disabled vscode-button; a scripted click or Enter still must not ask for a second run.
    await rerun.dispatchEvent('click');
    await rerun.focus();
    await page.keyboard.press('Enter');
    assert.equal((await p.posted()).length, asked, 'nothing posted while running');
    assert.match((await page.locator('.test-summary').textContent())!, /^9 spans/, 'the previous trace stays');
    assert.equal(await page.locator('.panel-body').isVisible(), true);

    await p.send({ type: 'running', running: false });
    await page.locator('.rerun:not([disabled])').waitFor();
    assert.equal(await badge.textContent(), 'passed', 'a run that brought no result leaves the shown one');
    assert.equal((await rerun.textContent())!.trim(), 'Run again');

    await p.send({ type: 'running', running: true });
    await page.locator('.test-status.running').waitFor();
    await shown(p, failing);
    assert.equal(await badge.textContent(), 'failed', 'the new result ends the running state');
    assert.equal(await rerun.getAttribute('disabled'), null);
    await rerun.click();
    assert.deepEqual((await p.posted()).slice(asked), [{ type: 'rerun' }]);

    await p.send({ type: 'running', running: true });
    await p.send({ type: 'empty', message: 'No trace yet: run the test.' });
    await page.locator('.rerun:not([disabled])').waitFor();
    assert.equal(await badge.isVisible(), false, 'no status without a result');
  });

  test('the running badge pulses, unless the user asked for reduced motion', async () => {
    const p = await panel();
    await shown(p, passing);
    await p.send({ type: 'running', running: true });
    const badge = p.page.locator('.test-status.running');
    await badge.waitFor();
    const animation = () =>
      badge.evaluate((n) => (globalThis as unknown as { getComputedStyle(e: unknown): { animationName: string } }).getComputedStyle(n).animationName);
    assert.notEqual(await animation(), 'none');
    await p.page.emulateMedia({ reducedMotion: 'reduce' });
    assert.equal(await animation(), 'none');
  });

  test('"Open trace at span" focuses the span', async () => {
    const p = await panel();
    await shown(p, passing);
    await p.send({ type: 'focus', spanId: SPAN.validate });
    await p.page.locator(`.details[data-span-id="${SPAN.validate}"]`).waitFor();
  });

  test('a trace that had to be repaired says so: its problems are listed, and the span shows its own', async () => {
    const raw = generateRawSpans(40);
    const orphan = raw[7]!;
    orphan.parentId = 'feedfacefeedface';
    const p = await panel();
    await shown(p, generatedRun(buildTrace(raw, { traceId: GENERATED_TRACE_ID })));
    const section = p.page.locator('.trace-problems');
    assert.equal(await section.getAttribute('heading'), '⚠ Trace problems (1)');
    await section.click();
    await p.page.locator(`.trace-problem a[data-span-id="${orphan.id}"]`).click();
    await p.page.locator(`.details[data-span-id="${orphan.id}"]`).waitFor();
    assert.match(
      (await p.page.locator('.details .span-warning').textContent())!,
      /has parent feedfacefeedface, which is not in the trace; it is shown under the trigger span$/,
    );
    await shown(p, passing);
    assert.equal(await p.page.locator('.trace-problems').count(), 0, 'a sound trace lists no problem');
  });

  test('services are told apart without red or green, which say failed and passed', async () => {
    const p = await panel();
    await shown(p, generatedRun(buildTrace(generateRawSpans(200), { traceId: GENERATED_TRACE_ID })));
    await timeline(p.page);
    const swatches = await p.page
      .locator('.tl-row:not([hidden]) .tl-swatch')
      .evaluateAll((nodes) =>
        nodes.map((n) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(n).backgroundColor),
      );
    const services = new Set(swatches);
    assert.ok(services.size >= 4, `services get distinct colours (${[...services].join(', ')})`);
    for (const forbidden of ['rgb(241, 76, 76)', 'rgb(137, 209, 133)']) assert.ok(!services.has(forbidden), `${forbidden} is not a service colour`);
  });

  test('a malformed message is rejected with a notice, and the trace on screen stays', async () => {
    const p = await panel();
    await shown(p, passing);
    await p.send({ type: 'trace', trace: { ...passing.trace, spans: [{ id: 'zz' }] } });
    await p.send({ type: 'explode' });
    const notice = p.page.locator('.notice');
    await notice.filter({ hasText: 'unknown message type "explode"' }).waitFor();
    assert.match((await p.page.locator('.test-summary').textContent())!, /^9 spans/);
  });

  test('the view, selection, selector and search are saved, and a reloaded panel comes back to them', async () => {
    const p = await panel();
    await shown(p, passing);
    await timeline(p.page);
    await row(p.page, SPAN.validate).click();
    await field(p.page, '.selector-input').fill('span[service.name="pokeshop-api"]');
    await p.page.waitForFunction(() => ((globalThis as unknown as { __state?: { selector?: string } }).__state?.selector ?? '') !== '');
    const state = (await p.state()) as Record<string, unknown>;
    assert.deepEqual(
      { view: state.view, selectedSpanId: state.selectedSpanId, selector: state.selector, test: state.test },
      {
        view: 'timeline',
        selectedSpanId: SPAN.validate,
        selector: 'span[service.name="pokeshop-api"]',
        test: { file: passing.test.file, key: passing.test.key },
      },
    );
    const restored = await panel(state);
    await shown(restored, passing);
    assert.equal(await restored.page.locator('.details').getAttribute('data-span-id'), SPAN.validate);
    assert.equal(await field(restored.page, '.selector-input').inputValue(), 'span[service.name="pokeshop-api"]');
    assert.equal(await row(restored.page, SPAN.validate).getAttribute('aria-selected'), 'true');
  });

  test('the dividers beside the span details and between names and bars drag, move by keyboard, are kept and reset', async () => {
    const p = await panel();
    await shown(p, passing);
    await timeline(p.page);
    const page = p.page;
    const box = async (selector: string) => (await page.locator(selector).first().boundingBox())!;
    const drag = async (selector: string, dx: number, dy = 0) => {
      const b = await box(selector);
      await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
      await page.mouse.down();
      await page.mouse.move(b.x + b.width / 2 + dx, b.y + b.height / 2 + dy, { steps: 4 });
      await page.mouse.up();
    };
    const sideSash = '.panel-body > .sash';
    const names = `.tl [data-span-id="${SPAN.validate}"] .tl-label`;
    const side = Math.round((await box('.side')).width);

    await drag(sideSash, -200);
    assert.equal(Math.round((await box('.side')).width), side + 200, 'dragged left: the details widen');
    const label = Math.round((await box(names)).width);
    const cut = await page
      .locator('.tl-row:not([hidden]) .tl-service')
      .evaluateAll((nodes) => nodes.filter((n) => n.scrollWidth > n.clientWidth).map((n) => n.textContent));
    assert.deepEqual(cut, [], 'service names are shown whole; the span names give way');
    await drag('.tl > .sash', 100);
    assert.equal(Math.round((await box(names)).width), label + 100, 'the names column widens');
    const [ruler, track] = [await box('.tl-ruler'), await box(`.tl [data-span-id="${SPAN.validate}"] .tl-track`)];
    assert.ok(Math.abs(ruler.x - track.x) < 1, `the bars still start under the ruler (${ruler.x} vs ${track.x})`);
    await page.locator(sideSash).focus();
    await page.keyboard.press('ArrowLeft');
    assert.equal(Math.round((await box('.side')).width), side + 210);
    assert.equal(await page.locator(sideSash).getAttribute('aria-valuenow'), String(side + 210));

    await page.waitForFunction((w) => (globalThis as unknown as { __state?: { sideWidth?: number } }).__state?.sideWidth === w, side + 210);
    const labelNow = Math.round((await box(names)).width);
    const restored = await panel(await p.state());
    await shown(restored, passing);
    assert.equal(Math.round((await restored.page.locator('.side').boundingBox())!.width), side + 210, 'a reloaded panel keeps the sizes');
    assert.equal(Math.round((await restored.page.locator(names).boundingBox())!.width), labelNow);
    await restored.page.locator(sideSash).dblclick();
    assert.equal(Math.round((await restored.page.locator('.side').boundingBox())!.width), side, 'double-click: back to the default');

    // Names dragged wide leave a narrow track: the ruler keeps only labels that do not overlap.
    await drag('.tl > .sash', 2000);
    const ticks = await page.locator('.tl-tick').evaluateAll((nodes) => nodes.map((n) => n.getBoundingClientRect()).map((r) => [r.left, r.right]));
    for (let i = 1; i < ticks.length; i++) assert.ok(ticks[i]![0]! >= ticks[i - 1]![1]! - 0.5, `tick labels ${JSON.stringify(ticks)} do not overlap`);
    const clipped = await page.locator('.tl-row:not([hidden]) .tl-track').evaluateAll((tracks) =>
      tracks.flatMap((t) => {
        const [outer, label] = [t.getBoundingClientRect(), t.querySelector('.tl-duration')!.getBoundingClientRect()];
        return label.left < outer.left - 0.5 || label.right > outer.right + 0.5 ? [t.querySelector('.tl-duration')!.textContent] : [];
      }),
    );
    assert.deepEqual(clipped, [], 'every duration is written where it fits');
    // A panel made narrower gives the view its share back from a details pane dragged wide.
    await page.setViewportSize({ width: 1000, height: 900 });
    await page.waitForFunction(
      () => (globalThis as unknown as { document: { querySelector(s: string): { offsetWidth: number } } }).document.querySelector('.side').offsetWidth <= 650,
    );
    // A narrow panel puts the details under the view: the same divider then sets their height.
    await page.setViewportSize({ width: 700, height: 900 });
    await page.locator('.panel-body > .sash[aria-orientation="horizontal"]').waitFor();
    const height = Math.round((await box('.side')).height);
    await drag(sideSash, 0, -150);
    assert.equal(Math.round((await box('.side')).height), height + 150, 'dragged up: the details grow');
  });

  test('span text is text: markup in names and attributes is shown, never run', async () => {
    const p = await panel();
    const evil = structuredClone(passing);
    const text = (t: string) => addWireString(evil.trace, t);
    const spans = evil.trace.spans;
    spans.names[1] = text('<img src=x onerror="window.__pwned=1">');
    // The note goes at the end of span 1's attributes: every later span's attributes move by one pair.
    const at = spans.attributeOffsets[2]!;
    spans.attributes = Uint32Array.of(
      ...spans.attributes.subarray(0, at),
      text('note'),
      text('<script>window.__pwned=1</script>'),
      ...spans.attributes.subarray(at),
    );
    for (let i = 2; i < spans.attributeOffsets.length; i++) spans.attributeOffsets[i]! += 2;
    await shown(p, evil);
    await timeline(p.page);
    await row(p.page, evil.trace.spans.ids.slice(16, 32)).click();
    assert.equal(await p.page.locator('.details .span-name').textContent(), '<img src=x onerror="window.__pwned=1">');
    assert.equal(await p.page.locator('.attribute-row[data-attribute="note"] .attribute-value').textContent(), '<script>window.__pwned=1</script>');
    assert.equal(await p.page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned), undefined);
    assert.equal(await p.page.locator('.details img, .details script').count(), 0);
  });

  test('a trace with no test (from the Traces view): graph, timeline, selector bar and details, no run or assert form, and Create Test from Trace', async () => {
    const p = await panel();
    const page = p.page;
    const [trace] = hostMessages(passing);
    await p.send(trace);
    await p.send({ type: 'browse', traceId: passing.traceId, title: 'POST /pokemon/import' });
    await page.locator('.panel-body:not([hidden])').waitFor();
    assert.equal(await page.locator('.test-title').textContent(), `POST /pokemon/import · trace ${passing.traceId}`);
    assert.equal(await page.locator('.test-status').textContent(), '', 'no test, no status');
    assert.equal(await page.locator('.rerun').isVisible(), false);
    await timeline(page);
    await field(page, '.selector-input').fill('span[tracetest.span.type="database" service.name="pokeshop-worker"]');
    await page.locator('.selector-count', { hasText: '2 spans' }).waitFor();
    assert.deepEqual(await page.locator('.tl [role="treeitem"].is-match .tl-name').allTextContents(), ['get', 'pg.query:INSERT pokeshop']);
    await row(page, SPAN.insert).click();
    await page.locator(`.details[data-span-id="${SPAN.insert}"]`).waitFor();
    await page.locator('.attribute-row[data-attribute="db.system"]').waitFor();
    assert.equal(await page.locator('.assert-form').isVisible(), false, 'nothing to assert into');
    assert.equal(await page.locator('.attribute-row[data-attribute="db.system"] .assert-attribute').isVisible(), false);
    await page.locator('.create-test').click();
    assert.deepEqual((await p.posted()).at(-1), { type: 'createTest' });
  });

  test('the Analyzer section: the score, every rule, and a failed rule highlights and lists the spans it failed on', async () => {
    const p = await panel();
    await shown(p, passing);
    const page = p.page;
    await timeline(page);
    const section = page.locator('.analyzer');
    assert.equal(await section.getAttribute('heading'), 'Analyzer · score 81/100');
    assert.equal(await section.getAttribute('description'), '2 of 7 rules failed');
    assert.equal(await section.getAttribute('open'), null, 'closed while the analyzer does not fail the test');
    await section.click();
    assert.deepEqual(
      await page.locator('.analyzer-rule').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-rule'), r.className.replace('analyzer-rule ', '')])),
      [
        ['span-naming', 'failed'],
        ['required-attributes', 'passed'],
        ['attribute-naming', 'passed'],
        ['no-empty-attributes', 'passed'],
        ['prefer-dns', 'passed'],
        ['secure-https-protocol', 'failed'],
        ['no-api-key-leak', 'passed'],
      ],
    );
    assert.deepEqual(await page.locator('.analyzer-plugin h4 .plugin-score').allTextContents(), ['75', '100', '70']);
    assert.match(
      (await page.locator('.analyzer-rule[data-rule="secure-https-protocol"] .rule-spans').textContent())!,
      /POST \/pokemon\/import http\.scheme is http; http\.url is http \(http:\/\/demo-api:8081\)/,
    );

    // Clicking a failed rule lights up its spans in the view, pins them in the bar, and goes to the first.
    await page.locator('.rule-highlight[data-rule="span-naming"]').click();
    await page.locator(`.details[data-span-id="${SPAN.insert}"]`).waitFor();
    assert.deepEqual(await page.locator('.tl [role="treeitem"].is-match .tl-name').allTextContents(), ['pg.query:INSERT pokeshop']);
    assert.equal(await page.locator('.tl [role="treeitem"].is-faded').count(), 8);
    assert.equal(await page.locator('.pinned-filter .pinned-label').textContent(), 'Analyzer: Span naming');
    assert.equal(await page.locator('.pinned-filter .pinned-count').textContent(), '1 span');
    assert.equal(await page.locator('.rule-highlight[data-rule="span-naming"]').getAttribute('aria-pressed'), 'true');
    assert.match((await page.locator('.details .span-analyzer [data-rule="span-naming"]').textContent())!, /Span naming.*named "pg\.query:INSERT pokeshop"/);
    // Clicking it again clears it; the chip clears another.
    await page.locator('.rule-highlight[data-rule="span-naming"]').click();
    assert.equal(await page.locator('.tl [role="treeitem"].is-faded').count(), 0);
    assert.equal(await page.locator('.pinned-filter').isHidden(), true);
    await page.locator('.rule-highlight[data-rule="secure-https-protocol"]').click();
    await page.locator(`.details[data-span-id="${SPAN.http}"]`).waitFor();
    assert.deepEqual(await page.locator('.tl [role="treeitem"].is-match .tl-name').allTextContents(), ['POST /pokemon/import']);
    await page.locator('.pinned-clear').click();
    assert.equal(await page.locator('.tl [role="treeitem"].is-faded').count(), 0);
    assert.equal(await page.locator('.rule-highlight[data-rule="secure-https-protocol"]').getAttribute('aria-pressed'), 'false');

    // A span listed under a rule goes to that span.
    await page.locator(`.rule-span[data-span-id="${SPAN.insert}"]`).click();
    await page.locator(`.details[data-span-id="${SPAN.insert}"]`).waitFor();
  });

  test('a highlighted rule stays highlighted across a new run and a reload; a gate the analyzer failed opens the section and says why', async () => {
    const p = await panel();
    await shown(p, passing);
    const page = p.page;
    await page.locator('.analyzer').click();
    await page.locator('.rule-highlight[data-rule="span-naming"]').click();
    await page.waitForFunction(() => (globalThis as unknown as { __state?: { analyzerRule?: string } }).__state?.analyzerRule === 'span-naming');
    const gated: ShowMessage = {
      ...passing,
      test: { ...passing.test, status: 'failed' },
      gates: [
        { gate: 'test-specs', passed: true },
        { gate: 'analyzer-score', passed: false, message: 'score 81 is below the minimum 90' },
      ],
    };
    await shown(p, gated);
    assert.equal(await page.locator('.pinned-filter .pinned-label').textContent(), 'Analyzer: Span naming', 'the same test run again: still highlighted');
    assert.equal(await page.locator('.analyzer').getAttribute('open'), '');
    assert.deepEqual(await page.locator('.analyzer .gate-failure').allTextContents(), ['✗ required gate analyzer-score: score 81 is below the minimum 90']);

    const restored = await panel(await p.state());
    await shown(restored, passing);
    await timeline(restored.page);
    assert.deepEqual(await restored.page.locator('.tl [role="treeitem"].is-match .tl-name').allTextContents(), ['pg.query:INSERT pokeshop']);
    await restored.send({
      type: 'empty',
      test: { file: passing.test.file, label: 'tests/import.yaml', key: passing.test.key, name: passing.test.name },
      message: 'No trace yet: run the test.',
    });
    await shown(restored, passing);
    assert.equal(
      await restored.page.locator('.pinned-filter .pinned-label').textContent(),
      'Analyzer: Span naming',
      'the same test without a trace for a while',
    );
    const withoutAnalyzer: ShowMessage = { ...passing };
    delete withoutAnalyzer.analyzer;
    await shown(restored, withoutAnalyzer);
    assert.equal(await restored.page.locator('.analyzer').count(), 0, 'no section when the analyzer is off');
    assert.equal(await restored.page.locator('.pinned-filter').isHidden(), true);
    assert.equal(await restored.page.locator('.tl [role="treeitem"].is-faded').count(), 0);
  });

  test('every demo test’s trace opens whole in a side panel’s shape: growing down, at a readable zoom, clear of the zoom buttons', async () => {
    const names = readdirSync(DEMO_TRACES).map((file) => file.replace(/\.otlp\.json$/, ''));
    assert.ok(names.length >= 9, 'a trace of each demo test');
    for (const name of names) {
      // The panel opened beside the editor in a 1440×900 window: tall and narrow, the details under the graph.
      const { page } = await openWebview(browser, script, { css: CSS, body: '<div id="app"></div>', width: 720, height: 820 });
      await page.waitForFunction(() => (globalThis as unknown as { __posted: unknown[] }).__posted.length > 0);
      for (const m of hostMessages(await demoMessage(name)))
        await page.evaluate((m) => (globalThis as unknown as { postMessage(m: unknown, o: string): void }).postMessage(m, '*'), m);
      await page.locator('.graph-view[data-direction] .graph-node').first().waitFor();
      assert.equal(await page.locator('.graph-view').getAttribute('data-direction'), 'down', name);
      // As text: a function passed from here would carry the test runner's helpers for its inner functions.
      const seen = (await page.evaluate(SEEN_NODES)) as {
        nodes: Array<{ name: string; inView: boolean; underButtons: boolean; textPx: number }>;
        view: unknown;
      };
      assert.ok(seen.nodes.length >= 3, `${name}: ${seen.nodes.length} nodes`);
      for (const node of seen.nodes) {
        assert.ok(node.textPx >= 9, `${name}: ${node.name}'s text is ${node.textPx.toFixed(1)} px`);
        assert.ok(node.inView, `${name}: ${node.name} is in view (${JSON.stringify(seen.view)})`);
        assert.ok(!node.underButtons, `${name}: ${node.name} is clear of the zoom buttons`);
      }
      await page.close();
    }
  });
});

/** What a re-check must leave as it is: the graph's zoom and node places, the selection, the side's scroll, the search and the view. */
const PANEL_SCREEN = `(() => ({
  world: document.querySelector('.graph-view svg > g').getAttribute('transform'),
  nodes: [...document.querySelectorAll('.graph-node')].map((n) => n.dataset.node + ' ' + n.getAttribute('transform') + ' ' + n.dataset.spanId),
  selected: document.querySelector('.details').dataset.spanId,
  sideTop: document.querySelector('.side').scrollTop,
  search: document.querySelector('.search-count').textContent,
  highlighted: document.querySelectorAll('.graph-node.match').length,
  view: document.querySelector('.view-graph').getAttribute('aria-selected'),
}))()`;

/** The graph's nodes as on screen: in the view, under the zoom buttons, the size their name is drawn at. */
const SEEN_NODES = `(() => {
  const rect = (e) => e.getBoundingClientRect();
  const view = rect(document.querySelector('.graph-view'));
  const controls = rect(document.querySelector('.graph-controls'));
  const nodes = [...document.querySelectorAll('.graph-node')].map((node) => {
    const box = node.querySelector('.graph-box');
    const r = rect(box);
    const text = node.querySelector('.graph-name, .graph-stub-text');
    return {
      name: text.textContent,
      inView: r.left >= view.left && r.right <= view.right && r.top >= view.top && r.bottom <= view.bottom,
      underButtons: r.right > controls.left && r.left < controls.right && r.bottom > controls.top && r.top < controls.bottom,
      textPx: Number.parseFloat(getComputedStyle(text).fontSize) * (r.height / Number(box.getAttribute('height'))),
    };
  });
  return { nodes, view: { width: view.width, height: view.height } };
})()`;

const DEMO_TRACES = join(ROOT, 'test', 'fixtures', 'traces', 'demo');
const DEMO_VARIABLES = new Map([
  ['POKESHOP_API_URL', 'http://127.0.0.1:8081'],
  ['POKESHOP_GRPC_ADDRESS', '127.0.0.1:8082'],
  ['POKEMON_ID', '1'],
]);

/** What the panel is sent after `demo/tests/<name>.yaml` ran: its saved trace replayed by the real Runner. */
async function demoMessage(name: string): Promise<ShowMessage> {
  const path = join(ROOT, 'demo', 'tests', `${name}.yaml`);
  const text = readFileSync(path, 'utf8');
  const trace = await readTraceFile(join(DEMO_TRACES, `${name}.otlp.json`));
  const file = loadFile(text, path);
  const [result] = await new Runner({ variables: DEMO_VARIABLES, replay: trace.spans }).runFiles([file]);
  const test = file.resources[0]!;
  const key = testKey(test.resource?.kind === 'Test' ? test.resource.id?.value : undefined, test.document);
  return runMessage({ path, key, result: result!, at: 0 }, currentFile(text, path), `tests/${name}.yaml`);
}
