// A small `vscode` for the runtime's unit tests: settings with change events, a status bar item, a log output
// channel, quick picks / input boxes / notifications answered by the test, commands, the clipboard, findFiles over
// a real folder, an in-memory SecretStorage, and Workspace Trust (trusted unless the test says otherwise).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative } from 'node:path';
import type * as vscode from 'vscode';
import { EventEmitter, ThemeColor, Uri } from './basics';

export { EventEmitter, ThemeColor } from './basics';

export class FakeStatusBarItem {
  text = '';
  tooltip: string | undefined;
  command: string | undefined;
  name: string | undefined;
  backgroundColor: ThemeColor | undefined;
  visible = false;
  disposed = false;
  readonly changed = new EventEmitter<void>();
  constructor(readonly id: string) {
    // Every assignment to text is observable, so tests can wait for a state without timers.
    let text = '';
    Object.defineProperty(this, 'text', {
      get: () => text,
      set: (value: string) => {
        text = value;
        this.changed.fire();
      },
    });
  }
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  dispose(): void {
    this.disposed = true;
  }
}

export class FakeLogChannel {
  readonly lines: { level: string; text: string }[] = [];
  shown = 0;
  private readonly added = new EventEmitter<string>();
  constructor(readonly name: string) {}
  private add(level: string, text: string): void {
    this.lines.push({ level, text });
    this.added.fire(text);
  }
  info(text: string): void {
    this.add('info', text);
  }
  warn(text: string): void {
    this.add('warn', text);
  }
  error(text: string | Error): void {
    this.add('error', String(text instanceof Error ? text.message : text));
  }
  debug(text: string): void {
    this.add('debug', text);
  }
  trace(text: string): void {
    this.add('trace', text);
  }
  appendLine(text: string): void {
    this.add('info', text);
  }
  show(): void {
    this.shown++;
  }
  dispose(): void {}
  text(): string {
    return this.lines.map((l) => l.text).join('\n');
  }
  /** Resolves with the first line (already written or to come) that matches. */
  waitForLine(pattern: RegExp): Promise<string> {
    const existing = this.lines.find((l) => pattern.test(l.text));
    if (existing) return Promise.resolve(existing.text);
    return new Promise((resolve) => {
      const sub = this.added.event((text) => {
        if (!pattern.test(text)) return;
        sub.dispose();
        resolve(text);
      });
    });
  }
}

export class MemorySecrets {
  readonly values = new Map<string, string>();
  private readonly changed = new EventEmitter<{ key: string }>();
  readonly onDidChange = this.changed.event;
  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }
  async store(key: string, value: string): Promise<void> {
    this.values.set(key, value);
    this.changed.fire({ key });
  }
  async delete(key: string): Promise<void> {
    this.values.delete(key);
    this.changed.fire({ key });
  }
}

/** What a quick pick answer sees: the items and options it was shown; returns the item to pick (or undefined). */
export type QuickPickAnswer = (items: readonly vscode.QuickPickItem[], options: vscode.QuickPickOptions | undefined) => vscode.QuickPickItem | undefined;
export type InputBoxAnswer = (options: vscode.InputBoxOptions | undefined) => string | undefined;

export interface Notification {
  severity: 'error' | 'warning' | 'info';
  message: string;
  items: string[];
  /** `{ modal, detail }` when the message was shown with options. */
  options?: vscode.MessageOptions;
}

const SKIPPED = new Set(['node_modules', '.git', 'dist', 'out']);

function walkYaml(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIPPED.has(e.name)) out.push(...walkYaml(path));
    } else if (/\.ya?ml$/.test(e.name)) out.push(path);
  }
  return out;
}

