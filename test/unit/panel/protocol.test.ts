// The panel protocol's runtime checks: typed messages pass through unchanged, anything else is refused with the
// field that is wrong; the trace on the wire comes back as the same trace.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildTrace } from '../../../src/core/trace/build';
import { fromWireTrace, toWireTrace } from '../../../src/core/trace/wire';
import { readTraceFile } from '../../../src/run/trace-file';
import { checkHostMessage, checkPanelState, checkWebviewMessage } from '../../../src/protocol';
import { generateTrace } from '../../support/generated-trace';
import { currentFile, POKESHOP_TRACE, replay, IMPORT_TEST_TEXT } from '../testing/support';
import { resultsMessage, traceMessage } from '../../../src/extension/panel/payload';

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
      [
        { type: 'addOutput', requestId: 1, spanId: '7f6e5d4c3b2a1908', selector: 'span', name: '1ABC', value: 'attr:a' },
        'name: expected letters, digits and _, not starting with a digit, got string',
      ],
      [{ type: 'revealLine', line: 0 }, 'line: expected a line number from 1, got number'],
    ];
    for (const [message, error] of cases) assert.deepEqual(checkWebviewMessage(message), { ok: false, error }, JSON.stringify(message)?.slice(0, 80));
  });

  test("a real run's trace and results messages pass the webview's check unchanged, and a broken field is pointed at", async () => {
    const { run } = await replay(IMPORT_TEST_TEXT);
    const sent = {
      trace: traceMessage(run.result.trace!),
      results: resultsMessage(run, currentFile(IMPORT_TEST_TEXT), 'tests/import.yaml', '7f6e5d4c3b2a1908')!,
    };
    assert.equal(sent.results.traceId, run.result.trace!.traceId, 'the results name the trace they are on');
    const broken = () => JSON.parse(JSON.stringify(sent)) as typeof sent;
    for (const wire of Object.values(broken())) assert.deepEqual(checkHostMessage(wire), { ok: true, value: wire });
    type Sent = typeof sent;
    const trace = (f: (m: Sent['trace']) => unknown) => (m: Sent) => void f(m.trace);
    const results = (f: (m: Sent['results']) => unknown) => (m: Sent) => void f(m.results);
    const cases: Array<[(m: Sent) => void, string | RegExp]> = [
      [trace((m) => (m.trace.spans.starts[3] = 12.5)), 'trace.spans.starts[3]: expected an integer number of nanoseconds, got number'],
      [trace((m) => (m.trace.spans.resources[3] = 99)), /^trace\.spans\.resources\[3\]: expected an index below \d+, got number$/],
      [trace((m) => (m.trace.spans.names[0] = m.trace.strings.length)), /^trace\.spans\.names\[0\]: expected a string index below \d+, got number$/],
      [trace((m) => m.trace.spans.kinds.pop()), 'trace.spans.kinds: expected 9 entries, got 8'],
      [trace((m) => (m.trace.spans.ids[2] = 'not-an-id')), 'trace.spans.ids[2]: expected 16 lowercase hex digits, got string'],
      [trace((m) => (m.trace.spans.attributeOffsets[4]! += 1)), /^trace\.spans\.attributeOffsets\[4\]: expected offsets rising by key, value pairs/],
      [trace((m) => (m.trace.events[0]!.span = 9)), 'trace.events[0].span: expected a span index below 9, got number'],
      [results((m) => (m.analyzer!.score = 101)), 'analyzer.score: expected an integer from 0 to 100, got number'],
      [
        results((m) => (m.analyzer!.plugins[2]!.rules[0]!.failures[0]!.spanId = 'x')),
        'analyzer.plugins[2].rules[0].failures[0].spanId: expected 16 lowercase hex digits, got string',
      ],
      [
        results((m) => (m.analyzer!.plugins[0]!.rules[0]!.level = 'fatal' as 'error')),
        'analyzer.plugins[0].rules[0].level: expected one of error, warning, disabled, got string',
      ],
      [results((m) => (m.traceId = 'f'.repeat(31))), 'traceId: expected 32 lowercase hex digits, got string'],
      [results((m) => (m.gates![0]!.gate = 'speed' as 'test-specs')), 'gates[0].gate: expected one of test-specs, analyzer-score, analyzer-rules, got string'],
    ];
    for (const [breakIt, error] of cases) {
      const m = broken();
      breakIt(m);
      const refused = [checkHostMessage(m.trace), checkHostMessage(m.results)].filter((checked) => !checked.ok);
      assert.equal(refused.length, 1, String(error));
      const checked = refused[0] as { error: string };
      if (typeof error === 'string') assert.equal(checked.error, error);
      else assert.match(checked.error, error);
    }
  });

  test('running messages: a boolean comes back typed, anything else is refused at running', () => {
    for (const running of [true, false]) assert.deepEqual(checkHostMessage({ type: 'running', running }), { ok: true, value: { type: 'running', running } });
    const cases: Array<[unknown, string]> = [
      [{ type: 'running' }, 'running: expected a boolean, got undefined'],
      [{ type: 'running', running: 'true' }, 'running: expected a boolean, got string'],
      [{ type: 'running', running: 1 }, 'running: expected a boolean, got number'],
      [{ type: 'running', running: null }, 'running: expected a boolean, got null'],
    ];
    for (const [message, error] of cases) assert.deepEqual(checkHostMessage(message), { ok: false, error }, JSON.stringify(message));
    assert.equal(checkWebviewMessage({ type: 'running', running: true }).ok, false, 'only the host says a test is running');
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
    assert.deepEqual(checkPanelState({ view: 'sideways' }), { view: 'graph', selector: '', search: '', criticalPath: false, expanded: [], collapsed: [] });
    const state = {
      test: { file: '/a.yaml', key: 'k' },
      view: 'timeline',
      selectedSpanId: '7f6e5d4c3b2a1908',
      selector: 'span',
      search: 'x',
      zoom: { k: 2, x: 1, y: 3 },
      timelineTop: 40,
      criticalPath: true,
      expanded: ['g'],
      collapsed: ['7f6e5d4c3b2a1908'],
      sideWidth: 420,
      sideHeight: 300,
      labelShare: 0.55,
    };
    assert.deepEqual(checkPanelState(state), state);
    assert.equal(checkPanelState({ ...state, labelShare: 7 }).labelShare, undefined, 'a share out of range is dropped');
  });
});
