// Extension entry. For now: problems of Tracelens test files (YAML, schema, selector and expression errors)
// in the Problems view as the author types.
import * as vscode from 'vscode';
import { isResourceFile, loadFile } from '../core/testfile/index';
import { validateFile } from '../core/testfile/validate';
import type { Problem } from '../core/testfile/model';

export function activate(context: vscode.ExtensionContext): void {
  const diagnostics = vscode.languages.createDiagnosticCollection('tracelens');
  const refresh = (doc: vscode.TextDocument): void => {
    if (doc.languageId !== 'yaml') return;
    const text = doc.getText();
    if (!isResourceFile(text)) {
      diagnostics.delete(doc.uri);
      return;
    }
    diagnostics.set(doc.uri, validateFile(loadFile(text, doc.uri.fsPath)).map((p) => toDiagnostic(doc, p)));
  };
  context.subscriptions.push(
    diagnostics,
    vscode.workspace.onDidOpenTextDocument(refresh),
    vscode.workspace.onDidChangeTextDocument((e) => refresh(e.document)),
    vscode.workspace.onDidCloseTextDocument((doc) => diagnostics.delete(doc.uri)),
  );
  vscode.workspace.textDocuments.forEach(refresh);
}

function toDiagnostic(doc: vscode.TextDocument, p: Problem): vscode.Diagnostic {
  const range = new vscode.Range(doc.positionAt(p.range.start), doc.positionAt(Math.max(p.range.end, p.range.start + 1)));
  const d = new vscode.Diagnostic(range, p.message, p.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Error);
  d.source = 'tracelens';
  return d;
}

export function deactivate(): void {}
