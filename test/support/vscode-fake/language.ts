// A small stand-in for the `vscode` module: just what the language features (diagnostics, completion, hover,
// their commands) touch, recording what they register and show so tests can drive them.
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildTrace } from '../../../src/core/trace/build';
import { decodeTraceText } from '../../../src/core/trace/decode/index';
import type { Trace } from '../../../src/core/trace/model';
import { Diagnostic, DiagnosticSeverity, EventEmitter, Position, Range, TextDocument, Uri, WorkspaceEdit } from './basics';

export { Diagnostic, DiagnosticSeverity, Position, Range, TextDocument, Uri, WorkspaceEdit } from './basics';

/** Hierarchical kinds as the editor has them: `source.fixAll.tracelens` is inside `source.fixAll`. */
export class CodeActionKind {
  static readonly QuickFix = new CodeActionKind('quickfix');
  static readonly SourceFixAll = new CodeActionKind('source.fixAll');
  constructor(readonly value: string) {}
  append(part: string): CodeActionKind {
    return new CodeActionKind(`${this.value}.${part}`);
  }
  contains(other: CodeActionKind): boolean {
    return other.value === this.value || other.value.startsWith(`${this.value}.`);
  }
  intersects(other: CodeActionKind): boolean {
    return this.contains(other) || other.contains(this);
  }
}

export class CodeAction {
  edit?: WorkspaceEdit;
  diagnostics?: Diagnostic[];
  isPreferred?: boolean;
  constructor(
    readonly title: string,
    readonly kind?: CodeActionKind,
  ) {}
}

interface CodeActionContext {
  diagnostics: Diagnostic[];
  only?: CodeActionKind;
}

export class SnippetString {
  constructor(readonly value: string) {}
}

export class MarkdownString {
  constructor(readonly value: string) {}
}

export class CompletionItem {
  detail?: string;
  documentation?: MarkdownString;
  insertText?: string | SnippetString;
  range?: Range;
  sortText?: string;
  filterText?: string;
  command?: { command: string; title: string };
  constructor(
    readonly label: string,
    readonly kind?: number,
  ) {}
}

export class CompletionList {
  constructor(
    readonly items: CompletionItem[],
    readonly isIncomplete: boolean,
  ) {}
}

export class Hover {
  constructor(
    readonly contents: MarkdownString,
    readonly range?: Range,
  ) {}
}

export const CompletionItemKind = { Property: 9, Value: 11, Field: 4, Operator: 23, Keyword: 13, Function: 2, Method: 1, Variable: 5, Snippet: 14 };

