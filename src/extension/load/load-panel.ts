// The load panel's host: one webview panel per load session. It keeps what the page shows (the points are the
// series' own, bounded there), sends it all when the page says `ready` (a page VS Code built again after
// hiding it included), then a tick a second. Closing the panel stops the load. Messages: src/load-protocol.ts.
import type * as vscode from 'vscode';
import {
  checkLoadWebviewMessage,
  LOAD_VIEW_TYPE,
  type FailingTrace,
  type LoadHostMessage,
  type LoadPoint,
  type LoadSessionInfo,
  type LoadStatus,
  type LoadTotals,
} from '../../load-protocol';
import type { VscodeApi } from '../editor/vscode-api';
import { CODICONS, makeNonce, PAGE_ROOTS, panelHtml } from '../panel/html';

export interface LoadPanelActions {
  stop(): void;
  openTrace(traceId: string): Promise<void>;
  log(line: string): void;
}

export class LoadPanel {
  private readonly panel: vscode.WebviewPanel;
  private ready = false;
  private status: LoadStatus = 'starting';
  private message: string | undefined;
  private points: readonly LoadPoint[] = [];
  private failing: FailingTrace[] = [];
  private totals: LoadTotals | null = null;

  constructor(
    api: VscodeApi,
    extensionUri: vscode.Uri,
    private readonly info: LoadSessionInfo,
    private readonly actions: LoadPanelActions,
  ) {
    this.panel = api.window.createWebviewPanel(
      LOAD_VIEW_TYPE,
      `Load: ${info.test.name}`,
      { viewColumn: api.ViewColumn.Beside, preserveFocus: false },
      {
        enableScripts: true,
        localResourceRoots: PAGE_ROOTS.map((root) => api.Uri.joinPath(extensionUri, ...root)),
      },
    );
    const webview = this.panel.webview;
    const asset = (...parts: string[]) => webview.asWebviewUri(api.Uri.joinPath(extensionUri, ...parts)).toString();
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      script: asset('dist', 'webview', 'load.js'),
      styles: [asset('media', 'load.css')],
      codicons: asset(...CODICONS, 'codicon.css'),
      title: `Load: ${info.test.name}`,
    });
    const subscriptions = [
      webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      this.panel.onDidChangeViewState(() => {
        if (!this.panel.visible) this.ready = false;
      }),
    ];
    this.panel.onDidDispose(() => {
      // The load's end still comes, with nowhere to show it.
      this.ready = false;
      for (const s of subscriptions) s.dispose();
      if (this.status === 'starting' || this.status === 'running') actions.stop();
    });
  }

  /** The load runs; `points` is its series, which the ticks extend. */
  started(points: readonly LoadPoint[]): void {
    this.points = points;
    this.status = 'running';
    this.post(this.snapshot());
  }

  tick(point: LoadPoint, failing: FailingTrace[], totals: LoadTotals): void {
    this.failing = failing;
    this.totals = totals;
    this.post({ type: 'tick', point, failing, totals });
  }

  ended(status: LoadStatus, message: string, failing: FailingTrace[], totals: LoadTotals | null): void {
    this.status = status;
    this.message = message;
    this.failing = failing;
    this.totals = totals ?? this.totals;
    this.post({ type: 'ended', status, message, failing, totals: this.totals });
  }

  private snapshot(): LoadHostMessage {
    return {
      type: 'session',
      info: this.info,
      status: this.status,
      ...(this.message !== undefined ? { message: this.message } : {}),
      points: this.points,
      failing: this.failing,
      totals: this.totals,
    };
  }

  /** Before `ready` nothing is posted: the snapshot on `ready` holds it all. */
  private post(message: LoadHostMessage): void {
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  private async receive(raw: unknown): Promise<void> {
    const checked = checkLoadWebviewMessage(raw);
    if (!checked.ok) {
      this.actions.log(`load panel: ignored a message: ${checked.error}`);
      return;
    }
    const message = checked.value;
    if (message.type === 'ready') {
      this.ready = true;
      this.post(this.snapshot());
    } else if (message.type === 'stop') this.actions.stop();
    else await this.actions.openTrace(message.traceId);
  }
}
