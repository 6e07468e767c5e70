// One test, start to finish: send the trigger, collect its trace, compute outputs, evaluate specs.
import type { GateSettings } from '../core/analyzer/index';
import type { TestRunResult, TriggerResult } from '../core/engine/result';
import { select } from '../core/selector/index';
import { positionAt, withoutPosition } from '../core/text-position';
import type { TestDef } from '../core/testfile/model';
import { buildTrace } from '../core/trace/build';
import type { Trace, TriggerInfo } from '../core/trace/model';
import { judgeTest } from './judge-test';
import { historyKey, type RunHistory } from './run-history';
import { expectationsOf, shapeOf } from './sources/expectations';
import type { LateSpans } from './sources/lateness';
import type { CollectProgress, TraceSource } from './sources/types';
import type { Timing } from './timing';
import { newTraceContext } from './triggers/context';
import type { FileReferences } from './triggers/files';
import { runTrigger } from './triggers/run-trigger';
import type { ChosenBrowser } from './triggers/playwright/browser';
import type { TraceContext, TriggerResponse } from './triggers/types';

export type TestPhase =
  | { phase: 'output'; line: string }
  | { phase: 'triggered'; traceId: string; trigger: TriggerResult }
  | { phase: 'spans'; progress: CollectProgress }
  | { phase: 'settled'; spans: number }
  /** Spans of the trace arrived after the test was judged: its result may be wrong. */
  | { phase: 'late'; test: string; traceId: string; late: LateSpans };

export interface TestRunContext {
  test: TestDef;
  /** Absolute path of the test file. */
  path: string;
  /** As shown in reports. */
  file: string;
  /** The test file's text: results then say where they are in it (line:column). */
  text?: string;
  name: string;
  suite?: string;
  variables: ReadonlyMap<string, string>;
  processEnv: (name: string) => string | undefined;
  /** Where the files the trigger names may be. */
  files: FileReferences;
  timing: Timing;
  /** The analyzer and the required gates; default: every rule, `test-specs` only. */
  gates?: GateSettings;
  /** Live runs: where the trace comes from. */
  source?: TraceSource;
  /** `--trace`: the trace to use instead of sending the trigger. */
  replay?: Trace;
  /** Each test's last judged trace: a live run expects the same services again before it judges. */
  history?: RunHistory;
  /** False: wait the export delay for what is missing, whatever the receiver learned of the services (under load). */
  learnedLateness?: boolean;
  signal?: AbortSignal;
  /** For `playwrightengine` triggers. */
  playwright?: PlaywrightRunSettings;
  onPhase?: (phase: TestPhase) => void;
}

export interface PlaywrightRunSettings {
  /** The browser the user named (editor setting or CLI flag). */
  browser?: ChosenBrowser;
  /** The script's time limit; default 60 s. */
  timeoutMs?: number;
  /** Where a run's Playwright trace (trace.zip) goes; not recorded when absent. */
  traceFile?: (run: { id: string; name: string; path: string; traceId: string }) => string;
}

export interface TestRunOutcome {
  result: TestRunResult;
  /** The run's variables after this test's outputs: what the next suite step sees. */
  variables: ReadonlyMap<string, string>;
}

export async function runTest(ctx: TestRunContext): Promise<TestRunOutcome> {
  const started = performance.now();
  const finish = (partial: Pick<TestRunResult, 'status' | 'traceId' | 'trigger'> & Partial<TestRunResult>): TestRunOutcome => ({
    result: resultOf(ctx, started, { specs: [], outputs: [], ...partial }),
    variables: ctx.variables,
  });

  if (ctx.replay) {
    // A replayed trace behaves like a `traceid` trigger: nothing is sent.
    return evaluated(ctx, ctx.replay, { type: 'traceid', durationMs: 0 }, started);
  }

  const context = newTraceContext();
  const triggerStarted = performance.now();
  const outcome = await runTrigger({
    trigger: ctx.test.trigger,
    testFile: ctx.path,
    files: ctx.files,
    variables: ctx.variables,
    processEnv: ctx.processEnv,
    context,
    timeoutMs: ctx.timing.timeoutMs,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(ctx.test.trigger.type === 'playwrightengine' ? { playwright: playwrightOptions(ctx, context) } : {}),
    onOutput: (line) => ctx.onPhase?.({ phase: 'output', line }),
  });
  const extras = outcome.ok ? outcome.value : outcome.error;
  const trigger: TriggerResult = {
    type: ctx.test.trigger.type,
    ...(outcome.ok && outcome.value.status !== undefined ? { status: outcome.value.status } : {}),
    durationMs: Math.round(performance.now() - triggerStarted),
    ...(extras.output ? { output: extras.output } : {}),
    ...(extras.playwrightTrace ? { playwrightTrace: extras.playwrightTrace } : {}),
  };
  if (!outcome.ok) {
    const at = outcome.error.offset !== undefined && ctx.text !== undefined ? positionAt(ctx.text, outcome.error.offset) : undefined;
    return finish({
      status: 'errored',
      error: `trigger: ${at ? withoutPosition(outcome.error.message) : outcome.error.message}`,
      ...(at ? { line: at.line, column: at.column } : {}),
      traceId: outcome.error.sent ? context.traceId : '',
      trigger,
    });
  }

  const response = outcome.value;
  const respondedAt = response.sent ? performance.now() : undefined;
  ctx.onPhase?.({ phase: 'triggered', traceId: response.traceId, trigger });
  return collectAndJudge(ctx, { response, triggerSpanId: context.spanId, trigger, started, ...(respondedAt !== undefined ? { respondedAt } : {}) });
}

