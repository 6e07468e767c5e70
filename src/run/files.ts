// Finding and reading test files on disk.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { isRunnableFile, loadFile } from '../core/testfile/index';
import type { LoadedFile } from '../core/testfile/model';

const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', 'out']);

export class FileError extends Error {}

/**
 * Expands the command line's files and directories. Directories are searched recursively for YAML files
 * whose content makes them runnable (top-level `type: Test | TestSuite | Transaction`); files named
 * explicitly are taken as they are.
 */
export async function expandInputs(inputs: readonly string[], accept: (text: string) => boolean = isRunnableFile): Promise<string[]> {
  const found: string[] = [];
  for (const input of inputs) {
    const path = resolve(input);
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new FileError(`${input}: no such file or directory`);
    if (info.isDirectory()) found.push(...(await walk(path, accept)));
    else found.push(path);
  }
  return [...new Set(found)];
}

async function walk(dir: string, accept: (text: string) => boolean): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIPPED_DIRS.has(e.name) && !e.name.startsWith('.')) out.push(...(await walk(path, accept)));
    } else if (/\.ya?ml$/i.test(e.name) && accept(await readFile(path, 'utf8'))) {
      out.push(path);
    }
  }
  return out;
}

export async function readTestFile(path: string): Promise<LoadedFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new FileError(`${displayPath(path)}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return loadFile(text, path);
}

/** Paths in messages and reports are relative to the working directory, as a terminal user typed them. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}
