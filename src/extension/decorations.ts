// After-text on assertion lines of tests that have a stored result (`✓ 201`, `✗ 500 (expected 201)`): painted on
// visible editors when a result arrives, an editor shows, or the text changes (results whose assertion text
// changed are dropped by the alignment in results/annotate.ts).
import type * as vscode from 'vscode';
import type { Status } from '../core/engine/result';
import { isRunnableFile, loadFile } from '../core/testfile/index';
import { computeDecorations } from './results/decorations';
import type { RunStore } from './run-store';
import { readSettings } from './settings';
import { Debouncer } from './editor/debouncer';
import type { VscodeApi } from './editor/vscode-api';

const COLORS: Record<Status, string> = { passed: 'testing.iconPassed', failed: 'testing.iconFailed', errored: 'errorForeground' };

export class AssertionDecorations {
  private readonly types: Record<Status, vscode.TextEditorDecorationType>;
  private readonly edits = new Debouncer<string>(150);

  constructor(
    private readonly api: VscodeApi,
    private readonly store: RunStore,
  ) {
    const type = (status: Status) =>
      api.window.createTextEditorDecorationType({
        after: { color: new api.ThemeColor(COLORS[status]), margin: '0 0 0 2em', fontStyle: 'italic' },
        rangeBehavior: api.DecorationRangeBehavior.ClosedClosed,
      });
    this.types = { passed: type('passed'), failed: type('failed'), errored: type('errored') };
  }

  updateAll(): void {
    for (const editor of this.api.window.visibleTextEditors) this.update(editor);
  }

  updatePath(path: string): void {
    for (const editor of this.api.window.visibleTextEditors) if (editor.document.uri.fsPath === path) this.update(editor);
  }

  documentChanged(document: vscode.TextDocument): void {
    this.edits.schedule(document.uri.toString(), () => {
      for (const editor of this.api.window.visibleTextEditors) if (editor.document === document) this.update(editor);
    });
  }

  update(editor: vscode.TextEditor): void {
    const document = editor.document;
    const runs = document.uri.scheme === 'file' ? this.store.forFile(document.uri.fsPath) : [];
    const text = runs.length > 0 && readSettings(this.api.workspace).decorations ? document.getText() : '';
    const list = text && isRunnableFile(text) ? computeDecorations(loadFile(text, document.uri.fsPath), runs) : [];
    const byStatus: Record<Status, vscode.DecorationOptions[]> = { passed: [], failed: [], errored: [] };
    for (const d of list) {
      const at = new this.api.Position(d.line, d.character);
      byStatus[d.status].push({ range: new this.api.Range(at, at), hoverMessage: d.hover, renderOptions: { after: { contentText: d.text } } });
    }
    for (const status of Object.keys(byStatus) as Status[]) editor.setDecorations(this.types[status], byStatus[status]);
  }

  /** Pending edits applied now (tests; disposal). */
  flush(): void {
    this.edits.flush();
  }

  dispose(): void {
    this.edits.dispose();
    for (const t of Object.values(this.types)) t.dispose();
  }
}

export function registerDecorations(api: VscodeApi, context: Pick<vscode.ExtensionContext, 'subscriptions'>, store: RunStore): AssertionDecorations {
  const decorations = new AssertionDecorations(api, store);
  context.subscriptions.push(
    decorations,
    store.onDidChange((path) => decorations.updatePath(path)),
    api.window.onDidChangeVisibleTextEditors(() => decorations.updateAll()),
    api.workspace.onDidChangeTextDocument((e) => decorations.documentChanged(e.document)),
    api.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('tracelens.decorations.enabled')) decorations.updateAll();
    }),
  );
  decorations.updateAll();
  return decorations;
}
