// The command table against the manifest and the code: every id in package.json's commands and menus is in the
// table, every id of the table is contributed and registered, and no module spells an id out on its own.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { COMMANDS } from '../../../src/extension/command-ids';
import { ROOT } from './support';

interface Manifest {
  contributes: { commands: Array<{ command: string }>; menus: Record<string, Array<{ command: string }>> };
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
const table = new Set<string>(Object.values(COMMANDS));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('command table', () => {
  test('is exactly the commands package.json contributes', () => {
    assert.deepEqual(manifest.contributes.commands.map((c) => c.command).sort(), [...table].sort());
  });

  test('every menu entry names a command of the table', () => {
    for (const [menu, entries] of Object.entries(manifest.contributes.menus)) {
      for (const { command } of entries) assert.ok(table.has(command), `${menu}: ${command} is not in src/extension/command-ids.ts`);
    }
  });

  test('the extension registers every command of the table, by its constant, and spells no id out elsewhere', () => {
    const registered = new Set<string>();
    const dir = join(ROOT, 'src', 'extension');
    for (const file of sources(dir)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/registerCommand\(\s*COMMANDS\.(\w+)/g)) registered.add(m[1]!);
      if (file.endsWith('command-ids.ts')) continue;
      const literal = text.split('\n').find((line) => !line.trimStart().startsWith('//') && [...table].some((id) => line.includes(`'${id}'`)));
      assert.equal(literal, undefined, `${relative(ROOT, file)} spells a command id out instead of using COMMANDS`);
    }
    assert.deepEqual([...registered].sort(), Object.keys(COMMANDS).sort());
  });
});
