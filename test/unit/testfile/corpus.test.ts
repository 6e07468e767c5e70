// Every Tracetest resource file of Tracetest's own repository (fixtures/tracetest-corpus, see its NOTICE.md) loads,
// and says what the reviewed snapshot fixtures/tracetest-corpus-problems.txt says it should. The older forms its
// tools wrote are warnings whose quick fix, applied on its own, removes exactly that warning and changes nothing
// the file means.
//
// After a deliberate change: UPDATE_SNAPSHOTS=1 node --import tsx --test test/unit/testfile/corpus.test.ts, then
// read the difference. Every error needs a `# mistake:` line above it saying what is wrong with that file.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadFile, type LoadedFile, type Problem } from '../../../src/core/testfile/index';
import { applyEdits, compatibleEdits } from '../../../src/core/testfile/text-edits';
import { validateFile } from '../../../src/core/testfile/validate';
import { FIXTURES } from './helpers';

const CORPUS = join(FIXTURES, 'tracetest-corpus');
const SNAPSHOT = join(FIXTURES, 'tracetest-corpus-problems.txt');
const HEADER = `# What \`tracelens validate\` reports for each file of tracetest-corpus/: line:column, severity, message, and the
# editor's quick fix. Reviewed by hand. Regenerate with UPDATE_SNAPSHOTS=1 (see test/unit/testfile/corpus.test.ts);
# every error must be a real mistake of its file, said on a \`# mistake:\` line above it.
`;

const names = readdirSync(CORPUS)
  .filter((n) => /\.ya?ml$/.test(n))
  .sort();
const loaded = new Map<string, { text: string; file: LoadedFile; problems: Problem[] }>();
for (const name of names) {
  const text = readFileSync(join(CORPUS, name), 'utf8');
  const file = loadFile(text, name);
  loaded.set(name, { text, file, problems: validateFile(file) });
}

function problemLine(p: Problem): string {
  return `  ${p.line}:${p.column} ${p.severity}: ${p.message}${p.fix ? ` [quick fix: ${p.fix.title}]` : ''}`;
}

function snapshotLines(): string[] {
  return names.flatMap((name) => {
    const { problems } = loaded.get(name)!;
    return problems.length === 0 ? [`${name}: no problems`] : [`${name}:`, ...problems.map(problemLine)];
  });
}

/** The snapshot's comments, keyed by the line they stand above, so regenerating keeps the review notes. */
function readSnapshot(): { lines: string[]; comments: Map<string, string[]> } {
  const lines: string[] = [];
  const comments = new Map<string, string[]>();
  let pending: string[] = [];
  let header = true;
  for (const line of readFileSync(SNAPSHOT, 'utf8').split('\n')) {
    if (header && line.startsWith('#')) continue;
    header = false;
    if (line.trim().startsWith('#')) pending.push(line);
    else if (line.trim() !== '') {
      lines.push(line);
      if (pending.length > 0) comments.set(line, pending);
      pending = [];
    }
  }
  return { lines, comments };
}

function shape(file: LoadedFile): string {
  return JSON.stringify(
    file.resources.map((r) => r.resource),
    (key, value: unknown) => (key === 'range' || key === 'valueOffsets' ? undefined : value),
  );
}

describe('the Tracetest corpus', () => {
  it('has every file its NOTICE counts', () => {
    assert.equal(names.length, 242);
    assert.match(readFileSync(join(CORPUS, 'NOTICE.md'), 'utf8'), /MIT License/);
  });

  it('loads every file as the reviewed snapshot says', () => {
    const actual = snapshotLines();
    if (process.env['UPDATE_SNAPSHOTS']) {
      const { comments } = readSnapshot();
      writeFileSync(SNAPSHOT, `${HEADER}\n${actual.flatMap((line) => [...(comments.get(line) ?? []), line]).join('\n')}\n`);
    }
    assert.deepEqual(actual, readSnapshot().lines);
  });

  it('has a reviewed reason for every error', () => {
    const { lines, comments } = readSnapshot();
    for (const line of lines.filter((l) => / error: /.test(l))) {
      assert.ok(
        comments.get(line)?.some((c) => c.trim().startsWith('# mistake:')),
        `no "# mistake:" note above ${line}`,
      );
    }
  });

  it('reads every Test, suite and resource that has no error', () => {
    for (const [name, { file, problems }] of loaded) {
      if (problems.some((p) => p.severity === 'error')) continue;
      for (const r of file.resources) {
        const unused = problems.some((p) => p.source === 'compat' && /Tracetest Cloud environment/.test(p.message));
        assert.ok(r.resource || unused, `${name} document ${r.document} has no resource`);
      }
    }
  });

  for (const [name, { text, file }] of loaded) {
    const fixable = file.problems.filter((p) => p.fix);
    if (fixable.length === 0) continue;
    it(`${name}: each quick fix removes its warning and keeps what the file means`, () => {
      for (const p of fixable) {
        const after = loadFile(applyEdits(text, p.fix!.edits), name);
        assert.deepEqual(
          after.problems.map((q) => q.message),
          file.problems.filter((q) => q !== p).map((q) => q.message),
          `${p.fix!.title} at ${p.line}:${p.column}`,
        );
        assert.equal(shape(after), shape(file), `${p.fix!.title} at ${p.line}:${p.column} changed the resource`);
      }
      const all = compatibleEdits(fixable.map((p) => p.fix!.edits));
      assert.equal(all.length, fixable.flatMap((p) => p.fix!.edits).length, 'the fixes of one file do not overlap: "fix all" applies them all');
      const fixed = loadFile(applyEdits(text, all), name);
      assert.deepEqual(
        fixed.problems.filter((q) => q.fix),
        [],
      );
      assert.equal(shape(fixed), shape(file));
    });
  }
});
