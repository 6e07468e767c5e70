// The `playwrightengine` trigger: a Playwright script run in Chromium on a page opened on `target`, with the run's
// trace context in the page (test-format.md). The script runs in a worker process (worker.ts); this side renders
// the fields, finds the script, relays the console as it comes, enforces the time limit and builds the outcome:
// the trigger span covers the script's run and carries its console.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { PlaywrightEngineTrigger } from '../../../core/testfile/model';
import type { SpanEvent } from '../../../core/trace/model';
import { fieldText, looksLikeFileName } from '../files';
import { Interpolator } from '../interpolate';
import { ATTR_BODY, failed, formatTimeout, nowNanos } from '../outcome';
import type { TriggerOutcome, TriggerRequest } from '../types';
import type { ConsoleEntry, ScriptPosition, ScriptSource, WorkerJob, WorkerMessage } from './messages';

const FIELD = 'trigger.playwrightEngine';
export const DEFAULT_SCRIPT_TIMEOUT_MS = 60_000;
/** Beyond the script's own limit: launching the browser, saving the trace and closing it (the worker bounds each). */
const WORKER_OVERHEAD_MS = 45_000;
/** After a cancel, how long the worker has to close its browser before it is killed. */
const CANCEL_GRACE_MS = 5_000;
/** The worker's last lines of stderr, for a worker that dies without a word. */
const STDERR_TAIL = 5;

export const ATTR_TARGET = 'tracelens.playwright.target';
export const ATTR_METHOD = 'tracelens.playwright.method';
export const ATTR_BROWSER = 'tracelens.playwright.browser';
export const ATTR_CONSOLE = 'tracelens.playwright.console';
const CONSOLE_EVENT = 'console';

export async function runPlaywrightEngine(request: TriggerRequest, trigger: PlaywrightEngineTrigger): Promise<TriggerOutcome> {
  const render = Interpolator.for(request);
  const target = render.text(trigger.target, `${FIELD}.target`).trim();
  const method = render.text(trigger.method, `${FIELD}.method`).trim();
  if (render.failure) return { ok: false, error: render.failure };
  const url = URL.canParse(target) ? new URL(target) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) return failed(`${FIELD}.target: expected an http(s) URL, got "${target}"`);
  if (!/^[A-Za-z_$][\w$]*$/.test(method)) return failed(`${FIELD}.method: expected the name of a function the script exports, got "${method}"`);

  const scriptText = await fieldText(trigger.script.value, request.testFile, `${FIELD}.script`, request.files);
  if (!scriptText.ok) return scriptText;
  if (!scriptText.path && looksLikeFileName(scriptText.text, ['.js', '.mjs', '.cjs'])) {
    return failed(`${FIELD}.script: file ${scriptText.text.trim()} not found next to the test file`);
  }
  const script: ScriptSource = scriptText.path
    ? { kind: 'file', path: scriptText.path }
    : { kind: 'inline', code: scriptText.text, requireFrom: request.testFile };
  const options = request.playwright ?? {};
  const timeoutMs = options.timeoutMs ?? DEFAULT_SCRIPT_TIMEOUT_MS;
  const job: WorkerJob = {
    target: url.href,
    method,
    script,
    context: request.context,
    chosen: options.browser ? [options.browser] : [],
    timeoutMs,
    ...(options.traceFile ? { traceFile: options.traceFile } : {}),
    title: options.title ?? method,
  };
  const run = await runWorker(job, request);
  const { finished, started, entries, browser } = run;
  const output = entries.map(consoleLine);
  if (finished?.traceError) output.push(`[tracelens] the Playwright trace was not saved: ${finished.traceError}`);
  const extras = { ...(output.length ? { output } : {}), ...(finished?.traceFile ? { playwrightTrace: finished.traceFile } : {}) };
  const startTime = started ?? run.forkedAt;
  const endTime = finished?.endTime ? BigInt(finished.endTime) : nowNanos();

  if (!finished?.ok) {
    const shownFile = scriptText.path ? trigger.script.value.trim() : undefined;
    const message = finished ? failureMessage(finished, shownFile, timeoutMs) : run.exitMessage;
    return { ok: false, error: { message, sent: started !== undefined, ...(started !== undefined ? { startTime, endTime } : {}), ...extras } };
  }
  const attributes = new Map([
    [ATTR_TARGET, job.target],
    [ATTR_METHOD, method],
    ...(browser ? [[ATTR_BROWSER, browser] as [string, string]] : []),
    ...(output.length ? [[ATTR_CONSOLE, output.join('\n')] as [string, string]] : []),
    ...(finished.returned !== undefined ? [[ATTR_BODY, finished.returned] as [string, string]] : []),
  ]);
  return { ok: true, value: { traceId: request.context.traceId, startTime, endTime, attributes, sent: true, events: entries.map(consoleEvent), ...extras } };
}

