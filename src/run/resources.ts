// Reading the non-test resources a run uses: VariableSets (--vars), a DataStore (--data-store), PollingProfiles.
import type { DataStoreDef, PollingProfileDef, ResourceDef } from '../core/testfile/model';
import { validateFile } from '../core/testfile/validate';
import { displayPath, expandInputs, FileError, readTestFile } from './files';
import { dataStoreConfig, type DataStoreConfig } from './sources/datastore';

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

/** The DataStore of a `--data-store` file, and warnings about how its Tracetest settings were read. */
export async function readDataStore(path: string): Promise<{ config: DataStoreConfig; warnings: string[] }> {
  const [store] = (await readResources(path, 'DataStore', 'expected top-level `type: DataStore`')) as [DataStoreDef];
  const config = dataStoreConfig(store, path);
  if (!config.ok) throw new FileError(`${displayPath(path)}: ${config.error}`);
  return { config: config.value, warnings: config.warnings.map((w) => `${displayPath(path)}: ${w}`) };
}

const POLLING_PROFILE = /^type:\s*["']?PollingProfile\b/m;

/** PollingProfiles among the run's inputs (directories searched like tests); invalid ones are reported by `validate`. */
export async function findPollingProfiles(inputs: readonly string[]): Promise<PollingProfileDef[]> {
  const paths = await expandInputs(inputs, (text) => POLLING_PROFILE.test(text));
  const profiles: PollingProfileDef[] = [];
  for (const path of paths) {
    const loaded = await readTestFile(path);
    for (const r of loaded.resources) if (r.resource?.kind === 'PollingProfile') profiles.push(r.resource);
  }
  return profiles;
}
