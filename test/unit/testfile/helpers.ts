// Shared by the testfile tests: fixture access and checks on SourceStrings.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadFile, offsetOf, type LoadedFile, type ResourceDef, type SourceString } from '../../../src/core/testfile/index';

export const FIXTURES = join(__dirname, '..', '..', 'fixtures');

export function fixtureText(...parts: string[]): string {
  return readFileSync(join(FIXTURES, ...parts), 'utf8');
}

export function loadFixture(...parts: string[]): LoadedFile {
  return loadFile(fixtureText(...parts), join(...parts));
}

export function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFilesUnder(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

/** The resources of a file that must load cleanly. */
export function resourcesOf(file: LoadedFile): ResourceDef[] {
  assert.deepEqual(file.problems, [], `${file.fileName} has problems`);
  return file.resources.map((r) => {
    assert.ok(r.resource, `${file.fileName} document ${r.document} has no resource`);
    return r.resource;
  });
}

export function resourceOf<K extends ResourceDef['kind']>(file: LoadedFile, kind: K, index = 0): Extract<ResourceDef, { kind: K }> {
  const resource = resourcesOf(file)[index];
  assert.equal(resource?.kind, kind);
  return resource as Extract<ResourceDef, { kind: K }>;
}

function isSourceString(value: unknown): value is SourceString {
  return typeof value === 'object' && value !== null && typeof (value as SourceString).value === 'string' && 'range' in value;
}

/** Every SourceString anywhere inside `root`. */
export function sourceStrings(root: unknown): SourceString[] {
  const out: SourceString[] = [];
  const visit = (value: unknown): void => {
    if (isSourceString(value)) out.push(value);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(visit);
  };
  visit(root);
  return out;
}

/** Character i of the value is the file's character at offsetOf(s, i), for every i (no folded line breaks). */
export function assertExactOffsets(text: string, s: SourceString): void {
  assert.ok(s.valueOffsets, `no valueOffsets for ${JSON.stringify(s.value)}`);
  assert.equal(s.valueOffsets.length, s.value.length);
  for (let i = 0; i < s.value.length; i++) {
    const at = offsetOf(s, i);
    assert.equal(text[at], s.value[i], `character ${i} of ${JSON.stringify(s.value)} maps to ${at}`);
  }
}
