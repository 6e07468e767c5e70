// The receiver in the window: its status bar item, the actions behind a click on it, and the notification when it
// cannot start.
import type * as vscode from 'vscode';
import { COMMANDS } from '../command-ids';
import type { VscodeApi } from '../editor/vscode-api';
import type { ReceiverStartError } from '../../run/sources/otlp/receiver';
import type { EmbeddedReceiver, ReceiverSettings } from './embedded-receiver';
import { endpointUrl, statusView } from './status';

export class ReceiverStatusBar {
  readonly item: vscode.StatusBarItem;
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly api: VscodeApi,
    private readonly receiver: EmbeddedReceiver,
    /** The `tracelens.dataStore` setting ('' = the embedded receiver). */
    private readonly dataStore: () => string,
    /** False in Restricted Mode. */
    private readonly trusted: () => boolean,
  ) {
    this.item = api.window.createStatusBarItem('tracelens.receiver', api.StatusBarAlignment.Left, 10);
    this.item.name = 'Tracelens OTLP receiver';
    this.item.command = COMMANDS.receiverActions;
    this.subscription = receiver.onDidChange(() => this.update());
    this.update();
    this.item.show();
  }

  update(): void {
    const setting = this.dataStore();
    const view = statusView(this.receiver.state, this.receiver.received, setting ? { setting } : undefined, this.trusted());
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.backgroundColor = view.error ? new this.api.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}

type Action = 'start' | 'stop' | 'copy' | 'output' | 'settings';

/** The quick pick behind the status bar item. */
export async function showReceiverActions(
  api: VscodeApi,
  receiver: EmbeddedReceiver,
  settings: ReceiverSettings,
  actions: { start(): Promise<void>; stop(): Promise<void>; showOutput(): void },
): Promise<void> {
  const state = receiver.state;
  const endpoint =
    state.kind === 'on'
      ? endpointUrl(state.receiver.host, state.receiver.httpPort)
      : settings.httpPort !== 0
        ? endpointUrl(settings.host, settings.httpPort)
        : undefined;
  const items: (vscode.QuickPickItem & { action: Action })[] = [
    state.kind === 'on'
      ? { label: '$(debug-stop) Stop receiver', description: 'runs start it again when they need it', action: 'stop' }
      : { label: '$(play) Start receiver', description: endpoint ?? 'on a free port', action: 'start' },
    ...(endpoint
      ? [{ label: '$(copy) Copy endpoint', description: endpoint, detail: 'OTEL_EXPORTER_OTLP_ENDPOINT for the system under test', action: 'copy' as const }]
      : []),
    { label: '$(output) Show output', action: 'output' },
    { label: '$(gear) Open settings', description: 'ports, address, data store', action: 'settings' },
  ];
  const picked = await api.window.showQuickPick(items, { title: 'Tracelens: OTLP Receiver' });
  switch (picked?.action) {
    case 'start':
      return actions.start();
    case 'stop':
      return actions.stop();
    case 'copy':
      await api.env.clipboard.writeText(endpoint!);
      void api.window.showInformationMessage(`Copied ${endpoint}`);
      return;
    case 'output':
      return actions.showOutput();
    case 'settings':
      await api.commands.executeCommand('workbench.action.openSettings', 'tracelens.otlp');
      return;
  }
}

/** Tells the user why the receiver did not start, with the way out as actions. Resolves once handled. */
export async function notifyStartError(api: VscodeApi, error: Error, showOutput: () => void): Promise<void> {
  const fix = fixFor(error);
  const SHOW = 'Show output';
  const choice = await api.window.showErrorMessage(`Tracelens: the OTLP receiver could not start: ${error.message}`, fix.label, SHOW);
  if (choice === SHOW) showOutput();
  else if (choice === fix.label) await api.commands.executeCommand('workbench.action.openSettings', fix.setting);
}

function fixFor(error: Error): { label: string; setting: string } {
  if (!isReceiverStartError(error)) return { label: 'Open settings', setting: 'tracelens.otlp' };
  const portSetting = `tracelens.otlp.${error.protocol}Port`;
  switch (error.code) {
    case 'EADDRINUSE':
    case 'EACCES':
      return { label: 'Use another port', setting: portSetting };
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { label: 'Change address', setting: 'tracelens.otlp.host' };
    default:
      return { label: 'Open settings', setting: 'tracelens.otlp' };
  }
}

/** The error class belongs to the run bundle, which has its own copy of it: known by its name, not instanceof. */
function isReceiverStartError(error: Error): error is ReceiverStartError {
  return error.name === 'ReceiverStartError';
}