interface WorkerRun {
  forkedAt: bigint;
  started?: bigint;
  browser?: string;
  /** The console, in order. */
  entries: ConsoleEntry[];
  finished?: Extract<WorkerMessage, { type: 'finished' }>;
  /** Why the worker ended without a result. */
  exitMessage: string;
}

/** Starts the worker, feeds it the job, relays what it says until it exits. */
function runWorker(job: WorkerJob, request: TriggerRequest): Promise<WorkerRun> {
  const run: WorkerRun = { forkedAt: nowNanos(), entries: [], exitMessage: '' };
  const stderrTail: string[] = [];
  const record = (entry: ConsoleEntry): void => {
    run.entries.push(entry);
    request.onOutput?.(consoleLine(entry));
  };
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      // ELECTRON_RUN_AS_NODE: in the editor, process.execPath is the editor's own binary, which is Node only with it.
      child = fork(workerEntry(), [], { execArgv: [], stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    } catch (error) {
      run.exitMessage = `could not start the Playwright worker: ${(error as Error).message}`;
      return resolve(run);
    }
    // The worker sends what the script prints over IPC; these pipes carry what Node itself prints (a crash).
    for (const level of ['stdout', 'stderr'] as const) {
      createInterface({ input: child[level]! }).on('line', (text) => {
        if (level === 'stderr') stderrTail.push(text);
        if (stderrTail.length > STDERR_TAIL) stderrTail.shift();
        record({ source: 'script', level, text, time: nowNanos().toString() });
      });
    }
    const backstop = setTimeout(() => child.kill('SIGKILL'), job.timeoutMs + WORKER_OVERHEAD_MS);
    let killLater: NodeJS.Timeout | undefined;
    const onAbort = () => {
      child.send({ type: 'cancel' }, () => undefined);
      killLater = setTimeout(() => child.kill('SIGKILL'), CANCEL_GRACE_MS);
    };
    const done = () => {
      clearTimeout(backstop);
      clearTimeout(killLater);
      request.signal?.removeEventListener('abort', onAbort);
      resolve(run);
    };
    request.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'browser') run.browser = message.name;
      else if (message.type === 'console') record(message.entry);
      else if (message.type === 'started') run.started = BigInt(message.time);
      else run.finished = message;
    });
    child.on('error', (error) => {
      run.exitMessage ||= `the Playwright worker failed: ${error.message}`;
      if (child.pid === undefined) done(); // it never started, so it will not close
    });
    child.on('close', (code, signal) => {
      if (!run.finished && !run.exitMessage) {
        const how = signal ? `was stopped (${signal})` : `exited with code ${code}`;
        const last = stderrTail.length ? `: ${stderrTail.join('\n')}` : '';
        run.exitMessage = request.signal?.aborted ? 'the run was cancelled' : `the script's process ${how} before the script finished${last}`;
      }
      done();
    });
    child.send({ type: 'run', job }, () => undefined);
    if (request.signal?.aborted) onAbort();
  });
}

/** The bundled worker next to the bundle (dist/), else the TypeScript source (tests). */
function workerEntry(): string {
  const bundled = join(__dirname, 'playwright-worker.js');
  return existsSync(bundled) ? bundled : join(__dirname, 'worker-source.cjs');
}

function failureMessage(finished: Extract<WorkerMessage, { type: 'finished' }>, shownFile: string | undefined, timeoutMs: number): string {
  const message = finished.message ?? 'the script failed';
  switch (finished.stage) {
    case 'script':
      return `${scriptPlace(shownFile, finished.position)}: ${message}`;
    case 'timeout':
      return `${message} (${formatTimeout(timeoutMs)}: setting tracelens.playwright.timeout, flag --playwright-timeout)`;
    default:
      return message;
  }
}

/** `./script.js:12:5` for a file, `trigger.playwrightEngine.script, line 3:9` for an inline script. */
function scriptPlace(file: string | undefined, position: ScriptPosition | undefined): string {
  const at = position ? `${position.line}${position.column !== undefined ? `:${position.column}` : ''}` : '';
  if (file) return at ? `${file}:${at}` : file;
  return at ? `${FIELD}.script, line ${at}` : `${FIELD}.script`;
}

/** `[page log] …`, `[page error] Uncaught …`, `[script] …`: one line of the console as the output shows it. */
export function consoleLine(entry: ConsoleEntry): string {
  const who = entry.source === 'page' ? `page ${entry.level}` : entry.level === 'stderr' ? 'script stderr' : 'script';
  return `[${who}] ${entry.text}${entry.location && entry.level !== 'log' && entry.level !== 'info' ? ` (${entry.location})` : ''}`;
}

function consoleEvent(entry: ConsoleEntry): SpanEvent {
  const attributes = new Map([
    ['console.source', entry.source],
    ['console.level', entry.level],
    ['console.text', entry.text],
    ...(entry.location ? [['console.location', entry.location] as [string, string]] : []),
  ]);
  return { name: CONSOLE_EVENT, time: BigInt(entry.time), attributes };
}