export interface Triggered {
  response: TriggerResponse;
  /** The span id the trigger's request carried as its parent. */
  triggerSpanId: string;
  trigger: TriggerResult;
  /** performance.now() when the test started, and when the response arrived (absent when nothing was sent). */
  started: number;
  respondedAt?: number;
}

/** The rest of a run once its trigger answered: collect the trace, compute outputs, evaluate the specs, apply the gates. */
export async function collectAndJudge(ctx: TestRunContext, { response, triggerSpanId, trigger, started, respondedAt }: Triggered): Promise<TestRunOutcome> {
  const finish = (partial: Pick<TestRunResult, 'status' | 'traceId' | 'trigger'> & Partial<TestRunResult>): TestRunOutcome => ({
    result: resultOf(ctx, started, { specs: [], outputs: [], ...partial }),
    variables: ctx.variables,
  });
  const triggerInfo = triggerSpanInfo(response, response.sent ? triggerSpanId : undefined);
  if (ctx.test.skipTraceCollection) return evaluated(ctx, buildTrace([], triggerInfo), trigger, started);
  if (!ctx.source) return finish({ status: 'errored', error: 'no trace source configured', traceId: response.traceId, trigger });

  const key = historyKey(ctx.path, ctx.test, ctx.name);
  const previous = ctx.history?.previous(key);
  const collected = await ctx.source.collect({
    traceId: response.traceId,
    triggerSpanId,
    unmatchedSelectors: (spans) => unmatchedSelectors(ctx.test, buildTrace(spans, triggerInfo)),
    timeoutMs: ctx.timing.timeoutMs,
    quietMs: ctx.timing.quietMs,
    retryDelayMs: ctx.timing.retryDelayMs,
    selectorMatchRetries: ctx.timing.selectorMatchRetries,
    exportDelayMs: ctx.timing.exportDelayMs,
    expectations: { ...expectationsOf(ctx.test), ...(previous ? { previous } : {}) },
    ...(respondedAt !== undefined ? { respondedAt } : {}),
    ...(ctx.learnedLateness === false ? { learnedLateness: false } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    onProgress: (progress) => ctx.onPhase?.({ phase: 'spans', progress }),
    onLateSpans: (late) => ctx.onPhase?.({ phase: 'late', test: ctx.name, traceId: response.traceId, late }),
  });
  const trace = buildTrace(collected.spans, triggerInfo);
  if (!collected.ok) return finish({ status: 'errored', error: collected.message, traceId: response.traceId, trigger, trace });
  ctx.history?.record(key, shapeOf(collected.spans));
  ctx.onPhase?.({ phase: 'settled', spans: collected.spans.length });
  return evaluated(ctx, trace, trigger, started, collected.warnings);
}

function evaluated(ctx: TestRunContext, trace: Trace, trigger: TriggerResult, started: number, warnings: readonly string[] = []): TestRunOutcome {
  const judged = judgeTest(ctx.test, trace, ctx);
  return {
    result: resultOf(ctx, started, {
      ...judged.fields,
      traceId: trace.traceId,
      trigger,
      ...(warnings.length > 0 ? { warnings: [...warnings] } : {}),
      trace,
    }),
    variables: judged.variables,
  };
}

function resultOf(ctx: TestRunContext, started: number, fields: Omit<TestRunResult, 'file' | 'id' | 'name' | 'suite' | 'durationMs'>): TestRunResult {
  return {
    file: ctx.file,
    id: ctx.test.id?.value ?? '',
    name: ctx.name,
    ...(ctx.suite ? { suite: ctx.suite } : {}),
    ...fields,
    durationMs: Math.round(performance.now() - started),
  };
}

function playwrightOptions(ctx: TestRunContext, context: TraceContext) {
  const settings = ctx.playwright ?? {};
  const id = ctx.test.id?.value ?? '';
  return {
    ...(settings.browser ? { browser: settings.browser } : {}),
    ...(settings.timeoutMs !== undefined ? { timeoutMs: settings.timeoutMs } : {}),
    ...(settings.traceFile ? { traceFile: settings.traceFile({ id, name: ctx.name, path: ctx.path, traceId: context.traceId }) } : {}),
    title: ctx.name,
  };
}

/** A trigger that sent nothing (traceid…) spans its trace; one that sent a request spans the call and owns the injected span id. */
function triggerSpanInfo(response: TriggerResponse, spanId: string | undefined): TriggerInfo {
  return {
    traceId: response.traceId,
    ...(spanId ? { spanId } : {}),
    ...(response.sent ? { startTime: response.startTime, endTime: response.endTime } : {}),
    attributes: response.attributes,
    ...(response.events ? { events: response.events } : {}),
  };
}

/** Spec and output selectors that select nothing yet (broken selectors are the evaluator's business, not a reason to wait). */
function unmatchedSelectors(test: TestDef, trace: Trace): string[] {
  const selectors = new Set([...test.specs.map((s) => s.selector.value), ...test.outputs.map((o) => o.selector.value)]);
  return [...selectors].filter((selector) => {
    const selected = select(trace, selector);
    return selected.ok && selected.value.length === 0;
  });
}
