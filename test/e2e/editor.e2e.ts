// The extension in a real VS Code (code-server 4.139 = VS Code 1.139, driven in Chromium): the extension-host
// suite, then what a person does with a demo test — run it from the CodeLens, read the results in the Testing view
// and on the lines, break an assertion, read the diff and the problem, fix it with completion — and with the demo's
// Playwright script test: its console, and its trace in Playwright's trace viewer. Last, a folder that is not
// trusted, in a second editor with Workspace Trust on: checked but not run until the user trusts it.
//
// Run by test/support/run-editor-tests.ts (which installs code-server first); the tests run in order and share one editor.
import assert from 'node:assert/strict';
import type { FrameLocator } from 'playwright-core';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT } from '../support/code-server';
import { runExtensionHostSuite } from '../exthost/run-in-code-server';
import { startRecordingServer, type RecordingServer } from '../support/recording-server';
import { startTracedService } from '../support/traced-service';
import { activationTimes, RUN_DIR, startHarness, SCREENSHOTS, type EditorHarness } from './harness';
import { Workbench } from './workbench';

const TEST_FILE = 'add-pokemon.yaml';
/** The demo's Playwright script test. */
const WEB_TEST_FILE = 'web-import-pokemon.yaml';
const ASSERTION = '- attr:http.status_code = 201';
/** What identifies the assertion's line whatever its value. */
const ASSERTION_LINE_TEXT = 'attr:http.status_code =';
/** 1-based line of ASSERTION in the demo test. */
const ASSERTION_LINE =
  readFileSync(join(ROOT, 'demo', 'tests', TEST_FILE), 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(ASSERTION)) + 1;
const RUN_TIMEOUT_MS = 60_000;

let harness: EditorHarness;
let bench: Workbench;

/**
 * A step of a scenario: each builds on the one before, so after a failure the rest of that scenario are skipped, not
 * timed out.
 */
function stepOf(scenario: { failed?: string; bench: () => Workbench }): (name: string, body: () => Promise<void>) => void {
  return (name, body) =>
    test(name, async (t) => {
      if (scenario.failed) return t.skip(`skipped: "${scenario.failed}" failed`);
      try {
        await body();
      } catch (error) {
        scenario.failed = name;
        await scenario
          .bench()
          .screenshot('failed')
          .catch(() => {});
        throw error;
      }
    });
}

const main: { failed?: string; bench: () => Workbench } = { bench: () => bench };
const step = stepOf(main);

before(async () => {
  assert.ok(ASSERTION_LINE > 0, `${TEST_FILE} no longer has "${ASSERTION}"`);
  harness = await startHarness();
});

after(async () => {
  if (harness) {
    process.stderr.write(`timings (ms): ${JSON.stringify(harness.timings)}\n`);
    await harness.stop();
    process.stderr.write(`activation (activate(), ms, per extension host): ${activationTimes().join(', ') || 'not logged'}\n`);
  }
});

describe('extension host (mocha inside code-server)', () => {
  test('the extension-host suite passes', async (t) => {
    const run = await runExtensionHostSuite({
      server: harness.server,
      browser: harness.browser,
      extensionDir: ROOT,
      ...harness.extensionHost,
    });
    harness.timings['extension-host suite'] = run.durationMs;
    // One subtest per mocha test, so each shows (and counts) in this report.
    for (const result of run.results) {
      await t.test(result.title.join(' › '), { skip: result.state === 'skipped' }, () => {
        if (result.state !== 'failed') return;
        // The error as the extension host saw it, stack included.
        const error = new Error(result.error ?? 'failed');
        error.stack = result.error ?? 'failed';
        throw error;
      });
    }
    assert.equal(run.exitCode, 0, 'the suite reported a failure to the workbench');
  });
});

