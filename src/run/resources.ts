// Reading the non-test resources a run uses: VariableSets (--vars), a DataStore (--data-store), PollingProfiles.
import { stat } from 'node:fs/promises';
import type { DataStoreDef, PollingProfileDef, ResourceDef } from '../core/testfile/model';
import { validateFile } from '../core/testfile/validate';
import { displayPath, expandInputs, FileError, readTestFile } from './files';
import { dataStoreConfig, parseDataStoreFlag, type DataStoreConfig } from './sources/datastore';

type KindOf<K extends ResourceDef['kind']> = Extract<ResourceDef, { kind: K }>;

/** The resources of one kind in a file; a FileError (exit 2) when the file is invalid or has none. */
export async function readResources<K extends ResourceDef['kind']>(path: string, kind: K, hint: string): Promise<KindOf<K>[]> {
  const loaded = await readTestFile(path);
  const errors = validateFile(loaded).filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new FileError(errors.map((p) => `${displayPath(path)}:${p.line}:${p.column}: ${p.message}`).join('\n'));
  const found = loaded.resources.flatMap((r) => (r.resource?.kind === kind ? [r.resource as KindOf<K>] : []));
  if (found.length === 0) throw new FileError(`${displayPath(path)}: not a ${kind} file (${hint})`);
  return found;
}

/**
 * `--data-store`: a DataStore file, or inline `otlp`, `jaeger=<url>`, `tempo=<url>`, `file=<path>` when no file has
 * that name. Returns warnings about how Tracetest settings were read.
 */
export async function readDataStore(path: string): Promise<{ config: DataStoreConfig; warnings: string[] }> {
  if (/^(otlp|(jaeger|tempo|file)=.*)$/.test(path.trim()) && !(await stat(path).catch(() => undefined))) {
    const inline = parseDataStoreFlag(path);
    if (!inline.ok) throw new FileError(`--data-store ${inline.error}`);
    return { config: inline.value, warnings: [] };
  }
  const [store] = (await readResources(path, 'DataStore', 'expected top-level `type: DataStore`')) as [DataStoreDef];
  const config = dataStoreConfig(store, path);
  if (!config.ok) throw new FileError(`${displayPath(path)}: ${config.error}`);
  return { config: config.value, warnings: config.warnings.map((w) => `${displayPath(path)}: ${w}`) };
}

/** Resources of one kind found among the run's inputs (directories searched like tests), with the files they came from. */
async function findResources<K extends ResourceDef['kind']>(inputs: readonly string[], kind: K, aliases: readonly string[] = []): Promise<{ path: string; resource: KindOf<K> }[]> {
  const topLevelType = new RegExp(`^type:\\s*["']?(${[kind, ...aliases].join('|')})\\b`, 'm');
  const paths = await expandInputs(inputs, (text) => topLevelType.test(text));
  const found: { path: string; resource: KindOf<K> }[] = [];
  for (const path of paths) {
    const loaded = await readTestFile(path);
    for (const r of loaded.resources) if (r.resource?.kind === kind) found.push({ path, resource: r.resource as KindOf<K> });
  }
  return found;
}

/** PollingProfiles among the inputs: the `default: true` one applies to every test, tests may name others. */
export async function findPollingProfiles(inputs: readonly string[]): Promise<PollingProfileDef[]> {
  return (await findResources(inputs, 'PollingProfile')).map((f) => f.resource);
}

/** VariableSet files among the inputs' directories, used when the run names none with --vars (like the demo's vars.yaml). */
export async function findVariableSetFiles(inputs: readonly string[]): Promise<string[]> {
  const directories = [];
  for (const input of inputs) if ((await stat(input).catch(() => undefined))?.isDirectory()) directories.push(input);
  return [...new Set((await findResources(directories, 'VariableSet', ['Environment'])).map((f) => f.path))];
}
