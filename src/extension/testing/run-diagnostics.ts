// Failures of the last run in the Problems view: one entry per failing assertion line, in a collection of its own
// (the validation diagnostics are another), recomputed when a result arrives and as the file is edited.
import type * as vscode from 'vscode';
import { isRunnableFile, loadFile } from '../../core/testfile/index';
import { computeRunDiagnostics } from '../results/diagnostics';
import { LineIndex } from '../results/lines';
import type { RunStore } from '../run-store';
import { Debouncer } from '../editor/debouncer';
import { currentText, type VscodeApi } from '../editor/vscode-api';

export const RUN_DIAGNOSTIC_SOURCE = 'tracelens run';

export class RunDiagnostics {
  readonly collection: vscode.DiagnosticCollection;
  private readonly edits = new Debouncer<string>(300);

  constructor(
    private readonly api: VscodeApi,
    private readonly store: RunStore,
  ) {
    this.collection = api.languages.createDiagnosticCollection('tracelens-run');
  }

  async updatePath(path: string): Promise<void> {
    const uri = this.api.Uri.file(path);
    const runs = this.store.forFile(path);
    const text = runs.length > 0 ? await currentText(this.api, uri) : undefined;
    this.set(uri, text, runs);
  }

  documentChanged(document: vscode.TextDocument): void {
    if (document.uri.scheme !== 'file' || this.store.forFile(document.uri.fsPath).length === 0) return;
    this.edits.schedule(document.uri.toString(), () => this.set(document.uri, document.getText(), this.store.forFile(document.uri.fsPath)));
  }

  flush(): void {
    this.edits.flush();
  }

  private set(uri: vscode.Uri, text: string | undefined, runs: ReturnType<RunStore['forFile']>): void {
    if (text === undefined || runs.length === 0 || !isRunnableFile(text)) {
      this.collection.delete(uri);
      return;
    }
    const lines = new LineIndex(text);
    const diagnostics = computeRunDiagnostics(loadFile(text, uri.fsPath), runs).map((d) => {
      const s = lines.at(d.range.start);
      const e = lines.at(Math.max(d.range.end, d.range.start + 1));
      const severity = d.severity === 'error' ? this.api.DiagnosticSeverity.Error : this.api.DiagnosticSeverity.Warning;
      const diagnostic = new this.api.Diagnostic(new this.api.Range(s.line, s.character, e.line, e.character), d.message, severity);
      diagnostic.source = RUN_DIAGNOSTIC_SOURCE;
      return diagnostic;
    });
    this.collection.set(uri, diagnostics);
  }

  dispose(): void {
    this.edits.dispose();
    this.collection.dispose();
  }
}
