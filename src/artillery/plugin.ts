// artillery-plugin-tracelens: every HTTP request of the load gets its own W3C trace context, a share of them is
// sampled, and their traces are judged by a Tracelens test's specs against Jaeger or Tempo, with the verdicts in
// Artillery's counters (so `ensure` can fail the run), or their ids are written for `tracelens check --trace-ids`.
//
// Artillery constructs the plugin in its main process (which only checks the settings) and in each worker, which
// registers the hooks: `beforeRequest` (the trace context), `afterResponse` (the sample) and `afterScenario` (at
// the end of the load, wait for the checks in flight: Artillery stops counting once its last virtual user is done).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { TestRunResult } from '../core/engine/result';
import { redactResult } from '../core/redact/results';
import { loadFile } from '../core/testfile/index';
import type { TestDef } from '../core/testfile/model';
import { validateFile } from '../core/testfile/validate';
import { displayPath } from '../run/files';
import { readDataStore } from '../run/resources';
import { RunHistory } from '../run/run-history';
import { createPullSource } from '../run/live-source';
import { timingFor } from '../run/timing';
import { newTraceContext } from '../run/triggers/context';
import { loadVariables, redactorFor } from '../run/variables';
import { parsePluginConfig, PLUGIN, PluginConfigError, pullStore, type PluginConfig } from './config';
import { arrivalsEndSeconds } from './phases';
import { TraceIdWriter, WorkerChecks, type Metrics, type SampleSink } from './worker';

/** Virtual users ending this close to the last arrival wait for the checks in flight. */
const TAIL_MS = 5_000;

/** What the plugin reads and adds to of an Artillery script. */
export interface ArtilleryScript {
  config: {
    plugins?: Record<string, unknown>;
    processor?: Record<string, unknown> | string;
    phases?: unknown;
    http?: { distributedTracing?: unknown };
    engine?: string;
  };
  scenarios?: { engine?: string; flow?: unknown; beforeRequest?: unknown; afterResponse?: unknown; afterScenario?: unknown }[];
}

interface ArtilleryRequest {
  headers?: Record<string, unknown>;
}

export class Plugin {
  private sink: Promise<SampleSink> | undefined;

  constructor(script: ArtilleryScript, _events: unknown, options?: { scriptPath?: string; absoluteScriptPath?: string }) {
    const scriptPath = options?.absoluteScriptPath ?? (options?.scriptPath ? resolve(options.scriptPath) : undefined);
    const config = parsePluginConfig(script.config.plugins?.[PLUGIN], scriptPath ? dirname(scriptPath) : process.cwd());
    if (distributedTracingOn(script.config.http?.distributedTracing))
      throw new PluginConfigError(
        'config.http.distributedTracing is on: Artillery then replaces the traceparent header the plugin sets, and the plugin would judge traces no request started. Turn it off (distributedTracing: false) or remove it',
      );
    const test = loadTest(config.test);
    if (process.env['LOCAL_WORKER_ID'] === undefined) {
      // The main process: the workers append to the ids file, which starts empty for each run.
      if (!config.dataStore) emptyTraceIdsFile(config.traceIdsFile);
      return;
    }
    this.sink = openSink(config, test);
    // Collected by `cleanup` when the settings are wrong; the hooks report it.
    this.sink.catch(() => {});
    this.attachHooks(script, config);
  }

  /** Artillery calls it as each worker stops. */
  cleanup(done: (error?: Error) => void): void {
    if (!this.sink) return done();
    this.sink.then((sink) => sink.close()).then(() => done(), done);
  }