describe('a demo test in the editor', { concurrency: false }, () => {
  before(async () => {
    const context = await harness.browser.newContext({ viewport: { width: 1440, height: 900 } });
    bench = new Workbench(await context.newPage(), SCREENSHOTS);
    const started = Date.now();
    await bench.open(harness.server.url);
    harness.timings['workbench ready'] = Date.now() - started;
  });

  step('opening a test shows a "Run test" CodeLens', async () => {
    await bench.openFile(TEST_FILE);
    await bench.codeLens('Run test').first().waitFor({ timeout: 30_000 });
    await bench.screenshot('01-codelens');
  });

  step('"Run test" runs it: passed in the Testing view, observed values on the assertion lines', async () => {
    await bench.runTestFromCodeLens();
    assert.equal(await bench.waitForAfterText(ASSERTION_LINE_TEXT, /^✓ /, RUN_TIMEOUT_MS), '✓ 201');
    await bench.command('Testing: Focus on Test Explorer View');
    const fileRow = bench.page.locator('.test-explorer .monaco-list-row', { hasText: TEST_FILE });
    await fileRow.locator('.codicon-testing-passed-icon').first().waitFor({ timeout: 15_000 });
    await bench.expand(fileRow.first()); // the test and its specs
    const testRow = bench.page.locator('.test-explorer .monaco-list-row', { hasText: 'Add a Pokémon' });
    await testRow.locator('.codicon-testing-passed-icon').first().waitFor({ timeout: 15_000 });
    await bench.screenshot('02-passed');
  });

  step('a broken assertion fails with a diff and a problem on its line', async () => {
    await bench.goToLineEnd(ASSERTION_LINE);
    await bench.page.keyboard.press('Backspace');
    await bench.page.keyboard.type('0'); // 201 → 200
    await bench.save();
    await bench.runTestFromCodeLens();
    assert.equal(await bench.waitForAfterText(ASSERTION_LINE_TEXT, /^✗ /, RUN_TIMEOUT_MS), '✗ 201 (expected 200)');
    // The failure's TestMessage.diff opens in a peek with the expected and observed values side by side.
    const peek = bench.page.locator('.peekview-widget');
    await peek.first().waitFor({ timeout: 15_000 });
    await peek.locator('.monaco-diff-editor').first().waitFor({ timeout: 15_000 });
    assert.ok((await bench.editor().locator('.squiggly-error').count()) > 0, 'no error squiggle in the editor');
    await bench.screenshot('03-failed-diff');
    await bench.page.keyboard.press('Escape');
    await bench.command('Problems: Focus on Problems View');
    const problem = bench.page.locator('.markers-panel .monaco-list-row', { hasText: 'attr:http.status_code = 200' });
    await problem.first().waitFor({ timeout: 15_000 });
    await bench.screenshot('04-problem');
  });

  step('a failed result in Test Results has "Open Trace at Span" in its menu, which opens the panel on the failing span', async () => {
    // The failed run opened the panel on its failing span: select another one there first (in the timeline: where the
    // graph puts a node depends on which layout was ready, and one may sit under the zoom buttons).
    const panel = bench.webview();
    await panel.locator('.test-status', { hasText: 'failed' }).waitFor({ timeout: 15_000 });
    await panel.locator('.view-timeline').click();
    await panel.locator('.tl [role="treeitem"]', { hasText: 'validate request' }).first().click();
    await panel.locator('.details .span-name', { hasText: 'validate request' }).waitFor();
    await bench.command('Test Results: Focus on Test Results View');
    const failed = bench.page.locator('.monaco-list-row', { hasText: 'POST /pokemon was handled' }).last();
    await failed.waitFor({ timeout: 15_000 });
    await failed.click({ button: 'right' });
    const item = bench.page.locator('.context-view .action-menu-item', { hasText: 'Open Trace at Span' });
    await item.hover();
    await bench.page.keyboard.press('Enter');
    await item.waitFor({ state: 'hidden' });
    await panel.locator('.details .span-name', { hasText: 'POST /pokemon' }).waitFor({ timeout: 15_000 });
    await bench.screenshot('04b-open-trace-from-results');
    await bench.editor(TEST_FILE).locator('.view-lines').click();
  });

  step('completion offers the observed value, and the test passes again', async () => {
    await bench.goToLineEnd(ASSERTION_LINE);
    for (let i = 0; i < 3; i++) await bench.page.keyboard.press('Backspace'); // "200" gone: `attr:http.status_code = `
    await bench.page.keyboard.press('Control+Space');
    const observed = bench.page.locator('.suggest-widget .monaco-list-row', { hasText: /^201/ });
    await observed.first().waitFor({ timeout: 15_000 });
    await bench.screenshot('05-completion');
    await observed.first().click();
    await bench.save();
    await bench.runTestFromCodeLens();
    // The demo's services batch spans every 5 s, as the SDK does by default: the trace panel (open beside since the
    // failure) says what the run waits for: the first spans after the response, or (when a batch brings part of the
    // trace) what is still expected, with how long at most.
    const progress = bench
      .webview()
      .locator('.run-progress', { hasText: /^triggered \(201\) · waiting for spans$|spans? from pokeshop-api · waiting for .+, up to \d/ });
    await progress.waitFor({ timeout: RUN_TIMEOUT_MS });
    await bench.screenshot('05b-waiting');
    await bench.goToLineEnd(ASSERTION_LINE); // the editor renders only the lines in view
    assert.equal(await bench.waitForAfterText(ASSERTION_LINE_TEXT, /^✓ /, RUN_TIMEOUT_MS), '✓ 201');
    const failing = (await bench.afterTexts()).filter((l) => l.texts.some((text) => text.startsWith('✗')));
    assert.deepEqual(failing, [], 'no line still shows a failure');
    await bench.screenshot('06-fixed');
  });

  step('"Show trace" opens the trace panel; a span and an attribute clicked there add a passing assertion to the file', async () => {
    await bench.editor().locator('.view-lines').click();
    await bench.page.keyboard.press('Control+Home');
    await bench.settledCodeLenses();
    await bench.codeLens('Show trace').first().click();
    const panel = bench.webview();
    await panel.locator('.test-title', { hasText: 'Add a Pokémon' }).waitFor({ timeout: 30_000 });
    await panel.locator('.test-status', { hasText: 'passed' }).waitFor();
    await bench.screenshot('07-trace-panel');
    // The Analyzer section grades the demo's instrumentation; a failed rule highlights the spans it failed on.
    const analyzer = panel.locator('.analyzer');
    assert.match((await analyzer.getAttribute('heading'))!, /^Analyzer · score \d+\/100$/);
    await analyzer.click();
    await panel.locator('.rule-highlight[data-rule="secure-https-protocol"]').click();
    await panel.locator('.pinned-filter .pinned-label', { hasText: 'Analyzer: Secure HTTPS protocol' }).waitFor();
    await panel.locator('.details .span-analyzer [data-rule="secure-https-protocol"]').waitFor();
    await panel.locator('.pinned-clear').click();
    await panel.locator('.view-timeline').click();
    await panel.locator('.tl [role="treeitem"]', { hasText: 'validate request' }).first().click();
    await panel.locator('.details .span-name', { hasText: 'validate request' }).waitFor();
    await panel.locator('.attribute-row[data-attribute="service.name"] .assert-attribute').click();
    await panel.locator('.assert-check', { hasText: '✓ passes against this span now (observed pokeshop-api)' }).waitFor();
    await bench.screenshot('08-assert-in-panel');
    await panel.locator('.add-assertion').click();
    await panel.locator('.write-status', { hasText: 'Added attr:service.name = "pokeshop-api"' }).waitFor({ timeout: 15_000 });
    const onDisk = readFileSync(join(harness.workspace, TEST_FILE), 'utf8');
    assert.match(
      onDisk,
      /- attr:validation\.is_valid = "true"\n\s+- attr:service\.name = "pokeshop-api"\n/,
      'added to the spec with the same selector, on disk',
    );
    // Added, saved and re-checked: the new line shows what it observed, in the test file's editor.
    assert.equal(await bench.waitForAfterText('attr:service.name = "pokeshop-api"', /^✓ /, RUN_TIMEOUT_MS, TEST_FILE), '✓ pokeshop-api');
    await bench.screenshot('09-assertion-added');
    // The re-check sent the panel the new result; its graph is laid out by elkjs in a worker started from a blob
    // URL, which the panel's content security policy has to allow.
    await panel.locator('.view-graph').click();
    await panel.locator('.graph-view[data-layout="elk"][data-mode="svg"] [data-span-id]').first().waitFor({ timeout: 15_000 });
  });

  step('a trace panel hidden behind another tab and shown again still shows its trace', async () => {
    // VS Code drops a hidden panel's page (its context is not retained) and builds it anew when it is shown.
    const panelGroup = bench.page.locator('.editor-group-container', { has: bench.page.locator('.tab', { hasText: 'Trace: Add a Pokémon' }) });
    const panelTab = panelGroup.locator('.tab', { hasText: 'Trace: Add a Pokémon' });
    await panelTab.click();
    // Quick Open puts the file in the panel's group, in front of it.
    await bench.quickOpen('get-pokemon.yaml');
    await panelGroup.locator('.tab.active', { hasText: 'get-pokemon.yaml' }).waitFor();
    await bench.page.locator('iframe.webview.ready').waitFor({ state: 'hidden' });
    await panelTab.click();
    const panel = bench.webview();
    await panel.locator('.test-title', { hasText: 'Add a Pokémon' }).waitFor({ timeout: 15_000 });
    await panel.locator('.graph-view [data-span-id]').first().waitFor({ timeout: 15_000 });
    await bench.screenshot('10-panel-shown-again');
  });

  step('the panel goes back to the failed run from the run history, and "Compare with last pass" says what changed since the pass', async () => {
    // The test's runs so far (passed, failed with 200 for 201, passed again, re-checked) are kept in the workspace's storage.
    const panel = bench.webview();
    const picker = panel.locator('.run-picker');
    await picker.waitFor({ timeout: 15_000 });
    const failedRun = panel.locator('.run-picker vscode-option', { hasText: /^✗ .* · 1\/\d+ specs failed/ }).first();
    const id = await failedRun.getAttribute('value');
    assert.ok(id, 'the failed run is listed');
    // What the picker does on a choice: its value, then a change event.
    await picker.evaluate((select, value) => {
      (select as unknown as { value: string }).value = value;
      select.dispatchEvent(new Event('change'));
    }, id);
    await panel.locator('.test-status', { hasText: 'failed' }).waitFor({ timeout: 15_000 });
    await panel.locator('.failures .failure', { hasText: '200' }).first().waitFor();
    assert.equal(await picker.evaluate((select) => (select as unknown as { value: string }).value), id, 'the picker shows the run the panel shows');
    await panel.locator('.compare-toggle').click();
    const comparison = panel.locator('.comparison');
    await comparison.locator('h3', { hasText: 'Since the last pass' }).waitFor({ timeout: 15_000 });
    // Same service, same flow: what differs is at most a duration, never a span missing or added.
    assert.equal(await comparison.locator('.difference.missing, .difference.added').count(), 0);
    await bench.screenshot('10b-compare-with-last-pass');
  });

  step(
    '"Run under load…" asks for the rate, duration and sample, charts the load live and lists the failing traces; one opens in the trace panel',
    async () => {
      // A small instrumented service exporting to the editor's receiver; the second spec fails on every trace.
      const service = await startTracedService(harness.otlpUrl, 'greeter');
      try {
        writeFileSync(
          join(harness.workspace, 'hello-load.yaml'),
          `type: Test
spec:
  id: hello-under-load
  name: Hello under load
  trigger:
    type: http
    httpRequest:
      url: ${service.url}/hello
  specs:
  - name: greeting loaded
    selector: span[name="load greeting"]
    assertions:
    - attr:db.system = "sqlite"
  - name: created
    selector: span[name="GET /hello"]
    assertions:
    - attr:http.response.status_code = 201
`,
        );
        await bench.quickOpen('hello-load.yaml');
        await bench.editor().locator('.view-lines').click();
        await bench.page.keyboard.press('Control+Home');
        await bench.settledCodeLenses();
        await bench.codeLens('Run under load').first().click();
        for (const [step, value] of [
          ['1/3', '20'],
          ['2/3', '3s'],
          ['3/3', '1'],
        ] as const) {
          await bench.page.locator('.quick-input-widget .quick-input-title', { hasText: step }).waitFor();
          await bench.page.locator('.quick-input-widget input').fill(value);
          await bench.page.keyboard.press('Enter');
        }
        const load = await webviewWith('.load-title', 30_000);
        await load.locator('.load-title', { hasText: 'Hello under load' }).waitFor();
        await load.locator('.load-status', { hasText: /running/ }).waitFor({ timeout: 15_000 });
        // Every sampled trace is checked once its spans are in: the second spec fails them all.
        await load.locator('.load-status', { hasText: 'failed' }).waitFor({ timeout: RUN_TIMEOUT_MS });
        const totals = (await load.locator('.load-totals').textContent())!;
        const [, requests, checked, passed, failed] = /(\d+) requests.* (\d+) traces checked: (\d+) passed, (\d+) failed/.exec(totals) ?? [];
        assert.ok(Number(requests) >= 40, totals);
        assert.ok(Number(checked) >= 40 && Number(failed) === Number(checked) && Number(passed) === 0, totals);
        assert.ok(Number(await load.locator('body').getAttribute('data-points')) >= 2, 'a point a second');
        assert.ok((await load.locator('[data-chart="rate"] .series[data-series="achieved"] path').getAttribute('d'))!.includes('L'));
        assert.ok((await load.locator('.failing tbody tr').count()) > 0);
        assert.equal(await load.locator('.failing tbody tr .specs').first().textContent(), 'created');
        await bench.screenshot('10a-load-panel');
        const traceId = (await load.locator('.trace-link:enabled').first().textContent())!;
        await load.locator('.trace-link:enabled').first().click();
        const trace = await webviewWith('.test-title', 30_000, 'Hello under load');
        await trace.locator('.test-status', { hasText: 'failed' }).waitFor();
        assert.match((await trace.locator('.test-summary').textContent())!, /^\d+ spans/);
        assert.match(traceId, /^[0-9a-f]{32}$/);
        await bench.screenshot('10b-load-trace-opened');
      } finally {
        await service.close();
      }
    },
  );

  step("a Playwright script test runs in Chromium: the page's console in Test Results, its trace in Playwright's viewer", async () => {
    await bench.quickOpen(WEB_TEST_FILE);
    await bench.runTestFromCodeLens();
    assert.equal(await bench.waitForAfterText('attr:service.name = "pokeshop-web"', /^✓ /, RUN_TIMEOUT_MS), '✓ pokeshop-web');
    await bench.command('Test Results: Focus on Test Results View');
    // The whole output in view: the terminal draws only the rows it shows.
    await bench.command('View: Toggle Maximized Panel');
    await bench.waitForTerminal(/\[page log\] import of pokemon 143 accepted/);
    await bench.waitForTerminal(/Playwright trace: \//);
    await bench.screenshot('11-playwright-output');
    await bench.command('View: Toggle Maximized Panel');
    await bench.editor(WEB_TEST_FILE).locator('.view-lines').click();
    await bench.page.keyboard.press('Control+Home');
    await bench.settledCodeLenses();
    await bench.codeLens('Playwright trace').first().click();
    await bench.page
      .locator('.part.panel .tab, .part.panel .terminal-tabs-entry, .part.panel .action-label', { hasText: 'Playwright Trace Viewer' })
      .first()
      .waitFor({ timeout: 15_000 });
    const [, viewer] = await bench.waitForTerminal(/Listening on (http:\/\/\S+)/);
    // The viewer serves the run's trace.zip: the script's actions are listed in it.
    const page = await bench.page.context().newPage();
    try {
      await page.goto(viewer!);
      await page.getByText('Pokédex number').first().waitFor({ timeout: 30_000 });
      await page.screenshot({ path: join(SCREENSHOTS, '12-playwright-trace-viewer.png') });
    } finally {
      await page.close();
    }
  });
});

describe('traffic in the Traces view', { concurrency: false }, () => {
  step(
    'a trace an instrumented service sends shows in the Traces view and opens read-only; Create Test from Trace writes a test that runs and passes',
    async () => {
      // Its own service name: the load step's traces of `GET /hello` (from 'greeter') are in the view too.
      const service = await startTracedService(harness.otlpUrl, 'welcome');
      try {
        await bench.command('View: Close All Editors');
        // The view sits under the test tree, collapsed; opened, it starts the receiver (this workspace is trusted).
        const header = bench.page.locator('.pane-header', { hasText: 'Traces' }).first();
        // Clicking the Testing icon while its view shows would close the side bar.
        if (!(await header.isVisible())) await bench.page.locator('.activitybar .action-label[aria-label^="Testing"]').first().click();
        await header.waitFor();
        if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
        await bench.page
          .locator('.statusbar-item', { hasText: /OTLP :\d+/ })
          .first()
          .waitFor({ timeout: 30_000 });
        const response = await fetch(`${service.url}/hello?lang=en`);
        assert.equal(response.status, 200);
        const row = bench.page.locator('.monaco-list-row', { hasText: 'welcome' }).first();
        await row.waitFor({ timeout: 30_000 });
        assert.match(await row.innerText(), /GET \/hello\s*welcome · 2 spans · \d+ms · (just now|\d+ s ago)/);
        await row.click();
        const panel = bench.webview();
        await panel.locator('.test-title', { hasText: /^GET \/hello · trace [0-9a-f]{32}$/ }).waitFor({ timeout: 30_000 });
        await panel.locator('.view-timeline').click();
        await panel.locator('.selector-input input').fill('span[tracetest.span.type="database"]');
        await panel.locator('.selector-count', { hasText: '1 span' }).waitFor();
        await panel.locator('.tl [role="treeitem"]', { hasText: 'load greeting' }).first().click();
        await panel.locator('.details .span-name', { hasText: 'load greeting' }).waitFor();
        assert.equal(await panel.locator('.assert-form').isVisible(), false, 'a trace with no test has nothing to assert into');
        await bench.screenshot('13-traces-view');

        await panel.locator('.create-test').click();
        const quickInput = bench.page.locator('.quick-input-widget');
        await quickInput.locator('.quick-input-title', { hasText: 'Create Test from Trace' }).waitFor();
        // Every suggested spec is picked: accepted as it is.
        await quickInput.locator('.monaco-list-row', { hasText: 'GET /hello was handled by welcome' }).waitFor();
        await bench.page.keyboard.press('Enter');
        await bench.page.locator('.quick-input-message', { hasText: 'File name of the new test' }).waitFor();
        assert.equal(await quickInput.locator('input').first().inputValue(), 'get-hello.yaml');
        await bench.page.keyboard.press('Enter');
        await bench.page.locator('.tabs-container .tab.active', { hasText: 'get-hello.yaml' }).waitFor({ timeout: 15_000 });
        const written = readFileSync(join(harness.workspace, 'get-hello.yaml'), 'utf8');
        assert.match(written, new RegExp(`url: ${service.url}/hello\\?lang=en`));
        // Run as it was written: the request goes to the service again, and every suggested spec passes on its trace.
        assert.equal(await bench.waitForAfterText('attr:http.route = "/hello"', /^✓ /, RUN_TIMEOUT_MS, 'get-hello.yaml'), '✓ /hello');
        const failing = (await bench.afterTexts('get-hello.yaml')).filter((l) => l.texts.some((text) => text.startsWith('✗')));
        assert.deepEqual(failing, [], 'every spec of the new test passes');
        await bench.screenshot('14-test-from-trace');
      } finally {
        await service.close();
      }
    },
  );

  step('Import Postman Collection… writes a folder with a test per request, the suite and the variables, and opens the suite', async () => {
    const collection = {
      info: { name: 'Greeter API', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
      auth: { type: 'bearer', bearer: [{ key: 'token', value: 'pasted-token-123' }] },
      item: [{ name: 'Say hello', request: { method: 'GET', url: '{{baseUrl}}/hello?lang=en' } }],
      variable: [{ key: 'baseUrl', value: 'http://127.0.0.1:8081' }],
    };
    const file = join(harness.workspace, 'greeter.postman_collection.json');
    writeFileSync(file, JSON.stringify(collection, null, 2));
    await bench.command('Tracelens: Import Postman Collection…', 'Import Postman Collection');
    await bench.chooseFile(file);
    await waitForFile(join(harness.workspace, 'greeter-api', 'suite.yaml'), 30_000);
    await bench.page.locator('.tabs-container .tab.active', { hasText: 'suite.yaml' }).waitFor({ timeout: 30_000 });
    // The new folder's tests are in the Testing view.
    await bench.page.locator('.test-explorer .monaco-list-row', { hasText: 'greeter-api/say-hello.yaml' }).first().waitFor({ timeout: 15_000 });
    const test = readFileSync(join(harness.workspace, 'greeter-api', 'say-hello.yaml'), 'utf8');
    assert.match(test, /url: \$\{var:baseUrl\}\/hello\?lang=en/);
    assert.ok(!test.includes('pasted-token-123'), 'the token stays out of the file');
    assert.match(readFileSync(join(harness.workspace, 'greeter-api', 'variables.yaml'), 'utf8'), /key: baseUrl/);
    await bench.screenshot('15-postman-import');
  });
});

async function waitForFile(path: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`${path} was not written within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The page of the open webview panel that shows `selector` (with `text`): the load panel and the trace panel may both be open. */
async function webviewWith(selector: string, timeoutMs: number, text?: string): Promise<FrameLocator> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frames = bench.page.locator('iframe.webview.ready');
    for (let i = 0; i < (await frames.count()); i++) {
      const page = frames.nth(i).contentFrame().frameLocator('#active-frame');
      if ((await page.locator(selector, text ? { hasText: text } : {}).count()) > 0) return page;
    }
    if (Date.now() > deadline) throw new Error(`no webview shows ${selector}${text ? ` with "${text}"` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('a folder that is not trusted (Workspace Trust on)', { concurrency: false }, () => {
  let restricted: Workbench;
  const scenario: { failed?: string; bench: () => Workbench } = { bench: () => restricted };
  const restrictedStep = stepOf(scenario);
  /** The service the test's trigger posts to: what arrives is what Restricted Mode let through. */
  let service: RecordingServer;

  before(async () => {
    // The first editor's page is done with: closed, it leaves the machine to this one.
    await bench?.page.context().close();
    service = await startRecordingServer();
    const folder = join(RUN_DIR, 'restricted-workspace');
    mkdirSync(folder, { recursive: true });
    const url = `${service.url}/orders`;
    writeFileSync(
      join(folder, 'order.yaml'),
      `type: Test
spec:
  name: Place an order
  skipTraceCollection: true
  trigger:
    type: http
    httpRequest:
      method: POST
      url: ${url}
      body: '{"item": "book"}'
  specs:
  - selector: span[name="Tracetest trigger"]
    assertions:
    - attr:tracetest.response.status = 200
`,
    );
    writeFileSync(
      join(folder, 'broken.yaml'),
      'type: Test\nspec:\n  name: Broken\n  trigger:\n    type: traceid\n    traceid:\n      id: 0af7651916cd43dd8448eb211c80319c\n  specs:\n  - selector: span[name="x"\n    assertions:\n    - attr:name = "x"\n',
    );
    const server = await harness.startRestrictedEditor(folder, { 'tracelens.otlp.httpPort': 0, 'tracelens.otlp.grpcPort': 0 });
    const context = await harness.browser.newContext({ viewport: { width: 1440, height: 900 } });
    restricted = new Workbench(await context.newPage(), SCREENSHOTS);
    await restricted.open(server.url);
  });
  after(() => service?.close());

  const statusItem = (text: string) => restricted.page.locator('.statusbar-item', { hasText: text });

  restrictedStep('opens in Restricted Mode, and Tracelens says it will not run there', async () => {
    await statusItem('Restricted Mode').first().waitFor({ timeout: 30_000 });
    await statusItem('Tracelens: restricted').first().waitFor({ timeout: 30_000 });
    await restricted.screenshot('20-restricted');
  });

  restrictedStep('test files are still checked: a broken selector is marked', async () => {
    await restricted.openFile('broken.yaml');
    await restricted.editor().locator('.squiggly-error').first().waitFor({ timeout: 30_000 });
  });

  restrictedStep('"Run test" sends nothing and says how to trust the workspace', async () => {
    await restricted.openFile('order.yaml');
    await restricted.codeLens('Run test').first().waitFor({ timeout: 30_000 });
    await restricted.runTestFromCodeLens();
    const toast = restricted.page.locator('.notification-toast', { hasText: 'Restricted Mode' });
    await toast.first().waitFor({ timeout: 30_000 });
    assert.match(await toast.first().innerText(), /running tests \(which sends requests\), the OTLP receiver and stored secrets need a trusted workspace/);
    await restricted.screenshot('21-restricted-run-refused');
    assert.deepEqual(service.received, [], 'the trigger was sent in Restricted Mode');
  });

  restrictedStep('trusted from that message, the test runs: the request arrives and the assertion passes', async () => {
    await restricted.page.locator('.notification-toast .monaco-button', { hasText: 'Manage Workspace Trust' }).first().click();
    await restricted.page.getByRole('button', { name: 'Trust', exact: true }).click();
    await statusItem('Restricted Mode').first().waitFor({ state: 'detached', timeout: 30_000 });
    await statusItem('OTLP off').first().waitFor({ timeout: 30_000 });
    // The Workspace Trust editor opens as a modal over the workbench: closed, the editor is back.
    const trustEditor = restricted.page.locator('.monaco-modal-editor-block');
    await trustEditor.locator('.codicon-close').first().click();
    await trustEditor.waitFor({ state: 'detached' });
    await restricted.openFile('order.yaml');
    await restricted.runTestFromCodeLens();
    assert.equal(await restricted.waitForAfterText('attr:tracetest.response.status =', /^✓ /, RUN_TIMEOUT_MS), '✓ 200');
    assert.deepEqual(service.received, ['{"item": "book"}']);
    await restricted.screenshot('22-trusted-run');
  });
});
