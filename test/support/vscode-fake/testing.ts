// A small, honest stand-in for the parts of the `vscode` module the Testing integration uses: real text and
// ranges, a TestController whose TestRuns record what they were told, events you fire yourself. Nothing here
// pretends to render anything.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { VscodeApi } from '../../../src/extension/editor/vscode-api';
import {
  Diagnostic,
  DiagnosticSeverity,
  EventEmitter,
  Location,
  Position,
  Range,
  Selection,
  TextDocument,
  ThemeColor,
  ThemeIcon,
  Uri,
  WorkspaceEdit,
} from './basics';
import { FakeWebviewPanel } from './webview';

export { Diagnostic, EventEmitter, Location, Position, Range, Selection, TextDocument as FakeDocument, Uri, WorkspaceEdit } from './basics';

export class TestMessage {
  expectedOutput?: string;
  actualOutput?: string;
  location?: Location;
  contextValue?: string;
  constructor(readonly message: string) {}
  static diff(message: string, expected: string, actual: string): TestMessage {
    const m = new TestMessage(message);
    m.expectedOutput = expected;
    m.actualOutput = actual;
    return m;
  }
}

export class TestRunRequest {
  constructor(
    readonly include?: readonly FakeTestItem[],
    readonly exclude?: readonly FakeTestItem[],
    readonly profile?: unknown,
    readonly continuous?: boolean,
  ) {}
}

class CancellationToken {
  isCancellationRequested = false;
  readonly emitter = new EventEmitter<void>();
  readonly onCancellationRequested = this.emitter.event;
}

export class CancellationTokenSource {
  readonly token = new CancellationToken();
  cancel(): void {
    this.token.isCancellationRequested = true;
    this.token.emitter.fire();
  }
  dispose(): void {}
}

export class ItemCollection {
  private readonly items = new Map<string, FakeTestItem>();
  get size(): number {
    return this.items.size;
  }
  add(item: FakeTestItem): void {
    this.items.set(item.id, item);
  }
  delete(id: string): void {
    this.items.delete(id);
  }
  get(id: string): FakeTestItem | undefined {
    return this.items.get(id);
  }
  replace(items: readonly FakeTestItem[]): void {
    this.items.clear();
    for (const i of items) this.items.set(i.id, i);
  }
  forEach(fn: (item: FakeTestItem) => void): void {
    for (const i of [...this.items.values()]) fn(i);
  }
  all(): FakeTestItem[] {
    return [...this.items.values()];
  }
}

export class FakeTestItem {
  readonly children = new ItemCollection();
  range: Range | undefined;
  error: string | undefined;
  description: string | undefined;
  constructor(
    readonly id: string,
    public label: string,
    readonly uri: Uri | undefined,
  ) {}
}

export type RunCall =
  | { kind: 'enqueued' | 'started' | 'skipped'; item: FakeTestItem }
  | { kind: 'passed'; item: FakeTestItem; duration?: number }
  | { kind: 'failed' | 'errored'; item: FakeTestItem; messages: TestMessage[]; duration?: number };

export class FakeTestRun {
  readonly calls: RunCall[] = [];
  readonly output: string[] = [];
  ended = false;
  readonly tokens = new CancellationTokenSource();
  readonly token = this.tokens.token;
  constructor(
    readonly request: TestRunRequest,
    readonly name: string | undefined,
  ) {}
  enqueued(item: FakeTestItem): void {
    this.calls.push({ kind: 'enqueued', item });
  }
  started(item: FakeTestItem): void {
    this.calls.push({ kind: 'started', item });
  }
  skipped(item: FakeTestItem): void {
    this.calls.push({ kind: 'skipped', item });
  }
  passed(item: FakeTestItem, duration?: number): void {
    this.calls.push({ kind: 'passed', item, ...(duration !== undefined ? { duration } : {}) });
  }
  failed(item: FakeTestItem, message: TestMessage | TestMessage[], duration?: number): void {
    this.calls.push({ kind: 'failed', item, messages: [message].flat(), ...(duration !== undefined ? { duration } : {}) });
  }
  errored(item: FakeTestItem, message: TestMessage | TestMessage[], duration?: number): void {
    this.calls.push({ kind: 'errored', item, messages: [message].flat(), ...(duration !== undefined ? { duration } : {}) });
  }
  appendOutput(text: string): void {
    this.output.push(text);
  }
  end(): void {
    this.ended = true;
  }
  /** The last outcome reported for an item. */
  outcome(item: FakeTestItem): RunCall | undefined {
    return this.calls.filter((c) => c.item === item && ['passed', 'failed', 'errored', 'skipped'].includes(c.kind)).at(-1);
  }
}

