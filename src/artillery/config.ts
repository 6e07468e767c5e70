// The plugin's settings (`config.plugins.tracelens` of an Artillery script), checked once: every mistake is an error
// that names the setting, before a request is sent.
import { isAbsolute, resolve } from 'node:path';
import { parseGoDuration } from '../core/testfile/durations';
import { parseDataStoreFlag, type PullDataStoreConfig } from '../run/sources/datastore';

export const PLUGIN = 'tracelens';
export const DEFAULT_SAMPLE = 0.1;
export const DEFAULT_TRACE_IDS_FILE = 'tracelens-trace-ids.txt';
export const DEFAULT_MAX_CHECKS = 50;

export interface PluginConfig {
  /** Absolute path of the Tracelens test whose specs judge the sampled traces. */
  test: string;
  /** Share of requests whose trace is judged (or written down), 0 to 1. */
  sample: number;
  /** Where the sampled traces are read from: an inline `jaeger=<url>` / `tempo=<url>`, or a DataStore file. */
  dataStore?: { inline: PullDataStoreConfig } | { file: string };
  /** Without a data store: the file the sampled trace ids are appended to. */
  traceIdsFile: string;
  /** VariableSet files, later wins. */
  vars: string[];
  timeoutMs?: number;
  exportDelayMs?: number;
  maxChecks: number;
  /** How long the last virtual users wait for the checks still in flight; default: the test's timeout and 10 s. */
  drainTimeoutMs?: number;
}

export class PluginConfigError extends Error {
  constructor(message: string) {
    super(`artillery-plugin-tracelens: ${message}`);
  }
}

/** `raw` is the script's `config.plugins.tracelens`; relative paths are taken from `baseDir` (the script's folder). */
export function parsePluginConfig(raw: unknown, baseDir: string): PluginConfig {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new PluginConfigError('config.plugins.tracelens: expected a map of settings, with at least `test`');
  const settings = raw as Record<string, unknown>;
  const known = new Set(['test', 'sample', 'dataStore', 'traceIdsFile', 'vars', 'timeout', 'exportDelay', 'maxChecks', 'drainTimeout']);
  for (const key of Object.keys(settings))
    if (!known.has(key)) throw new PluginConfigError(`config.plugins.tracelens.${key}: unknown setting (known: ${[...known].join(', ')})`);
  const path = (key: string, value: unknown): string => {
    if (typeof value !== 'string' || value.trim() === '') throw new PluginConfigError(`config.plugins.tracelens.${key}: expected a file path`);
    return isAbsolute(value) ? value : resolve(baseDir, value);
  };
  const duration = (key: string): number | undefined => {
    const value = settings[key];
    if (value === undefined) return undefined;
    const ms = typeof value === 'string' ? parseGoDuration(value.trim()) : undefined;
    if (ms === undefined || ms < 0)
      throw new PluginConfigError(`config.plugins.tracelens.${key}: expected a duration such as 30s, 1m or 500ms; got ${JSON.stringify(value)}`);
    return ms;
  };
  if (settings['test'] === undefined)
    throw new PluginConfigError('config.plugins.tracelens.test: missing: name the Tracelens test whose specs judge the sampled traces');
  const sample = settings['sample'] ?? DEFAULT_SAMPLE;
  if (typeof sample !== 'number' || !(sample >= 0 && sample <= 1))
    throw new PluginConfigError(`config.plugins.tracelens.sample: expected a share from 0 to 1, such as 0.1; got ${JSON.stringify(sample)}`);
  const maxChecks = settings['maxChecks'] ?? DEFAULT_MAX_CHECKS;
  if (typeof maxChecks !== 'number' || !Number.isInteger(maxChecks) || maxChecks < 1)
    throw new PluginConfigError(`config.plugins.tracelens.maxChecks: expected a whole number of at least 1; got ${JSON.stringify(maxChecks)}`);
  const vars = settings['vars'] === undefined ? [] : Array.isArray(settings['vars']) ? settings['vars'] : [settings['vars']];
  const timeoutMs = duration('timeout');
  const exportDelayMs = duration('exportDelay');
  const drainTimeoutMs = duration('drainTimeout');
  const dataStore = settings['dataStore'] === undefined ? undefined : dataStoreSetting(settings['dataStore'], baseDir);
  if (dataStore && settings['traceIdsFile'] !== undefined)
    throw new PluginConfigError(
      'config.plugins.tracelens.traceIdsFile: with a dataStore the traces are judged during the run and no ids are written; set one or the other',
    );
  return {
    test: path('test', settings['test']),
    sample,
    ...(dataStore ? { dataStore } : {}),
    traceIdsFile: path('traceIdsFile', settings['traceIdsFile'] ?? DEFAULT_TRACE_IDS_FILE),
    vars: vars.map((v, i) => path(`vars[${i}]`, v)),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(exportDelayMs !== undefined ? { exportDelayMs } : {}),
    maxChecks,
    ...(drainTimeoutMs !== undefined ? { drainTimeoutMs } : {}),
  };
}

function dataStoreSetting(value: unknown, baseDir: string): NonNullable<PluginConfig['dataStore']> {
  if (typeof value !== 'string' || value.trim() === '')
    throw new PluginConfigError('config.plugins.tracelens.dataStore: expected jaeger=<url>, tempo=<url> or the path of a DataStore file');
  if (!/^(otlp$|\w+=)/.test(value.trim())) return { file: isAbsolute(value) ? value : resolve(baseDir, value) };
  const parsed = parseDataStoreFlag(value);
  if (!parsed.ok) throw new PluginConfigError(`config.plugins.tracelens.dataStore: ${parsed.error}`);
  return { inline: pullStore(parsed.value) };
}

/** Under load the traces are read back from where the services export them: Jaeger or Tempo. */
export function pullStore(config: { type: string }): PullDataStoreConfig {
  if (config.type === 'jaeger' || config.type === 'tempo') return config as PullDataStoreConfig;
  throw new PluginConfigError(
    `config.plugins.tracelens.dataStore: ${config.type}: the plugin reads the sampled traces from Jaeger or Tempo (jaeger=<url>, tempo=<url>); without a dataStore it writes their ids for \`tracelens check --trace-ids\``,
  );
}
