// Reading the non-test resources a run uses: VariableSets (--vars), a DataStore (--data-store), PollingProfiles,
// the Analyzer and the TestRunner.
import { stat } from 'node:fs/promises';
import { gateSettings, type GateSettings } from '../core/analyzer/index';
import type { AnalyzerDef, DataStoreDef, LoadedFile, PollingProfileDef, ResourceDef, TestRunnerDef } from '../core/testfile/model';
import { validateFile } from '../core/testfile/validate';
import { loadFile } from '../core/testfile/index';
import { displayPath, FileError, readTestFile, type InputFile } from './files';
import { dataStoreConfig, parseDataStoreFlag, type DataStoreConfig } from './sources/datastore';

type KindOf<K extends ResourceDef['kind']> = Extract<ResourceDef, { kind: K }>;

/** The resources of one kind in a file; a FileError (exit 2) when the file is invalid or has none. */
export async function readResources<K extends ResourceDef['kind']>(path: string, kind: K, hint: string): Promise<KindOf<K>[]> {
  const loaded = await readTestFile(path);
  const errors = validateFile(loaded).filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new FileError(errors.map((p) => `${displayPath(path)}:${p.line}:${p.column}: ${p.message}`).join('\n'));
  const found = loaded.resources.flatMap((r) => (r.resource?.kind === kind ? [r.resource as KindOf<K>] : []));
  // A warning may say what the file is instead (a Tracetest Cloud environment is no variable set).
  const why = loaded.problems.map((p) => `; ${p.line}:${p.column}: ${p.message}`).join('');
  if (found.length === 0) throw new FileError(`${displayPath(path)}: not a ${kind} file (${hint})${why}`);
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

const POLLING_PROFILE = /^type:\s*["']?PollingProfile\b/m;
const VARIABLE_SET = /^type:\s*["']?(VariableSet|Environment)\b/m;

/** PollingProfiles among the inputs: the `default: true` one applies to every test, tests may name others. */
export function pollingProfilesIn(files: readonly InputFile[]): PollingProfileDef[] {
  return files
    .filter((f) => POLLING_PROFILE.test(f.text))
    .flatMap((f) => loadFile(f.text, f.path).resources.flatMap((r) => (r.resource?.kind === 'PollingProfile' ? [r.resource] : [])));
}

/**
 * VariableSet files found in the inputs' directories, used when the run names none with --vars (like the demo's
 * vars.yaml). Tracetest Cloud environments (`type: Environment` that load as no variable set) are not among them.
 */
export function variableSetFilesIn(files: readonly InputFile[]): string[] {
  return files.filter((f) => !f.named && VARIABLE_SET.test(f.text) && !isOtherEnvironment(loadFile(f.text, f.path))).map((f) => f.path);
}

function isOtherEnvironment(file: LoadedFile): boolean {
  return file.problems.every((p) => p.severity !== 'error') && !file.resources.some((r) => r.resource?.kind === 'VariableSet');
}

const GATE_SETTINGS = /^type:\s*["']?(Analyzer|TestRunner)\b/m;

/**
 * The Analyzer and the TestRunner among the inputs, the first of each kind; notes say which files apply (they can fail
 * tests) and which others were ignored. An invalid one is a FileError: a gate silently dropped would pass a run.
 */
export function gateSettingsIn(files: readonly InputFile[]): { settings: GateSettings; notes: string[] } {
  const found: Array<{ path: string; resource: AnalyzerDef | TestRunnerDef }> = [];
  for (const file of files.filter((f) => GATE_SETTINGS.test(f.text))) {
    const loaded = loadFile(file.text, file.path);
    const errors = validateFile(loaded).filter((p) => p.severity === 'error');
    if (errors.length > 0) throw new FileError(errors.map((p) => `${displayPath(file.path)}:${p.line}:${p.column}: ${p.message}`).join('\n'));
    for (const { resource } of loaded.resources)
      if (resource?.kind === 'Analyzer' || resource?.kind === 'TestRunner') found.push({ path: file.path, resource });
  }
  const notes: string[] = [];
  const pick = <K extends 'Analyzer' | 'TestRunner'>(kind: K): Extract<ResourceDef, { kind: K }> | undefined => {
    const all = found.filter((f) => f.resource.kind === kind);
    if (all.length === 0) return undefined;
    const ignored = all.slice(1).map((f) => displayPath(f.path));
    notes.push(
      `using the ${kind} of ${displayPath(all[0]!.path)}${ignored.length > 0 ? ` (ignoring the one${ignored.length > 1 ? 's' : ''} in ${ignored.join(', ')})` : ''}`,
    );
    return all[0]!.resource as Extract<ResourceDef, { kind: K }>;
  };
  return { settings: gateSettings(pick('Analyzer'), pick('TestRunner')), notes };
}
