// The "Run under load…" command, in what activation loads: it only loads the load side (dist/load-editor.js, and
// through it the run bundle) when first invoked.
import type * as vscode from 'vscode';
import { COMMANDS } from '../command-ids';
import type { VscodeApi } from '../editor/vscode-api';
import { findTest } from '../results/file-entries';
import type { TestKey } from '../run-store';
import { loadLoadEditor } from '../runtime/load-run';
import type { LoadDeps } from './load-editor';

/** Arguments as the CodeLens passes them: the file (a string: command arguments are serialised), the test, and
 * optionally the load's values (`{ rate, duration, sample }`), which skip the questions. */
export function registerRunUnderLoad(api: VscodeApi, deps: LoadDeps): vscode.Disposable {
  return api.commands.registerCommand(COMMANDS.runUnderLoad, async (u: vscode.Uri | string, key: TestKey, given?: unknown) => {
    const uri = typeof u === 'string' ? api.Uri.parse(u) : u;
    const document = await deps.documents.read(uri);
    const entry = document && findTest(document.file, key);
    if (!entry) {
      await api.window.showErrorMessage(`Run under load: test ${key} is not in ${api.workspace.asRelativePath(uri, false)}`);
      return;
    }
    const type = entry.test.trigger.type;
    if (type !== 'http' && type !== 'graphql') {
      await api.window.showErrorMessage(`Run under load sends http and graphql triggers; ${entry.label} has a ${type} trigger.`);
      return;
    }
    const { runUnderLoad } = await loadLoadEditor();
    await runUnderLoad(api, deps, { path: uri.fsPath, key, test: entry.test, label: entry.label, text: document.file.text }, given);
  });
}
