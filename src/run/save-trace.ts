// Saving traces as OTLP JSON files that `tracelens run --trace` replays.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeOtlpJson } from '../core/trace/decode/otlp-encode';
import type { RawSpan } from '../core/trace/model';

/** A file-name-safe, readable slug: "Import a Pokemon" → "import-a-pokemon". */
export function slug(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'trace'
  );
}

/**
 * Writes `<dir>/<name>.otlp.json` (directory created as needed) through a temporary file and a rename, so a
 * reader never sees half a file and an interrupted write never replaces a good one. Returns the path.
 */
export async function saveTraceFile(dir: string, name: string, spans: readonly RawSpan[]): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${name}.otlp.json`);
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(encodeOtlpJson(spans), null, 1)}\n`);
  await rename(temporary, path);
  return path;
}
