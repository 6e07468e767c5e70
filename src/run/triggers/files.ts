// File references (test-format.md "Triggers"): a body, proto file or GraphQL query whose raw value (before
// interpolation) is the path of an existing file, relative to the test file, is read from that file. The file must
// be inside the project root (symbolic links followed), unless the user has allowed files outside it: a test from
// a repository someone else wrote cannot send the user's other files (`/etc/passwd`, `../../.ssh/id_rsa`).
import { readFile, realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { TriggerFailure } from './types';

/** Where files referenced by tests may be: the CLI's `--root` (or the folder of its inputs), the editor's workspace folder. */
export interface FileReferences {
  /** Absolute path of the project root. */
  root: string;
  /** `--allow-outside-root` / `tracelens.allowFileReferencesOutsideWorkspace`: any file may be read. */
  allowOutside: boolean;
  /** How the user reads a file outside the root, ending the error: "pass --root <dir> or --allow-outside-root". */
  widen: string;
}

export type FieldText = { ok: true; text: string; /** Absolute path when the text came from a file. */ path?: string } | { ok: false; error: TriggerFailure };

// Longer values are content, never paths; the limit also keeps stat() away from pasted documents.
const MAX_PATH_LENGTH = 1024;

/** Only a single line without braces can be a path: JSON bodies, proto text and queries never look like one. */
function couldBePath(value: string): boolean {
  return value.length > 0 && value.length <= MAX_PATH_LENGTH && !/[\r\n{}]/.test(value);
}

/** The field's text: the file's content when `raw` names an existing file inside the root, else `raw` itself. */
export async function fieldText(raw: string, testFile: string, field: string, files: FileReferences): Promise<FieldText> {
  const candidate = raw.trim();
  if (!couldBePath(candidate)) return { ok: true, text: raw };
  const path = resolve(dirname(testFile), candidate);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) return { ok: true, text: raw };
  const outside = await outsideRoot(path, files);
  if (outside !== undefined) return { ok: false, error: { message: `${field}: ${outsideMessage(candidate, outside, files)}`, sent: false } };
  try {
    return { ok: true, text: await readFile(path, 'utf8'), path };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    return { ok: false, error: { message: `${field}: cannot read file ${candidate} (${reason})`, sent: false } };
  }
}

/** A value that can only be meant as a file name (one token ending in one of `extensions`), for "not found" messages. */
export function looksLikeFileName(value: string, extensions: readonly string[]): boolean {
  const text = value.trim();
  return couldBePath(text) && !/\s/.test(text) && extensions.some((ext) => text.toLowerCase().endsWith(ext));
}

/** Where the file really is (symbolic links followed) when that is outside the root and that is not allowed; else undefined. */
export async function outsideRoot(path: string, files: FileReferences): Promise<string | undefined> {
  if (files.allowOutside) return undefined;
  const [real, root] = await Promise.all([realpath(path).catch(() => resolve(path)), realpath(files.root).catch(() => resolve(files.root))]);
  const inside = relative(root, real);
  return inside === '' || (inside !== '..' && !inside.startsWith(`..${sep}`) && !isAbsolute(inside)) ? undefined : real;
}

/** "file ../../etc/passwd (/etc/passwd) is outside the project root /home/me/shop: nothing was sent; pass …". */
export function outsideMessage(written: string, real: string, files: FileReferences): string {
  const shown = written === real ? written : `${written} (${real})`;
  return `file ${shown} is outside the project root ${files.root}: nothing was sent; ${files.widen}`;
}
