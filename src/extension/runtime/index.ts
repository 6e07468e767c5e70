// The editor's runtime for runs: where traces come from (the embedded receiver, started on demand, or the configured
// data store), the active variables with their secrets, polling profiles, timing settings, and the output channel.
// The Testing controller uses it through RunEnvironment; the user sees it as a status bar item and a few commands.
import type * as vscode from 'vscode';
import { gateSettings, type GateSettings } from '../../core/analyzer/index';
import type { PollingProfileDef } from '../../core/testfile/model';
import { createPullSource } from '../../run/sources/datastore';
import type { TraceSource } from '../../run/sources/types';
import type { Timing } from '../../run/timing';
import { readSettings, SETTINGS_SECTION, type Settings } from '../settings';
import { resolveDataStore, type ResolvedDataStore } from './data-store';
import { EmbeddedReceiver } from './embedded-receiver';
import type { RunEnvironment } from './environment';
import { notifyStartError, ReceiverStatusBar, RECEIVER_ACTIONS_COMMAND, showReceiverActions } from './receiver-ui';
import { VariableSets } from './variables';
import { findWorkspaceResources, type KindOf } from './workspace-resources';

export const RUNTIME_COMMANDS = {
  startReceiver: 'tracelens.startReceiver',
  stopReceiver: 'tracelens.stopReceiver',
  receiverActions: RECEIVER_ACTIONS_COMMAND,
  showOutput: 'tracelens.showOutput',
  chooseVariableSet: 'tracelens.chooseVariableSet',
} as const;

export type RuntimeContext = Pick<vscode.ExtensionContext, 'secrets'>;

export class Runtime implements RunEnvironment {
  /** How long setting up the runtime took (part of activation; the receiver itself starts later, on demand). */
  readonly activationMs: number;
  readonly output: vscode.LogOutputChannel;
  readonly receiver: EmbeddedReceiver;
  readonly statusBar: ReceiverStatusBar;
  readonly variableSets: VariableSets;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly said = new Set<string>();

  constructor(
    private readonly api: typeof vscode,
    context: RuntimeContext,
  ) {
    const started = performance.now();
    this.output = api.window.createOutputChannel('Tracelens', { log: true });
    this.receiver = new EmbeddedReceiver({
      settings: () => {
        const { host, httpPort, grpcPort } = this.settings();
        return { host, httpPort, grpcPort };
      },
      quietMs: () => this.settings().quietMs,
      log: (line) => this.log(line),
      warn: (line) => this.output.warn(line),
      startFailed: (error) => void notifyStartError(api, error, () => this.showOutput()),
    });
    this.statusBar = new ReceiverStatusBar(api, this.receiver, () => this.settings().dataStore);
    this.variableSets = new VariableSets(api, context.secrets, (line) => this.log(line));
    this.disposables.push(
      api.commands.registerCommand(RUNTIME_COMMANDS.startReceiver, () => this.startReceiver()),
      api.commands.registerCommand(RUNTIME_COMMANDS.stopReceiver, () => this.receiver.stop()),
      api.commands.registerCommand(RUNTIME_COMMANDS.receiverActions, () =>
        showReceiverActions(api, this.receiver, this.settings(), {
          start: () => this.startReceiver(),
          stop: () => this.receiver.stop(),
          showOutput: () => this.showOutput(),
        }),
      ),
      api.commands.registerCommand(RUNTIME_COMMANDS.showOutput, () => this.showOutput()),
      api.commands.registerCommand(RUNTIME_COMMANDS.chooseVariableSet, () => this.variableSets.choose()),
      api.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SETTINGS_SECTION}.otlp`)) void this.receiver.settingsChanged();
        if (e.affectsConfiguration(`${SETTINGS_SECTION}.dataStore`)) this.statusBar.update();
      }),
    );
    this.activationMs = performance.now() - started;
    this.log(`Tracelens runtime ready in ${this.activationMs.toFixed(1)} ms`);
  }

  async acquireSource(): Promise<TraceSource> {
    const settings = this.settings();
    const folder = this.api.workspace.workspaceFolders?.[0]?.uri.fsPath;
    let store: ResolvedDataStore;
    try {
      store = await resolveDataStore(settings.dataStore, folder);
    } catch (e) {
      this.output.error((e as Error).message);
      throw e;
    }
    for (const warning of store.warnings) this.sayOnce(warning);
    if (store.config.type !== 'otlp') {
      const source = createPullSource(store.config);
      this.sayOnce(`Traces come from ${source.description} (setting tracelens.dataStore)`);
      return source;
    }
    // A start failure has been logged and notified by the receiver; the rejection carries its message to the run.
    return this.receiver.source();
  }

  variables(): Promise<Map<string, string>> {
    return this.variableSets.variables();
  }

  async pollingProfiles(): Promise<PollingProfileDef[]> {
    return (await findWorkspaceResources(this.api, 'PollingProfile')).map((f) => f.resource);
  }

  /** The first Analyzer and TestRunner of the workspace (files in path order); the log says which apply. */
  async gateSettings(): Promise<GateSettings> {
    const found = await findWorkspaceResources(this.api, 'Analyzer', 'TestRunner');
    const first = <K extends 'Analyzer' | 'TestRunner'>(kind: K): KindOf<K> | undefined => {
      const all = found.filter((f) => f.resource.kind === kind);
      if (all.length === 0) return undefined;
      const others = all.slice(1).map((f) => this.api.workspace.asRelativePath(f.path, false));
      this.sayOnce(`Using the ${kind} of ${this.api.workspace.asRelativePath(all[0]!.path, false)}${others.length > 0 ? ` (ignoring ${others.join(', ')})` : ''}`);
      return all[0]!.resource as KindOf<K>;
    };
    return gateSettings(first('Analyzer'), first('TestRunner'));
  }

  timing(): Partial<Timing> {
    const settings = this.settings();
    // The timeout setting overrides a test's PollingProfile only when the user has set it; its default does not.
    const timeout = this.api.workspace.getConfiguration(SETTINGS_SECTION).inspect<string>('timeout');
    const timeoutSet = (timeout?.workspaceFolderValue ?? timeout?.workspaceValue ?? timeout?.globalValue) !== undefined;
    return { quietMs: settings.quietMs, ...(timeoutSet ? { timeoutMs: settings.timeoutMs } : {}) };
  }

  log(line: string): void {
    this.output.info(line);
  }

  showOutput(): void {
    this.output.show(true);
  }

  /** Stops the receiver (waiting for its servers to close) and releases the commands, status bar and channel. */
  async dispose(): Promise<void> {
    for (const d of this.disposables.splice(0)) d.dispose();
    this.statusBar.dispose();
    await this.receiver.dispose();
    this.output.dispose();
  }

  private async startReceiver(): Promise<void> {
    // A failure is shown by the receiver's notification; the command itself has nothing more to say.
    await this.receiver.start().catch(() => undefined);
  }

  private settings(): Settings {
    return readSettings(this.api.workspace);
  }

  private sayOnce(line: string): void {
    if (this.said.has(line)) return;
    this.said.add(line);
    this.log(line);
  }
}

export function createRuntime(vscodeApi: typeof vscode, context: RuntimeContext): Runtime {
  return new Runtime(vscodeApi, context);
}
