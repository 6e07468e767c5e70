import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseTraceIds } from '../../../src/run/load/trace-ids';

const K6_OUTPUT = join(__dirname, '..', '..', 'fixtures', 'k6', 'output.json');

describe('trace ids for check', () => {
  test("k6's JSON output: ids from the Points' tags and metadata, each once, in order", () => {
    const ids = parseTraceIds(readFileSync(K6_OUTPUT, 'utf8'), 'output.json');
    assert.deepEqual(ids, { ok: true, format: 'k6', ids: ['4bf92f3577b34da6a3ce929d0e0e4736', '0af7651916cd43dd8448eb211c80319c'] });
  });

  test('a k6 output line that is not JSON names its line', () => {
    const text = `${readFileSync(K6_OUTPUT, 'utf8').split('\n').slice(0, 3).join('\n')}\n{"type":"Point",`;
    const ids = parseTraceIds(text, 'out.json');
    assert.equal(ids.ok, false);
    assert.match(!ids.ok ? ids.message : '', /^out\.json:4: not JSON/);
  });

  test('k6 output without trace ids says how to tag them', () => {
    const ids = parseTraceIds('{"type":"Point","data":{"time":"x","value":1,"tags":null},"metric":"vus"}\n', 'out.json');
    assert.match(!ids.ok ? ids.message : '', /tag each request with trace_id/);
  });

  test('a list: ids, Jaeger ids and traceparents, comments and blank lines skipped; a bad line is named with its column', () => {
    const ids = parseTraceIds(
      '# from the CI job\n4BF92F3577B34DA6A3CE929D0E0E4736\n\n00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\n  a3ce929d0e0e4736\n',
      'ids.txt',
    );
    assert.deepEqual(ids, {
      ok: true,
      format: 'list',
      ids: ['4bf92f3577b34da6a3ce929d0e0e4736', '0af7651916cd43dd8448eb211c80319c', '0000000000000000a3ce929d0e0e4736'],
    });
    const bad = parseTraceIds('4bf92f3577b34da6a3ce929d0e0e4736\n  order-17\n', 'ids.txt');
    assert.equal(!bad.ok && bad.message, 'ids.txt:2:3: `order-17` is not a trace id (32 hex digits, 16 for a Jaeger id, or a traceparent)');
  });

  test('a JSON report (Artillery) holding ids under traceId keys at any depth', () => {
    const report = {
      aggregate: { counters: { 'http.requests': 2 } },
      intermediate: [{ traces: [{ traceId: '4bf92f3577b34da6a3ce929d0e0e4736' }, { trace_id: '0af7651916cd43dd8448eb211c80319c' }] }],
    };
    assert.deepEqual(parseTraceIds(JSON.stringify(report, null, 2), 'report.json'), {
      ok: true,
      format: 'json',
      ids: ['4bf92f3577b34da6a3ce929d0e0e4736', '0af7651916cd43dd8448eb211c80319c'],
    });
  });
});

describe('run --shard', () => {
  test('every job lands in exactly one shard, whatever order the files were named in; a suite is one job', async () => {
    const { shardOf } = await import('../../../src/run/runner');
    const jobs = ['b.yaml', 'a.yaml', 'suite.yaml', 'c.yaml', 'a.yaml'].map((path, i) => ({ path, i }));
    const shards = [1, 2, 3].map((index) => shardOf(jobs, { index, count: 3 }));
    assert.deepEqual(
      shards
        .flat()
        .map((j) => j.i)
        .sort(),
      [0, 1, 2, 3, 4],
    );
    assert.deepEqual(
      shards.map((s) => s.length),
      [2, 2, 1],
    );
    assert.deepEqual(
      shardOf([...jobs].reverse(), { index: 1, count: 3 }).map((j) => j.path),
      shards[0]!.map((j) => j.path),
    );
  });
});
