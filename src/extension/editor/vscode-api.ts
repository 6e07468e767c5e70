// The vscode module is passed in (never imported as a value) so this code runs under a small fake in Node tests:
// `VscodeApi` is its one name.
import type * as vscode from 'vscode';

export type VscodeApi = typeof vscode;

/** The text a run and the views should use: the open editor's (unsaved edits included), else the file on disk. */
export async function currentText(api: VscodeApi, uri: vscode.Uri): Promise<string | undefined> {
  const open = api.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  try {
    return new TextDecoder().decode(await api.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}
