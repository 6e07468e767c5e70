// Problems of Tracelens files (YAML, schema, selector and expression errors) in the Problems view, at their exact
// ranges, refreshed as the author types (debounced) and when a file opens.
import type * as vscode from 'vscode';
import type { VscodeApi } from '../editor/vscode-api';
import { isResourceFile, loadFile } from '../../core/testfile/index';
import { validateFile } from '../../core/testfile/validate';
import type { Problem } from '../../core/testfile/model';

type Api = Pick<VscodeApi, 'languages' | 'workspace' | 'Range' | 'Diagnostic' | 'DiagnosticSeverity'>;

/** Quiet time after the last keystroke before a file is re-validated. */
export const DIAGNOSTICS_DELAY_MS = 250;

export function registerDiagnostics(api: Api, context: Pick<vscode.ExtensionContext, 'subscriptions'>, delayMs = DIAGNOSTICS_DELAY_MS): vscode.DiagnosticCollection {
  const diagnostics = api.languages.createDiagnosticCollection('tracelens');
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  const refresh = (doc: vscode.TextDocument): void => {
    if (doc.languageId !== 'yaml') return;
    const text = doc.getText();
    if (!isResourceFile(text)) {
      diagnostics.delete(doc.uri);
      return;
    }
    diagnostics.set(doc.uri, validateFile(loadFile(text, doc.uri.fsPath)).map((p) => toDiagnostic(api, doc, p)));
  };
  const later = (doc: vscode.TextDocument): void => {
    const key = doc.uri.toString();
    clearTimeout(pending.get(key));
    pending.set(
      key,
      setTimeout(() => {
        pending.delete(key);
        refresh(doc);
      }, delayMs),
    );
  };
  context.subscriptions.push(
    diagnostics,
    api.workspace.onDidOpenTextDocument(refresh),
    api.workspace.onDidChangeTextDocument((e) => later(e.document)),
    api.workspace.onDidCloseTextDocument((doc) => {
      clearTimeout(pending.get(doc.uri.toString()));
      pending.delete(doc.uri.toString());
      diagnostics.delete(doc.uri);
    }),
    { dispose: () => pending.forEach((t) => clearTimeout(t)) },
  );
  api.workspace.textDocuments.forEach(refresh);
  return diagnostics;
}

export function toDiagnostic(api: Pick<VscodeApi, 'Range' | 'Diagnostic' | 'DiagnosticSeverity'>, doc: Pick<vscode.TextDocument, 'positionAt'>, p: Problem): vscode.Diagnostic {
  const range = new api.Range(doc.positionAt(p.range.start), doc.positionAt(Math.max(p.range.end, p.range.start + 1)));
  const d = new api.Diagnostic(range, p.message, p.severity === 'warning' ? api.DiagnosticSeverity.Warning : api.DiagnosticSeverity.Error);
  d.source = 'tracelens';
  return d;
}
