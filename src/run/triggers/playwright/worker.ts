// The process a `playwrightengine` trigger runs in (started by index.ts, one per run): finds and launches Chromium,
// puts the run's trace context into the target's pages, loads the script, calls `method(page)` within the timeout,
// and reports the page's console, the times and the outcome over IPC. A process of its own, so a script that hangs,
// exits or leaks cannot harm the editor or the runner, and every run loads the script afresh.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileFunction } from 'node:vm';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { formatTimeout, nowNanos } from '../outcome';
import { findBrowser } from './browser';
import type { ConsoleEntry, ParentMessage, ScriptPosition, ScriptSource, Stage, WorkerJob, WorkerMessage } from './messages';
import { metaInitScript, requestHeaders } from './page-context';
import { errorSummary, positionInCheckOutput, positionInStack } from './script-error';

/** Headless Chromium that stays quiet: no first-run UI, update or sync traffic, no GPU, no small /dev/shm trouble. */
const LAUNCH_ARGS = [
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const LAUNCH_TIMEOUT_MS = 30_000;
/**
 * After the script: the pages' network counts as quiet after this long without a request in flight. Longer than
 * the 300 ms the web SDK's fetch and XHR instrumentations wait for a request's resource timing before they end its
 * span, so that span has ended by the time the page is told it is hidden.
 */
const NETWORK_QUIET_MS = 400;
/** …and is waited for at most this long, each time. */
const NETWORK_WAIT_MS = 5_000;
/** Closing the pages, saving the trace and closing the browser after the script: bounded, whatever the page does. */
const CLOSE_TIMEOUT_MS = 10_000;

class StageError extends Error {
  constructor(
    readonly stage: Stage,
    message: string,
    readonly position?: ScriptPosition,
  ) {
    super(message);
  }
}

let cancelled = false;
let cancel: (() => void) | undefined;

process.on('message', (message: ParentMessage) => {
  if (message.type === 'run') {
    const flush = captureOutput();
    void run(message.job).then((finished) => {
      flush();
      finish(finished);
    });
  } else {
    cancelled = true;
    cancel?.();
  }
});

/**
 * What the script prints (console.log, process.stdout.write…) goes to the run's output line by line, stamped when
 * written and in order with the page's console. Returns what writes out a last unfinished line.
 */
function captureOutput(): () => void {
  const flushes = (
    [
      ['stdout', process.stdout],
      ['stderr', process.stderr],
    ] as const
  ).map(([level, stream]) => {
    let pending = '';
    const emit = (text: string) => send({ type: 'console', entry: { source: 'script', level, text, time: nowNanos().toString() } });
    stream.write = ((chunk: string | Uint8Array, encoding?: unknown, callback?: unknown): boolean => {
      pending += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) emit(line.replace(/\r$/, ''));
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') process.nextTick(done as () => void);
      return true;
    }) as typeof stream.write;
    return () => {
      if (pending) emit(pending);
      pending = '';
    };
  });
  return () => flushes.forEach((flush) => flush());
}

function send(message: WorkerMessage): void {
  process.send?.(message);
}

function finish(message: Extract<WorkerMessage, { type: 'finished' }>): void {
  process.send?.(message, () => process.exit(0));
}

async function run(job: WorkerJob): Promise<Extract<WorkerMessage, { type: 'finished' }>> {
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let endTime: string | undefined;
  let returned: string | undefined;
  let failure: StageError | undefined;
  try {
    // The script first: one that does not load or lacks the method fails before a browser is started.
    const method = await scriptDeadline(job.timeoutMs, async () => pickMethod(await loadScript(job.script), job.method));
    browser = await launch(job);
    context = await browser.newContext();
    if (job.traceFile) await context.tracing.start({ screenshots: true, snapshots: true, sources: true, title: job.title });
    await prepare(context, job);
    const network = watchNetwork(context);
    const page = await context.newPage();
    const value = await scriptDeadline(job.timeoutMs, async () => {
      send({ type: 'started', time: nowNanos().toString() });
      await open(page, job.target);
      return scriptCall(() => method(page), job.script);
    });
    endTime = nowNanos().toString();
    returned = json(value);
    await leavePages(context, network);
  } catch (error) {
    endTime ??= nowNanos().toString();
    failure = error instanceof StageError ? error : new StageError('run', errorSummary(error));
  }
  const closing = within(
    CLOSE_TIMEOUT_MS,
    () => new Error(`closing the browser took over ${formatTimeout(CLOSE_TIMEOUT_MS)}`),
    () => close(browser, context, job.traceFile),
  );
  const saved = await closing.catch((e: unknown) => ({ error: errorSummary(e) }));
  return {
    type: 'finished',
    ok: failure === undefined,
    endTime,
    ...(returned !== undefined ? { returned } : {}),
    ...(failure ? { stage: failure.stage, message: failure.message, ...(failure.position ? { position: failure.position } : {}) } : {}),
    ...('error' in saved ? { traceError: saved.error } : saved.traceFile ? { traceFile: saved.traceFile } : {}),
  };
}

