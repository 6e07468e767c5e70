// The editor's runtime for runs: where traces come from (the embedded receiver, started on demand, or the configured
// data store), the active variables with their secrets, polling profiles, timing settings, and the output channel.
// The Testing controller uses it through RunEnvironment; the user sees it as a status bar item and a few commands.
// In Restricted Mode (a workspace not trusted) nothing here sends a request, listens, or reads a secret: runs, the
// receiver and the variable sets wait for trust, while the language features (registered elsewhere) work.
import { createHash } from 'node:crypto';
import { COMMANDS } from '../command-ids';
import { dirname, join } from 'node:path';
import type * as vscode from 'vscode';
import type { VscodeApi } from '../editor/vscode-api';
import { gateSettings, type GateSettings } from '../../core/analyzer/index';
import type { PollingProfileDef } from '../../core/testfile/model';
import { slug } from '../../core/generate/slug';
import type { TraceSource } from '../../run/sources/types';
import type { PlaywrightRunSettings } from '../../run/test-run';
import type { Timing } from '../../run/timing';
import { noVariables, unmaskableSecrets, type RunVariables } from '../../run/variables';
import { createRedactor, type Redactor } from '../../core/redact/redactor';
import type { FileReferences } from '../../run/triggers/files';
import { readSettings, SETTINGS_SECTION, type Settings } from '../settings';
import type { ResolvedDataStore } from '../../run/data-store-setting';
import { EmbeddedReceiver } from './embedded-receiver';
import type { RunEnvironment } from './environment';
import { loadRunBundle } from './load-run';
import { notifyStartError, ReceiverStatusBar, showReceiverActions } from './receiver-ui';
import { VariableSets, type VariablesOptions } from './variables';
import { findWorkspaceResources, type KindOf } from './workspace-resources';

/** Storage, when given, keeps each test's latest Playwright trace. */
export type RuntimeContext = Pick<vscode.ExtensionContext, 'secrets'> & Partial<Pick<vscode.ExtensionContext, 'storageUri' | 'globalStorageUri'>>;

/** Why a run, the receiver or the secrets are refused in Restricted Mode, and how to get out of it. */
export const RESTRICTED_MODE =
  'this workspace is in Restricted Mode: running tests (which sends requests), the OTLP receiver and stored secrets need a trusted workspace. Trust it with "Workspaces: Manage Workspace Trust", then run again';

const MANAGE_TRUST = 'Manage Workspace Trust';

export class Runtime implements RunEnvironment {
  /** How long setting up the runtime took (part of activation; the receiver itself starts later, on demand). */
  readonly activationMs: number;
  readonly output: vscode.LogOutputChannel;
  readonly receiver: EmbeddedReceiver;
  readonly statusBar: ReceiverStatusBar;
  readonly variableSets: VariableSets;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly said = new Set<string>();
  /** Every secret value handed out in this window (a run may outlast a change of set), for masking the output channel. */
  private readonly secretValues = new Set<string>();
  private redactor: Redactor = createRedactor([]);
  /** Where each test's latest Playwright trace is kept (this workspace's storage), if anywhere. */
  private readonly playwrightTraces: string | undefined;

