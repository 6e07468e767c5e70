// `tracelens.newTest` (a test from a template, untitled or saved in the workspace) and
// `tracelens.useTraceFileForCompletion` (a saved trace feeds completion and hover before any run).
import type { VscodeApi } from '../editor/vscode-api';
import { buildTrace } from '../../core/trace/build';
import type { Trace } from '../../core/trace/model';
import type { RunStore } from '../run-store';
import { loadRunBundle } from '../runtime/load-run';
import { snippetToText, TEMPLATES } from './snippets';

export type CommandApi = Pick<VscodeApi, 'window' | 'workspace' | 'SnippetString' | 'Uri'>;

export async function newTestFromTemplate(api: CommandApi): Promise<void> {
  const picked = await api.window.showQuickPick(
    TEMPLATES.map((t) => ({ label: t.label, description: t.description, template: t })),
    { title: 'New Test from Template', placeHolder: 'What starts the test?' },
  );
  if (!picked) return;
  const where = await api.window.showQuickPick(
    [
      { label: 'Untitled document', id: 'untitled' as const },
      { label: 'File in the workspace…', id: 'file' as const },
    ],
    { title: 'New Test from Template', placeHolder: 'Where to write it?' },
  );
  if (!where) return;
  if (where.id === 'untitled') {
    const doc = await api.workspace.openTextDocument({ language: 'yaml', content: '' });
    const editor = await api.window.showTextDocument(doc);
    await editor.insertSnippet(new api.SnippetString(picked.template.body));
    return;
  }
  const folder = api.workspace.workspaceFolders?.[0]?.uri;
  const target = await api.window.showSaveDialog({
    title: 'Save the new test',
    filters: { 'Tracelens test': ['yaml', 'yml'] },
    ...(folder ? { defaultUri: api.Uri.joinPath(folder, `${picked.template.id}-test.yaml`) } : {}),
  });
  if (!target) return;
  await api.workspace.fs.writeFile(target, new TextEncoder().encode(snippetToText(picked.template.body)));
  await api.window.showTextDocument(await api.workspace.openTextDocument(target));
}

/**
 * Reads a saved trace (OTLP JSON or protobuf, Jaeger JSON, Tempo JSON) into a Trace. Rejects with a readable Error.
 * The decoders come with the run bundle.
 */
export async function traceFromBytes(bytes: Uint8Array, name: string): Promise<Trace> {
  const { decodeOtlpProtobufFile, decodeTraceText, isJsonTraceFile } = await loadRunBundle();
  const decoded = isJsonTraceFile(bytes, name) ? decodeTraceText(new TextDecoder().decode(bytes)) : decodeOtlpProtobufFile(bytes);
  if (!decoded.ok) {
    const where = decoded.error.path ? ` at ${decoded.error.path}` : '';
    throw new Error(`${name} is not a trace file (OTLP JSON or protobuf, Jaeger JSON, Tempo JSON): ${decoded.error.message}${where}`);
  }
  if (decoded.value.spans.length === 0) throw new Error(`${name} holds no spans`);
  return buildTrace(decoded.value.spans);
}

export async function useTraceFileForCompletion(api: CommandApi, store: RunStore): Promise<Trace | undefined> {
  const picked = await api.window.showOpenDialog({
    title: 'Use Trace File for Completion',
    canSelectMany: false,
    filters: { 'Trace files': ['json', 'binpb', 'pb', 'bin', 'protobuf'], 'All files': ['*'] },
  });
  const uri = picked?.[0];
  if (!uri) return undefined;
  const name = uri.path.split('/').pop() ?? uri.toString();
  try {
    const trace = await traceFromBytes(await api.workspace.fs.readFile(uri), name);
    store.chooseTrace(trace);
    void api.window.showInformationMessage(`Tracelens: completion now uses the ${trace.spans.length} spans of ${name} where a test has not run yet.`);
    return trace;
  } catch (error) {
    void api.window.showErrorMessage(`Tracelens: ${(error as Error).message}`);
    return undefined;
  }
}
