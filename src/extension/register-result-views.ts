// Where a run's results show: the Testing view and its commands, the trace panel and trace document (with
// click-to-assert), CodeLens and after-text decorations in the test file. One call from activate().
import type * as vscode from 'vscode';
import { registerCodeLens } from './codelens';
import { registerDecorations } from './decorations';
import type { VscodeApi } from './editor/vscode-api';
import type { TracePanels } from './panel/trace-panels';
import { registerTesting, type TestingDeps } from './testing/register-testing';

export function registerResultViews(api: VscodeApi, context: Pick<vscode.ExtensionContext, 'subscriptions' | 'extensionUri'>, deps: TestingDeps): TracePanels {
  // The test file's lens provider is registered before Testing's own (on trace documents), as it was.
  registerCodeLens(api, context, deps.store, deps.documents);
  registerDecorations(api, context, deps.documents);
  return registerTesting(api, context, deps);
}
