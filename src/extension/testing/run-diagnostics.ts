// Failures of the last run in the Problems view: one entry per failing assertion line, in a collection of its own
// (the validation diagnostics are another), recomputed when a result arrives and as the file is edited (both told by
// the test documents).
import type * as vscode from 'vscode';
import { computeRunDiagnostics } from '../results/diagnostics';
import type { TestDocument, TestDocumentChange } from '../editor/test-documents';
import type { VscodeApi } from '../editor/vscode-api';

export const RUN_DIAGNOSTIC_SOURCE = 'tracelens run';

export class RunDiagnostics {
  readonly collection: vscode.DiagnosticCollection;

  constructor(private readonly api: VscodeApi) {
    this.collection = api.languages.createDiagnosticCollection('tracelens-run');
  }

  /** A closed editor keeps its entries until the text on disk is read (the `disk` change that follows). */
  documentChanged(change: TestDocumentChange): void {
    if (change.why !== 'closed' && change.uri.scheme === 'file') this.set(change.uri, change.document);
  }

  private set(uri: vscode.Uri, document: TestDocument | undefined): void {
    if (!document?.runnable || document.runs.length === 0) {
      this.collection.delete(uri);
      return;
    }
    const { lines } = document;
    const diagnostics = computeRunDiagnostics(document.annotations).map((d) => {
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
    this.collection.dispose();
  }
}
