// The Testing view (discovery, "Run" and "Re-check against last trace" profiles, each also continuous), the run
// commands ("Run under load…" too), results in the Problems view, the trace panel, and the trace as an OTLP JSON
// document with click-to-assert on its spans.
import type * as vscode from 'vscode';
import { AssertService } from '../click-to-assert/assert-service';
import { registerRunUnderLoad } from '../load/register-load';
import { TracePanels } from '../panel/trace-panels';
import { registerAssertOnSpan } from './assert-on-span';
import { TestExecutor, type RunMode, type TestingDeps } from './execute';
import { ContinuousRuns } from './watch';
import { registerTestingCommands } from './commands';
import { RunDiagnostics } from './run-diagnostics';
import { EditorTestRuns } from './test-runs';
import { TRACE_SCHEME, TraceDocuments } from './trace-document';
import { TestTree, YAML_GLOB } from './tree';
import type { VscodeApi } from '../editor/vscode-api';

export type { TestingDeps } from './execute';
export { FAILURE_CONTEXT } from './report';

/** Returns the trace panels, which the Traces view opens received traces in. */
export function registerTesting(api: VscodeApi, context: Pick<vscode.ExtensionContext, 'subscriptions' | 'extensionUri'>, deps: TestingDeps): TracePanels {
  const controller = api.tests.createTestController('tracelens', 'Tracelens');
  const { documents } = deps;
  const tree = new TestTree(api, controller, documents);
  // A failed run opens its panel; the panel runs and re-checks through the executor (`panels` is there by then).
  const executor = new TestExecutor(api, tree, deps, (target): Promise<void> => panels.showFailure(target));
  const continuous = new ContinuousRuns(api, tree, executor);
  // A continuous run (the Testing view's auto run) watches saves; any other request runs once.
  const handler = (mode: RunMode) => (request: vscode.TestRunRequest, token: vscode.CancellationToken) =>
    request.continuous ? continuous.watch(request, token, mode) : executor.execute(request, token, mode);
  const profiles = {
    run: controller.createRunProfile('Run', api.TestRunProfileKind.Run, handler('run'), true),
    recheck: controller.createRunProfile('Re-check against last trace', api.TestRunProfileKind.Run, handler('recheck'), false),
  };
  profiles.run.supportsContinuousRun = true;
  profiles.recheck.supportsContinuousRun = true;
  const runs = new EditorTestRuns(api, tree, executor, profiles);
  const assert = new AssertService(api, deps.store, { variables: () => deps.env.variables({ ask: false }), runs });
  const panels = new TracePanels(api, context.extensionUri, deps.store, deps.env, assert, runs, documents, deps.history);
  controller.resolveHandler = async (item) => {
    if (!item) await tree.discoverWorkspace();
  };
  controller.refreshHandler = async () => {
    tree.forgetDiscovery();
    await tree.discoverWorkspace();
  };

  const watcher = api.workspace.createFileSystemWatcher(YAML_GLOB);

  const traces = new TraceDocuments(api, deps.store);
  const diagnostics = new RunDiagnostics(api);
  context.subscriptions.push(
    controller,
    watcher,
    watcher.onDidCreate((uri) => documents.diskChanged(uri)),
    watcher.onDidChange((uri) => documents.diskChanged(uri)),
    watcher.onDidDelete((uri) => tree.delete(uri)),
    // Opened, edited (settled), and closed (then the file on disk): the items follow the text.
    documents.onDidChange((change) => {
      if (change.why !== 'runs' && change.why !== 'closed') tree.update(change.uri, change.document);
      diagnostics.documentChanged(change);
    }),
    traces,
    api.workspace.registerTextDocumentContentProvider(TRACE_SCHEME, traces),
    diagnostics,
    deps.store.onDidChange((path) => traces.storeChanged(path)),
    ...registerTestingCommands(api, { tree, runs, traces, panels, store: deps.store, documents, ...(deps.history ? { history: deps.history } : {}) }),
    ...panels.register(),
    registerRunUnderLoad(api, { env: deps.env, store: deps.store, documents, panels, extensionUri: context.extensionUri }),
  );
  context.subscriptions.push(...registerAssertOnSpan(api, assert, documents));
  return panels;
}