async function launch(job: WorkerJob): Promise<Browser> {
  const found = findBrowser({ chosen: job.chosen, env: (name) => process.env[name], playwrightChromium: () => chromium.executablePath() });
  if (!found.ok) throw new StageError('browser', found.message);
  try {
    const browser = await chromium.launch({ executablePath: found.path, args: LAUNCH_ARGS, timeout: LAUNCH_TIMEOUT_MS });
    send({ type: 'browser', name: `${browser.browserType().name()} ${browser.version()}` });
    return browser;
  } catch (error) {
    throw new StageError('browser', `could not start the browser ${found.path} (${found.from}): ${firstLine(errorSummary(error))}`);
  }
}

/** Trace context in the target's pages and on their requests to its origin; the page's console recorded. */
async function prepare(context: BrowserContext, job: WorkerJob): Promise<void> {
  const origin = new URL(job.target).origin;
  await context.addInitScript({ content: metaInitScript(origin, job.context) });
  await context.route(
    (url) => url.origin === origin,
    async (route, request) => route.continue({ headers: requestHeaders(await request.allHeaders(), job.context) }),
  );
  context.on('console', (message) => send({ type: 'console', entry: consoleEntry(message) }));
  // An uncaught error in the page reads as the browser's console shows it.
  context.on('weberror', (error) =>
    send({ type: 'console', entry: { source: 'page', level: 'error', text: `Uncaught ${errorSummary(error.error())}`, time: nowNanos().toString() } }),
  );
}

function consoleEntry(message: ConsoleMessage): ConsoleEntry {
  const { url, lineNumber, columnNumber } = message.location();
  return {
    source: 'page',
    level: message.type(),
    text: message.text(),
    ...(url ? { location: `${url}:${lineNumber + 1}:${columnNumber + 1}` } : {}),
    time: nowNanos().toString(),
  };
}

async function open(page: Page, target: string): Promise<void> {
  try {
    await page.goto(target);
  } catch (error) {
    if (error instanceof StageError) throw error;
    throw new StageError('target', `could not open ${target}: ${firstLine(errorSummary(error))}`);
  }
}

type Exports = Record<string, unknown>;

/** Names the script goes by in stack traces: its path and file URL, or the inline script's label or data URL. */
function scriptNames(script: ScriptSource): string[] {
  return script.kind === 'file' ? [pathToFileURL(script.path).href, script.path] : [inlineLabel(script), inlineModuleUrl(script)];
}

function inlineLabel(script: Extract<ScriptSource, { kind: 'inline' }>): string {
  return `${script.requireFrom}#script`;
}

function inlineModuleUrl(script: Extract<ScriptSource, { kind: 'inline' }>): string {
  return `data:text/javascript;base64,${Buffer.from(script.code).toString('base64')}`;
}

/** The script's exports: a file is imported as Node decides (CommonJS or ESM); inline text is CommonJS unless it has ESM syntax. */
async function loadScript(script: ScriptSource): Promise<Exports> {
  if (script.kind === 'file') return importScript(pathToFileURL(script.path).href, script, () => readFileSync(script.path, 'utf8'));
  let compiled: ReturnType<typeof compileFunction>;
  try {
    compiled = compileFunction(script.code, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: inlineLabel(script) });
  } catch (error) {
    if (!isModuleSyntax(error)) throw scriptError(error, script);
    return importScript(inlineModuleUrl(script), script, () => script.code);
  }
  const module = { exports: {} as unknown };
  await scriptCall(
    () => compiled.call(module.exports, module.exports, createRequire(script.requireFrom), module, inlineLabel(script), dirname(script.requireFrom)),
    script,
  );
  return (module.exports ?? {}) as Exports;
}

/** CommonJS cannot compile `import`/`export`: the text is an ES module. */
function isModuleSyntax(error: unknown): boolean {
  return (
    error instanceof SyntaxError &&
    /Cannot use import statement outside a module|Unexpected token 'export'|import\.meta|await is only valid/.test(error.message)
  );
}

async function importScript(url: string, script: ScriptSource, source: () => string): Promise<Exports> {
  try {
    return (await import(url)) as Exports;
  } catch (error) {
    const unresolved = /Failed to resolve module specifier "([^"]+)"/.exec(error instanceof Error ? error.message : '');
    if (unresolved && script.kind === 'inline') {
      throw new StageError(
        'script',
        `an inline ES module can import only Node's built-in modules, not "${unresolved[1]}": put the script in a file next to the test, or use require()`,
      );
    }
    const failure = scriptError(error, script);
    // Node does not put an ES module's syntax error position in the error: ask its syntax checker.
    if (error instanceof SyntaxError && !failure.position) return Promise.reject(new StageError('script', failure.message, moduleSyntaxPosition(source())));
    throw failure;
  }
}

