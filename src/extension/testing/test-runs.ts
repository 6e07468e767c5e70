// Starting runs from outside the Testing view (palette, CodeLens, the trace panel, click-to-assert): each goes
// through the same executor and run profile as a click in the Testing view, so it shows there.
import type * as vscode from 'vscode';
import type { TestRuns } from '../editor/test-runs';
import type { TestKey } from '../run-store';
import type { RunMode, TestExecutor } from './execute';
import type { TestTree } from './tree';
import type { VscodeApi } from '../editor/vscode-api';

export class EditorTestRuns implements TestRuns {
  constructor(
    private readonly api: VscodeApi,
    private readonly tree: TestTree,
    private readonly executor: TestExecutor,
    private readonly profiles: Record<RunMode, vscode.TestRunProfile>,
  ) {}

  async run(mode: RunMode, include: vscode.TestItem[] | undefined): Promise<void> {
    const request = new this.api.TestRunRequest(include, undefined, this.profiles[mode]);
    const tokens = new this.api.CancellationTokenSource();
    try {
      await this.executor.execute(request, tokens.token, mode);
    } finally {
      tokens.dispose();
    }
  }

  async runTest(uri: vscode.Uri, key: TestKey): Promise<void> {
    const item = await this.entryItem(uri, key);
    if (item) await this.run('run', [item]);
  }

  async recheckFile(uri: vscode.Uri): Promise<void> {
    const item = await this.fileItem(uri);
    if (item) await this.run('recheck', [item]);
  }

  /** The file's item, discovered afresh; says so when the file has no test. */
  async fileItem(uri: vscode.Uri): Promise<vscode.TestItem | undefined> {
    await this.tree.refresh(uri);
    const item = this.tree.fileItem(uri.fsPath);
    if (!item) await this.api.window.showInformationMessage(`${this.api.workspace.asRelativePath(uri, false)} has no Test or TestSuite.`);
    return item;
  }

  async entryItem(uri: vscode.Uri, key: TestKey): Promise<vscode.TestItem | undefined> {
    const file = await this.fileItem(uri);
    const item = file && this.tree.itemFor(this.tree.dataOf(file)!.path, key);
    if (file && !item) await this.api.window.showInformationMessage(`No test ${key} in this file any more.`);
    return item;
  }
}
