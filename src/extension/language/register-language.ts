// IntelliSense for Tracelens files: diagnostics and their quick fixes, completion, hover, and the template/trace-file
// commands.
import type * as vscode from 'vscode';
import { COMMANDS } from '../command-ids';
import type { TestDocuments } from '../editor/test-documents';
import type { VscodeApi } from '../editor/vscode-api';
import { MASK } from '../../core/redact/redactor';
import type { RunVariables } from '../../run/variables';
import { testKey, type RunStore } from '../run-store';
import { newTestFromTemplate, useTraceFileForCompletion } from './commands';
import type { LanguageSources } from './completions';
import { registerDiagnostics } from './diagnostics';
import { createCompletionProvider, createHoverProvider, TRIGGER_CHARACTERS, type SourcesFor } from './providers';
import { createQuickFixProvider, quickFixKinds } from './quick-fixes';

export interface LanguageDeps {
  store: RunStore;
  documents: TestDocuments;
  /** Variables of the active variable set (for `var:` completion and hover), without asking for secrets. */
  variables: () => Promise<RunVariables>;
}

export type LanguageApi = Pick<
  VscodeApi,
  | 'languages'
  | 'workspace'
  | 'window'
  | 'commands'
  | 'Range'
  | 'Diagnostic'
  | 'DiagnosticSeverity'
  | 'CompletionItem'
  | 'CompletionItemKind'
  | 'CompletionList'
  | 'SnippetString'
  | 'MarkdownString'
  | 'Hover'
  | 'Uri'
  | 'CodeAction'
  | 'CodeActionKind'
  | 'WorkspaceEdit'
>;

const YAML: vscode.DocumentSelector = [{ language: 'yaml' }];

export function registerLanguageFeatures(vscodeApi: LanguageApi, context: Pick<vscode.ExtensionContext, 'subscriptions'>, deps: LanguageDeps): void {
  registerDiagnostics(vscodeApi, context, deps.documents);
  const sourcesFor = languageSources(deps);
  context.subscriptions.push(
    vscodeApi.languages.registerCompletionItemProvider(YAML, createCompletionProvider(vscodeApi, deps.documents, sourcesFor), ...TRIGGER_CHARACTERS),
    vscodeApi.languages.registerHoverProvider(YAML, createHoverProvider(vscodeApi, deps.documents, sourcesFor)),
    vscodeApi.languages.registerCodeActionsProvider(YAML, createQuickFixProvider(vscodeApi, deps.documents), {
      providedCodeActionKinds: quickFixKinds(vscodeApi),
    }),
    vscodeApi.commands.registerCommand(COMMANDS.newTest, () => newTestFromTemplate(vscodeApi)),
    vscodeApi.commands.registerCommand(COMMANDS.useTraceFileForCompletion, () => useTraceFileForCompletion(vscodeApi, deps.store)),
  );
}

/**
 * The trace of the test at the cursor (its last run, another test's of the file, or the chosen trace file), and the
 * variables, secret ones by name only (their values masked).
 */
export function languageSources(deps: LanguageDeps): SourcesFor {
  return async (doc): Promise<LanguageSources> => {
    let variables: Map<string, string>;
    try {
      const active = await deps.variables();
      variables = new Map([...active.values].map(([name, value]) => [name, active.secrets.has(name) ? MASK : value]));
      for (const name of active.secrets) variables.set(name, MASK);
    } catch {
      // A broken variable set must not break completion; runs report it.
      variables = new Map();
    }
    const path = doc.uri.fsPath;
    return { variables, traceFor: (info) => deps.store.traceFor(path, testKey(info.testId, info.index)) };
  };
}
