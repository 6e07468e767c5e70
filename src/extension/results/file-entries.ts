// The runnable things of a loaded file as the editor shows them: tests (keyed like the RunStore), suites, and
// documents that say `type: Test…` but did not load (shown with their problems). No vscode import.
import { isRunnableFile } from '../../core/testfile/index';
import type { LoadedFile, Problem, Range, TestDef, TestSuiteDef } from '../../core/testfile/model';
import { testKey, type TestKey } from '../run-store';

interface Base {
  document: number;
  /** The whole YAML document. */
  range: Range;
  /** Where the item "is": its name (else id, else the document start); gutter icons and lenses go on this line. */
  head: Range;
}

export type FileEntry =
  | (Base & { kind: 'test'; test: TestDef; key: TestKey; label: string })
  | (Base & { kind: 'suite'; suite: TestSuiteDef; key: TestKey; label: string })
  | (Base & { kind: 'broken'; key: TestKey; label: string; problems: Problem[] });

export function entriesOf(file: LoadedFile): FileEntry[] {
  const entries: FileEntry[] = [];
  for (const { document, range, resource } of file.resources) {
    if (resource?.kind === 'Test' || resource?.kind === 'TestSuite') {
      const key = testKey(resource.id?.value, document);
      const head = (resource.name ?? resource.id)?.range ?? { start: range.start, end: range.start };
      const label = resource.name?.value || resource.id?.value || `${resource.kind} (document ${document + 1})`;
      entries.push(
        resource.kind === 'Test'
          ? { kind: 'test', test: resource, key, label, document, range, head }
          : { kind: 'suite', suite: resource, key, label, document, range, head },
      );
    } else if (!resource && isRunnableFile(file.text.slice(range.start, range.end))) {
      const problems = file.problems.filter((p) => p.severity === 'error' && p.range.start >= range.start && p.range.start <= range.end);
      entries.push({
        kind: 'broken',
        key: testKey(undefined, document),
        label: `document ${document + 1}`,
        problems,
        document,
        range,
        head: { start: range.start, end: range.start },
      });
    }
  }
  return entries;
}

/** Problems that stop a file's tests from running at all (YAML errors outside any loaded document). */
export function fileLevelProblems(file: LoadedFile): Problem[] {
  return file.problems.filter((p) => p.severity === 'error' && !file.resources.some((r) => p.range.start >= r.range.start && p.range.start <= r.range.end));
}

export function findTest(file: LoadedFile, key: TestKey): Extract<FileEntry, { kind: 'test' }> | undefined {
  return entriesOf(file).find((e): e is Extract<FileEntry, { kind: 'test' }> => e.kind === 'test' && e.key === key);
}

export function problemText(p: Problem): string {
  return `${p.line}:${p.column}: ${p.message}`;
}

/** Where a trigger error points: the URL, address, script or trace id the trigger uses, else nothing. */
export function triggerRange(test: TestDef): Range | undefined {
  const t = test.trigger;
  switch (t.type) {
    case 'http':
    case 'graphql':
      return t.url.range;
    case 'grpc':
      return t.address.range;
    case 'kafka':
      return t.topic.range;
    case 'playwrightengine':
      return t.script.range;
    default:
      return t.id?.range;
  }
}
