// The window's Tracelens files, each parsed once per version: the loaded file, its line index, its tests and the
// stored runs laid onto its current text. The Testing view, CodeLens, decorations, both kinds of diagnostics,
// completion, hover, quick fixes and the trace panel read from here instead of parsing on their own, and one
// change event (after one debounce for typing and file events) tells them when to look again.
import type * as vscode from 'vscode';
import { isResourceFile, isRunnableFile, loadFile, type LoadedFile } from '../../core/testfile/index';
import { annotateFile, type Annotation } from '../results/annotate';
import { entriesOf, type FileEntry } from '../results/file-entries';
import { LineIndex } from '../results/lines';
import type { RunStore, StoredRun } from '../run-store';
import { Debouncer } from './debouncer';
import type { VscodeApi } from './vscode-api';

/** Quiet time after the last keystroke (or file event) before the views are told a file changed. */
export const SETTLE_DELAY_MS = 250;

/** One version of a Tracelens resource file (a YAML file with a top-level Tracelens `type`). */
export interface TestDocument {
  readonly uri: vscode.Uri;
  /** The editor's version; undefined for text read from disk. */
  readonly version: number | undefined;
  readonly text: string;
  readonly file: LoadedFile;
  readonly lines: LineIndex;
  /** Whether it holds tests or suites (the Testing view's files), rather than only other resources. */
  readonly runnable: boolean;
  /** Its tests, suites and broken test documents. */
  readonly entries: readonly FileEntry[];
  /** The file's stored runs. */
  readonly runs: readonly StoredRun[];
  /** The runs' results at their places in this text (stale ones dropped). */
  readonly annotations: readonly Annotation[];
}

export interface TestDocumentChange {
  readonly uri: vscode.Uri;
  /** What it is now: undefined when it is no Tracelens file (any more), or was closed. */
  readonly document: TestDocument | undefined;
  /**
   * `opened` / `edited` in an editor (edits after the debounce), `closed` (its text on disk follows as `disk`),
   * `disk` (a file event, or the text behind a closed editor), `runs` (a result for the file arrived).
   */
  readonly why: 'opened' | 'edited' | 'closed' | 'disk' | 'runs';
}

type Load = (text: string, path: string) => LoadedFile;
type DocumentsApi = Pick<VscodeApi, 'workspace' | 'Uri' | 'EventEmitter'>;

/** The window's one instance, following the editors and the store until the extension is deactivated. */
export function registerTestDocuments(
  api: DocumentsApi,
  context: Pick<vscode.ExtensionContext, 'subscriptions'>,
  store: RunStore,
  delayMs = SETTLE_DELAY_MS,
  load: Load = loadFile,
): TestDocuments {
  const documents = new TestDocuments(api, store, delayMs, load);
  context.subscriptions.push(...documents.register());
  return documents;
}

class Parsed implements TestDocument {
  private aligned: Annotation[] | undefined;

  constructor(
    readonly uri: vscode.Uri,
    readonly version: number | undefined,
    readonly text: string,
    readonly file: LoadedFile,
    readonly lines: LineIndex,
    readonly runnable: boolean,
    readonly entries: readonly FileEntry[],
    readonly runs: readonly StoredRun[],
  ) {}

  get annotations(): readonly Annotation[] {
    this.aligned ??= this.runs.length > 0 ? annotateFile(this.file, this.runs) : [];
    return this.aligned;
  }

  withRuns(runs: readonly StoredRun[]): Parsed {
    return new Parsed(this.uri, this.version, this.text, this.file, this.lines, this.runnable, this.entries, runs);
  }
}

export class TestDocuments {
  /** The latest parse of each file by uri: open documents and files read from disk. */
  private readonly parsed = new Map<string, Parsed>();
  private readonly settle: Debouncer<string>;
  private readonly changed: vscode.EventEmitter<TestDocumentChange>;
  readonly onDidChange: vscode.Event<TestDocumentChange>;

  /** `load`: how a text is parsed (the testfile loader; a test counts the calls). */
  constructor(
    private readonly api: DocumentsApi,
    private readonly store: RunStore,
    delayMs = SETTLE_DELAY_MS,
    private readonly load: Load = loadFile,
  ) {
    this.settle = new Debouncer(delayMs);
    this.changed = new api.EventEmitter<TestDocumentChange>();
    this.onDidChange = this.changed.event;
  }

