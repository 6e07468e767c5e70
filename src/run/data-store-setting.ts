// The `tracelens.dataStore` setting to a data store: inline `jaeger=<url>`, `tempo=<url>`, `file=<path>`, `otlp`,
// or a DataStore file. Relative paths are relative to the workspace folder (the extension host's working
// directory is not the workspace). Part of the run bundle: only a run reads it.
import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { readDataStore } from './resources';
import { parseDataStoreFlag, type DataStoreConfig } from './sources/datastore';

const INLINE = /^(otlp|(jaeger|tempo|file)=.*)$/;

export interface ResolvedDataStore {
  config: DataStoreConfig;
  /** How Tracetest settings of a DataStore file were read: worth a log line. */
  warnings: string[];
}

/** Throws an Error whose message names the setting and what is wrong with it. */
export async function resolveDataStore(setting: string, workspaceRoot: string | undefined): Promise<ResolvedDataStore> {
  const value = setting.trim();
  if (value === '') return { config: { type: 'otlp' }, warnings: [] };
  const base = workspaceRoot ?? process.cwd();
  const asPath = isAbsolute(value) ? value : resolve(base, value);
  if (INLINE.test(value) && !(await stat(asPath).catch(() => undefined))) {
    const filePath = value.startsWith('file=') ? value.slice('file='.length).trim() : '';
    const parsed = parseDataStoreFlag(filePath ? `file=${resolve(base, filePath)}` : value);
    if (!parsed.ok) throw new Error(`tracelens.dataStore: ${parsed.error}`);
    return { config: parsed.value, warnings: [] };
  }
  try {
    return await readDataStore(asPath);
  } catch (e) {
    throw new Error(`tracelens.dataStore: ${(e as Error).message}`, { cause: e });
  }
}
