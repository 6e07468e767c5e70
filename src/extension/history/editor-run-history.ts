// The run history as the editor holds it from activation on: the store (run/history) comes with the run bundle,
// loaded the first time the history is used, so activation neither loads it nor reads the disk.
import type { TestRunResult } from '../../core/engine/result';
import type { Redactor } from '../../core/redact/redactor';
import type { HistoryEntry, HistoryLimits, RunHistoryStore } from '../../run/history/run-history-store';
import { loadRunBundle } from '../runtime/load-run';

export type { HistoryEntry } from '../../run/history/run-history-store';

type Listener = (path: string, key: string) => void;

export class EditorRunHistory {
  private store: Promise<RunHistoryStore> | undefined;
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly dir: string,
    private readonly limits: () => HistoryLimits,
    private readonly log: (line: string) => void,
  ) {}

  /** The test's runs, newest first. */
  async runs(path: string, key: string): Promise<HistoryEntry[]> {
    return (await this.open()).runs(path, key);
  }

  /** Keeps a run (its trace already masked); undefined when it was not kept. Never rejects. */
  async add(path: string, key: string, result: TestRunResult, at: number, redactor: Redactor): Promise<HistoryEntry | undefined> {
    return (await this.open()).add(path, key, result, at, redactor);
  }

  async read(entry: HistoryEntry): Promise<TestRunResult> {
    return (await this.open()).read(entry);
  }

  /** Resolves once every write asked for so far is done. */
  async settled(): Promise<void> {
    await (await this.open()).settled();
  }

  onDidChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private open(): Promise<RunHistoryStore> {
    return (this.store ??= loadRunBundle().then(({ RunHistoryStore }) => {
      const store = new RunHistoryStore(this.dir, this.limits, this.log);
      store.onDidChange((path, key) => this.listeners.forEach((l) => l(path, key)));
      return store;
    }));
  }
}
