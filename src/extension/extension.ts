// Extension entry: one RunStore, one set of parsed test documents and one runtime (receiver, variables, output)
// shared by the Testing view, CodeLens, decorations and IntelliSense. Activation only wires things up; the receiver starts on first use.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { EditorRunHistory } from './history/editor-run-history';
import { registerLanguageFeatures } from './language/register-language';
import { RunStore } from './run-store';
import { createRuntime, type Runtime } from './runtime/runtime';
import { registerResultViews } from './register-result-views';
import { registerTestDocuments } from './editor/test-documents';
import { COMMANDS } from './command-ids';
import { newTestFromCurl } from './traces/curl-command';
import { importPostmanCollection } from './traces/postman-command';
import { registerTracesView } from './traces/traces-view';
import { readSettings } from './settings';

let runtime: Runtime | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const store = new RunStore();
  runtime = createRuntime(vscode, context);
  context.subscriptions.push(runtime);
  const env = runtime;
  const documents = registerTestDocuments(vscode, context, store);
  registerLanguageFeatures(vscode, context, { store, documents, variables: () => env.variables({ ask: false }) });
  // Runs kept across reloads, in this workspace's storage (none without a workspace). Read in the background.
  const history =
    context.storageUri &&
    new EditorRunHistory(
      join(context.storageUri.fsPath, 'run-history'),
      () => {
        const settings = readSettings(vscode.workspace);
        return { runsPerTest: settings.historyRuns, maxBytes: settings.historyMaxBytes };
      },
      (line) => env.log(line),
    );
  const panels = registerResultViews(vscode, context, { store, env, documents, ...(history ? { history } : {}) });
  registerTracesView(vscode, context, { receiver: env.receiver, panels, env });
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.newTestFromCurl, () => newTestFromCurl(vscode)),
    vscode.commands.registerCommand(COMMANDS.importPostmanCollection, () => importPostmanCollection(vscode, (line) => env.log(line))),
  );
  env.log(`activated in ${(performance.now() - started).toFixed(1)} ms`);
  // Files already open are parsed once activation has returned: their diagnostics, Testing items and after-text follow.
  setImmediate(() => documents.announceOpen());
}

export function deactivate(): Promise<void> | undefined {
  return runtime?.dispose();
}
