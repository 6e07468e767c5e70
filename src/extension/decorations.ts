// After-text on assertion lines of tests that have a stored result (`✓ 201`, `✗ 500 (expected 201)`): painted on
// visible editors when a result arrives, an editor shows, or the text changes (results whose assertion text
// changed are dropped by the alignment in results/annotate.ts). The parse and alignment come from the test documents.
import type * as vscode from 'vscode';
import type { Status } from '../core/engine/result';
import { computeDecorations } from './results/decorations';
import { readSettings } from './settings';
import type { TestDocumentChange, TestDocuments } from './editor/test-documents';
import type { VscodeApi } from './editor/vscode-api';

const COLORS: Record<Status, string> = { passed: 'testing.iconPassed', failed: 'testing.iconFailed', errored: 'errorForeground' };

export class AssertionDecorations {
  private readonly types: Record<Status, vscode.TextEditorDecorationType>;

  constructor(
    private readonly api: VscodeApi,
    private readonly documents: TestDocuments,
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

  /** Results arrived or the text settled: the editors showing that file are painted again. */
  documentChanged(change: TestDocumentChange): void {
    if (change.why !== 'opened' && change.why !== 'edited' && change.why !== 'runs') return;
    const uri = change.uri.toString();
    for (const editor of this.api.window.visibleTextEditors) if (editor.document.uri.toString() === uri) this.update(editor);
  }

  update(editor: vscode.TextEditor): void {
    const document = readSettings(this.api.workspace).decorations ? this.documents.of(editor.document) : undefined;
    const list = document?.runnable && document.runs.length > 0 ? computeDecorations(document.annotations, document.lines) : [];
    const byStatus: Record<Status, vscode.DecorationOptions[]> = { passed: [], failed: [], errored: [] };
    for (const d of list) {
      const at = new this.api.Position(d.line, d.character);
      byStatus[d.status].push({ range: new this.api.Range(at, at), hoverMessage: d.hover, renderOptions: { after: { contentText: d.text } } });
    }
    for (const status of Object.keys(byStatus) as Status[]) editor.setDecorations(this.types[status], byStatus[status]);
  }

  dispose(): void {
    for (const t of Object.values(this.types)) t.dispose();
  }
}

export function registerDecorations(api: VscodeApi, context: Pick<vscode.ExtensionContext, 'subscriptions'>, documents: TestDocuments): AssertionDecorations {
  const decorations = new AssertionDecorations(api, documents);
  context.subscriptions.push(
    decorations,
    documents.onDidChange((change) => decorations.documentChanged(change)),
    api.window.onDidChangeVisibleTextEditors(() => decorations.updateAll()),
    api.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('tracelens.decorations.enabled')) decorations.updateAll();
    }),
  );
  return decorations;
}
