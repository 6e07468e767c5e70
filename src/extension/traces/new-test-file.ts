// Where a test made from a trace or a curl command is written: the folder the setting names, else the folder most of
// the workspace's tests are in, else `tests/`. The file is never one that exists already.
import { dirname, join, relative } from 'node:path';
import type * as vscode from 'vscode';
import type { VscodeApi } from '../editor/vscode-api';
import { findWorkspaceResources } from '../runtime/workspace-resources';
import { SETTINGS_SECTION } from '../settings';

const DEFAULT_FOLDER = 'tests';

/** The folder for new tests, or undefined (said to the user) when no folder is open. */
export async function testsFolder(api: VscodeApi): Promise<vscode.Uri | undefined> {
  const root = api.workspace.workspaceFolders?.[0]?.uri;
  if (!root) {
    await api.window.showErrorMessage('Tracelens: open a folder first; the new test is written into it.');
    return undefined;
  }
  const configured = (api.workspace.getConfiguration(SETTINGS_SECTION).get<string>('testsFolder', '') ?? '').trim();
  if (configured) return api.Uri.joinPath(root, configured);
  const tests = await findWorkspaceResources(api, 'Test');
  const counts = new Map<string, number>();
  for (const { path } of tests) counts.set(dirname(path), (counts.get(dirname(path)) ?? 0) + 1);
  const [most] = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return most ? api.Uri.file(most[0]) : api.Uri.joinPath(root, DEFAULT_FOLDER);
}

/**
 * Asks for the file name (in the tests folder), writes the test and opens it. Returns its Uri, or undefined when the
 * user cancelled. `text` may depend on where the file goes (paths in it are relative to the test file).
 */
export async function writeNewTest(
  api: VscodeApi,
  text: string | ((file: vscode.Uri) => string),
  suggested: string,
  title: string,
): Promise<vscode.Uri | undefined> {
  const folder = await testsFolder(api);
  if (!folder) return undefined;
  const exists = async (name: string) => {
    try {
      await api.workspace.fs.stat(api.Uri.joinPath(folder, name));
      return true;
    } catch {
      return false;
    }
  };
  let name = `${suggested}.yaml`;
  for (let n = 2; await exists(name); n++) name = `${suggested}-${n}.yaml`;
  const where = api.workspace.asRelativePath(folder, false);
  const chosen = await api.window.showInputBox({
    title,
    prompt: `File name of the new test, in ${where === folder.fsPath ? folder.fsPath : `${where}/`} (setting tracelens.testsFolder)`,
    value: name,
    valueSelection: [0, name.length - '.yaml'.length],
    validateInput: async (value) => {
      const trimmed = value.trim();
      if (!trimmed) return 'Give the file a name.';
      if (!/\.ya?ml$/i.test(trimmed)) return 'A test file ends in .yaml or .yml.';
      if (relative(folder.fsPath, join(folder.fsPath, trimmed)).startsWith('..')) return `Keep the file inside ${where}.`;
      return (await exists(trimmed)) ? `${trimmed} exists already: choose another name.` : undefined;
    },
  });
  if (!chosen) return undefined;
  const uri = api.Uri.joinPath(folder, chosen.trim());
  // Checked again: the file may have appeared while the box was open, and a user's file is never replaced.
  if (await exists(chosen.trim())) {
    await api.window.showErrorMessage(`Tracelens: ${api.workspace.asRelativePath(uri, false)} exists already; nothing was written.`);
    return undefined;
  }
  await api.workspace.fs.writeFile(uri, new TextEncoder().encode(typeof text === 'string' ? text : text(uri)));
  await api.window.showTextDocument(await api.workspace.openTextDocument(uri), { preview: false });
  return uri;
}
