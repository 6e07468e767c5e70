// Secret variables: which file values stand for "kept elsewhere", and where their real values are stored.
import type { VariableSetDef } from '../../core/testfile/model';

/**
 * A secret's value in a shared file is usually left empty or written as a placeholder (`***`, `<api key>`,
 * `changeme`): such a value is not a value, the real one comes from the editor's secret storage.
 */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  return v === '' || /^[*•x]{3,}$/i.test(v) || /^<[^<>]*>$/.test(v) || /^(redacted|changeme|change-me|secret)$/i.test(v);
}

/** One SecretStorage key per variable set and variable: the set's id, else the file it is in. */
export function secretStorageKey(set: VariableSetDef, file: string, variable: string): string {
  return `tracelens.variable/${set.id?.value || file}/${variable}`;
}
