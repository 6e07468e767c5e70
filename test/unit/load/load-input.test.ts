import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { describeLoad, parseLoadDuration, parseRate, parseSample } from '../../../src/extension/load/load-input';

describe('what "Run under load…" asks', () => {
  test('the rate as the CLI reads it, with the reason when it does not fit', () => {
    assert.deepEqual(parseRate('20'), { ok: true, value: 20 });
    assert.deepEqual(parseRate(' 2.5/s '), { ok: true, value: 2.5 });
    assert.deepEqual(parseRate('0'), { ok: false, message: 'Requests a second, such as 20 or 20/s' });
    assert.deepEqual(parseRate('fast'), { ok: false, message: 'Requests a second, such as 20 or 20/s' });
    assert.match((parseRate('20000') as { message: string }).message, /^At most 5000 requests a second from the editor/);
  });

  test('the duration: Go durations from 1 s to an hour', () => {
    assert.deepEqual(parseLoadDuration('1m30s'), { ok: true, value: 90_000 });
    assert.deepEqual(parseLoadDuration('30'), { ok: false, message: 'A duration such as 30s, 2m or 1m30s' });
    assert.deepEqual(parseLoadDuration('500ms'), { ok: false, message: 'At least 1s' });
    assert.match((parseLoadDuration('2h') as { message: string }).message, /^At most 1h/);
  });

  test('the sample: a share from 0 to 1, or a percentage', () => {
    assert.deepEqual(parseSample('0.05'), { ok: true, value: 0.05 });
    assert.deepEqual(parseSample('10%'), { ok: true, value: 0.1 });
    assert.deepEqual(parseSample('1'), { ok: true, value: 1 });
    assert.deepEqual(parseSample('1.5'), { ok: false, message: 'A share from 0 to 1, such as 0.1 (or 10%)' });
    assert.deepEqual(parseSample('-0.1'), { ok: false, message: 'A share from 0 to 1, such as 0.1 (or 10%)' });
  });

  test("the panel's subtitle", () => {
    assert.equal(describeLoad({ rate: 20, durationMs: 120_000, sample: 0.1 }), '20 req/s for 2m, sample 0.1');
    assert.equal(describeLoad({ rate: 200, durationMs: 45_000, sample: 0.05 }), '200 req/s for 45s, sample 0.05');
  });
});
