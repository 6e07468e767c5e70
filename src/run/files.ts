// Finding and reading test files on disk.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { isRunnableFile, loadFile } from '../core/testfile/index';
import type { LoadedFile } from '../core/testfile/model';

const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', 'out']);

export class FileError extends Error {}

/** A YAML file the command line names or that lies under a directory it names, read once. */
export interface InputFile {
  path: string;
  text: string;
  /** Named on the command line (taken as it is) rather than found in a directory (taken by its content). */
  named: boolean;
}

/**
 * Reads the command line's files and every YAML file under its directories, once: tests, PollingProfiles and
 * VariableSets are all picked from this one scan by their content.
 */
export async function scanInputs(inputs: readonly string[]): Promise<InputFile[]> {
  const found = new Map<string, InputFile>();
  for (const input of inputs) {
    const path = resolve(input);
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new FileError(`${input}: no such file or directory`);
    if (info.isDirectory()) {
      for (const file of await walk(path)) if (!found.has(file.path)) found.set(file.path, file);
    } else found.set(path, { path, text: await readText(path), named: true });
  }
  return [...found.values()];
}

/** The files a run or a check takes: named ones as they are, found ones when `accept` says their content fits. */
export function pickInputs(files: readonly InputFile[], accept: (text: string) => boolean = isRunnableFile): LoadedFile[] {
  return files.filter((f) => f.named || accept(f.text)).map((f) => loadFile(f.text, f.path));
}

async function walk(dir: string): Promise<InputFile[]> {
  const out: InputFile[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIPPED_DIRS.has(e.name) && !e.name.startsWith('.')) out.push(...(await walk(path)));
    } else if (/\.ya?ml$/i.test(e.name)) {
      out.push({ path, text: await readText(path), named: false });
    }
  }
  return out;
}

export async function readTestFile(path: string): Promise<LoadedFile> {
  return loadFile(await readText(path), path);
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new FileError(`${displayPath(path)}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Paths in messages and reports are relative to the working directory, as a terminal user typed them. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}
