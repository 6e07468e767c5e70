// Continuous runs ("auto run" in the Testing view): while one is on, saving a test file runs (Run profile) or
// re-checks (Re-check profile: no request sent) the tests of that file the continuous run was started for, all of
// them when it was started for the whole workspace. A save during a run of the same file runs once more after it.
import type * as vscode from 'vscode';
import type { RunMode, TestExecutor } from './execute';
import type { TestTree } from './tree';
import type { VscodeApi } from '../editor/vscode-api';

export class ContinuousRuns {
  constructor(
    private readonly api: VscodeApi,
    private readonly tree: TestTree,
    private readonly executor: TestExecutor,
  ) {}

  /** Watches saves until the continuous run is stopped (`token`); each save of a watched file starts a run. */
  async watch(request: vscode.TestRunRequest, token: vscode.CancellationToken, mode: RunMode): Promise<void> {
    if (token.isCancellationRequested) return;
    // Items are looked up again at each save, by id: editing a file rebuilds its items.
    const included = request.include?.map((item) => ({ id: item.id, data: this.tree.dataOf(item) }));
    const busy = new Map<string, Promise<void>>();
    const again = new Set<string>();

    const itemsOf = (path: string, file: vscode.TestItem): vscode.TestItem[] => {
      if (!included) return [file];
      return included.flatMap(({ id, data }) => {
        if (data?.path !== path) return [];
        if (data.kind === 'file') return [file];
        const entry = this.tree.itemFor(path, data.key);
        return (entry?.id === id ? entry : entry?.children.get(id)) ?? [];
      });
    };
    const runFile = async (path: string): Promise<void> => {
      await this.tree.refresh(this.api.Uri.file(path));
      const file = this.tree.fileItem(path);
      const items = file ? itemsOf(path, file) : [];
      if (items.length === 0 || token.isCancellationRequested) return;
      await this.executor.execute(new this.api.TestRunRequest(items, request.exclude, request.profile, true), token, mode);
    };
    const saved = (path: string): void => {
      if (included ? !included.some((i) => i.data?.path === path) : !this.tree.fileItem(path)) return;
      if (busy.has(path)) {
        again.add(path);
        return;
      }
      const run = (async () => {
        do {
          again.delete(path);
          await runFile(path);
        } while (again.has(path) && !token.isCancellationRequested);
      })().finally(() => busy.delete(path));
      busy.set(path, run);
    };

    const subscription = this.api.workspace.onDidSaveTextDocument((document) => {
      if (document.uri.scheme === 'file') saved(document.uri.fsPath);
    });
    await new Promise<void>((resolve) => token.onCancellationRequested(() => resolve()));
    subscription.dispose();
    await Promise.allSettled([...busy.values()]);
  }
}