  constructor(
    private readonly api: VscodeApi,
    context: RuntimeContext,
  ) {
    const started = performance.now();
    this.output = api.window.createOutputChannel('Tracelens', { log: true });
    this.receiver = new EmbeddedReceiver({
      settings: () => {
        const { host, httpPort, grpcPort, maxBytes, maxSpansPerTrace, corsOrigins } = this.settings();
        return { host, httpPort, grpcPort, maxBytes, maxSpansPerTrace, corsOrigins };
      },
      quietMs: () => this.settings().quietMs,
      log: (line) => this.log(line),
      warn: (line) => this.output.warn(line),
      startFailed: (error) => void notifyStartError(api, error, () => this.showOutput()),
    });
    this.statusBar = new ReceiverStatusBar(
      api,
      this.receiver,
      () => this.settings().dataStore,
      () => api.workspace.isTrusted,
    );
    this.variableSets = new VariableSets(api, context.secrets, (line) => this.log(line));
    const storage = context.storageUri ?? context.globalStorageUri;
    this.playwrightTraces = storage && join(storage.fsPath, 'playwright-traces');
    this.disposables.push(
      api.commands.registerCommand(COMMANDS.startReceiver, () => this.startReceiver()),
      api.commands.registerCommand(COMMANDS.stopReceiver, () => this.receiver.stop()),
      api.commands.registerCommand(COMMANDS.receiverActions, () =>
        showReceiverActions(api, this.receiver, this.settings(), {
          start: () => this.startReceiver(),
          stop: () => this.receiver.stop(),
          showOutput: () => this.showOutput(),
        }),
      ),
      api.commands.registerCommand(COMMANDS.showOutput, () => this.showOutput()),
      api.commands.registerCommand(COMMANDS.chooseVariableSet, () => (this.trusted() ? this.variableSets.choose() : this.refuseRestricted())),
      api.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SETTINGS_SECTION}.otlp`)) void this.receiver.settingsChanged();
        if (e.affectsConfiguration(`${SETTINGS_SECTION}.dataStore`)) this.statusBar.update();
      }),
      api.workspace.onDidGrantWorkspaceTrust(() => {
        this.log('Workspace trusted: runs, the OTLP receiver and stored secrets are available');
        this.statusBar.update();
      }),
    );
    if (!this.trusted())
      this.log(`Restricted Mode: test files are checked and completed; ${RESTRICTED_MODE.replace(/^this workspace is in Restricted Mode: /, '')}`);
    this.activationMs = performance.now() - started;
    this.log(`Tracelens runtime ready in ${this.activationMs.toFixed(1)} ms`);
  }

  async acquireSource(): Promise<TraceSource> {
    if (!this.trusted()) {
      void this.refuseRestricted();
      throw new Error(RESTRICTED_MODE);
    }
    const settings = this.settings();
    const folder = this.api.workspace.workspaceFolders?.[0]?.uri.fsPath;
    let store: ResolvedDataStore;
    try {
      store = await (await loadRunBundle()).resolveDataStore(settings.dataStore, folder);
    } catch (e) {
      this.output.error((e as Error).message);
      throw e;
    }
    for (const warning of store.warnings) this.sayOnce(warning);
    if (store.config.type !== 'otlp') {
      const source = (await loadRunBundle()).createPullSource(store.config);
      this.sayOnce(`Traces come from ${source.description} (setting tracelens.dataStore)`);
      return source;
    }
    // A start failure has been logged and notified by the receiver; the rejection carries its message to the run.
    return this.receiver.source();
  }

  /** In Restricted Mode, none: the VariableSet is not read and no secret is asked for or read. */
  async variables(options?: VariablesOptions): Promise<RunVariables> {
    if (!this.trusted()) return noVariables();
    const variables = await this.variableSets.variables(options);
    const before = this.secretValues.size;
    for (const name of variables.secrets) {
      const value = variables.values.get(name);
      if (value !== undefined) this.secretValues.add(value);
    }
    if (this.secretValues.size > before) this.redactor = createRedactor(this.secretValues);
    for (const name of unmaskableSecrets(variables))
      this.sayOnce(`Secret variable ${name} is shorter than 4 characters: it cannot be masked in what runs show`);
    return variables;
  }

  fileReferences(testFile: string): FileReferences {
    const folder = this.api.workspace.getWorkspaceFolder(this.api.Uri.file(testFile));
    return {
      root: folder?.uri.fsPath ?? dirname(testFile),
      allowOutside: this.settings().allowFileReferencesOutsideWorkspace,
      widen: `move it into the ${folder ? 'workspace folder' : "test file's folder"}, or set tracelens.allowFileReferencesOutsideWorkspace`,
    };
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
      this.sayOnce(
        `Using the ${kind} of ${this.api.workspace.asRelativePath(all[0]!.path, false)}${others.length > 0 ? ` (ignoring ${others.join(', ')})` : ''}`,
      );
      return all[0]!.resource as KindOf<K>;
    };
    return gateSettings(first('Analyzer'), first('TestRunner'));
  }

  timing(): Partial<Timing> {
    const settings = this.settings();
    // The timeout and export delay settings override a test's PollingProfile only when the user has set them; their
    // defaults do not.
    const config = this.api.workspace.getConfiguration(SETTINGS_SECTION);
    const isSet = (key: string) => {
      const value = config.inspect<string>(key);
      return (value?.workspaceFolderValue ?? value?.workspaceValue ?? value?.globalValue) !== undefined;
    };
    return {
      quietMs: settings.quietMs,
      ...(isSet('timeout') ? { timeoutMs: settings.timeoutMs } : {}),
      ...(isSet('exportDelay') ? { exportDelayMs: settings.exportDelayMs } : {}),
    };
  }

  playwright(): PlaywrightRunSettings {
    const settings = this.settings();
    const dir = this.playwrightTraces;
    return {
      ...(settings.playwrightExecutablePath
        ? { browser: { path: settings.playwrightExecutablePath, from: 'setting tracelens.playwright.executablePath' } }
        : {}),
      timeoutMs: settings.playwrightTimeoutMs,
      // One file per test, replaced by its next run: the editor offers the latest.
      ...(dir
        ? { traceFile: (run: { id: string; name: string; path: string }) => join(dir, `${slug(run.id || run.name)}-${shortHash(run.path)}.trace.zip`) }
        : {}),
    };
  }

  log(line: string): void {
    this.output.info(this.redactor.text(line));
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
    if (!this.trusted()) return this.refuseRestricted();
    // A failure is shown by the receiver's notification; the command itself has nothing more to say.
    await this.receiver.start().catch(() => undefined);
  }

  private trusted(): boolean {
    return this.api.workspace.isTrusted;
  }

  /** Says why, with the way to trust the workspace. */
  private async refuseRestricted(): Promise<void> {
    const choice = await this.api.window.showWarningMessage(`Tracelens: ${RESTRICTED_MODE}.`, MANAGE_TRUST);
    if (choice === MANAGE_TRUST) await this.api.commands.executeCommand('workbench.trust.manage');
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

function shortHash(text: string): string {
  return createHash('sha1').update(text).digest('hex').slice(0, 8);
}

export function createRuntime(vscodeApi: VscodeApi, context: RuntimeContext): Runtime {
  return new Runtime(vscodeApi, context);
}
