// Lenses above tests and specs: `Run test`, `Run under load…` (http and graphql triggers), and after a run `Show trace` (and `Playwright trace` when the run saved
// one) and the result summary; `Re-check` on each spec once there is a trace. provideCodeLenses reads the test
// documents (parsed once per version) and the store.
import type * as vscode from 'vscode';
import { COMMANDS } from './command-ids';
import { resultSummary } from './results/summary';
import type { RunStore } from './run-store';
import { readSettings } from './settings';
import type { TestDocuments } from './editor/test-documents';
import type { VscodeApi } from './editor/vscode-api';

export class TracelensCodeLenses implements vscode.CodeLensProvider {
  private readonly changed: vscode.EventEmitter<void>;
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(
    private readonly api: VscodeApi,
    private readonly store: RunStore,
    private readonly documents: TestDocuments,
  ) {
    this.changed = new api.EventEmitter<void>();
    this.onDidChangeCodeLenses = this.changed.event;
  }

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!readSettings(this.api.workspace).codeLens) return [];
    const parsed = this.documents.of(document);
    if (!parsed?.runnable) return [];
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
      lenses.push(
        new this.api.CodeLens(head, {
          title: entry.kind === 'suite' ? '$(run-all) Run suite' : '$(play) Run test',
          command: COMMANDS.runTest,
          arguments: [uri, entry.key],
        }),
      );
      if (entry.kind !== 'test') continue;
      const trigger = entry.test.trigger.type;
      if (trigger === 'http' || trigger === 'graphql')
        lenses.push(
          new this.api.CodeLens(head, {
            title: '$(pulse) Run under load…',
            command: COMMANDS.runUnderLoad,
            arguments: [uri, entry.key],
            tooltip: 'Send this request many times a second and check a sample of the traces, with live charts',
          }),
        );
      const stored = this.store.get(path, entry.key)?.result;
      if (!stored) continue;
      if (stored.trace)
        lenses.push(new this.api.CodeLens(head, { title: '$(type-hierarchy) Show trace', command: COMMANDS.showTrace, arguments: [uri, entry.key] }));
      const playwrightTrace = stored.trigger.playwrightTrace;
      if (playwrightTrace) {
        lenses.push(
          new this.api.CodeLens(head, {
            title: '$(file-zip) Playwright trace',
            command: COMMANDS.openPlaywrightTrace,
            arguments: [uri, entry.key],
            tooltip: `Open ${playwrightTrace} in Playwright's trace viewer`,
          }),
        );
      }
      const icon = stored.status === 'passed' ? '$(pass)' : stored.status === 'failed' ? '$(error)' : '$(warning)';
      lenses.push(
        new this.api.CodeLens(head, {
          title: `${icon} ${resultSummary(stored)}`,
          command: '',
          tooltip: stored.error ?? `last run ${new Date(this.store.get(path, entry.key)!.at).toLocaleTimeString()}`,
        }),
      );
      if (!stored.trace) continue;
      entry.test.specs.forEach((spec, specIndex) => {
        lenses.push(
          new this.api.CodeLens(at(spec.range.start), {
            title: '$(refresh) Re-check',
            command: COMMANDS.recheckSpec,
            arguments: [uri, entry.key, specIndex],
            tooltip: 'Evaluate this spec against the last trace (no request is sent)',
          }),
        );
      });
    }
    return lenses;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Registers the lenses for YAML files; they refresh when a result arrives or the setting changes. */
export function registerCodeLens(
  api: VscodeApi,
  context: Pick<vscode.ExtensionContext, 'subscriptions'>,
  store: RunStore,
  documents: TestDocuments,
): TracelensCodeLenses {
  const provider = new TracelensCodeLenses(api, store, documents);
  context.subscriptions.push(
    provider,
    api.languages.registerCodeLensProvider({ language: 'yaml' }, provider),
    documents.onDidChange((change) => {
      if (change.why === 'runs') provider.refresh();
    }),
    api.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('tracelens.codeLens.enabled')) provider.refresh();
    }),
  );
  return provider;
}