function moduleSyntaxPosition(code: string): ScriptPosition | undefined {
  const check = spawnSync(process.execPath, ['--input-type=module', '--check'], {
    input: code,
    encoding: 'utf8',
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  return positionInCheckOutput(check.stderr ?? '', '[stdin]');
}

function pickMethod(exports: Exports, method: string): (page: Page) => unknown {
  // A CommonJS file imported as a module may show its exports only as `default`.
  const fallback = exports['default'] !== null && typeof exports['default'] === 'object' ? (exports['default'] as Exports) : {};
  const found = exports[method] ?? fallback[method];
  if (typeof found === 'function') return found as (page: Page) => unknown;
  const names = [...new Set([...Object.keys(exports), ...Object.keys(fallback)])].filter((n) => n !== 'default');
  const has =
    names.length > 0
      ? `it exports ${names.join(', ')}`
      : `it exports nothing (CommonJS: module.exports = { ${method} }; ES module: export async function ${method}(page))`;
  throw new StageError('script', `the script has no function "${method}": ${has}`);
}

/** Runs script code; what it throws is a script error at its line. */
async function scriptCall<T>(call: () => T | Promise<T>, script: ScriptSource): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw error instanceof StageError ? error : scriptError(error, script);
  }
}

function scriptError(error: unknown, script: ScriptSource): StageError {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  return new StageError('script', errorSummary(error), positionInStack(stack, scriptNames(script)));
}

/** The script's time limit, which a cancel from the trigger also ends. */
function scriptDeadline<T>(ms: number, body: () => Promise<T>): Promise<T> {
  const cancelledRun = new Promise<never>((_, reject) => {
    cancel = () => reject(new StageError('cancelled', 'the run was cancelled'));
    if (cancelled) cancel();
  });
  return within(
    ms,
    () => new StageError('timeout', `the script did not finish within ${formatTimeout(ms)}`),
    () => Promise.race([body(), cancelledRun]),
  ).finally(() => {
    cancel = undefined;
  });
}

/** `body`'s result, or `timeout()` thrown once `ms` have passed. */
function within<T>(ms: number, timeout: () => Error, body: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeout()), ms);
  });
  return Promise.race([body(), late]).finally(() => clearTimeout(timer));
}

interface NetworkWatch {
  /** Resolves once no request has been in flight for NETWORK_QUIET_MS, or after NETWORK_WAIT_MS. */
  quiet(): Promise<void>;
}

function watchNetwork(context: BrowserContext): NetworkWatch {
  const inFlight = new Set<unknown>();
  let lastChange = Date.now();
  const change = (add: boolean) => (request: unknown) => {
    if (add) inFlight.add(request);
    else inFlight.delete(request);
    lastChange = Date.now();
  };
  context.on('request', change(true));
  context.on('requestfinished', change(false));
  context.on('requestfailed', change(false));
  return {
    quiet: async () => {
      const until = Date.now() + NETWORK_WAIT_MS;
      while (Date.now() < until && (inFlight.size > 0 || Date.now() - lastChange < NETWORK_QUIET_MS)) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
  };
}

/**
 * After the script, the pages are left as a person leaves them, so their telemetry is sent: what they are still
 * loading finishes, then each page is told it is hidden (browser SDKs export the spans they hold when the page is
 * hidden) and its exports finish, all while the browser still runs. Closing the page would hide it too, but the
 * browser would close before those requests are done.
 */
async function leavePages(context: BrowserContext, network: NetworkWatch): Promise<void> {
  await context.tracing.group('Tracelens: let the page send its telemetry').catch(() => undefined);
  await network.quiet();
  // Twice: spans that end while the first export is on its way (a request it makes, a timer) go with the second.
  for (let round = 0; round < 2; round++) {
    for (const page of context.pages()) await page.evaluate(HIDE_PAGE).catch(() => undefined);
    await network.quiet();
  }
  await context.tracing.groupEnd().catch(() => undefined);
}

const HIDE_PAGE = `(() => {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
  document.dispatchEvent(new Event('visibilitychange'));
})()`;

/** The pages closed, the Playwright trace saved, the browser closed. */
async function close(
  browser: Browser | undefined,
  context: BrowserContext | undefined,
  traceFile: string | undefined,
): Promise<{ traceFile?: string } | { error: string }> {
  let saved: { traceFile?: string } | { error: string } = {};
  if (context) {
    for (const page of context.pages()) await page.close().catch(() => undefined);
    if (traceFile) {
      try {
        await mkdir(dirname(traceFile), { recursive: true });
        await context.tracing.stop({ path: traceFile });
        saved = { traceFile };
      } catch (error) {
        saved = { error: errorSummary(error) };
      }
    }
  }
  await browser?.close().catch(() => undefined);
  return saved;
}

/** The method's return value as JSON text for `tracetest.response.body`; what JSON cannot say is not recorded. */
function json(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0]!;
}
