// The run's variable store: VariableSet files (later wins), then --var KEY=VALUE (wins over files).
import { FileError } from './files';
import { readResources } from './resources';

export async function loadVariables(files: readonly string[], assignments: readonly string[]): Promise<Map<string, string>> {
  const vars = new Map<string, string>();
  for (const path of files) {
    const sets = await readResources(path, 'VariableSet', 'expected top-level `type: VariableSet`');
    for (const set of sets) for (const v of set.values) vars.set(v.key.value, v.value.value);
  }
  for (const a of assignments) {
    const eq = a.indexOf('=');
    if (eq <= 0) throw new FileError(`--var ${a}: expected KEY=VALUE`);
    vars.set(a.slice(0, eq), a.slice(eq + 1));
  }
  return vars;
}
