// Each test's last runs, kept across window reloads in the extension's workspace storage: an index of what was run
// when (what lists and pickers need) and one gzipped file per run (result and trace, secrets masked). Bounded by
// runs per test and bytes in all; the oldest runs go first. Every write goes to a temporary file renamed into place,
// so a crash leaves the old file or the new one; an index that does not read is reported and the history starts over.
// Nothing is read before the history is first asked for. The editor loads it with the run bundle
// (extension/history/run-history.ts).
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Status, TestRunResult } from '../../core/engine/result';
import type { Redactor } from '../../core/redact/redactor';
import { decodeRun, encodeRun } from './stored-run';

/** What the history lists of a run without reading its file. */
export interface HistoryEntry {
  id: string;
  /** Absolute path of the test file, and the test's key in it. */
  path: string;
  key: string;
  name: string;
  /** Date.now() when the result arrived. */
  at: number;
  status: Status;
  durationMs: number;
  specs: number;
  failedSpecs: number;
  spans: number;
  traceId: string;
  /** Size of the run's file. */
  bytes: number;
}

export interface HistoryLimits {
  /** Runs kept per test; 0 keeps none. */
  runsPerTest: number;
  /** Bytes of run files kept in all. */
  maxBytes: number;
}

const INDEX = 'index.json';
const INDEX_FORMAT = 'tracelens-history/1';
const RUN_SUFFIX = '.json.gz';

type Listener = (path: string, key: string) => void;

export class RunHistoryStore {
  private entries: HistoryEntry[] = [];
  /** Writes one after another: each reads and replaces the index the previous one left. */
  private queue: Promise<unknown> = Promise.resolve();
  /** The index is read on first use, not when the window opens. */
  private loading: Promise<void> | undefined;
  private readonly listeners = new Set<Listener>();

  /** `limits` is read at every write (settings change while the window is open). */
  constructor(
    private readonly dir: string,
    private readonly limits: () => HistoryLimits,
    private readonly log: (line: string) => void,
  ) {}

  /** The test's runs, newest first. */
  async runs(path: string, key: string): Promise<HistoryEntry[]> {
    await this.ready();
    await this.settled();
    return this.entries.filter((e) => e.path === path && e.key === key).sort((a, b) => b.at - a.at);
  }

  /**
   * Stores a run (its trace already masked by the run store), then drops what is beyond the limits. Never rejects:
   * a run that cannot be kept is logged. Undefined when it was not kept.
   */
  add(path: string, key: string, result: TestRunResult, at: number, redactor: Redactor): Promise<HistoryEntry | undefined> {
    void this.ready();
    const adding = this.enqueue(async () => {
      const limits = this.limits();
      if (limits.runsPerTest <= 0) return undefined;
      const bytes = await encodeRun(result, redactor);
      const entry: HistoryEntry = {
        id: `${at.toString(36)}-${randomBytes(4).toString('hex')}`,
        path,
        key,
        name: redactor.text(result.name),
        at,
        status: result.status,
        durationMs: result.durationMs,
        specs: result.specs.length,
        failedSpecs: result.specs.filter((s) => s.status !== 'passed').length,
        spans: result.trace?.spans.length ?? 0,
        traceId: result.traceId,
        bytes: bytes.length,
      };
      await mkdir(this.dir, { recursive: true });
      await writeAtomically(this.fileOf(entry), bytes);
      this.entries.push(entry);
      await this.trim(limits);
      this.emit(path, key);
      return this.entries.includes(entry) ? entry : undefined;
    });
    return adding.catch((e: Error) => {
      this.log(`run history: a run of ${result.name} was not kept: ${e.message}`);
      return undefined;
    });
  }

  /** The stored run: its result, with its trace. Throws, saying which run, when its file is gone or does not read. */
  async read(entry: HistoryEntry): Promise<TestRunResult> {
    await this.ready();
    await this.settled();
    try {
      return await decodeRun(await readFile(this.fileOf(entry)));
    } catch (e) {
      const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'its file is gone' : (e as Error).message;
      await this.enqueue(async () => {
        this.entries = this.entries.filter((x) => x.id !== entry.id);
        await this.writeIndex();
        await rm(this.fileOf(entry), { force: true });
      });
      this.emit(entry.path, entry.key);
      throw new Error(`the run of ${new Date(entry.at).toISOString()} cannot be read (${reason}); it was removed from the history`, { cause: e });
    }
  }

  onDidChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Resolves once every write asked for so far is done. */
  async settled(): Promise<void> {
    await this.queue.catch(() => undefined);
  }

  private ready(): Promise<void> {
    return (this.loading ??= this.enqueue(() => this.load().catch((e: Error) => this.log(`run history: cannot read ${this.dir}: ${e.message}`))));
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.catch(() => undefined).then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(join(this.dir, INDEX), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.log(`run history: cannot read ${join(this.dir, INDEX)}: ${(e as Error).message}`);
      await this.removeStrays();
      return;
    }
    try {
      this.entries = parseIndex(text);
    } catch (e) {
      this.log(`run history: ${join(this.dir, INDEX)} is damaged (${(e as Error).message}); the history starts over`);
      this.entries = [];
      await rm(join(this.dir, INDEX), { force: true });
    }
    await this.removeStrays();
    await this.trim(this.limits());
  }

  /** Run files no index entry names (a write cut short, a reset history) and temporary files. */
  private async removeStrays(): Promise<void> {
    const known = new Set(this.entries.map((e) => `${e.id}${RUN_SUFFIX}`));
    const names = await readdir(this.dir).catch(() => [] as string[]);
    await Promise.all(names.filter((n) => n !== INDEX && !known.has(n)).map((n) => rm(join(this.dir, n), { force: true })));
  }

  /** Drops the oldest runs beyond each test's count, then the oldest of all beyond the bytes; writes the index. */
  private async trim(limits: HistoryLimits): Promise<void> {
    const byTest = new Map<string, HistoryEntry[]>();
    for (const e of this.entries) {
      const id = `${e.path}\n${e.key}`;
      byTest.set(id, [...(byTest.get(id) ?? []), e]);
    }
    const drop = new Set<HistoryEntry>();
    for (const runs of byTest.values()) {
      runs.sort((a, b) => b.at - a.at);
      for (const e of runs.slice(Math.max(0, limits.runsPerTest))) drop.add(e);
    }
    let total = 0;
    for (const e of [...this.entries].sort((a, b) => b.at - a.at)) {
      if (drop.has(e)) continue;
      total += e.bytes;
      if (total > limits.maxBytes) drop.add(e);
    }
    if (drop.size > 0) this.entries = this.entries.filter((e) => !drop.has(e));
    await this.writeIndex();
    await Promise.all([...drop].map((e) => rm(this.fileOf(e), { force: true })));
  }

  private async writeIndex(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeAtomically(join(this.dir, INDEX), JSON.stringify({ format: INDEX_FORMAT, runs: this.entries }));
  }

  private fileOf(entry: HistoryEntry): string {
    return join(this.dir, `${entry.id}${RUN_SUFFIX}`);
  }

  private emit(path: string, key: string): void {
    for (const l of this.listeners) l(path, key);
  }
}

async function writeAtomically(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(3).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, data);
    await rename(temporary, path);
  } catch (e) {
    await rm(temporary, { force: true });
    throw e;
  }
}

const STATUSES: readonly string[] = ['passed', 'failed', 'errored'];

/** The index's entries; throws saying what is wrong when it is not one this version wrote. */
function parseIndex(text: string): HistoryEntry[] {
  const doc = JSON.parse(text) as { format?: unknown; runs?: unknown };
  if (doc?.format !== INDEX_FORMAT) throw new Error(`format ${JSON.stringify(doc?.format)}, expected ${INDEX_FORMAT}`);
  if (!Array.isArray(doc.runs)) throw new Error('no list of runs');
  return doc.runs.map((r: unknown, i) => {
    const e = r as Partial<HistoryEntry> | null;
    const numbers = ['at', 'durationMs', 'specs', 'failedSpecs', 'spans', 'bytes'] as const;
    const strings = ['id', 'path', 'key', 'name', 'traceId'] as const;
    const ok =
      e !== null &&
      typeof e === 'object' &&
      numbers.every((k) => typeof e[k] === 'number') &&
      strings.every((k) => typeof e[k] === 'string') &&
      STATUSES.includes(e.status as string) &&
      /^[0-9a-z-]+$/.test(e.id!);
    if (!ok) throw new Error(`run ${i + 1} of the index is not a run`);
    return e as HistoryEntry;
  });
}