  private attachHooks(script: ArtilleryScript, config: PluginConfig): void {
    const sink = this.sink!;
    const sampled = new WeakMap<ArtilleryRequest, string>();
    const arrivalsEnd = arrivalsEndSeconds(script.config.phases);
    let firstRequestAt: number | undefined;
    const drainTimeoutMs = config.drainTimeoutMs;
    const hooks = {
      tracelensBeforeRequest(request: ArtilleryRequest, _context: unknown, _events: unknown, done: () => void): void {
        firstRequestAt ??= Date.now();
        const { traceId, spanId } = newTraceContext();
        const headers = Object.fromEntries(Object.entries(request.headers ?? {}).filter(([key]) => !/^(traceparent|tracestate)$/i.test(key)));
        // A new object: the request's headers are shared with the script's request spec.
        request.headers = { ...headers, traceparent: `00-${traceId}-${spanId}-01` };
        if (Math.random() < config.sample) sampled.set(request, traceId);
        done();
      },
      async tracelensAfterResponse(request: ArtilleryRequest, _response: unknown, _context: unknown, events: Metrics): Promise<void> {
        const traceId = sampled.get(request);
        if (traceId === undefined) return;
        sampled.delete(request);
        (await sink).answered(traceId, events);
      },
      async tracelensAfterScenario(): Promise<void> {
        const ready = await sink;
        if (ready.inFlight === 0) return;
        // Unknown phases (templated durations): every virtual user waits, the only way not to lose a verdict.
        const tailStarts = arrivalsEnd === undefined || firstRequestAt === undefined ? 0 : firstRequestAt + arrivalsEnd * 1000 - TAIL_MS;
        if (Date.now() >= tailStarts) await ready.drain(drainTimeoutMs ?? (config.timeoutMs ?? 30_000) + 10_000);
      },
    };
    if (typeof script.config.processor !== 'object' || script.config.processor === null) script.config.processor = {};
    Object.assign(script.config.processor, hooks);
    for (const scenario of script.scenarios ?? []) {
      if ((scenario.engine ?? script.config.engine ?? 'http') !== 'http') continue;
      scenario.beforeRequest = [...list(scenario.beforeRequest), 'tracelensBeforeRequest'];
      scenario.afterResponse = [...list(scenario.afterResponse), 'tracelensAfterResponse'];
      scenario.afterScenario = [...list(scenario.afterScenario), 'tracelensAfterScenario'];
    }
  }
}

function emptyTraceIdsFile(path: string): void {
  try {
    writeFileSync(path, '');
  } catch (e) {
    throw new PluginConfigError(
      `config.plugins.tracelens.traceIdsFile: cannot write ${displayPath(path)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}

function list(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function distributedTracingOn(setting: unknown): boolean {
  if (typeof setting === 'object' && setting !== null) return (setting as { enabled?: unknown }).enabled !== false;
  return setting === true;
}

/** The first Test of the file, which must load without errors. */
export function loadTest(path: string): TestDef {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new PluginConfigError(
      `config.plugins.tracelens.test: ${displayPath(path)}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  const file = loadFile(text, path);
  const errors = validateFile(file).filter((p) => p.severity === 'error');
  if (errors.length > 0)
    throw new PluginConfigError(`config.plugins.tracelens.test: ${errors.map((p) => `${displayPath(path)}:${p.line}:${p.column}: ${p.message}`).join('; ')}`);
  const test = file.resources.flatMap((r) => (r.resource?.kind === 'Test' ? [r.resource] : []))[0];
  if (!test) throw new PluginConfigError(`config.plugins.tracelens.test: ${displayPath(path)}: no Test in this file`);
  return test;
}

/** Where a worker's sampled requests go; `print` shows a line in Artillery's output. */
export async function openSink(config: PluginConfig, test: TestDef, print = (line: string) => console.log(line)): Promise<SampleSink> {
  if (!config.dataStore) return new TraceIdWriter(config.traceIdsFile, print);
  const store = 'inline' in config.dataStore ? config.dataStore.inline : pullStore((await readDataStore(config.dataStore.file)).config);
  const { variables } = await loadVariables({ files: config.vars, assignments: [], secrets: [], env: (name) => process.env[name] });
  const redactor = redactorFor(variables);
  // A PollingProfile the test names is not among the plugin's files: `timeout` and `exportDelay` stand for it.
  const timing = timingFor({ ...test, pollingProfile: undefined }, [], {
    ...(config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}),
    ...(config.exportDelayMs !== undefined ? { exportDelayMs: config.exportDelayMs } : {}),
  });
  if (!timing.ok) throw new PluginConfigError(`config.plugins.tracelens.test: ${displayPath(config.test)}: ${timing.error}`);
  const shown = (result: TestRunResult) => redactResult(result, redactor);
  return new WorkerChecks(
    {
      test,
      path: config.test,
      file: displayPath(config.test),
      name: test.name?.value ?? test.id?.value ?? displayPath(config.test),
      variables: variables.values,
      processEnv: (name) => process.env[name],
      files: { root: dirname(config.test), allowOutside: false, widen: 'the trigger of a test judged by the Artillery plugin sends nothing' },
      timing: timing.value,
      source: createPullSource(store),
      history: new RunHistory(),
    },
    config.maxChecks,
    shown,
    print,
  );
}
