// `Tracelens: Import Postman Collection…`: a collection file (v2.0 or v2.1) becomes a folder of tests in the tests
// folder, a test per request, with a TestSuite in the collection's order and a VariableSet of its variables. Nothing
// is replaced: the folder is a new one. Credentials stay out of the files; the user is told which secrets to set.
import type * as vscode from 'vscode';
import { slug } from '../../core/generate/slug';
import { COMMANDS } from '../command-ids';
import type { VscodeApi } from '../editor/vscode-api';
import { loadRunBundle } from '../runtime/load-run';
import { testsFolder } from './new-test-file';

const TITLE = 'Import Postman Collection';

export async function importPostmanCollection(api: VscodeApi, log: (line: string) => void): Promise<void> {
  const [file] =
    (await api.window.showOpenDialog({
      title: TITLE,
      canSelectMany: false,
      openLabel: 'Import',
      filters: { 'Postman collection': ['json'] },
    })) ?? [];
  if (!file) return;
  const name = api.workspace.asRelativePath(file, false);
  const text = new TextDecoder().decode(await api.workspace.fs.readFile(file));
  const made = (await loadRunBundle()).filesFromPostman(text);
  if (!made.ok) {
    await api.window.showErrorMessage(`Tracelens: ${name}:${made.error.line}:${made.error.column}: ${made.error.message}`);
    return;
  }
  const imported = made.value;
  if (imported.tests === 0) {
    const why = imported.skipped.length > 0 ? `: ${imported.skipped.join('; ')}` : '.';
    await api.window.showWarningMessage(`Tracelens: "${imported.collection}" has no request a test can send${why}`);
    return;
  }
  const parent = await testsFolder(api);
  if (!parent) return;
  const folder = await newFolder(api, parent, slug(imported.collection, 'postman'));
  for (const f of imported.files) await api.workspace.fs.writeFile(api.Uri.joinPath(folder, f.path), new TextEncoder().encode(f.text));
  const where = `${api.workspace.asRelativePath(folder, false)}/`;
  log(`imported ${imported.tests} test${imported.tests === 1 ? '' : 's'} from the Postman collection "${imported.collection}" (${name}) into ${where}`);
  for (const line of imported.skipped) log(`  not imported: ${line}`);
  for (const line of imported.notes) log(`  note: ${line}`);
  const suite = imported.files.find((f) => f.path === 'suite.yaml');
  if (suite) await api.window.showTextDocument(await api.workspace.openTextDocument(api.Uri.joinPath(folder, suite.path)), { preview: false });
  const parts = [`Imported ${imported.tests} test${imported.tests === 1 ? '' : 's'} from "${imported.collection}" into ${where}`];
  if (imported.skipped.length > 0) parts.push(`${imported.skipped.length} request${imported.skipped.length === 1 ? '' : 's'} not imported`);
  if (imported.secrets.length > 0) parts.push(`set ${imported.secrets.join(', ')} as secrets (Choose Variable Set…) before running`);
  const details = imported.skipped.length + imported.notes.length > 0 ? ['Show Details'] : [];
  const chosen = await api.window.showInformationMessage(`Tracelens: ${parts.join('; ')}.`, ...details);
  if (chosen === 'Show Details') await api.commands.executeCommand(COMMANDS.showOutput);
}

/** `<parent>/<name>`, or `<name>-2`, `-3`… when that exists: an import never writes into a folder that is there. */
async function newFolder(api: VscodeApi, parent: vscode.Uri, name: string): Promise<vscode.Uri> {
  for (let n = 1; ; n++) {
    const folder = api.Uri.joinPath(parent, n === 1 ? name : `${name}-${n}`);
    try {
      await api.workspace.fs.stat(folder);
    } catch {
      await api.workspace.fs.createDirectory(folder);
      return folder;
    }
  }
}