export class FakeVscode {
  /** Settings at workspace level, by full key (`tracelens.otlp.httpPort`). */
  readonly settings = new Map<string, unknown>();
  readonly settingUpdates: { key: string; value: unknown; target: unknown }[] = [];
  readonly statusBarItems: FakeStatusBarItem[] = [];
  readonly channels: FakeLogChannel[] = [];
  readonly commands = new Map<string, (...args: unknown[]) => unknown>();
  /** executeCommand calls of commands not registered here (the editor's own, like openSettings). */
  readonly executed: { command: string; args: unknown[] }[] = [];
  readonly notifications: Notification[] = [];
  readonly inputBoxes: (vscode.InputBoxOptions | undefined)[] = [];
  readonly quickPicks: { items: readonly vscode.QuickPickItem[]; options: vscode.QuickPickOptions | undefined }[] = [];
  quickPickAnswers: QuickPickAnswer[] = [];
  inputBoxAnswers: InputBoxAnswer[] = [];
  /** Answers to notifications, in order: the item label to click, or undefined to dismiss. */
  notificationAnswers: (string | undefined)[] = [];
  clipboard = '';
  readonly secrets = new MemorySecrets();
  /** `workspace.isTrusted`; grantTrust() turns it on as the trust editor does. */
  trusted = true;
  private readonly trustGranted = new EventEmitter<void>();
  private readonly configurationChanged = new EventEmitter<vscode.ConfigurationChangeEvent>();
  private readonly executedEvent = new EventEmitter<{ command: string; args: unknown[] }>();
  private readonly defaults: Record<string, unknown>;