/** A fresh fake per test: its registries and what it has shown. */
export function createFakeVscode() {
  const diagnostics = new Map<string, Diagnostic[]>();
  const completionProviders: Array<{
    provider: { provideCompletionItems(d: TextDocument, p: Position): Promise<CompletionList | undefined> };
    triggers: string[];
  }> = [];
  const hoverProviders: Array<{ provideHover(d: TextDocument, p: Position): Promise<Hover | undefined> }> = [];
  const codeActionProviders: Array<{
    provider: { provideCodeActions(d: TextDocument, r: Range, c: CodeActionContext): CodeAction[] | undefined };
    kinds: CodeActionKind[];
  }> = [];
  const commandHandlers = new Map<string, (...args: unknown[]) => unknown>();
  const opened = new EventEmitter<TextDocument>();
  const changed = new EventEmitter<{ document: TextDocument; contentChanges: unknown[] }>();
  const closed = new EventEmitter<TextDocument>();
  const shown: { info: string[]; errors: string[]; snippets: string[]; documents: TextDocument[] } = { info: [], errors: [], snippets: [], documents: [] };
  /** Answers for the next dialogs and quick picks, consumed in order. */
  const answers: { quickPicks: string[]; openDialog?: Uri[]; saveDialog?: Uri } = { quickPicks: [] };
  const textDocuments: TextDocument[] = [];

  const api = {
    EventEmitter,
    Position,
    Range,
    SnippetString,
    MarkdownString,
    CompletionItem,
    CompletionList,
    CompletionItemKind,
    Hover,
    Diagnostic,
    DiagnosticSeverity,
    Uri,
    CodeAction,
    CodeActionKind,
    WorkspaceEdit,
    languages: {
      createDiagnosticCollection: () => ({
        set: (uri: Uri, list: Diagnostic[]) => diagnostics.set(uri.toString(), list),
        delete: (uri: Uri) => diagnostics.delete(uri.toString()),
        dispose: () => diagnostics.clear(),
      }),
      registerCompletionItemProvider: (_selector: unknown, provider: (typeof completionProviders)[number]['provider'], ...triggers: string[]) => {
        completionProviders.push({ provider, triggers });
        return { dispose: () => undefined };
      },
      registerHoverProvider: (_selector: unknown, provider: (typeof hoverProviders)[number]) => {
        hoverProviders.push(provider);
        return { dispose: () => undefined };
      },
      registerCodeActionsProvider: (
        _selector: unknown,
        provider: (typeof codeActionProviders)[number]['provider'],
        metadata: { providedCodeActionKinds: CodeActionKind[] },
      ) => {
        codeActionProviders.push({ provider, kinds: metadata.providedCodeActionKinds });
        return { dispose: () => undefined };
      },
    },
    workspace: {
      textDocuments,
      workspaceFolders: undefined as undefined | Array<{ uri: Uri }>,
      onDidOpenTextDocument: opened.event,
      onDidChangeTextDocument: changed.event,
      onDidCloseTextDocument: closed.event,
      openTextDocument: async (arg: Uri | { language: string; content: string }) => {
        const doc =
          arg instanceof Uri
            ? new TextDocument(arg, await readFile(arg.fsPath, 'utf8'))
            : new TextDocument(Uri.file(`/untitled-${shown.documents.length + 1}`), arg.content, arg.language);
        return doc;
      },
      fs: {
        readFile: async (uri: Uri) => new Uint8Array(await readFile(uri.fsPath)),
        writeFile: async (uri: Uri, bytes: Uint8Array) => writeFile(uri.fsPath, bytes),
      },
    },
    window: {
      showQuickPick: async <T extends { label: string }>(items: T[]) => {
        const answer = answers.quickPicks.shift();
        return items.find((i) => i.label === answer);
      },
      showOpenDialog: async () => answers.openDialog,
      showSaveDialog: async () => answers.saveDialog,
      showTextDocument: async (doc: TextDocument) => {
        shown.documents.push(doc);
        return {
          insertSnippet: async (s: SnippetString) => {
            shown.snippets.push(s.value);
            return true;
          },
        };
      },
      showInformationMessage: async (m: string) => {
        shown.info.push(m);
        return undefined;
      },
      showErrorMessage: async (m: string) => {
        shown.errors.push(m);
        return undefined;
      },
    },
    commands: {
      registerCommand: (id: string, handler: (...args: unknown[]) => unknown) => {
        commandHandlers.set(id, handler);
        return { dispose: () => commandHandlers.delete(id) };
      },
    },
  };
  return {
    api,
    diagnostics,
    completionProviders,
    hoverProviders,
    codeActionProviders,
    commandHandlers,
    shown,
    answers,
    open(doc: TextDocument) {
      textDocuments.push(doc);
      opened.fire(doc);
    },
    edit(doc: TextDocument, text: string) {
      doc.setText(text);
      changed.fire({ document: doc, contentChanges: [{}] });
    },
  };
}

// Fixtures the language tests share: the recorded Pokéshop import trace and offsets by marker.

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export function readProjectFile(path: string): string {
  return readFileSync(ROOT + path, 'utf8');
}

export function pokeshopImportTrace(): Trace {
  const decoded = decodeTraceText(readProjectFile('test/fixtures/traces/pokeshop.otlp.json'));
  if (!decoded.ok) throw new Error(decoded.error.message);
  return buildTrace(decoded.value.spans);
}

/** The offset `delta` characters after the first occurrence of `marker` (which must occur). */
export function offsetOf(text: string, marker: string, delta = 0): number {
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`marker not found: ${marker}`);
  return at + delta;
}

/** The text with `marker` replaced by `replacement`, and the offset where `‸` (the cursor) stood in it. */
export function typing(text: string, marker: string, replacement: string): { text: string; offset: number } {
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`marker not found: ${marker}`);
  const cursor = replacement.indexOf('‸');
  if (cursor < 0) throw new Error(`no cursor ‸ in: ${replacement}`);
  return { text: text.slice(0, at) + replacement.replace('‸', '') + text.slice(at + marker.length), offset: at + cursor };
}
