// The `playwrightengine` trigger against pages served here, in Debian's Chromium (installed with apt-get when it
// is missing): the trace context in the page and on its requests, scripts from files and inline, CommonJS and ESM,
// console output, script errors at their line, the time limit, cancellation and the Playwright trace.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CHROMIUM, installBrowser } from '../../support/code-server';
import type { TriggerDef } from '../../../src/core/testfile';
import { runTrigger, type TriggerRequest } from '../../../src/run/triggers/run-trigger';
import { ATTR_BROWSER, ATTR_CONSOLE, ATTR_METHOD, ATTR_TARGET } from '../../../src/run/triggers/playwright/playwright-trigger';
import { CONTEXT, failure, FIXTURES, headerValues, requestFor, response, startServer, triggerFrom, type EchoServer } from './support';

const PAGE = `<!doctype html>
<html><head><title>Trigger test page</title>
<script>
  const meta = (name) => document.querySelector('meta[name="' + name + '"]')?.content ?? null;
  window.contextAtStart = { traceparent: meta('traceparent'), tracestate: meta('tracestate') };
  console.info('the page has loaded');
</script>
</head><body><h1>a page</h1></body></html>`;

const BROWSER = { path: CHROMIUM, from: 'flag --browser' };

function playwright(target: string, script: string, method: string): TriggerDef {
  const scriptYaml = script.startsWith('./') ? script : `|\n${script.replace(/^/gm, '        ')}`;
  return triggerFrom(`    type: playwrightengine\n    playwrightEngine:\n      target: ${target}\n      method: ${method}\n      script: ${scriptYaml}\n`);
}

function request(trigger: TriggerDef, extra: Partial<TriggerRequest> & { vars?: Record<string, string> } = {}): TriggerRequest {
  return requestFor(trigger, { playwright: { browser: BROWSER, ...extra.playwright }, ...extra });
}

/** The 1-based line of the fixture line that contains `marker`. */
function lineOf(file: string, marker: string): number {
  return (
    readFileSync(join(FIXTURES, 'playwright', file), 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(marker)) + 1
  );
}

