// The vscode module is passed in (never imported as a value) so this code runs under a small fake in Node tests.
import type * as vscode from 'vscode';

export type VscodeApi = typeof vscode;

/** The text a run and the views should use: the open editor's (unsaved edits included), else the file on disk. */
export async function currentText(api: VscodeApi, uri: vscode.Uri): Promise<string | undefined> {
  const open = api.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  try {
    return new TextDecoder().decode(await api.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

/** Calls `fn` once per key after `delayMs` of quiet; `flush()` runs whatever is pending now (tests, disposal). */
export class Debouncer<K> {
  private readonly timers = new Map<K, { timer: ReturnType<typeof setTimeout>; fn: () => void }>();

  constructor(private readonly delayMs: number) {}

  schedule(key: K, fn: () => void): void {
    const previous = this.timers.get(key);
    if (previous) clearTimeout(previous.timer);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      fn();
    }, this.delayMs);
    this.timers.set(key, { timer, fn });
  }

  flush(): void {
    const pending = [...this.timers.values()];
    this.timers.clear();
    for (const p of pending) {
      clearTimeout(p.timer);
      p.fn();
    }
  }

  dispose(): void {
    for (const p of this.timers.values()) clearTimeout(p.timer);
    this.timers.clear();
  }
}
