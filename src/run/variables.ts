// The run's variable store and which of its variables are secret. On the command line: VariableSet files (later
// wins), then --var KEY=VALUE, then --secret KEY=VALUE or --secret KEY (from the environment variable KEY).
import { createRedactor, isMaskable, type Redactor } from '../core/redact/redactor';
import { displayPath, FileError } from './files';
import { readResources } from './resources';

export interface RunVariables {
  values: Map<string, string>;
  /** Names of the variables whose values are secret: masked in everything a run writes or shows. */
  secrets: Set<string>;
}

export function noVariables(): RunVariables {
  return { values: new Map(), secrets: new Set() };
}

/** The redactor of the secret variables' values. */
export function redactorFor(variables: RunVariables): Redactor {
  return createRedactor(secretValues(variables));
}

/** Secret variables whose values are too short to be masked (the reports would be all asterisks otherwise). */
export function unmaskableSecrets(variables: RunVariables): string[] {
  return [...variables.secrets].filter((name) => {
    const value = variables.values.get(name);
    return value !== undefined && value !== '' && !isMaskable(value);
  });
}

function secretValues(variables: RunVariables): string[] {
  return [...variables.secrets].flatMap((name) => {
    const value = variables.values.get(name);
    return value === undefined ? [] : [value];
  });
}

/**
 * A secret's value in a shared file is usually left empty or written as a placeholder (`***`, `<api key>`,
 * `changeme`): such a value is not a value, the real one comes from elsewhere (the environment, the editor's
 * secret storage).
 */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  return v === '' || /^[*•x]{3,}$/i.test(v) || /^<[^<>]*>$/.test(v) || /^(redacted|changeme|change-me|secret)$/i.test(v);
}

export interface VariableInputs {
  /** VariableSet files, later wins. */
  files: readonly string[];
  /** `--var KEY=VALUE`: win over files. */
  assignments: readonly string[];
  /** `--secret KEY=VALUE` or `--secret KEY`: win over both, and are secret. */
  secrets: readonly string[];
  /** The process environment: `--secret KEY` and placeholder secrets of files read it. */
  env: (name: string) => string | undefined;
}

/** The variables of a command-line run, and notes for the user (a secret without a value, one too short to mask). */
export async function loadVariables(inputs: VariableInputs): Promise<{ variables: RunVariables; notes: string[] }> {
  const variables = noVariables();
  const notes: string[] = [];
  const { values, secrets } = variables;
  /** Secret variables of files left without a value, by the file that declared them last. */
  const missing = new Map<string, string>();
  for (const path of inputs.files) {
    const sets = await readResources(path, 'VariableSet', 'expected top-level `type: VariableSet`');
    for (const set of sets) {
      for (const v of set.values) {
        const key = v.key.value;
        if (v.type !== 'secret') {
          values.set(key, v.value.value);
          continue;
        }
        secrets.add(key);
        // A placeholder stands for a value kept elsewhere: in CI, an environment variable of the same name.
        const value = isPlaceholder(v.value.value) ? inputs.env(key) : v.value.value;
        if (value !== undefined) values.set(key, value);
        else {
          values.delete(key);
          missing.set(key, path);
        }
      }
    }
  }
  for (const a of inputs.assignments) {
    const eq = a.indexOf('=');
    if (eq <= 0) throw new FileError(`--var ${a}: expected KEY=VALUE`);
    values.set(a.slice(0, eq), a.slice(eq + 1));
  }
  for (const s of inputs.secrets) {
    const { key, value } = secretFlag(s, inputs.env);
    values.set(key, value);
    secrets.add(key);
  }
  for (const [key, path] of missing) {
    if (!values.has(key))
      notes.push(`secret variable ${key} of ${displayPath(path)} has no value in the file: set the environment variable ${key}, or pass --secret ${key}=…`);
  }
  for (const name of unmaskableSecrets(variables))
    notes.push(`secret variable ${name} is shorter than 4 characters: it cannot be masked in what the run writes`);
  return { variables, notes };
}

/** `KEY=VALUE`, or `KEY` alone for the environment variable KEY (so the value stays out of the command line). */
function secretFlag(flag: string, env: (name: string) => string | undefined): { key: string; value: string } {
  const eq = flag.indexOf('=');
  if (eq > 0) {
    const value = flag.slice(eq + 1);
    if (value === '') throw new FileError(`--secret ${flag.slice(0, eq)}=: the value is empty`);
    return { key: flag.slice(0, eq), value };
  }
  // The text is not repeated when it is not a name: it may be a value given without its KEY=.
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(flag)) throw new FileError('--secret: expected KEY=VALUE, or the name of an environment variable that holds the value');
  const value = env(flag);
  if (value === undefined || value === '') throw new FileError(`--secret ${flag}: the environment variable ${flag} is not set`);
  return { key: flag, value };
}
