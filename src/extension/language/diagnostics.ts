// Problems of Tracelens files (YAML, schema, selector and expression errors) in the Problems view, at their exact
// ranges: set when a file opens and once typing settles (both told by the test documents), dropped when it closes.
import type * as vscode from 'vscode';
import type { VscodeApi } from '../editor/vscode-api';
import type { TestDocuments } from '../editor/test-documents';
import { validateFile } from '../../core/testfile/validate';
import type { Problem } from '../../core/testfile/model';

type Api = Pick<VscodeApi, 'languages' | 'workspace' | 'Range' | 'Diagnostic' | 'DiagnosticSeverity'>;

export function registerDiagnostics(api: Api, context: Pick<vscode.ExtensionContext, 'subscriptions'>, documents: TestDocuments): vscode.DiagnosticCollection {
  const diagnostics = api.languages.createDiagnosticCollection('tracelens');
  const refresh = (doc: vscode.TextDocument): void => {
    const document = doc.languageId === 'yaml' ? documents.of(doc) : undefined;
    if (document)
      diagnostics.set(
        doc.uri,
        validateFile(document.file).map((p) => toDiagnostic(api, doc, p)),
      );
    else diagnostics.delete(doc.uri);
  };
  context.subscriptions.push(
    diagnostics,
    documents.onDidChange(({ uri, why }) => {
      if (why === 'closed') diagnostics.delete(uri);
      if (why !== 'opened' && why !== 'edited') return;
      const doc = api.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (doc) refresh(doc);
    }),
  );
  return diagnostics;
}

export function toDiagnostic(
  api: Pick<VscodeApi, 'Range' | 'Diagnostic' | 'DiagnosticSeverity'>,
  doc: Pick<vscode.TextDocument, 'positionAt'>,
  p: Problem,
): vscode.Diagnostic {
  const range = new api.Range(doc.positionAt(p.range.start), doc.positionAt(Math.max(p.range.end, p.range.start + 1)));
  const d = new api.Diagnostic(range, p.message, p.severity === 'warning' ? api.DiagnosticSeverity.Warning : api.DiagnosticSeverity.Error);
  d.source = 'tracelens';
  return d;
}