export interface FakeRunProfile {
  label: string;
  isDefault: boolean;
  supportsContinuousRun?: boolean;
  runHandler: (request: TestRunRequest, token: CancellationToken) => Promise<void> | void;
}

export class FakeTestController {
  readonly items = new ItemCollection();
  readonly profiles: FakeRunProfile[] = [];
  readonly runs: FakeTestRun[] = [];
  resolveHandler: ((item: FakeTestItem | undefined) => Promise<void>) | undefined;
  refreshHandler: (() => Promise<void>) | undefined;
  constructor(
    readonly id: string,
    readonly label: string,
  ) {}
  createTestItem(id: string, label: string, uri?: Uri): FakeTestItem {
    return new FakeTestItem(id, label, uri);
  }
  createRunProfile(label: string, _kind: number, runHandler: FakeRunProfile['runHandler'], isDefault = false): FakeRunProfile {
    const profile = { label, isDefault, runHandler, dispose() {} };
    this.profiles.push(profile);
    return profile;
  }
  createTestRun(request: TestRunRequest, name?: string): FakeTestRun {
    const run = new FakeTestRun(request, name);
    this.runs.push(run);
    return run;
  }
  dispose(): void {}
  /** Every item, depth first. */
  allItems(): FakeTestItem[] {
    const out: FakeTestItem[] = [];
    const walk = (c: ItemCollection) => c.forEach((i) => (out.push(i), walk(i.children)));
    walk(this.items);
    return out;
  }
}

export interface DecorationCall {
  type: { options: { after: { color: { id: string } } } };
  options: Array<{ range: Range; renderOptions: { after: { contentText: string } } }>;
}

export class FakeEditor {
  selection = new Selection(0, 0, 0, 0);
  readonly decorations = new Map<unknown, DecorationCall['options']>();
  revealed: Range | undefined;
  constructor(
    readonly document: TextDocument,
    readonly viewColumn = 1,
  ) {}
  setDecorations(type: unknown, options: DecorationCall['options']): void {
    this.decorations.set(type, options);
  }
  revealRange(range: Range): void {
    this.revealed = range;
  }
  /** After-texts currently shown, by line, with the colour id of their decoration type. */
  afterTexts(): Array<{ line: number; text: string; color: string }> {
    const out: Array<{ line: number; text: string; color: string }> = [];
    for (const [type, options] of this.decorations) {
      const color = (type as DecorationCall['type']).options.after.color.id;
      for (const o of options) out.push({ line: o.range.start.line, text: o.renderOptions.after.contentText, color });
    }
    return out.sort((a, b) => a.line - b.line);
  }
}

export class DiagnosticCollection {
  readonly entries = new Map<string, unknown[]>();
  constructor(readonly name: string) {}
  set(uri: Uri, diagnostics: unknown[]): void {
    this.entries.set(uri.toString(), diagnostics);
  }
  delete(uri: Uri): void {
    this.entries.delete(uri.toString());
  }
  get(uri: Uri): unknown[] | undefined {
    return this.entries.get(uri.toString());
  }
  dispose(): void {}
}

export class CodeLens {
  constructor(
    readonly range: Range,
    readonly command?: { title: string; command: string; arguments?: unknown[] },
  ) {}
}

/** Answers a quick pick (the item to choose, undefined to cancel) or an input box (the text, undefined to cancel). */
export interface PickItem {
  label: string;
  description?: string;
  detail?: string;
}
export type QuickPickAnswer = (items: readonly PickItem[], options: unknown) => PickItem | undefined;
export type InputBoxAnswer = (options: { value?: string; prompt?: string; validateInput?: (value: string) => unknown }) => string | undefined;

export interface TerminalOptions {
  name: string;
  shellPath: string;
  shellArgs: string[];
  env?: Record<string, string>;
}

export interface FakeTerminal {
  options: TerminalOptions;
  shown: number;
  show(): void;
  dispose(): void;
}

interface ContentProvider {
  provideTextDocumentContent(uri: Uri): string;
}

interface CodeLensProvider {
  provideCodeLenses(document: TextDocument): CodeLens[];
  onDidChangeCodeLenses?: unknown;
}

