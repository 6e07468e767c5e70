// The latest result of every test run in this window, by file and test: what the Testing view, CodeLens,
// decorations, completion ("values seen in the last trace") and the trace panel read; and which tests are running
// now, for the trace panel. No vscode import.
import type { TestRunResult } from '../core/engine/result';
import { createRedactor, type Redactor } from '../core/redact/redactor';
import { redactResult, redactTrace } from '../core/redact/results';
import type { Trace } from '../core/trace/model';
import type { PhaseState } from '../run/reporters/progress';

/** A test within a file: its `id` when it has one, else `#<document index>`. */
export type TestKey = string;

export interface StoredRun {
  /** Absolute path of the test file. */
  path: string;
  key: TestKey;
  /** The run as the editor shows it: secret values masked (the test file's own text is kept, to place results). */
  result: TestRunResult;
  /** The trace as it arrived, when masking changed it: what a re-check evaluates against. Never shown. */
  realTrace?: Trace;
  /** Date.now() when the result arrived. */
  at: number;
}

export type RunStoreListener = (path: string) => void;
/** `phase` is where the run is (spans so far, what it waits for); undefined when it is not running. */
export type RunningListener = (path: string, key: TestKey, running: boolean, phase?: PhaseState) => void;

export class RunStore {
  private readonly byFile = new Map<string, Map<TestKey, StoredRun>>();
  private readonly listeners = new Set<RunStoreListener>();
  /** Runs in flight per test (`path\nkey`): a count, because runs can overlap (Run again during a file's run). */
  private readonly inFlight = new Map<string, number>();
  /** Where the latest run of each running test is. */
  private readonly phases = new Map<string, PhaseState>();
  private readonly runningListeners = new Set<RunningListener>();
  /** A trace file chosen for completion when no test has run yet ("Use Trace File for Completion…"). */
  private chosenTrace: Trace | undefined;
  /** Masked copies of real traces: a re-check stores the same trace again, and a big one is masked once. */
  private readonly masked = new WeakMap<Trace, { redactor: Redactor; trace: Trace }>();

  /** Stores the run as shown, masked by `redactor`; returns what was stored. */
  set(path: string, key: TestKey, result: TestRunResult, redactor: Redactor = createRedactor([])): StoredRun {
    let runs = this.byFile.get(path);
    if (!runs) this.byFile.set(path, (runs = new Map()));
    const { trace, ...rest } = result;
    const shownTrace = trace && this.mask(trace, redactor);
    const stored: StoredRun = {
      path,
      key,
      result: { ...redactResult(rest, redactor, { keepSourceText: true }), ...(shownTrace ? { trace: shownTrace } : {}) },
      ...(shownTrace !== trace ? { realTrace: trace } : {}),
      at: Date.now(),
    };
    runs.set(key, stored);
    this.emit(path);
    return stored;
  }

  get(path: string, key: TestKey): StoredRun | undefined {
    return this.byFile.get(path)?.get(key);
  }

  forFile(path: string): StoredRun[] {
    return [...(this.byFile.get(path)?.values() ?? [])];
  }

  /** The trace to complete and hover against for a test: its last run's, else the chosen trace file's. */
  traceFor(path: string, key: TestKey | undefined): Trace | undefined {
    const own = key !== undefined ? this.get(path, key)?.result.trace : undefined;
    return own ?? this.forFile(path).find((r) => r.result.trace)?.result.trace ?? this.chosenTrace;
  }

  chooseTrace(trace: Trace | undefined): void {
    this.chosenTrace = trace;
    for (const path of this.byFile.keys()) this.emit(path);
  }

  private mask(trace: Trace, redactor: Redactor): Trace {
    const done = this.masked.get(trace);
    if (done?.redactor.sameAs(redactor)) return done.trace;
    const masked = redactTrace(trace, redactor);
    this.masked.set(trace, { redactor, trace: masked });
    return masked;
  }

  clear(path: string): void {
    if (this.byFile.delete(path)) this.emit(path);
  }

  onDidChange(listener: RunStoreListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Marks a run of the test as started; the returned function ends it (calling it again does nothing). */
  startRun(path: string, key: TestKey): () => void {
    const id = `${path}\n${key}`;
    const count = this.inFlight.get(id) ?? 0;
    this.inFlight.set(id, count + 1);
    if (count === 0) for (const l of this.runningListeners) l(path, key, true);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const left = (this.inFlight.get(id) ?? 1) - 1;
      if (left > 0) {
        this.inFlight.set(id, left);
        return;
      }
      this.inFlight.delete(id);
      this.phases.delete(id);
      for (const l of this.runningListeners) l(path, key, false);
    };
  }

  /** A running test moved on (spans arrived, it waits for something): told to the running listeners. */
  setPhase(path: string, key: TestKey, phase: PhaseState): void {
    const id = `${path}\n${key}`;
    if (!this.inFlight.has(id)) return;
    this.phases.set(id, phase);
    for (const l of this.runningListeners) l(path, key, true, phase);
  }

  isRunning(path: string, key: TestKey): boolean {
    return this.inFlight.has(`${path}\n${key}`);
  }

  /** Where the test's run is, while it runs. */
  phaseOf(path: string, key: TestKey): PhaseState | undefined {
    return this.phases.get(`${path}\n${key}`);
  }

  /** Told when a test's first run starts and its last one ends. */
  onDidChangeRunning(listener: RunningListener): { dispose(): void } {
    this.runningListeners.add(listener);
    return { dispose: () => this.runningListeners.delete(listener) };
  }

  private emit(path: string): void {
    for (const l of this.listeners) l(path);
  }
}

/** The key of the test at `documentIndex` of a file, given its id (if any). */
export function testKey(id: string | undefined, documentIndex: number): TestKey {
  return id ? id : `#${documentIndex}`;
}
