// What the trigger and its worker process (worker.ts) say to each other over the IPC channel. Times are Unix
// nanoseconds as decimal text (the channel carries JSON).
import type { ChosenBrowser } from './browser';
import type { TraceContext } from '../types';

export type ScriptSource =
  /** A file, imported as a module (CommonJS or ESM, as Node decides). */
  | { kind: 'file'; path: string }
  /** The script's text from the test file; `requireFrom` is the test file, which its `require()`s resolve from. */
  | { kind: 'inline'; code: string; requireFrom: string };

export interface WorkerJob {
  target: string;
  method: string;
  script: ScriptSource;
  context: TraceContext;
  chosen: ChosenBrowser[];
  /** For `method(page)`, the page's first load included. */
  timeoutMs: number;
  /** Where to save Playwright's trace (trace.zip), if at all. */
  traceFile?: string;
  /** The test's name, as the title of the Playwright trace. */
  title: string;
}

export type ParentMessage = { type: 'run'; job: WorkerJob } | { type: 'cancel' };

export interface ConsoleEntry {
  /** `page`: the browser's console and uncaught page errors; `script`: what the script itself printed. */
  source: 'page' | 'script';
  /** The page's: log, info, warning, error (also an uncaught error, as `Uncaught …`), debug…; the script's: stdout, stderr. */
  level: string;
  text: string;
  /** url:line:column in the page, when the browser says. */
  location?: string;
  time: string;
}

/** Where in the script an error happened (1-based). */
export interface ScriptPosition {
  line: number;
  column?: number;
}

export type Stage = 'browser' | 'script' | 'target' | 'run' | 'timeout' | 'cancelled';

export type WorkerMessage =
  /** The browser started: its name and version. */
  | { type: 'browser'; name: string }
  | { type: 'console'; entry: ConsoleEntry }
  | { type: 'started'; time: string }
  | {
      type: 'finished';
      ok: boolean;
      endTime?: string;
      /** The method's return value as JSON text, when it returned one. */
      returned?: string;
      /** When not ok: what failed, and where in the script when it was the script. */
      stage?: Stage;
      message?: string;
      position?: ScriptPosition;
      /** Set when trace.zip was written. */
      traceFile?: string;
      traceError?: string;
    };
