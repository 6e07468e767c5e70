// Resources (VariableSet, PollingProfile, Analyzer, TestRunner) found in the workspace's YAML files by their top-level
// `type`.
import { readFile } from 'node:fs/promises';
import type { VscodeApi } from '../editor/vscode-api';
import { loadFile, type ResourceDef } from '../../core/testfile/index';

export type KindOf<K extends ResourceDef['kind']> = Extract<ResourceDef, { kind: K }>;

export interface FoundResource<K extends ResourceDef['kind']> {
  /** Absolute path of the file. */
  path: string;
  resource: KindOf<K>;
}

const YAML_FILES = '**/*.{yaml,yml}';
const SKIPPED = '**/{node_modules,.git,dist,out}/**';

/** Type names per kind, including Tracetest's older aliases. */
const TYPE_NAMES: Partial<Record<ResourceDef['kind'], string[]>> = { VariableSet: ['VariableSet', 'Environment'] };

/** Resources of the kinds, in one pass over the workspace's YAML files (in path order). */
export async function findWorkspaceResources<K extends ResourceDef['kind']>(api: VscodeApi, ...kinds: K[]): Promise<FoundResource<K>[]> {
  const names = kinds.flatMap((kind) => TYPE_NAMES[kind] ?? [kind]);
  // A cheap text test first, so only files of this kind are parsed.
  const topLevelType = new RegExp(`^(?:\\uFEFF)?type[ \\t]*:[ \\t]*["']?(?:${names.join('|')})\\b`, 'm');
  const uris = await api.workspace.findFiles(YAML_FILES, SKIPPED);
  const found: FoundResource<K>[] = [];
  for (const uri of [...uris].sort((a, b) => a.fsPath.localeCompare(b.fsPath))) {
    const text = await readFile(uri.fsPath, 'utf8').catch(() => undefined);
    if (text === undefined || !topLevelType.test(text)) continue;
    for (const r of loadFile(text, uri.fsPath).resources) {
      if (r.resource && (kinds as string[]).includes(r.resource.kind)) found.push({ path: uri.fsPath, resource: r.resource as KindOf<K> });
    }
  }
  return found;
}