describe('playwrightengine trigger', () => {
  let site: EchoServer;
  let elsewhere: EchoServer;
  let scratch: string;

  before(async () => {
    installBrowser();
    const page = (path: string) => ({
      status: 200,
      headers: { 'content-type': 'text/html; charset=utf-8' },
      body: PAGE,
      ...(path.startsWith('/api') ? { body: '{}' } : {}),
    });
    site = await startServer((r) => page(r.url));
    elsewhere = await startServer(() => ({ status: 200, headers: { 'access-control-allow-origin': '*' }, body: '{}' }));
    scratch = mkdtempSync(join(tmpdir(), 'tracelens-playwright-'));
  });

  after(async () => {
    await site.close();
    await elsewhere.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  test('the page has the trace context before its scripts run, and requests to its origin carry it unless they have their own', async () => {
    const trigger = playwright('${var:SITE}/?other=${var:ELSEWHERE}', './playwright/pages.js', 'readContext');
    const r = response(await runTrigger(request(trigger, { vars: { SITE: site.url, ELSEWHERE: elsewhere.url } })));
    const traceparent = `00-${CONTEXT.traceId}-${CONTEXT.spanId}-01`;
    assert.deepEqual(JSON.parse(r.attributes.get('tracetest.response.body')!), { traceparent, tracestate: 'tracelens=1' });
    assert.equal(r.traceId, CONTEXT.traceId);
    assert.equal(r.sent, true);
    assert.equal(r.attributes.get(ATTR_TARGET), `${site.url}/?other=${elsewhere.url}`);
    assert.equal(r.attributes.get(ATTR_METHOD), 'readContext');
    assert.match(r.attributes.get(ATTR_BROWSER) ?? '', /^chromium \d+/);

    const at = (path: string) => site.received.find((x) => x.url === path);
    assert.deepEqual(headerValues(at('/?other=' + elsewhere.url)!, 'traceparent'), [traceparent], 'the document request');
    assert.deepEqual(headerValues(at('/api/plain')!, 'traceparent'), [traceparent]);
    assert.deepEqual(headerValues(at('/api/plain')!, 'b3'), [`${CONTEXT.traceId}-${CONTEXT.spanId}-1`]);
    assert.deepEqual(
      headerValues(at('/api/same-trace')!, 'traceparent'),
      [`00-${CONTEXT.traceId}-1111111111111111-01`],
      'the page span of the same trace stays the parent',
    );
    assert.deepEqual(headerValues(at('/api/other-trace')!, 'traceparent'), [traceparent], 'another trace is replaced by the run');
    const other = elsewhere.received.find((x) => x.url === '/api/elsewhere');
    assert.ok(other, 'the request to the other origin was made');
    assert.deepEqual(headerValues(other, 'traceparent'), [], 'other origins get nothing');
  });

  test('scripts from a file or inline, CommonJS or ES module; the trigger span covers the run', async () => {
    const cases: Array<[string, string, string]> = [
      ['an ES module file', './playwright/module.mjs', 'title'],
      ['inline CommonJS', 'module.exports = { title: async (page) => ({ title: await page.title() }) };', 'title'],
      ['inline ES module', 'export async function title(page) {\n  return { title: await page.title() };\n}', 'title'],
    ];
    for (const [what, script, method] of cases) {
      const before = process.hrtime.bigint();
      const r = response(await runTrigger(request(playwright(site.url, script, method))));
      assert.deepEqual(JSON.parse(r.attributes.get('tracetest.response.body')!), { title: 'Trigger test page' }, what);
      assert.ok(r.endTime > r.startTime, `${what}: the span has a duration`);
      assert.ok(Number(r.endTime - r.startTime) < Number(process.hrtime.bigint() - before), `${what}: the span is within the call`);
    }
  });

  test("the page's console, its uncaught errors and the script's output are recorded as they come", async () => {
    const live: string[] = [];
    const r = response(await runTrigger(request(playwright(site.url, './playwright/pages.js', 'logs'), { onOutput: (line) => live.push(line) })));
    assert.deepEqual(live, [
      '[page info] the page has loaded',
      '[script] the script says hello',
      '[script stderr] the script warns',
      '[page log] the page says hello',
      '[page error] the page is unhappy',
      '[page error] Uncaught Error: uncaught in the page',
    ]);
    assert.deepEqual(r.output, live);
    assert.equal(r.attributes.get(ATTR_CONSOLE), live.join('\n'));
    const events = r.events ?? [];
    assert.equal(events.length, live.length);
    assert.deepEqual(Object.fromEntries(events[0]!.attributes), {
      'console.source': 'page',
      'console.level': 'info',
      'console.text': 'the page has loaded',
      'console.location': `${site.url}/:6:11`,
    });
    for (const e of events) assert.ok(e.time >= r.startTime && e.time <= r.endTime, 'each message is within the trigger span');
  });

  test('a script error fails the trigger with its message and the line of the script; so does a page that does not open', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const cases: Array<[string, TriggerDef, string | RegExp]> = [
      [
        'a throw',
        playwright(site.url, './playwright/pages.js', 'throws'),
        `./playwright/pages.js:${lineOf('pages.js', 'THROWS HERE')}:9: Error: the script gave up`,
      ],
      [
        'a Playwright timeout',
        playwright(site.url, './playwright/pages.js', 'clickMissing'),
        new RegExp(`^\\./playwright/pages\\.js:${lineOf('pages.js', 'CLICKS HERE')}:14: TimeoutError: page\\.click: Timeout 300ms exceeded\\.\\nCall log:`),
      ],
      [
        'a CommonJS syntax error',
        playwright(site.url, './playwright/syntax-error.js', 'broken'),
        `./playwright/syntax-error.js:${lineOf('syntax-error.js', 'SYNTAX ERROR')}: SyntaxError: Unexpected token ';'`,
      ],
      [
        'an ES module syntax error',
        playwright(site.url, './playwright/module-syntax-error.mjs', 'broken'),
        `./playwright/module-syntax-error.mjs:${lineOf('module-syntax-error.mjs', 'SYNTAX ERROR')}:23: SyntaxError: Unexpected token ';'`,
      ],
      [
        'an inline script',
        playwright(site.url, 'module.exports = {\n  async run(page) {\n    await page.locator("#nope").click({ timeout: 200 });\n  },\n};', 'run'),
        /^trigger\.playwrightEngine\.script, line 3:33: TimeoutError: locator\.click/,
      ],
      [
        'an inline ES module syntax error',
        playwright(site.url, 'export async function run(page) {\n  return 1 +;\n}', 'run'),
        "trigger.playwrightEngine.script, line 2:13: SyntaxError: Unexpected token ';'",
      ],
      [
        'a missing method',
        playwright(site.url, './playwright/pages.js', 'nothere'),
        './playwright/pages.js: the script has no function "nothere": it exports clickMissing, hangs, logs, readContext, throws',
      ],
      [
        'a script that ends its process',
        playwright(site.url, 'module.exports = { run: () => process.exit(3) };', 'run'),
        "the script's process exited with code 3 before the script finished",
      ],
      [
        'a page that does not open',
        playwright(`http://127.0.0.1:${closedPort}/`, './playwright/pages.js', 'logs'),
        new RegExp(`^could not open http://127\\.0\\.0\\.1:${closedPort}/: .*ERR_CONNECTION_REFUSED`),
      ],
      [
        'an inline import of a package',
        playwright(site.url, "import { expect } from '@playwright/test';\nexport async function run() {}", 'run'),
        /an inline ES module can import only Node's built-in modules, not "@playwright\/test"/,
      ],
    ];
    for (const [what, trigger, message] of cases) {
      const error = failure(await runTrigger(request(trigger)));
      if (typeof message === 'string') assert.equal(error.message, message, what);
      else assert.match(error.message, message, what);
    }
  });

  test('what is wrong before the browser starts is said at once, naming the field', async () => {
    const cases: Array<[TriggerDef, string]> = [
      [playwright('${var:NOPE}', './playwright/pages.js', 'logs'), 'missing variable NOPE in trigger.playwrightEngine.target'],
      [playwright('ftp://example.com/', './playwright/pages.js', 'logs'), 'trigger.playwrightEngine.target: expected an http(s) URL, got "ftp://example.com/"'],
      [
        playwright(site.url, './playwright/missing.js', 'logs'),
        'trigger.playwrightEngine.script: file ./playwright/missing.js not found next to the test file',
      ],
      [
        playwright(site.url, './playwright/pages.js', '"not a name"'),
        'trigger.playwrightEngine.method: expected the name of a function the script exports, got "not a name"',
      ],
    ];
    for (const [trigger, message] of cases) {
      const error = failure(await runTrigger(request(trigger)));
      assert.equal(error.message, message);
      assert.equal(error.sent, false);
    }
  });

  test('a browser path that is wrong is an error naming it, and nothing is sent', async () => {
    const error = failure(
      await runTrigger(
        request(playwright(site.url, './playwright/pages.js', 'logs'), {
          playwright: { browser: { path: '/nowhere/chrome', from: 'setting tracelens.playwright.executablePath' } },
        }),
      ),
    );
    assert.equal(error.message, 'no browser at /nowhere/chrome (setting tracelens.playwright.executablePath): the file does not exist or is not executable');
    assert.equal(error.sent, false);
  });

  test('a script that does not finish in time fails with the limit, and the Playwright trace is saved all the same', async () => {
    const traceFile = join(scratch, 'hang', 'trace.zip');
    const started = Date.now();
    const error = failure(
      await runTrigger(request(playwright(site.url, './playwright/pages.js', 'hangs'), { playwright: { browser: BROWSER, timeoutMs: 1500, traceFile } })),
    );
    assert.equal(error.message, 'the script did not finish within 1.5s (1.5s: setting tracelens.playwright.timeout, flag --playwright-timeout)');
    assert.equal(error.sent, true);
    assert.ok(Date.now() - started < 20_000);
    assert.equal(error.playwrightTrace, traceFile);
    assert.equal(readFileSync(traceFile).subarray(0, 2).toString('latin1'), 'PK', 'a zip file');
    assert.ok(statSync(traceFile).size > 1000);
  });

  test('cancelling stops the script and the browser', async () => {
    const abort = new AbortController();
    const started = Date.now();
    setTimeout(() => abort.abort(), 1500);
    const error = failure(await runTrigger(request(playwright(site.url, './playwright/pages.js', 'hangs'), { signal: abort.signal })));
    assert.equal(error.message, 'the run was cancelled');
    assert.ok(Date.now() - started < 15_000);
  });
});
