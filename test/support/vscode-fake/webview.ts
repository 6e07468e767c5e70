// Webview panels for the fake `vscode`: the HTML the host set, the messages it posted, and a way to post as the
// page would. Messages are copied through JSON, as the real webview bridge does.
import { EventEmitter, Uri } from './basics';

export class FakeWebview {
  html = '';
  options: unknown;
  readonly cspSource = 'https://file+.vscode-resource.vscode-cdn.net';
  /** What the host posted, oldest first. */
  readonly posted: unknown[] = [];
  /** What was posted while the panel was hidden: its page is gone (no retainContextWhenHidden), so it is lost. */
  readonly lost: unknown[] = [];
  /** False while hidden. */
  alive = true;
  private readonly received = new EventEmitter<unknown>();
  readonly onDidReceiveMessage = this.received.event;
  private readonly postedEvent = new EventEmitter<unknown>();

  constructor(options: unknown) {
    this.options = options;
  }

  asWebviewUri(uri: Uri): Uri {
    return Uri.parse(`https://file+.vscode-resource.vscode-cdn.net${uri.path}`);
  }

  async postMessage(message: unknown): Promise<boolean> {
    const copy = JSON.parse(JSON.stringify(message)) as unknown;
    if (!this.alive) {
      this.lost.push(copy);
      return false;
    }
    this.posted.push(copy);
    this.postedEvent.fire(copy);
    return true;
  }

  /** The page posts `message` to the host. */
  fromPage(message: unknown): void {
    this.received.fire(JSON.parse(JSON.stringify(message ?? null)));
  }

  /** The next message the host posts of this type (or one already posted after `since`). */
  next<T extends { type: string }>(type: string, since = 0): Promise<T> {
    const found = this.posted.slice(since).find((m) => (m as { type?: string }).type === type);
    if (found) return Promise.resolve(found as T);
    return new Promise((resolve) => {
      const sub = this.postedEvent.event((m) => {
        if ((m as { type?: string }).type !== type) return;
        sub.dispose();
        resolve(m as T);
      });
    });
  }
}

export class FakeWebviewPanel {
  readonly webview: FakeWebview;
  visible = true;
  disposed = false;
  revealed = 0;
  private readonly disposedEvent = new EventEmitter<void>();
  readonly onDidDispose = this.disposedEvent.event;
  private readonly viewStateEvent = new EventEmitter<{ webviewPanel: FakeWebviewPanel }>();
  readonly onDidChangeViewState = this.viewStateEvent.event;

  constructor(
    readonly viewType: string,
    public title: string,
    readonly showOptions: unknown,
    options: unknown,
  ) {
    this.webview = new FakeWebview(options);
  }

  reveal(): void {
    this.revealed++;
  }

  /** Another tab comes to the front (false) or this one again (true); the page must say `ready` again after. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    this.webview.alive = visible;
    this.viewStateEvent.fire({ webviewPanel: this });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposedEvent.fire();
  }
}