  constructor(readonly root: string | undefined) {
    // The defaults the real editor would use are the ones package.json declares.
    const manifest = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { default?: unknown }> } };
    };
    this.defaults = Object.fromEntries(Object.entries(manifest.contributes.configuration.properties).map(([k, v]) => [k, v.default]));
  }

  /** Resolves once the editor command was executed (now or before). */
  waitForExecuted(command: string): Promise<unknown[]> {
    const done = this.executed.find((e) => e.command === command);
    if (done) return Promise.resolve(done.args);
    return new Promise((resolve) => {
      const sub = this.executedEvent.event((e) => {
        if (e.command !== command) return;
        sub.dispose();
        resolve(e.args);
      });
    });
  }

  /** The user trusts the workspace: onDidGrantWorkspaceTrust fires. */
  grantTrust(): void {
    this.trusted = true;
    this.trustGranted.fire();
  }

  /** Changes a setting as the user would, firing onDidChangeConfiguration. */
  setSetting(key: string, value: unknown): void {
    if (value === undefined) this.settings.delete(key);
    else this.settings.set(key, value);
    this.configurationChanged.fire({ affectsConfiguration: (section: string) => key === section || key.startsWith(`${section}.`) });
  }

  statusBarItem(): FakeStatusBarItem {
    const item = this.statusBarItems[0];
    if (!item) throw new Error('no status bar item was created');
    return item;
  }

  channel(): FakeLogChannel {
    const channel = this.channels[0];
    if (!channel) throw new Error('no output channel was created');
    return channel;
  }

  async execute(command: string, ...args: unknown[]): Promise<unknown> {
    const handler = this.commands.get(command);
    if (!handler) throw new Error(`command ${command} is not registered`);
    return handler(...args);
  }

  get api(): typeof vscode {
    const fake = this;
    const folders = this.root ? [{ uri: Uri.file(this.root), name: 'workspace', index: 0 }] : undefined;
    const configuration = (section: string) => ({
      get<T>(key: string, fallback?: T): T | undefined {
        const full = `${section}.${key}`;
        if (fake.settings.has(full)) return fake.settings.get(full) as T;
        return full in fake.defaults ? (fake.defaults[full] as T) : fallback;
      },
      has: (key: string) => fake.settings.has(`${section}.${key}`),
      inspect<T>(key: string) {
        const full = `${section}.${key}`;
        return { key: full, defaultValue: fake.defaults[full] as T, workspaceValue: fake.settings.get(full) as T | undefined };
      },
      async update(key: string, value: unknown, target: unknown): Promise<void> {
        fake.settingUpdates.push({ key, value, target });
        fake.setSetting(`${section}.${key}`, value);
      },
    });
    const notify =
      (severity: Notification['severity']) =>
      (message: string, ...rest: Array<string | vscode.MessageOptions>) => {
        const options = typeof rest[0] === 'object' ? (rest.shift() as vscode.MessageOptions) : undefined;
        fake.notifications.push({ severity, message, items: rest as string[], ...(options ? { options } : {}) });
        return Promise.resolve(fake.notificationAnswers.shift());
      };
    const api = {
      StatusBarAlignment: { Left: 1, Right: 2 },
      ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
      QuickPickItemKind: { Separator: -1, Default: 0 },
      ThemeColor,
      EventEmitter,
      Uri: { file: (fsPath: string) => ({ fsPath, scheme: 'file' }) },
      workspace: {
        workspaceFolders: folders,
        getWorkspaceFolder(uri: { fsPath: string }) {
          const rel = fake.root ? relative(fake.root, uri.fsPath) : '..';
          return rel.startsWith('..') || isAbsolute(rel) ? undefined : folders![0];
        },
        get isTrusted() {
          return fake.trusted;
        },
        onDidGrantWorkspaceTrust: this.trustGranted.event,
        getConfiguration: configuration,
        onDidChangeConfiguration: this.configurationChanged.event,
        async findFiles(): Promise<{ fsPath: string }[]> {
          return fake.root ? walkYaml(fake.root).map((fsPath) => ({ fsPath, scheme: 'file' })) : [];
        },
        asRelativePath(path: string | { fsPath: string }): string {
          const p = typeof path === 'string' ? path : path.fsPath;
          const rel = fake.root ? relative(fake.root, p) : p;
          return rel && !rel.startsWith('..') ? rel.split('\\').join('/') : p;
        },
      },
      window: {
        createStatusBarItem(id: string): FakeStatusBarItem {
          const item = new FakeStatusBarItem(id);
          fake.statusBarItems.push(item);
          return item;
        },
        createOutputChannel(name: string): FakeLogChannel {
          const channel = new FakeLogChannel(name);
          fake.channels.push(channel);
          return channel;
        },
        async showQuickPick(items: readonly vscode.QuickPickItem[] | Promise<readonly vscode.QuickPickItem[]>, options?: vscode.QuickPickOptions) {
          const shown = await items;
          fake.quickPicks.push({ items: shown, options });
          const answer = fake.quickPickAnswers.shift();
          return answer ? answer(shown, options) : undefined;
        },
        async showInputBox(options?: vscode.InputBoxOptions) {
          fake.inputBoxes.push(options);
          const answer = fake.inputBoxAnswers.shift();
          return answer ? answer(options) : undefined;
        },
        showErrorMessage: notify('error'),
        showWarningMessage: notify('warning'),
        showInformationMessage: notify('info'),
      },
      commands: {
        registerCommand(command: string, handler: (...args: unknown[]) => unknown) {
          if (fake.commands.has(command)) throw new Error(`command ${command} already exists`);
          fake.commands.set(command, handler);
          return { dispose: () => fake.commands.delete(command) };
        },
        async executeCommand(command: string, ...args: unknown[]) {
          const handler = fake.commands.get(command);
          if (handler) return handler(...args);
          fake.executed.push({ command, args });
          fake.executedEvent.fire({ command, args });
          return undefined;
        },
      },
      env: {
        clipboard: {
          async writeText(text: string) {
            fake.clipboard = text;
          },
          async readText() {
            return fake.clipboard;
          },
        },
      },
    };
    return api as unknown as typeof vscode;
  }
}

/** A workspace folder on disk with these files (paths relative to it); `remove()` deletes it. */
export function makeWorkspace(files: Record<string, string>): { root: string; remove(): void } {
  const root = mkdtempSync(join(tmpdir(), 'tracelens-runtime-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** Resolves once the item's text satisfies `accept` (checked now and on every change). */
export function waitForStatus(item: FakeStatusBarItem, accept: (text: string) => boolean): Promise<string> {
  if (accept(item.text)) return Promise.resolve(item.text);
  return new Promise((resolve) => {
    const sub = item.changed.event(() => {
      if (!accept(item.text)) return;
      sub.dispose();
      resolve(item.text);
    });
  });
}
