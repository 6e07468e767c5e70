// The active VariableSet (setting `tracelens.variableSet`, or the workspace's only VariableSet file) and the values
// of its secret variables, which live in the editor's SecretStorage under the workspace folder: asked for once,
// when a run first needs them. A value stored by an earlier version (under a key every workspace shared) is only
// used in a folder once the user says so.
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type * as vscode from 'vscode';
import type { VscodeApi } from '../editor/vscode-api';
import type { VariableSetDef } from '../../core/testfile/model';
import { readResources } from '../../run/resources';
import { isPlaceholder, noVariables, type RunVariables } from '../../run/variables';
import { SETTINGS_SECTION } from '../settings';
import { folderOf, legacySecretStorageKey, secretStorageKey } from './secrets';
import { findWorkspaceResources } from './workspace-resources';

const CHOOSE = '"Tracelens: Choose Variable Set…"';

type ChoiceItem = vscode.QuickPickItem & { choice?: { path: string } | 'clear-secrets' };

/** A secret variable of a set in a file: where its value is kept, and what to call it when asking. */
interface SecretSlot {
  key: string;
  legacyKey: string;
  variable: string;
  set: VariableSetDef;
  /** The workspace folder's name, or the file's path when it is in none. */
  place: string;
}

export interface VariablesOptions {
  /** Ask for secrets not stored yet (runs). Completion, hover and the panel only read what is stored. */
  ask?: boolean;
}

const USE_HERE = 'Use Here';
const ENTER_ANOTHER = 'Enter Another Value';

export class VariableSets {
  /** Prompts in progress, so runs in parallel ask for a secret once. */
  private readonly prompts = new Map<string, Promise<string | undefined>>();
  /** Secrets the user dismissed the prompt for: not asked again until secrets are cleared or the set changes. */
  private readonly declined = new Set<string>();
  private readonly said = new Set<string>();

  constructor(
    private readonly api: VscodeApi,
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

  /** The active set's values and which are secret; secret ones from SecretStorage, asking for any not stored yet. */
  async variables(options: VariablesOptions = {}): Promise<RunVariables> {
    const vars = noVariables();
    const path = await this.activeFile();
    if (!path) return vars;
    const sets = await readResources(path, 'VariableSet', 'expected top-level `type: VariableSet`');
    for (const set of sets) {
      for (const v of set.values) {
        const key = v.key.value;
        if (v.type === 'secret') vars.secrets.add(key);
        else vars.secrets.delete(key);
        if (v.type !== 'secret' || !isPlaceholder(v.value.value)) {
          vars.values.set(key, v.value.value);
          continue;
        }
        const slot = this.slot(path, set, key);
        const secret = options.ask === false ? await this.secrets.get(slot.key) : await this.secret(slot);
        if (secret !== undefined) vars.values.set(key, secret);
        else vars.values.delete(key);
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
    items.push({
      label: '$(trash) Clear stored secrets',
      description: "values of secret variables kept in the editor's secret storage",
      choice: 'clear-secrets',
    });
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

  /**
   * Deletes the stored values of every secret variable of the workspace's VariableSets (in this workspace, and any an
   * earlier version stored for every workspace); returns how many there were.
   */
  async clearSecrets(): Promise<number> {
    let cleared = 0;
    for (const { path, resource } of await findWorkspaceResources(this.api, 'VariableSet')) {
      for (const v of resource.values) {
        if (v.type !== 'secret') continue;
        const slot = this.slot(path, resource, v.key.value);
        for (const key of [slot.key, slot.legacyKey]) {
          if ((await this.secrets.get(key)) === undefined) continue;
          await this.secrets.delete(key);
          cleared++;
        }
      }
    }
    this.declined.clear();
    this.log(`Cleared ${cleared} stored secret${cleared === 1 ? '' : 's'}`);
    return cleared;
  }

  private slot(path: string, set: VariableSetDef, variable: string): SecretSlot {
    const folder = folderOf(this.api.workspace.workspaceFolders, path);
    const file = this.relative(path);
    return {
      key: secretStorageKey(folder?.uri.toString() ?? path, set, file, variable),
      legacyKey: legacySecretStorageKey(set, file, variable),
      variable,
      set,
      place: folder?.name ?? path,
    };
  }

  private async secret(slot: SecretSlot): Promise<string | undefined> {
    const stored = await this.secrets.get(slot.key);
    if (stored !== undefined) return stored;
    if (this.declined.has(slot.key)) return undefined;
    let prompt = this.prompts.get(slot.key);
    if (!prompt) {
      prompt = this.obtain(slot).finally(() => this.prompts.delete(slot.key));
      this.prompts.set(slot.key, prompt);
    }
    return prompt;
  }

  /** A value stored the old way, if the user takes it for this folder; else one typed in. */
  private async obtain(slot: SecretSlot): Promise<string | undefined> {
    const legacy = await this.secrets.get(slot.legacyKey);
    if (legacy !== undefined) {
      const answer = await this.api.window.showWarningMessage(
        `Tracelens found a value of the secret variable ${slot.variable} (${setName(slot.set)}) stored by an earlier version, which shared it with every workspace. Use it for ${slot.place}?`,
        {
          modal: true,
          detail: `Only if you stored it for this project. Once used here it is kept for ${slot.place} alone and no other workspace is offered it.`,
        },
        USE_HERE,
        ENTER_ANOTHER,
      );
      if (answer === USE_HERE) {
        await this.secrets.store(slot.key, legacy);
        await this.secrets.delete(slot.legacyKey);
        this.log(`Secret variable ${slot.variable} moved to the secret storage of ${slot.place}`);
        return legacy;
      }
    }
    return this.ask(slot);
  }

  private async ask(slot: SecretSlot): Promise<string | undefined> {
    const { variable } = slot;
    const value = await this.api.window.showInputBox({
      title: `Tracelens: secret variable ${variable}`,
      prompt: `Value of ${variable} (${setName(slot.set)}) for ${slot.place}. Kept in the editor's secret storage, never written to a file.`,
      password: true,
      ignoreFocusOut: true,
      validateInput: (text) => (text === '' ? 'Enter a value, or press Escape to run without it' : undefined),
    });
    if (value === undefined || value === '') {
      this.declined.add(slot.key);
      this.log(`Secret variable ${variable} has no value: tests that use \${var:${variable}} will error`);
      return undefined;
    }
    await this.secrets.store(slot.key, value);
    this.log(`Secret variable ${variable} stored in the editor's secret storage for ${slot.place}`);
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

function setName(set: VariableSetDef): string {
  return set.name?.value || set.id?.value || 'the active variable set';
}

function describeValues(sets: readonly VariableSetDef[]): string {
  const values = sets.flatMap((s) => s.values);
  const secrets = values.filter((v) => v.type === 'secret').length;
  const names = values.map((v) => v.key.value);
  const shown = names.length > 4 ? `${names.slice(0, 4).join(', ')}, …` : names.join(', ');
  return `${values.length} variable${values.length === 1 ? '' : 's'}${secrets ? ` (${secrets} secret)` : ''}${shown ? `: ${shown}` : ''}`;
}
