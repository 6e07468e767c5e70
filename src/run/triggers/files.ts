// File references (test-format.md "Triggers"): a body, proto file or GraphQL query whose raw value (before
// interpolation) is the path of an existing file, relative to the test file, is read from that file.
import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { TriggerFailure } from './types';

export type FieldText =
  | { ok: true; text: string; /** Absolute path when the text came from a file. */ path?: string }
  | { ok: false; error: TriggerFailure };

// Longer values are content, never paths; the limit also keeps stat() away from pasted documents.
const MAX_PATH_LENGTH = 1024;

/** Only a single line without braces can be a path: JSON bodies, proto text and queries never look like one. */
function couldBePath(value: string): boolean {
  return value.length > 0 && value.length <= MAX_PATH_LENGTH && !/[\r\n{}]/.test(value);
}

/** The field's text: the file's content when `raw` names an existing file, else `raw` itself. */
export async function fieldText(raw: string, testFile: string, field: string): Promise<FieldText> {
  const candidate = raw.trim();
  if (!couldBePath(candidate)) return { ok: true, text: raw };
  const path = resolve(dirname(testFile), candidate);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) return { ok: true, text: raw };
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
