// A run's Playwright trace (trace.zip) opened in Playwright's own trace viewer: playwright-core's `show-trace`,
// in a terminal, so its address (or its error) is in view, and closing the terminal stops it. The viewer opens in
// the browser by itself where there is one; in a remote editor its address is a link in the terminal.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type * as vscode from 'vscode';
import type { VscodeApi } from '../editor/vscode-api';

export const TRACE_VIEWER_TERMINAL = 'Playwright Trace Viewer';

export class PlaywrightTraceViewer {
  /** One viewer per trace file: opening it again shows the same terminal. */
  private readonly terminals = new Map<string, vscode.Terminal>();
  private closed: vscode.Disposable | undefined;

  constructor(private readonly api: VscodeApi) {}

  async open(file: string): Promise<void> {
    this.closed ??= this.api.window.onDidCloseTerminal((terminal) => {
      for (const [path, open] of this.terminals) if (open === terminal) this.terminals.delete(path);
    });
    if (!existsSync(file)) {
      await this.api.window.showWarningMessage(`The Playwright trace ${file} is no longer there: run the test again.`);
      return;
    }
    let terminal = this.terminals.get(file);
    if (!terminal) {
      terminal = this.api.window.createTerminal({
        name: TRACE_VIEWER_TERMINAL,
        // The editor's own executable is Node with ELECTRON_RUN_AS_NODE (desktop VS Code), and Node itself elsewhere.
        shellPath: process.execPath,
        shellArgs: [playwrightCli(), 'show-trace', '--port', '0', file],
        env: { ELECTRON_RUN_AS_NODE: '1' },
        iconPath: new this.api.ThemeIcon('file-zip'),
        isTransient: true,
      });
      this.terminals.set(file, terminal);
    }
    terminal.show();
  }

  dispose(): void {
    this.closed?.dispose();
    for (const terminal of this.terminals.values()) terminal.dispose();
    this.terminals.clear();
  }
}

/** playwright-core's command line, shipped with the extension. */
function playwrightCli(): string {
  return join(dirname(require.resolve('playwright-core/package.json')), 'cli.js');
}