  /** Follows the editors and the store; returns what to dispose. */
  register(): vscode.Disposable[] {
    const { workspace } = this.api;
    return [
      workspace.onDidOpenTextDocument((d) => this.publish(d.uri, this.of(d), 'opened')),
      workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0) return;
        this.settle.schedule(e.document.uri.toString(), () => this.publish(e.document.uri, this.of(e.document), 'edited'));
      }),
      workspace.onDidCloseTextDocument((d) => {
        this.parsed.delete(d.uri.toString());
        this.publish(d.uri, undefined, 'closed');
        // Closing without saving: what counts now is the file on disk.
        if (d.uri.scheme === 'file') this.diskChanged(d.uri);
      }),
      this.store.onDidChange((path) => void this.runsChanged(path)),
      this,
    ];
  }

  /**
   * The editors open before activation, told as if they opened now. Called after activate() returns, so that
   * activation only registers and the first parse (and the schemas' compilation) does not count against it.
   */
  announceOpen(): void {
    for (const d of this.api.workspace.textDocuments) this.publish(d.uri, this.of(d), 'opened');
  }

  /** The open document at its current version: parsed now unless this version already was. */
  of(document: Pick<vscode.TextDocument, 'uri' | 'version' | 'getText'>): TestDocument | undefined {
    const key = document.uri.toString();
    const cached = this.parsed.get(key);
    if (cached && cached.version === document.version) return this.withCurrentRuns(cached);
    return this.parse(document.uri, document.version, document.getText());
  }

  /** The file as the views should see it: the open editor's text (unsaved edits included), else the file on disk. */
  async read(uri: vscode.Uri): Promise<TestDocument | undefined> {
    const open = this.api.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) return this.of(open);
    let text: string;
    try {
      text = new TextDecoder().decode(await this.api.workspace.fs.readFile(uri));
    } catch {
      this.parsed.delete(uri.toString());
      return undefined;
    }
    const cached = this.parsed.get(uri.toString());
    if (cached && cached.version === undefined && cached.text === text) return this.withCurrentRuns(cached);
    return this.parse(uri, undefined, text);
  }

  /** The last parse of a file, if any (a suite's steps look their tests up without reading). */
  cached(uri: vscode.Uri): TestDocument | undefined {
    return this.parsed.get(uri.toString());
  }

  /** A file changed on disk (created, saved, deleted elsewhere): re-read after the debounce, then published. */
  diskChanged(uri: vscode.Uri): void {
    // Its own key: a file event arriving just after an edit (a file created, then typed in) must not replace the
    // edit's publication, which the Problems view and the after-text wait for.
    this.settle.schedule(`disk ${uri.toString()}`, () => void this.read(uri).then((d) => this.publish(uri, d, 'disk')));
  }

  /** Pending work done now (tests, disposal). */
  flush(): void {
    this.settle.flush();
  }

  dispose(): void {
    this.settle.dispose();
    this.changed.dispose();
    this.parsed.clear();
  }

  private parse(uri: vscode.Uri, version: number | undefined, text: string): Parsed | undefined {
    const key = uri.toString();
    if (!isResourceFile(text)) {
      this.parsed.delete(key);
      return undefined;
    }
    const file = this.load(text, uri.fsPath);
    const runs = uri.scheme === 'file' ? this.store.forFile(uri.fsPath) : [];
    const parsed = new Parsed(uri, version, text, file, new LineIndex(text), isRunnableFile(text), entriesOf(file), runs);
    this.parsed.set(key, parsed);
    return parsed;
  }

  /** The parse with the runs the store holds now (a result may have arrived since): no parse, only a new alignment. */
  private withCurrentRuns(cached: Parsed): Parsed {
    const runs = cached.uri.scheme === 'file' ? this.store.forFile(cached.uri.fsPath) : [];
    if (runs.length === cached.runs.length && runs.every((r, i) => r === cached.runs[i])) return cached;
    const updated = cached.withRuns(runs);
    this.parsed.set(cached.uri.toString(), updated);
    return updated;
  }

  private async runsChanged(path: string): Promise<void> {
    const uri = this.api.Uri.file(path);
    this.publish(uri, await this.read(uri), 'runs');
  }

  private publish(uri: vscode.Uri, document: TestDocument | undefined, why: TestDocumentChange['why']): void {
    this.changed.fire({ uri, document, why });
  }
}
