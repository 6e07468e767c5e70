// The editor's run history on disk: real results (the import test replayed on the Pokéshop trace by the real
// Runner), stored, read back by a second store on the same folder (a window reload), bounded, masked, and
// surviving damaged files.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, test } from 'node:test';
import { createRedactor } from '../../../src/core/redact/redactor';
import { RunHistoryStore, type HistoryLimits } from '../../../src/run/history/run-history-store';
import { FAILING_TEXT, IMPORT_TEST_TEXT, replay } from '../testing/support';

const NO_SECRETS = createRedactor([]);
const PATH = '/workspace/tests/import.yaml';

function open(dir: string, limits: Partial<HistoryLimits> = {}): { store: RunHistoryStore; logs: string[] } {
  const logs: string[] = [];
  const store = new RunHistoryStore(
    dir,
    () => ({ runsPerTest: 20, maxBytes: 50 * 1024 * 1024, ...limits }),
    (l) => logs.push(l),
  );
  return { store, logs };
}

function tempDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'tracelens-history-')), 'run-history');
}

describe('RunHistoryStore', async () => {
  const passing = await replay(IMPORT_TEST_TEXT, PATH);
  const failing = await replay(FAILING_TEXT, PATH);
  const key = passing.run.key;

  test('keeps runs across a reload: the list without reading them, each run with its results and trace', async () => {
    const dir = tempDir();
    const first = open(dir).store;
    await first.add(PATH, key, passing.result, 1000, NO_SECRETS);
    await first.add(PATH, key, failing.result, 2000, NO_SECRETS);

    const { store, logs } = open(dir);
    const runs = await store.runs(PATH, key);
    assert.deepEqual(
      runs.map((r) => [r.at, r.status, r.specs, r.failedSpecs, r.spans, r.name]),
      [
        [2000, 'failed', 5, 1, 9, 'Import a Pokemon using API and MQ Worker'],
        [1000, 'passed', 5, 0, 9, 'Import a Pokemon using API and MQ Worker'],
      ],
    );
    const back = await store.read(runs[0]!);
    assert.deepEqual(
      back.specs.map((s) => [s.status, s.spanIds, s.source.range]),
      failing.result.specs.map((s) => [s.status, s.spanIds, s.source.range]),
    );
    assert.equal(back.trace!.spans.length, failing.result.trace!.spans.length);
    assert.ok(back.trace!.root.isTrigger, 'the trigger span is the root again');
    assert.deepEqual(
      back.trace!.spans.map((s) => [s.id, s.name, s.parent?.id]),
      failing.result.trace!.spans.map((s) => [s.id, s.name, s.parent?.id]),
    );
    assert.deepEqual(logs, []);
    assert.deepEqual(
      readdirSync(dir).filter((n) => n.endsWith('.tmp')),
      [],
      'no temporary file is left',
    );
  });

  test('keeps the newest runs of each test, and the newest of all within the bytes', async () => {
    const dir = tempDir();
    const { store } = open(dir, { runsPerTest: 3 });
    for (let at = 1; at <= 5; at++) await store.add(PATH, key, passing.result, at, NO_SECRETS);
    assert.deepEqual(
      (await store.runs(PATH, key)).map((r) => r.at),
      [5, 4, 3],
    );
    assert.equal(readdirSync(dir).filter((n) => n.endsWith('.gz')).length, 3, 'the files of dropped runs are deleted');

    const size = (await store.runs(PATH, key))[0]!.bytes;
    const small = open(tempDir(), { maxBytes: Math.floor(size * 2.5) }).store;
    await small.add(PATH, key, passing.result, 1, NO_SECRETS);
    await small.add('/workspace/tests/other.yaml', key, passing.result, 2, NO_SECRETS);
    await small.add(PATH, key, failing.result, 3, NO_SECRETS);
    assert.deepEqual(
      (await small.runs(PATH, key)).map((r) => r.at),
      [3],
      'the oldest run of all went first',
    );
    assert.deepEqual(
      (await small.runs('/workspace/tests/other.yaml', key)).map((r) => r.at),
      [2],
    );
  });

  test('keeps nothing when the setting says 0 runs', async () => {
    const dir = tempDir();
    const { store } = open(dir, { runsPerTest: 0 });
    assert.equal(await store.add(PATH, key, passing.result, 1, NO_SECRETS), undefined);
    assert.deepEqual(await store.runs(PATH, key), []);
  });

  test('masks secrets in the file, the test text included', async () => {
    const dir = tempDir();
    const { store } = open(dir);
    // The test file names the route, the trace holds the worker's host: both are "secret" here.
    const redactor = createRedactor(['/pokemon/import', 'demo-api']);
    const masked = { ...passing.result, trace: (await import('../../../src/core/redact/results')).redactTrace(passing.result.trace!, redactor) };
    const entry = (await store.add(PATH, key, masked, 1, redactor))!;
    const file = readdirSync(dir).find((n) => n.startsWith(entry.id))!;
    const text = gunzipSync(readFileSync(join(dir, file))).toString('utf8');
    assert.ok(text.includes('pokeshop-api'), 'the file holds the run');
    assert.ok(!text.includes('/pokemon/import') && !text.includes('demo-api'), 'no secret on disk');
  });

  test('a damaged index is reported, the history starts over, and new runs are kept', async () => {
    const dir = tempDir();
    const first = open(dir).store;
    await first.add(PATH, key, passing.result, 1, NO_SECRETS);
    writeFileSync(join(dir, 'index.json'), '{"format":"tracelens-history/1","runs":[{"id":');

    const { store, logs } = open(dir);
    assert.deepEqual(await store.runs(PATH, key), []);
    assert.equal(logs.length, 1);
    assert.match(logs[0]!, /index\.json is damaged \(.*JSON.*\); the history starts over/);
    assert.deepEqual(readdirSync(dir), ['index.json'], 'the runs the index no longer names are deleted');
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')).runs, [], 'the index is written afresh');
    await store.add(PATH, key, failing.result, 2, NO_SECRETS);
    assert.deepEqual(
      (await open(dir).store.runs(PATH, key)).map((r) => r.status),
      ['failed'],
    );
  });

  test('an index of another shape is damaged too', async () => {
    const dir = tempDir();
    await open(dir).store.add(PATH, key, passing.result, 1, NO_SECRETS);
    writeFileSync(join(dir, 'index.json'), JSON.stringify({ format: 'tracelens-history/1', runs: [{ id: '../../etc' }] }));
    const { store, logs } = open(dir);
    assert.deepEqual(await store.runs(PATH, key), []);
    assert.match(logs[0]!, /run 1 of the index is not a run/);
  });

  test('a run file that does not read says which run, and leaves the history', async () => {
    const dir = tempDir();
    const { store } = open(dir);
    const entry = (await store.add(PATH, key, passing.result, Date.UTC(2026, 0, 2, 3, 4, 5), NO_SECRETS))!;
    writeFileSync(join(dir, `${entry.id}.json.gz`), 'not gzip');
    await assert.rejects(store.read(entry), /the run of 2026-01-02T03:04:05\.000Z cannot be read \(.*\); it was removed from the history/);
    assert.deepEqual(await store.runs(PATH, key), []);
    assert.deepEqual(await open(dir).store.runs(PATH, key), [], 'and the index says so');
  });
});
