// Quick fixes for the older Tracetest forms a file is read with warnings about (typographic quotes, attributes
// without `attr:`, empty auth blocks, older field names, fields added on export): each warning's rewrite as a code
// action on its diagnostic, one action that applies them all, and the same as `source.fixAll.tracelens` for
// fix-on-save. The edits are core's minimal text edits, so the rest of the file stays as the author wrote it.
import type * as vscode from 'vscode';
import type { VscodeApi } from '../editor/vscode-api';
import type { Problem, TextEdit } from '../../core/testfile/index';
import type { TestDocuments } from '../editor/test-documents';
import { compatibleEdits } from '../../core/testfile/text-edits';

export type QuickFixApi = Pick<VscodeApi, 'CodeAction' | 'CodeActionKind' | 'WorkspaceEdit' | 'Range'>;

type Doc = Pick<vscode.TextDocument, 'getText' | 'offsetAt' | 'positionAt' | 'uri' | 'version'>;

export const FIX_ALL_TITLE = 'Fix all older Tracetest forms in this file';

export function quickFixKinds(api: QuickFixApi): vscode.CodeActionKind[] {
  return [api.CodeActionKind.QuickFix, fixAllKind(api)];
}

export function createQuickFixProvider(api: QuickFixApi, documents: TestDocuments): vscode.CodeActionProvider {
  return {
    provideCodeActions(doc: Doc, range: vscode.Range, context: vscode.CodeActionContext) {
      const document = documents.of(doc);
      if (!document) return undefined;
      const fixable = document.file.problems.filter((p): p is Problem & { fix: NonNullable<Problem['fix']> } => p.fix !== undefined);
      if (fixable.length === 0) return undefined;
      const fixAll = fixAllKind(api);
      if (context.only && fixAll.intersects(context.only) && !api.CodeActionKind.QuickFix.intersects(context.only)) {
        return [action(api, doc, FIX_ALL_TITLE, fixAll, compatibleEdits(fixable.map((p) => p.fix.edits)))];
      }
      const from = doc.offsetAt(range.start);
      const to = doc.offsetAt(range.end);
      const here = fixable.filter((p) => p.range.start <= to && p.range.end >= from);
      const actions = here.map((p) => {
        const a = action(api, doc, p.fix.title, api.CodeActionKind.QuickFix, p.fix.edits);
        a.diagnostics = context.diagnostics.filter((d) => d.message === p.message && doc.offsetAt(d.range.start) === p.range.start);
        a.isPreferred = true;
        return a;
      });
      if (here.length > 0 && fixable.length > 1)
        actions.push(action(api, doc, FIX_ALL_TITLE, api.CodeActionKind.QuickFix, compatibleEdits(fixable.map((p) => p.fix.edits))));
      return actions;
    },
  };
}

function fixAllKind(api: QuickFixApi): vscode.CodeActionKind {
  return api.CodeActionKind.SourceFixAll.append('tracelens');
}

function action(api: QuickFixApi, doc: Doc, title: string, kind: vscode.CodeActionKind, edits: readonly TextEdit[]): vscode.CodeAction {
  const a = new api.CodeAction(title, kind);
  a.edit = new api.WorkspaceEdit();
  for (const e of edits) a.edit.replace(doc.uri, new api.Range(doc.positionAt(e.start), doc.positionAt(e.end)), e.newText);
  return a;
}
