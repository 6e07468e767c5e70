// The run's variable store: VariableSet files (later wins), then --var KEY=VALUE (wins over files).
import { readTestFile, displayPath, FileError } from './files';
import { validateFile } from '../core/testfile/validate';

export async function loadVariables(files: readonly string[], assignments: readonly string[]): Promise<Map<string, string>> {
  const vars = new Map<string, string>();
  for (const path of files) {
    const loaded = await readTestFile(path);
    const errors = validateFile(loaded).filter((p) => p.severity === 'error');
    if (errors.length > 0) {
      throw new FileError(errors.map((p) => `${displayPath(path)}:${p.line}:${p.column}: ${p.message}`).join('\n'));
    }
    const sets = loaded.resources.flatMap((r) => (r.resource?.kind === 'VariableSet' ? [r.resource] : []));
    if (sets.length === 0) throw new FileError(`${displayPath(path)}: not a VariableSet file (expected top-level \`type: VariableSet\`)`);
    for (const set of sets) for (const v of set.values) vars.set(v.key.value, v.value.value);
  }
  for (const a of assignments) {
    const eq = a.indexOf('=');
    if (eq <= 0) throw new FileError(`--var ${a}: expected KEY=VALUE`);
    vars.set(a.slice(0, eq), a.slice(eq + 1));
  }
  return vars;
}
