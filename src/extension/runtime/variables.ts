// The active VariableSet (setting `tracelens.variableSet`, or the workspace's only VariableSet file) and the values
// of its secret variables, which live in the editor's SecretStorage: asked for once, when a run first needs them.
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type * as vscode from 'vscode';
import type { VariableSetDef } from '../../core/testfile/model';
import { readResources } from '../../run/resources';
import { SETTINGS_SECTION } from '../settings';
import { isPlaceholder, secretStorageKey } from './secrets';
import { findWorkspaceResources } from './workspace-resources';

const CHOOSE = '"Tracelens: Choose Variable Set…"';

type ChoiceItem = vscode.QuickPickItem & { choice?: { path: string } | 'clear-secrets' };

export class VariableSets {
  /** Prompts in progress, so runs in parallel ask for a secret once. */
  private readonly prompts = new Map<string, Promise<string | undefined>>();
  /** Secrets the user dismissed the prompt for: not asked again until secrets are cleared or the set changes. */
  private readonly declined = new Set<string>();
  private readonly said = new Set<string>();

  constructor(
    private readonly api: typeof vscode,
    private readonly secrets: vscode.SecretStorage,
    private readonly log: (line: string) => void,
  ) {}

  /** Absolute path of the active VariableSet file; undefined when none is active. */
  async activeFile(): Promise<string | undefined> {
    const inspected = this.api.workspace.getConfiguration(SETTINGS_SECTION).inspect<string>('variableSet');
    const chosen = inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
    // Set explicitly, even to '' ("None"): the choice stands. Unset: the workspace's only VariableSet file, if one.
    if (chosen !== undefined) return chosen.trim() ? this.resolve(chosen.trim()) : undefined;
    const files = [...new Set((await findWorkspaceResources(this.api, 'VariableSet')).map((f) => f.path))];
    if (files.length === 1) {
      this.sayOnce(`Variable set: ${this.relative(files[0]!)} (the only VariableSet file in the workspace; choose another with ${CHOOSE})`);
      return files[0];
    }
    if (files.length > 1) this.sayOnce(`${files.length} VariableSet files in the workspace and none chosen: runs use no variables; choose one with ${CHOOSE}`);
    return undefined;
  }

  /** The active set's values; secret ones from SecretStorage, asking for any not stored yet. */
  async variables(): Promise<Map<string, string>> {
    const vars = new Map<string, string>();
    const path = await this.activeFile();
    if (!path) return vars;
    const sets = await readResources(path, 'VariableSet', 'expected top-level `type: VariableSet`');
    for (const set of sets) {
      for (const v of set.values) {
        const key = v.key.value;
        if (v.type !== 'secret' || !isPlaceholder(v.value.value)) {
          vars.set(key, v.value.value);
          continue;
        }
        const secret = await this.secret(secretStorageKey(set, this.relative(path), key), key, set);
        if (secret !== undefined) vars.set(key, secret);
      }
    }
    return vars;
  }

  /** The `tracelens.chooseVariableSet` command: pick a VariableSet file of the workspace, None, or clear secrets. */
  async choose(): Promise<void> {
    const found = await findWorkspaceResources(this.api, 'VariableSet');
    const active = await this.activeFile();
    const byFile = new Map<string, VariableSetDef[]>();
    for (const f of found) byFile.set(f.path, [...(byFile.get(f.path) ?? []), f.resource]);
    const items: ChoiceItem[] = [...byFile].map(([path, sets]) => ({
      label: this.relative(path),
      description: [...sets.map((s) => s.name?.value || s.id?.value || ''), path === active ? '(active)' : ''].filter(Boolean).join(' · '),
      detail: describeValues(sets),
      choice: { path },
    }));
    items.push({ label: 'None', description: active === undefined ? 'runs use no variables (active)' : 'runs use no variables', choice: { path: '' } });
    items.push({ label: '', kind: this.api.QuickPickItemKind.Separator });
    items.push({ label: '$(trash) Clear stored secrets', description: 'values of secret variables kept in the editor\'s secret storage', choice: 'clear-secrets' });
    const picked = await this.api.window.showQuickPick(items, {
      title: 'Tracelens: Choose Variable Set',
      placeHolder: byFile.size ? 'The VariableSet whose values `${var:…}` uses in runs and completion' : 'No VariableSet file in this workspace',
    });
    if (!picked?.choice) return;
    if (picked.choice === 'clear-secrets') {
      const cleared = await this.clearSecrets();
      void this.api.window.showInformationMessage(`Tracelens: cleared ${cleared} stored secret${cleared === 1 ? '' : 's'}; runs will ask again.`);
      return;
    }
    const value = picked.choice.path ? this.relative(picked.choice.path) : '';
    const target = this.api.workspace.workspaceFolders?.length ? this.api.ConfigurationTarget.Workspace : this.api.ConfigurationTarget.Global;
    await this.api.workspace.getConfiguration(SETTINGS_SECTION).update('variableSet', value, target);
    this.declined.clear();
    this.log(value ? `Variable set: ${value} (chosen)` : 'Variable set: none (chosen): runs use no variables');
  }

