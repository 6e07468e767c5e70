// "Show Trace as OTLP JSON": the test's last trace as a read-only virtual document (pretty OTLP JSON, replayable
// with `tracelens run --trace`), scrolled to the span asked for.
import { basename } from 'node:path';
import type * as vscode from 'vscode';
import { encodeOtlpJson } from '../../core/trace/decode/otlp-encode';
import type { RunStore, TestKey } from '../run-store';
import type { VscodeApi } from '../editor/vscode-api';

export const TRACE_SCHEME = 'tracelens-trace';

export class TraceDocuments implements vscode.TextDocumentContentProvider {
  private readonly changed: vscode.EventEmitter<vscode.Uri>;
  readonly onDidChange: vscode.Event<vscode.Uri>;
  private readonly open = new Map<string, vscode.Uri>();

  constructor(
    private readonly api: VscodeApi,
    private readonly store: RunStore,
  ) {
    this.changed = new api.EventEmitter<vscode.Uri>();
    this.onDidChange = this.changed.event;
  }

  /** Re-renders the open trace documents of a file when a new result arrives for it. */
  storeChanged(path: string): void {
    for (const uri of this.open.values()) if (parseTraceUri(uri)?.path === path) this.changed.fire(uri);
  }

  uriFor(path: string, key: TestKey): vscode.Uri {
    const query = new URLSearchParams({ file: path, key }).toString();
    return this.api.Uri.from({ scheme: TRACE_SCHEME, path: `/${basename(path)} · ${key}.otlp.json`, query });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    this.open.set(uri.toString(), uri);
    const target = parseTraceUri(uri);
    const trace = target && this.store.get(target.path, target.key)?.result.trace;
    if (!trace) return `// No trace for this test yet: run it first (Tracelens: Run Test).\n`;
    return `${JSON.stringify(encodeOtlpJson(trace.spans), null, 2)}\n`;
  }

  async show(path: string, key: TestKey, spanId?: string): Promise<void> {
    if (!this.store.get(path, key)?.result.trace) {
      await this.api.window.showInformationMessage(`No trace for ${key} yet: run the test first.`);
      return;
    }
    const document = await this.api.workspace.openTextDocument(this.uriFor(path, key));
    const editor = await this.api.window.showTextDocument(document, { preview: true });
    const line = spanId ? spanLine(document.getText(), spanId) : undefined;
    if (line !== undefined) {
      const range = new this.api.Range(line, 0, line, document.lineAt(line).text.length);
      editor.selection = new this.api.Selection(range.start, range.end);
      editor.revealRange(range, this.api.TextEditorRevealType.InCenter);
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function parseTraceUri(uri: vscode.Uri): { path: string; key: TestKey } | undefined {
  const q = new URLSearchParams(uri.query);
  const path = q.get('file');
  const key = q.get('key');
  return path && key ? { path, key } : undefined;
}

/** The 0-based line of a span's `"spanId"` in the pretty JSON. */
export function spanLine(text: string, spanId: string): number | undefined {
  const at = text.indexOf(`"spanId": "${spanId}"`);
  if (at < 0) return undefined;
  let line = 0;
  for (let i = 0; i < at; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
