// The panel protocol's runtime checks: typed messages pass through unchanged, anything else is refused with the
// field that is wrong; the trace on the wire comes back as the same trace.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildTrace } from '../../../src/core/trace/build';
import { fromWireTrace, toWireTrace } from '../../../src/core/trace/wire';
import { readTraceFile } from '../../../src/run/trace-file';
import { checkHostMessage, checkPanelState, checkWebviewMessage } from '../../../src/protocol';
import { generateTrace } from '../../support/generated-trace';
import { POKESHOP_TRACE, replay, IMPORT_TEST_TEXT } from '../testing/support';
import { showMessage } from '../../../src/extension/panel/payload';

describe('panel protocol', () => {
  test('webview messages: valid ones come back typed, invalid ones say which field', () => {
    const add = { type: 'addAssertion', requestId: 3, spanId: '7f6e5d4c3b2a1908', selector: 'span[name="x"]', assertion: 'attr:a = 1' };
    assert.deepEqual(checkWebviewMessage(add), { ok: true, value: add });
    assert.deepEqual(checkWebviewMessage({ type: 'ready' }), { ok: true, value: { type: 'ready' } });
    const cases: Array<[unknown, string]> = [
      [null, 'message: expected an object, got null'],
      [[], 'message: expected an object, got an array'],
      [{}, 'unknown message type undefined'],
      [{ type: 'constructor' }, 'unknown message type "constructor"'],
      [{ ...add, requestId: 1.5 }, 'requestId: expected an integer, got number'],
      [{ ...add, spanId: '7F6E5D4C3B2A1908' }, 'spanId: expected 16 lowercase hex digits, got string'],
      [{ ...add, selector: '   ' }, 'selector: expected a non-empty string, got string'],
      [{ ...add, assertion: 'x'.repeat(10_001) }, 'assertion: expected a non-empty string, got string'],
      [{ type: 'addOutput', requestId: 1, spanId: '7f6e5d4c3b2a1908', selector: 'span', name: '1ABC', value: 'attr:a' }, 'name: expected letters, digits and _, not starting with a digit, got string'],
      [{ type: 'revealLine', line: 0 }, 'line: expected a line number from 1, got number'],
    ];
    for (const [message, error] of cases) assert.deepEqual(checkWebviewMessage(message), { ok: false, error }, JSON.stringify(message)?.slice(0, 80));
  });

  test('a real show message passes the webview\'s check unchanged, and a broken span is pointed at', async () => {
    const { run } = await replay(IMPORT_TEST_TEXT);
    const message = showMessage(run, IMPORT_TEST_TEXT, 'tests/import.yaml', '7f6e5d4c3b2a1908')!;
    const wire = JSON.parse(JSON.stringify(message)) as typeof message;
    assert.deepEqual(checkHostMessage(wire), { ok: true, value: wire });
    const broken = JSON.parse(JSON.stringify(message)) as { trace: { spans: Array<Record<string, unknown>> } };
    broken.trace.spans[3]!.start = '12.5';
    assert.deepEqual(checkHostMessage(broken), { ok: false, error: 'trace.spans[3].start: expected a decimal string, got string' });
    broken.trace.spans[3]!.start = '1';
    broken.trace.spans[3]!.resource = 99;
    assert.match((checkHostMessage(broken) as { error: string }).error, /^trace\.spans\[3\]\.resource: expected an index below \d+, got number$/);
  });

  test('a trace survives the wire: same spans, tree, attributes (synthesized too), events and links', async () => {
    const withTrigger = buildTrace((await readTraceFile(POKESHOP_TRACE)).spans, { attributes: new Map([['tracetest.response.status', '200']]) });
    for (const original of [withTrigger, generateTrace(2_000)]) {
      const back = fromWireTrace(JSON.parse(JSON.stringify(toWireTrace(original))));
      assert.equal(back.spans.length, original.spans.length);
      for (let i = 0; i < back.spans.length; i++) {
        const [a, b] = [original.spans[i]!, back.spans[i]!];
        assert.equal(b.id, a.id);
        assert.equal(b.parent?.id, a.parent?.id);
        assert.deepEqual([...b.flat], [...a.flat]);
        assert.deepEqual(b.events, a.events);
        assert.deepEqual(b.links, a.links);
      }
      assert.deepEqual(back.problems, original.problems);
    }
  });

  test('a saved state from another version falls back to defaults instead of breaking the panel', () => {
    assert.deepEqual(checkPanelState({ view: 'sideways' }), { view: 'graph', selector: '', search: '', criticalPath: false, expanded: [] });
    const state = { test: { file: '/a.yaml', key: 'k' }, view: 'timeline', selectedSpanId: '7f6e5d4c3b2a1908', selector: 'span', search: 'x', zoom: { k: 2, x: 1, y: 3 }, timelineTop: 40, criticalPath: true, expanded: ['g'] };
    assert.deepEqual(checkPanelState(state), state);
  });
});