  /** Deletes the stored values of every secret variable of the workspace's VariableSets; returns how many there were. */
  async clearSecrets(): Promise<number> {
    let cleared = 0;
    for (const { path, resource } of await findWorkspaceResources(this.api, 'VariableSet')) {
      for (const v of resource.values) {
        if (v.type !== 'secret') continue;
        const key = secretStorageKey(resource, this.relative(path), v.key.value);
        if ((await this.secrets.get(key)) === undefined) continue;
        await this.secrets.delete(key);
        cleared++;
      }
    }
    this.declined.clear();
    this.log(`Cleared ${cleared} stored secret${cleared === 1 ? '' : 's'}`);
    return cleared;
  }

  private async secret(storageKey: string, variable: string, set: VariableSetDef): Promise<string | undefined> {
    const stored = await this.secrets.get(storageKey);
    if (stored !== undefined) return stored;
    if (this.declined.has(storageKey)) return undefined;
    let prompt = this.prompts.get(storageKey);
    if (!prompt) {
      prompt = this.ask(storageKey, variable, set).finally(() => this.prompts.delete(storageKey));
      this.prompts.set(storageKey, prompt);
    }
    return prompt;
  }

  private async ask(storageKey: string, variable: string, set: VariableSetDef): Promise<string | undefined> {
    const setName = set.name?.value || set.id?.value || 'the active variable set';
    const value = await this.api.window.showInputBox({
      title: `Tracelens: secret variable ${variable}`,
      prompt: `Value of ${variable} (${setName}). Kept in the editor's secret storage, never written to a file.`,
      password: true,
      ignoreFocusOut: true,
      validateInput: (text) => (text === '' ? 'Enter a value, or press Escape to run without it' : undefined),
    });
    if (value === undefined || value === '') {
      this.declined.add(storageKey);
      this.log(`Secret variable ${variable} has no value: tests that use \${var:${variable}} will error`);
      return undefined;
    }
    await this.secrets.store(storageKey, value);
    this.log(`Secret variable ${variable} stored in the editor's secret storage`);
    return value;
  }

  private resolve(setting: string): string {
    if (isAbsolute(setting)) return setting;
    const folders = this.api.workspace.workspaceFolders ?? [];
    const existing = folders.map((f) => join(f.uri.fsPath, setting)).find((p) => existsSync(p));
    return existing ?? join(folders[0]?.uri.fsPath ?? process.cwd(), setting);
  }

  private relative(path: string): string {
    return this.api.workspace.asRelativePath(path, false);
  }

  private sayOnce(line: string): void {
    if (this.said.has(line)) return;
    this.said.add(line);
    this.log(line);
  }
}

function describeValues(sets: readonly VariableSetDef[]): string {
  const values = sets.flatMap((s) => s.values);
  const secrets = values.filter((v) => v.type === 'secret').length;
  const names = values.map((v) => v.key.value);
  const shown = names.length > 4 ? `${names.slice(0, 4).join(', ')}, …` : names.join(', ');
  return `${values.length} variable${values.length === 1 ? '' : 's'}${secrets ? ` (${secrets} secret)` : ''}${shown ? `: ${shown}` : ''}`;
}
