// Lenses above tests and specs: `Run test`, and after a run `Show trace` (and `Playwright trace` when the run saved
// one) and the result summary; `Re-check` on each spec once there is a trace. provideCodeLenses only parses (cached
// by document version) and reads the store.
import type * as vscode from 'vscode';
import { isRunnableFile, loadFile } from '../core/testfile/index';
import { LineIndex } from './results/lines';
import { resultSummary } from './results/summary';
import { entriesOf, type FileEntry } from './results/file-entries';
import type { RunStore } from './run-store';
import { readSettings } from './settings';
import type { VscodeApi } from './editor/vscode-api';

interface Parsed {
  version: number;
  entries: FileEntry[];
  lines: LineIndex;
}

export class TracelensCodeLenses implements vscode.CodeLensProvider {
  private readonly changed: vscode.EventEmitter<void>;
  readonly onDidChangeCodeLenses: vscode.Event<void>;
  private readonly cache = new Map<string, Parsed>();

  constructor(
    private readonly api: VscodeApi,
    private readonly store: RunStore,
  ) {
    this.changed = new api.EventEmitter<void>();
    this.onDidChangeCodeLenses = this.changed.event;
  }

  refresh(): void {
    this.changed.fire();
  }

  forget(document: vscode.TextDocument): void {
    this.cache.delete(document.uri.toString());
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!readSettings(this.api.workspace).codeLens) return [];
    const parsed = this.parse(document);
    if (!parsed) return [];
    const uri = document.uri.toString();
    const path = document.uri.fsPath;
    const lenses: vscode.CodeLens[] = [];
    const at = (offset: number) => {
      const { line } = parsed.lines.at(offset);
      return new this.api.Range(line, 0, line, 0);
    };
    for (const entry of parsed.entries) {
      if (entry.kind === 'broken') continue;
      const head = at(entry.head.start);
      lenses.push(new this.api.CodeLens(head, { title: entry.kind === 'suite' ? '$(run-all) Run suite' : '$(play) Run test', command: 'tracelens.runTest', arguments: [uri, entry.key] }));
      if (entry.kind !== 'test') continue;
      const stored = this.store.get(path, entry.key)?.result;
      if (!stored) continue;
      if (stored.trace) lenses.push(new this.api.CodeLens(head, { title: '$(type-hierarchy) Show trace', command: 'tracelens.showTrace', arguments: [uri, entry.key] }));
      const playwrightTrace = stored.trigger.playwrightTrace;
      if (playwrightTrace) {
        lenses.push(new this.api.CodeLens(head, { title: '$(file-zip) Playwright trace', command: 'tracelens.openPlaywrightTrace', arguments: [uri, entry.key], tooltip: `Open ${playwrightTrace} in Playwright's trace viewer` }));
      }
      const icon = stored.status === 'passed' ? '$(pass)' : stored.status === 'failed' ? '$(error)' : '$(warning)';
      lenses.push(new this.api.CodeLens(head, { title: `${icon} ${resultSummary(stored)}`, command: '', tooltip: stored.error ?? `last run ${new Date(this.store.get(path, entry.key)!.at).toLocaleTimeString()}` }));
      if (!stored.trace) continue;
      entry.test.specs.forEach((spec, specIndex) => {
        lenses.push(new this.api.CodeLens(at(spec.range.start), { title: '$(refresh) Re-check', command: 'tracelens.recheckSpec', arguments: [uri, entry.key, specIndex], tooltip: 'Evaluate this spec against the last trace (no request is sent)' }));
      });
    }
    return lenses;
  }

  private parse(document: vscode.TextDocument): Parsed | undefined {
    const key = document.uri.toString();
    const cached = this.cache.get(key);
    if (cached && cached.version === document.version) return cached;
    const text = document.getText();
    if (!isRunnableFile(text)) {
      this.cache.delete(key);
      return undefined;
    }
    const parsed = { version: document.version, entries: entriesOf(loadFile(text, document.uri.fsPath)), lines: new LineIndex(text) };
    this.cache.set(key, parsed);
    return parsed;
  }

  dispose(): void {
    this.changed.dispose();
    this.cache.clear();
  }
}

/** Registers the lenses for YAML files; they refresh when a result arrives or the setting changes. */
export function registerCodeLens(api: VscodeApi, context: Pick<vscode.ExtensionContext, 'subscriptions'>, store: RunStore): TracelensCodeLenses {
  const provider = new TracelensCodeLenses(api, store);
  context.subscriptions.push(
    provider,
    api.languages.registerCodeLensProvider({ language: 'yaml' }, provider),
    store.onDidChange(() => provider.refresh()),
    api.workspace.onDidCloseTextDocument((d) => provider.forget(d)),
    api.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('tracelens.codeLens.enabled')) provider.refresh();
    }),
  );
  return provider;
}
