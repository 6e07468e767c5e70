// What every trigger needs and returns; the runner creates the trace context and turns the outcome into the trigger span.
import type { TriggerDef } from '../../core/testfile/model';
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
}

export interface TriggerResponse {
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
}

/** A trigger that could not run or whose call failed outright (connection refused, timeout, missing variable). */
export interface TriggerFailure {
  /** One line for a person, naming what and where: "missing variable POKEMON_ID in trigger.httpRequest.url". */
  message: string;
  /** Whether anything was sent before the failure (false for interpolation and file errors). */
  sent: boolean;
  startTime?: bigint;
  endTime?: bigint;
}

export type TriggerOutcome = { ok: true; value: TriggerResponse } | { ok: false; error: TriggerFailure };