/** A fake `vscode` rooted at one workspace folder; `settings` are `tracelens.*` values by key. */
export function createFakeVscode(root: string, settings: Record<string, unknown> = {}) {
  const events = {
    open: new EventEmitter<TextDocument>(),
    change: new EventEmitter<{ document: TextDocument; contentChanges: unknown[] }>(),
    close: new EventEmitter<TextDocument>(),
    save: new EventEmitter<TextDocument>(),
    configuration: new EventEmitter<{ affectsConfiguration: (s: string) => boolean }>(),
    visibleEditors: new EventEmitter<FakeEditor[]>(),
    closeTerminal: new EventEmitter<FakeTerminal>(),
    watcher: { create: new EventEmitter<Uri>(), change: new EventEmitter<Uri>(), delete: new EventEmitter<Uri>() },
  };
  const state = {
    controllers: [] as FakeTestController[],
    commands: new Map<string, (...args: unknown[]) => unknown>(),
    documents: [] as TextDocument[],
    editors: [] as FakeEditor[],
    activeEditor: undefined as FakeEditor | undefined,
    contentProviders: new Map<string, ContentProvider>(),
    codeLensProviders: [] as CodeLensProvider[],
    /** The document selector each provider was registered with (same order). */
    codeLensSelectors: [] as Array<{ language?: string; scheme?: string }>,
    diagnostics: [] as DiagnosticCollection[],
    infoMessages: [] as string[],
    warningMessages: [] as string[],
    errorMessages: [] as string[],
    terminals: [] as FakeTerminal[],
    appliedEdits: [] as WorkspaceEdit[],
    quickPicks: [] as Array<{ items: readonly PickItem[]; options: unknown }>,
    inputBoxes: [] as Array<Parameters<InputBoxAnswer>[0]>,
    /** Answers in order; a dialog without an answer is cancelled. */
    quickPickAnswers: [] as QuickPickAnswer[],
    inputBoxAnswers: [] as InputBoxAnswer[],
    settings,
    panels: [] as FakeWebviewPanel[],
    panelSerializers: new Map<string, { deserializeWebviewPanel(panel: FakeWebviewPanel, state: unknown): Promise<void> }>(),
  };

  const documentFor = (uri: Uri): TextDocument => {
    const open = state.documents.find((d) => d.uri.toString() === uri.toString());
    if (open) return open;
    const provider = state.contentProviders.get(uri.scheme);
    const doc = new TextDocument(uri, provider ? provider.provideTextDocumentContent(uri) : readFileSync(uri.fsPath, 'utf8'), provider ? 'json' : 'yaml');
    state.documents.push(doc);
    events.open.fire(doc);
    return doc;
  };

  const api = {
    Uri,
    Range,
    Position,
    Selection,
    Location,
    TestMessage,
    TestRunRequest,
    CancellationTokenSource,
    EventEmitter,
    CodeLens,
    Diagnostic,
    ThemeColor,
    ThemeIcon,
    WorkspaceEdit,
    InputBoxValidationSeverity: { Info: 1, Warning: 2, Error: 3 },
    TestRunProfileKind: { Run: 1, Debug: 2, Coverage: 3 },
    DiagnosticSeverity,
    DecorationRangeBehavior: { OpenOpen: 0, ClosedClosed: 1, OpenClosed: 2, ClosedOpen: 3 },
    TextEditorRevealType: { Default: 0, InCenter: 1, InCenterIfOutsideViewport: 2, AtTop: 3 },
    ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2, Three: 3 },
    tests: {
      createTestController(id: string, label: string) {
        const c = new FakeTestController(id, label);
        state.controllers.push(c);
        return c;
      },
    },
    commands: {
      registerCommand(id: string, fn: (...args: unknown[]) => unknown) {
        state.commands.set(id, fn);
        return { dispose: () => state.commands.delete(id) };
      },
      executeCommand(id: string, ...args: unknown[]) {
        const fn = state.commands.get(id);
        if (!fn) throw new Error(`command ${id} is not registered`);
        return Promise.resolve(fn(...args));
      },
    },
    workspace: {
      get textDocuments() {
        return state.documents;
      },
      fs: { readFile: async (uri: Uri) => new Uint8Array(readFileSync(uri.fsPath)) },
      async findFiles() {
        const out: Uri[] = [];
        const walk = (dir: string) => {
          for (const e of readdirSync(dir, { withFileTypes: true })) {
            if (e.isDirectory()) {
              if (e.name !== 'node_modules') walk(join(dir, e.name));
            } else if (/\.ya?ml$/.test(e.name)) out.push(Uri.file(join(dir, e.name)));
          }
        };
        walk(root);
        return out;
      },
      asRelativePath(uri: Uri | string) {
        return relative(root, typeof uri === 'string' ? uri : uri.fsPath);
      },
      getConfiguration() {
        return { get: <T>(key: string, fallback: T): T => (key in state.settings ? (state.settings[key] as T) : fallback) };
      },
      onDidOpenTextDocument: events.open.event,
      onDidChangeTextDocument: events.change.event,
      onDidCloseTextDocument: events.close.event,
      onDidSaveTextDocument: events.save.event,
      onDidChangeConfiguration: events.configuration.event,
      createFileSystemWatcher() {
        return { onDidCreate: events.watcher.create.event, onDidChange: events.watcher.change.event, onDidDelete: events.watcher.delete.event, dispose() {} };
      },
      registerTextDocumentContentProvider(scheme: string, provider: ContentProvider) {
        state.contentProviders.set(scheme, provider);
        return { dispose: () => state.contentProviders.delete(scheme) };
      },
      async openTextDocument(uri: Uri) {
        return documentFor(uri);
      },
      async applyEdit(edit: WorkspaceEdit) {
        state.appliedEdits.push(edit);
        for (const doc of new Set(edit.edits.map((e) => documentFor(e.uri)))) {
          doc.setText(edit.appliedTo(doc));
          events.change.fire({ document: doc, contentChanges: edit.edits.filter((e) => e.uri.toString() === doc.uri.toString()) });
        }
        return true;
      },
    },
    languages: {
      createDiagnosticCollection(name: string) {
        const c = new DiagnosticCollection(name);
        state.diagnostics.push(c);
        return c;
      },
      registerCodeLensProvider(selector: { language?: string; scheme?: string }, provider: CodeLensProvider) {
        state.codeLensProviders.push(provider);
        state.codeLensSelectors.push(selector);
        return { dispose() {} };
      },
    },
    window: {
      get visibleTextEditors() {
        return state.editors;
      },
      get activeTextEditor() {
        return state.activeEditor;
      },
      onDidChangeVisibleTextEditors: events.visibleEditors.event,
      createWebviewPanel(viewType: string, title: string, showOptions: unknown, options: unknown) {
        const panel = new FakeWebviewPanel(viewType, title, showOptions, options);
        state.panels.push(panel);
        return panel;
      },
      registerWebviewPanelSerializer(viewType: string, serializer: { deserializeWebviewPanel(panel: FakeWebviewPanel, state: unknown): Promise<void> }) {
        state.panelSerializers.set(viewType, serializer);
        return { dispose: () => state.panelSerializers.delete(viewType) };
      },
      createTextEditorDecorationType(options: unknown) {
        return { options, dispose() {} };
      },
      async showTextDocument(document: TextDocument, options?: { viewColumn?: number }) {
        const editor = new FakeEditor(document, options?.viewColumn ?? 1);
        state.editors.push(editor);
        state.activeEditor = editor;
        return editor;
      },
      async showInformationMessage(message: string) {
        state.infoMessages.push(message);
        return undefined;
      },
      async showErrorMessage(message: string) {
        state.errorMessages.push(message);
        return undefined;
      },
      async showWarningMessage(message: string) {
        state.warningMessages.push(message);
        return undefined;
      },
      createTerminal(options: TerminalOptions) {
        const terminal: FakeTerminal = {
          options,
          shown: 0,
          show() {
            terminal.shown++;
          },
          dispose() {
            events.closeTerminal.fire(terminal);
          },
        };
        state.terminals.push(terminal);
        return terminal;
      },
      onDidCloseTerminal: events.closeTerminal.event,
      async showQuickPick(items: readonly PickItem[] | Promise<readonly PickItem[]>, options?: unknown) {
        const shown = await items;
        state.quickPicks.push({ items: shown, options });
        return state.quickPickAnswers.shift()?.(shown, options);
      },
      async showInputBox(options: Parameters<InputBoxAnswer>[0] = {}) {
        state.inputBoxes.push(options);
        return state.inputBoxAnswers.shift()?.(options);
      },
    },
  };

  return {
    api: api as unknown as VscodeApi,
    state,
    events,
    controller: () => state.controllers[0]!,
    /** Opens a file in an editor, as the user would: the document fires `open`, the editor becomes visible. */
    async openEditor(path: string): Promise<FakeEditor> {
      const doc = documentFor(Uri.file(path));
      const editor = await api.window.showTextDocument(doc);
      events.visibleEditors.fire(state.editors);
      return editor;
    },
    /** The lenses the editor would show on a document: every provider whose selector matches it. */
    lensesFor(doc: TextDocument): CodeLens[] {
      return state.codeLensProviders.flatMap((p, i) => {
        const s = state.codeLensSelectors[i]!;
        const matches = (s.language === undefined || s.language === doc.languageId) && (s.scheme === undefined || s.scheme === doc.uri.scheme);
        return matches ? p.provideCodeLenses(doc) : [];
      });
    },
    /** Writes the text to the file and saves the document, as Save does (the document opened if it was not). */
    save(path: string, text: string): void {
      writeFileSync(path, text);
      const doc = documentFor(Uri.file(path));
      doc.setText(text);
      events.change.fire({ document: doc, contentChanges: [{}] });
      events.save.fire(doc);
    },
    /** Replaces a document's text as typing would. */
    edit(doc: TextDocument, text: string): void {
      doc.setText(text);
      events.change.fire({ document: doc, contentChanges: [{}] });
    },
  };
}
