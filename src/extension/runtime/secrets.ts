// Where the editor keeps the values of secret variables: SecretStorage, one entry per workspace folder, variable set
// and variable. SecretStorage is shared by every window of the editor, so a key without the folder would hand a
// secret to any repository with a VariableSet of the same id.
import type { VariableSetDef } from '../../core/testfile/model';

export interface FolderLike {
  uri: { fsPath: string; toString(): string };
  name: string;
}

/** The workspace folder that holds the file (the innermost one), if any. */
export function folderOf(folders: readonly FolderLike[] | undefined, file: string): FolderLike | undefined {
  let found: FolderLike | undefined;
  for (const folder of folders ?? []) {
    const root = folder.uri.fsPath.replace(/[\\/]+$/, '');
    const inside = file === root || file.startsWith(`${root}/`) || file.startsWith(`${root}\\`);
    if (inside && (!found || root.length > found.uri.fsPath.length)) found = folder;
  }
  return found;
}

/**
 * The key of a secret variable's value: the folder the VariableSet file is in (its URI, or the file itself when it
 * is in no folder), then the set's id (else the file), then the variable.
 */
export function secretStorageKey(scope: string, set: VariableSetDef, file: string, variable: string): string {
  return `tracelens.variable/${encodeURIComponent(scope)}/${set.id?.value || file}/${variable}`;
}

/** Where versions before the per-folder keys stored the value: the same for every workspace. */
export function legacySecretStorageKey(set: VariableSetDef, file: string, variable: string): string {
  return `tracelens.variable/${set.id?.value || file}/${variable}`;
}
