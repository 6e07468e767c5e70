// The panel protocol's runtime checks: typed messages pass through unchanged, anything else is refused with the
// field that is wrong; the trace on the wire comes back as the same trace.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildTrace } from '../../../src/core/trace/build';
import { fromWireTrace, toWireTrace } from '../../../src/core/trace/wire';
import { attributeColumn } from '../../../src/core/trace/columns';
import { selectorCandidates } from '../../../src/core/selector';
import { readTraceFile } from '../../../src/run/trace-file';
import { checkHostMessage, checkPanelState, checkWebviewMessage } from '../../../src/protocol';
import { generateTrace } from '../../support/generated-trace';
import { currentFile, POKESHOP_TRACE, replay, IMPORT_TEST_TEXT } from '../testing/support';
import { resultsMessage, traceMessage } from '../../../src/extension/panel/payload';
import type { RawSpan, Span } from '../../../src/core/trace/model';
import type { WireTrace } from '../../../src/protocol';
import { addWireString } from '../../webview/support/messages';

/** A trace buildTrace had to repair: a duplicate id, a parent not in the trace, a cycle, a second trace id. */
function repairedTrace() {
  const base = generateTrace(30).spans.slice(1);
  // Field by field: a built span reads some of its fields through getters, which a spread leaves out.
  const raw: RawSpan[] = base.map(({ traceId, id, parentId, name, kind, startTime, endTime, status, resource, scope, attributes, events, links, parent }) => ({
    traceId,
    id,
    parentId: parent?.isTrigger ? '' : parentId,
    name,
    kind,
    startTime,
    endTime,
    status,
    resource,
    scope,
    attributes: new Map(attributes),
    events,
    links,
  }));
  raw.push({ ...raw[5]!, name: 'duplicate' });
  raw.push({ ...raw[6]!, id: 'aaaaaaaaaaaaaaa1', parentId: 'ffffffffffffffff' });
  raw.push({ ...raw[7]!, id: 'aaaaaaaaaaaaaaa2', parentId: 'aaaaaaaaaaaaaaa3' }, { ...raw[8]!, id: 'aaaaaaaaaaaaaaa3', parentId: 'aaaaaaaaaaaaaaa2' });
  raw.push({ ...raw[9]!, id: 'aaaaaaaaaaaaaaa4', traceId: 'f'.repeat(32) });
  const trace = buildTrace(raw);
  assert.deepEqual([...new Set(trace.problems.map((p) => p.code))].sort(), ['cycle', 'duplicate-span-id', 'missing-parent', 'mixed-trace-ids']);
  return trace;
}

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
    // A structured clone, as postMessage makes: the typed-array columns arrive as typed arrays.
    const broken = () => structuredClone(sent);
    for (const wire of Object.values(broken())) assert.deepEqual(checkHostMessage(wire), { ok: true, value: wire });
    type Sent = typeof sent;
    const trace = (f: (m: Sent['trace']) => unknown) => (m: Sent) => void f(m.trace);
    const results = (f: (m: Sent['results']) => unknown) => (m: Sent) => void f(m.results);
    const cases: Array<[(m: Sent) => void, string | RegExp]> = [
      [trace((m) => (m.trace.spans.starts[3] = 12.5)), 'trace.spans.starts[3]: expected an integer number of nanoseconds, got number'],
      [trace((m) => (m.trace.spans.resources[3] = 99)), /^trace\.spans\.resources\[3\]: expected an index below \d+, got number$/],
      [trace((m) => (m.trace.spans.names[0] = m.trace.stringEnds.length)), /^trace\.spans\.names\[0\]: expected a string index below \d+, got number$/],
      [trace((m) => (m.trace.spans.kinds = m.trace.spans.kinds.slice(0, -1))), 'trace.spans.kinds: expected 9 entries, got 8'],
      [trace((m) => (m.trace.spans.kinds[2] = 9)), 'trace.spans.kinds[2]: expected an index below 6, got number'],
      [
        trace((m) => (m.trace.spans.starts = [...m.trace.spans.starts] as unknown as Float64Array)),
        'trace.spans.starts: expected a Float64Array, got an array',
      ],
      [
        trace((m) => (m.trace.spans.names = new Int32Array(m.trace.spans.names) as unknown as Uint32Array)),
        'trace.spans.names: expected a Uint32Array, got object',
      ],
      [
        trace((m) => (m.trace.spans.ids = m.trace.spans.ids.slice(0, 32) + 'not-a-span-id-16' + m.trace.spans.ids.slice(48))),
        'trace.spans.ids[2]: expected 16 lowercase hex digits, got string',
      ],
      [trace((m) => (m.trace.spans.ids = m.trace.spans.ids.slice(1))), 'trace.spans.ids: expected 16 lowercase hex digits per span, got 143 characters'],
      [trace((m) => (m.trace.stringEnds[1] = 0)), /^trace\.stringEnds\[1\]: expected string ends rising to \d+, the text's length, got number$/],
      [trace((m) => (m.trace.strings += 'x')), /^trace\.stringEnds: expected the last string to end at \d+, got \d+$/],
      [
        trace((m) => m.trace.spans.parentIds.push([9, 'ffffffffffffffff'])),
        /^trace\.spans\.parentIds\[\d+\]: expected a \[span index below 9, 16 lowercase hex digits or ""\] pair, got an array$/,
      ],
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

  test('a trace survives the wire: same spans, tree, attributes (synthesized too), events, links and problems', async () => {
    const withTrigger = buildTrace((await readTraceFile(POKESHOP_TRACE)).spans, { attributes: new Map([['tracetest.response.status', '200']]) });
    for (const original of [withTrigger, generateTrace(2_000), repairedTrace()]) {
      const wire = structuredClone(toWireTrace(original));
      assert.equal(checkHostMessage({ type: 'trace', trace: wire }).ok, true);
      const back = fromWireTrace(wire);
      assert.equal(back.spans.length, original.spans.length);
      assert.equal(back.root, back.spans[0]);
      for (let i = 0; i < back.spans.length; i++) {
        const [a, b] = [original.spans[i]!, back.spans[i]!];
        const tree = (s: Span) => [s.id, s.parentId, s.parent?.id, s.children.map((c) => c.id), s.index, s.subtreeEnd, s.depth, s.isTrigger];
        assert.deepEqual(tree(b), tree(a));
        assert.equal(back.byId.get(a.id), b);
        assert.deepEqual([b.name, b.kind, b.startTime, b.endTime, b.status], [a.name, a.kind, a.startTime, a.endTime, a.status]);
        // Single keys first (read from the columns), then the whole maps.
        for (const key of [...a.flat.keys(), 'absent.key']) assert.equal(b.flat.get(key), a.flat.get(key), key);
        for (const key of a.attributes.keys()) assert.equal(b.attributes.has(key), true, key);
        assert.equal(b.attributes.size, a.attributes.size);
        assert.deepEqual([...b.flat], [...a.flat]);
        assert.deepEqual([...b.attributes], [...a.attributes]);
        assert.deepEqual(b.events, a.events);
        assert.deepEqual(b.links, a.links);
      }
      assert.deepEqual(back.problems, original.problems);
    }
  });

  test('attributes read back by key when the string table holds a key twice (a wire not made by toWireTrace)', () => {
    const original = generateTrace(20);
    const wire = structuredClone(toWireTrace(original));
    const span = original.spans[5]!;
    const [key, value] = [...span.attributes][0]!;
    // Span 5's first key points at a second copy of its text; the other spans keep the first.
    wire.spans.attributes[wire.spans.attributeOffsets[5]!] = addWireString(wire, key);
    assert.equal(checkHostMessage({ type: 'trace', trace: wire }).ok, true);
    const back = fromWireTrace(wire);
    assert.equal(back.spans[5]!.attributes.get(key), value);
    for (const s of original.spans) assert.equal(back.spans[s.index]!.attributes.get(key), s.attributes.get(key), `span ${s.index}`);
    assert.equal(back.spans[5]!.attributes.get('absent.key'), undefined);
  });

  test('selectors and selector candidates read a trace from the wire as the trace it came from', async () => {
    const pokeshop = buildTrace((await readTraceFile(POKESHOP_TRACE)).spans);
    for (const original of [pokeshop, generateTrace(2_000)]) {
      const back = fromWireTrace(structuredClone(toWireTrace(original)));
      // The span's own attributes, its scope's and its resource's (read from the wire's columns in one pass), and none.
      const keys = new Set(['absent.key', 'name', 'tracetest.span.type']);
      for (const span of original.spans) for (const key of span.flat.keys()) keys.add(key);
      for (const key of keys) assert.deepEqual(attributeColumn(back, key), attributeColumn(original, key), key);
      const step = Math.max(1, Math.floor(original.spans.length / 60));
      for (let i = 0; i < original.spans.length; i += step) {
        assert.deepEqual(selectorCandidates(back, back.spans[i]!), selectorCandidates(original, original.spans[i]!), `span ${i}`);
      }
    }
  });

  test('a span id that is not 16 digits long is refused at that span, the ids after it unshifted', () => {
    const trace = generateTrace(20);
    trace.spans[3]!.id = 'abc';
    const wire = structuredClone(toWireTrace(trace));
    assert.deepEqual(checkHostMessage({ type: 'trace', trace: wire }), {
      ok: false,
      error: 'trace.spans.ids[3]: expected 16 lowercase hex digits, got string',
    });
    assert.equal(wire.spans.ids.slice(4 * 16, 5 * 16), trace.spans[4]!.id);
  });

  test('a tree that is not in span order is refused at the parent that breaks it', () => {
    const wire = (): WireTrace => structuredClone(toWireTrace(generateTrace(20)));
    const spans = wire().spans;
    // Span i follows its sibling i - 1, whose subtree ended there: span i + 1 cannot be the sibling's child.
    const i = spans.parents.findIndex((p, j) => j > 1 && p === spans.parents[j - 1] && j + 1 < spans.parents.length);
    const cases: Array<[(w: WireTrace) => void, string]> = [
      [(w) => (w.spans.parents[0] = 0), 'trace.spans.parents[0]: expected -1 (the trigger span has no parent), got number'],
      [(w) => (w.spans.parents[3] = 7), 'trace.spans.parents[3]: expected the index of an open earlier span, got number'],
      [(w) => (w.spans.parents[i + 1] = i - 1), `trace.spans.parents[${i + 1}]: expected the index of an open earlier span, got number`],
      [(w) => (w.spans.parents = w.spans.parents.subarray(1)), 'trace.spans.parents: expected 20 entries, got 19'],
      [
        (w) => (w.problems = [{ code: 'lost' as 'cycle', message: '' }]),
        'trace.problems[0].code: expected one of empty, missing-parent, duplicate-span-id, multiple-roots, mixed-trace-ids, cycle, truncated, got string',
      ],
    ];
    for (const [breakIt, error] of cases) {
      const w = wire();
      breakIt(w);
      assert.deepEqual(checkHostMessage({ type: 'trace', trace: w }), { ok: false, error });
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
