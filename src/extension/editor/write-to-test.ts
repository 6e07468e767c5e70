// Writes a click-to-assert edit (an assertion or an output) into a test file: computed from the document's current
// text (unsaved edits included), applied as one undoable WorkspaceEdit, then the file shown at the changed line.
import type * as vscode from 'vscode';
import { loadFile, type EditResult, type TestDef } from '../../core/testfile/index';
import { LineIndex } from '../results/lines';
import { findTest } from '../results/file-entries';
import type { LoadedFile } from '../../core/testfile/model';
import type { TestKey } from '../run-store';
import type { VscodeApi } from './vscode-api';

export type WriteOutcome =
  /** `line` is 0-based, in the edited text; `note` says why nothing had to change (already there). */
  { ok: true; line?: number; note?: string } | { ok: false; error: string };

export interface WriteOptions {
  /** Save the file after the edit when it had no unsaved changes before (the panel's writes land on disk). */
  saveIfClean?: boolean;
  /** Where to show the test file; default: the active column, focused. */
  viewColumn?: vscode.ViewColumn;
  preserveFocus?: boolean;
}

export async function writeToTest(
  api: VscodeApi,
  target: { path: string; key: TestKey },
  edit: (text: string, documentIndex: number) => EditResult,
  where: (test: TestDef, result: Extract<EditResult, { ok: true }>) => number | undefined,
  options: WriteOptions = {},
): Promise<WriteOutcome> {
  const document = await api.workspace.openTextDocument(api.Uri.file(target.path));
  const text = document.getText();
  const file = loadFile(text, target.path);
  const entry = findTest(file, target.key);
  if (!entry) return { ok: false, error: missingTest(file, target.key, api.workspace.asRelativePath(document.uri, false)) };
  const result = edit(text, entry.document);
  if (!result.ok) return { ok: false, error: result.error };
  const lineOf = (editedText: string): number | undefined => {
    const edited = findTest(loadFile(editedText, target.path), target.key);
    const offset = edited && where(edited.test, result);
    return offset === undefined ? undefined : new LineIndex(editedText).at(offset).line;
  };
  if (result.note) return { ok: true, note: result.note, ...optionalLine(lineOf(result.text)) };
  const wasClean = !document.isDirty;
  const workspaceEdit = new api.WorkspaceEdit();
  for (const e of result.edits) {
    const start = document.positionAt(e.start);
    if (e.start === e.end) workspaceEdit.insert(document.uri, start, e.newText);
    else workspaceEdit.replace(document.uri, new api.Range(start, document.positionAt(e.end)), e.newText);
  }
  if (!(await api.workspace.applyEdit(workspaceEdit))) return { ok: false, error: 'the test file could not be edited' };
  if (options.saveIfClean && wasClean) await document.save();
  const line = lineOf(result.text);
  const editor = await api.window.showTextDocument(document, {
    preview: false,
    ...(options.viewColumn !== undefined ? { viewColumn: options.viewColumn } : {}),
    ...(options.preserveFocus ? { preserveFocus: true } : {}),
  });
  if (line !== undefined) {
    const lines = new LineIndex(result.text);
    const range = new api.Range(line, 0, line, lines.lineLength(line));
    editor.selection = new api.Selection(range.start, range.end);
    editor.revealRange(range, api.TextEditorRevealType.InCenterIfOutsideViewport);
  }
  return { ok: true, ...optionalLine(line) };
}

/** Why the test cannot be found: a file that no longer loads says where it breaks, rather than that the test is gone. */
export function missingTest(file: LoadedFile, key: TestKey, path: string): string {
  const broken = file.problems.find((p) => p.severity === 'error');
  if (broken) return `${path} does not load (${path}:${broken.line}:${broken.column}: ${broken.message}); fix it, then add again`;
  return `there is no test ${key} in ${path} any more`;
}

function optionalLine(line: number | undefined): { line?: number } {
  return line === undefined ? {} : { line };
}
