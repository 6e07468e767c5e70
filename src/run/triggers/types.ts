// What every trigger needs and returns; the runner creates the trace context and turns the outcome into the trigger span.
import type { TriggerDef } from '../../core/testfile/model';
import type { SpanEvent } from '../../core/trace/model';
import type { ChosenBrowser } from './playwright/browser';
import type { FileReferences } from './files';

/** The run's W3C trace context: the trace id the run looks for, and the trigger span's id (the injected parent). */
export interface TraceContext {
  /** 32 lowercase hex. */
  traceId: string;
  /** 16 lowercase hex. */
  spanId: string;
}

export interface TriggerRequest {
  trigger: TriggerDef;
  /** Absolute path of the test file: bodies, proto files, queries and schemas are resolved relative to it. */
  testFile: string;
  /** Where those files may be. */
  files: FileReferences;
  /** `${var:…}` and `${env:…}` read these (runner variables + outputs of earlier suite steps). */
  variables: ReadonlyMap<string, string>;
  /** Bare `${NAME}` reads this (process environment). */
  processEnv: (name: string) => string | undefined;
  context: TraceContext;
  /** Per-request timeout in milliseconds. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** For `playwrightengine` triggers. */
  playwright?: PlaywrightOptions;
  /** Each line the trigger prints while it runs (a script's console), as it comes. */
  onOutput?: (line: string) => void;
}

export interface PlaywrightOptions {
  /** The browser the user named: the editor setting or the CLI flag. */
  browser?: ChosenBrowser;
  /** How long `method(page)` may take, the page's first load included. Default 60 s. */
  timeoutMs?: number;
  /** Where to save Playwright's trace (trace.zip) of the run; not recorded when absent. */
  traceFile?: string;
  /** The test's name, as the trace's title. */
  title?: string;
}

/** What a trigger printed or saved besides its response, kept whatever the outcome. */
export interface TriggerExtras {
  /** Lines of output (a script's console), in order. */
  output?: string[];
  /** Path of the Playwright trace (trace.zip) saved for the run. */
  playwrightTrace?: string;
}

export interface TriggerResponse extends TriggerExtras {
  /** The trace to collect: the run's context trace id, or for `traceid`-like triggers the id from the file/variables. */
  traceId: string;
  /** Unix nanoseconds around the call (both equal for triggers that send nothing). */
  startTime: bigint;
  endTime: bigint;
  /** HTTP or gRPC status code. */
  status?: number;
  /** `tracetest.response.status` / `.body` / `.headers` (JSON array of {key, value}), plus trigger-specific request facts. */
  attributes: Map<string, string>;
  /** False for triggers that send nothing (traceid, cypress, …). */
  sent: boolean;
  /** Events for the trigger span (a script's console messages). */
  events?: SpanEvent[];
}

/** A trigger that could not run or whose call failed outright (connection refused, timeout, missing variable). */
export interface TriggerFailure extends TriggerExtras {
  /** One line for a person, naming what and where: "missing variable POKEMON_ID in trigger.httpRequest.url". */
  message: string;
  /** Whether anything was sent before the failure (false for interpolation and file errors). */
  sent: boolean;
  /** Offset in the test file of the field (or the spot in it) that could not be rendered. */
  offset?: number;
  startTime?: bigint;
  endTime?: bigint;
}

export type TriggerOutcome = { ok: true; value: TriggerResponse } | { ok: false; error: TriggerFailure };
