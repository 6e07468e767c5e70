// buildTrace's repairs on realistic decoded input: every broken trace still yields a usable tree and says what
// was wrong, never a crash.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTrace } from '../../../src/core/trace/build';
import { attributeColumn } from '../../../src/core/trace/columns';
import { decodeOtlpJson, decodeTraceText } from '../../../src/core/trace/decode/index';
import type { RawSpan, Trace } from '../../../src/core/trace/model';
import { truncateText, truncatedFrom } from '../../../src/core/trace/truncate';
import { POKESHOP_TREE, traceFixtureText } from './fixtures';

interface OtlpRequest {
  resourceSpans: Array<{ resource: unknown; scopeSpans: Array<{ scope: unknown; spans: Array<Record<string, unknown>> }> }>;
}

const pokeshop = (): OtlpRequest => JSON.parse(traceFixtureText('pokeshop.otlp.json')) as OtlpRequest;

function decode(doc: unknown): RawSpan[] {
  const decoded = decodeOtlpJson(doc);
  assert.ok(decoded.ok, decoded.ok ? '' : decoded.error.message);
  return decoded.value.spans;
}

const tree = (trace: Trace): string[] => trace.spans.map((s) => `${'  '.repeat(s.depth)}${s.name}`);

/** What every consumer relies on: all spans reachable in order, indexes and subtrees consistent, attributes synthesized. */
function assertUsable(trace: Trace, spanCount: number): void {
  assert.equal(trace.spans.length, spanCount);
  assert.equal(trace.spans[0], trace.root);
  assert.equal(trace.root.isTrigger, true);
  trace.spans.forEach((span, i) => {
    assert.equal(span.index, i);
    assert.equal(trace.byId.get(span.id), span);
    assert.ok(span.subtreeEnd >= i && span.subtreeEnd < spanCount);
    if (span !== trace.root) {
      assert.ok(span.parent && span.parent.index < i && span.parent.subtreeEnd >= span.subtreeEnd, `${span.name} sits inside its parent's subtree`);
    }
    assert.ok(span.flat.has('tracetest.span.type'));
  });
  // Made while building, also when spans in a cycle are walked again.
  assert.deepEqual(
    attributeColumn(trace, 'name'),
    trace.spans.map((s) => s.name),
  );
}

describe('buildTrace on decoded traces that need repair', () => {
  it('zero spans: only the trigger span, reported as empty', () => {
    const decoded = decodeTraceText('{"resourceSpans": [{"resource": {"attributes": []}, "scopeSpans": []}]}');
    assert.ok(decoded.ok);
    const trace = buildTrace(decoded.value.spans, { startTime: 1710410000000000000n, endTime: 1710410000250000000n });
    assertUsable(trace, 1);
    assert.deepEqual(
      trace.problems.map((p) => p.code),
      ['empty'],
    );
    assert.equal(trace.root.flat.get('tracetest.span.duration'), '250000000');
  });

  it('missing parents: the worker exported but the API did not; the worker subtree hangs under the trigger', () => {
    const doc = pokeshop();
    doc.resourceSpans = doc.resourceSpans.slice(1);
    const trace = buildTrace(decode(doc));
    assertUsable(trace, 6);
    assert.deepEqual(
      trace.problems.map((p) => [p.code, p.spanId]),
      [['missing-parent', '1a2b3c4d5e6f7081']],
    );
    assert.deepEqual(tree(trace), [
      'Tracetest trigger',
      '  queue.synchronizePokemon process',
      '    import pokemon',
      '      get',
      '      GET',
      '      pg.query:INSERT pokeshop',
    ]);
    assert.equal(trace.spans[1]!.flat.get('tracetest.span.parent_id'), trace.root.id);
  });

  it('duplicate span ids: a retried export saved twice keeps one copy of each span', () => {
    const trace = buildTrace(decode([pokeshop(), pokeshop()]));
    assertUsable(trace, 9);
    assert.deepEqual(tree(trace), POKESHOP_TREE);
    assert.equal(trace.problems.length, 8);
    assert.ok(trace.problems.every((p) => p.code === 'duplicate-span-id'));
    assert.ok(trace.problems.some((p) => p.spanId === '00f067aa0ba902b7'));
  });

  it('several roots: a background job span without a parent sits beside the request', () => {
    const doc = pokeshop();
    doc.resourceSpans[1]!.scopeSpans[0]!.spans.push({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: 'c0ffee00c0ffee00',
      name: 'refresh featured cache',
      kind: 1,
      startTimeUnixNano: '1710410000100000000',
      endTimeUnixNano: '1710410000110000000',
    });
    const trace = buildTrace(decode(doc));
    assertUsable(trace, 10);
    assert.deepEqual(
      trace.problems.map((p) => p.code),
      ['multiple-roots'],
    );
    assert.deepEqual(
      trace.root.children.map((s) => s.name),
      ['refresh featured cache', 'POST /pokemon/import'],
    );
    assert.equal(trace.root.startTime, 1710410000100000000n);
  });

  it('an exported `Tracetest trigger` root is augmented, not duplicated', () => {
    const doc = pokeshop();
    const triggerId = 'aaaabbbbccccdddd';
    doc.resourceSpans.unshift({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'tracetest' } }] },
      scopeSpans: [
        {
          scope: { name: 'tracetest' },
          spans: [
            {
              traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
              spanId: triggerId,
              name: 'Tracetest trigger',
              kind: 1,
              startTimeUnixNano: '1710410000120000000',
              endTimeUnixNano: '1710410000150000000',
              attributes: [{ key: 'tracetest.run.id', value: { intValue: '7' } }],
            },
          ],
        },
      ],
    });
    doc.resourceSpans[1]!.scopeSpans[0]!.spans[0]!.parentSpanId = triggerId;
    const trace = buildTrace(decode(doc), { attributes: new Map([['tracetest.response.status', '200']]) });
    assertUsable(trace, 9);
    assert.deepEqual(trace.problems, []);
    assert.deepEqual(tree(trace), POKESHOP_TREE);
    assert.equal(trace.root.id, triggerId);
    assert.equal(trace.root.flat.get('tracetest.run.id'), '7');
    assert.equal(trace.root.flat.get('tracetest.response.status'), '200');
    assert.equal(trace.root.flat.get('tracetest.span.type'), 'general');
    assert.equal(trace.spans[1]!.flat.get('tracetest.span.parent_id'), triggerId);
  });

  it('a parent cycle: two spans naming each other as parent are cut loose under the trigger', () => {
    const doc = pokeshop();
    const worker = doc.resourceSpans[1]!.scopeSpans;
    const consumer = worker[0]!.spans[0]!;
    assert.equal(consumer.name, 'queue.synchronizePokemon process');
    const importSpan = worker.flatMap((g) => g.spans).find((s) => s.name === 'import pokemon')!;
    consumer.parentSpanId = importSpan.spanId;
    const trace = buildTrace(decode(doc));
    assertUsable(trace, 9);
    assert.deepEqual(
      trace.problems.map((p) => p.code),
      ['cycle'],
    );
    assert.equal(trace.problems[0]!.spanId, '1a2b3c4d5e6f7081');
    assert.deepEqual(tree(trace), [
      'Tracetest trigger',
      '  POST /pokemon/import',
      '    validate request',
      '    queue.synchronizePokemon publish',
      '  queue.synchronizePokemon process',
      '    import pokemon',
      '      get',
      '      GET',
      '      pg.query:INSERT pokeshop',
    ]);
  });

  it('text the receiver cut: one problem per span naming what was cut, shared resource values once', () => {
    const doc = pokeshop();
    const api = doc.resourceSpans[0]!;
    const importSpan = api.scopeSpans[0]!.spans[0]!;
    const cutBody = truncateText('{"items": [' + '1,'.repeat(100_000) + '1]}', 1000);
    (importSpan.attributes as unknown[]).push({ key: 'http.request.body', value: { stringValue: cutBody } });
    importSpan.name = truncateText(`${importSpan.name as string} ${'x'.repeat(5000)}`, 300);
    (api.resource as { attributes: unknown[] }).attributes.push({ key: 'process.command_args', value: { stringValue: truncateText('a'.repeat(70_000), 400) } });
    const trace = buildTrace(decode(doc));
    assertUsable(trace, 9);
    const truncated = trace.problems.filter((p) => p.code === 'truncated');
    assert.equal(truncated.length, 1, 'the resource is shared by the API spans and reported with the first one');
    assert.equal(truncated[0]!.spanId, importSpan.spanId);
    assert.match(
      truncated[0]!.message,
      /the name \(5,021 bytes\), attribute http\.request\.body \(200,014 bytes\), resource attribute process\.command_args \(70,000 bytes\) were cut to the receiver's text limit/,
    );
    assert.equal(trace.problems.length, 1);
  });

  it('text that merely mentions truncation is not taken for cut text', () => {
    const doc = pokeshop();
    const first = doc.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    (first.attributes as unknown[]).push(
      { key: 'note', value: { stringValue: 'the log said [truncated from 12 bytes]' } },
      { key: 'json', value: { stringValue: '[1, 2, 3]' } },
    );
    assert.equal(truncatedFrom('x…[truncated from 12 bytes]'), 12);
    assert.deepEqual(buildTrace(decode(doc)).problems, []);
  });

  it('spans from several traces, exported twice and out of start order: problems in the order found, children in start order', () => {
    const doc = pokeshop();
    const api = doc.resourceSpans[0]!.scopeSpans[0]!.spans;
    api.reverse(); // children listed latest first
    api.push({ ...api[0]!, traceId: 'ffffffffffffffffffffffffffffffff', spanId: 'beefbeefbeefbeef', parentSpanId: undefined });
    const trace = buildTrace(decode([doc, pokeshop()]));
    assertUsable(trace, 10);
    assert.deepEqual(tree(trace).slice(0, 4), ['Tracetest trigger', '  POST /pokemon/import', '    validate request', '    queue.synchronizePokemon publish']);
    assert.deepEqual(
      trace.problems.map((p) => p.code),
      ['mixed-trace-ids', ...Array<string>(8).fill('duplicate-span-id'), 'multiple-roots'],
    );
    assert.equal(trace.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('cut text in spans given as Maps, each with its own resource (as triggers and older sources give them)', () => {
    const spans = decode(pokeshop()).map((r, i) => ({
      ...r,
      resource: new Map([...r.resource, ['host.id', i === 3 ? truncateText('h'.repeat(900), 100) : `host-${i}`]]),
      attributes: new Map([...r.attributes, ...(i === 5 ? [['payload', truncateText('p'.repeat(2000), 100)] as [string, string]] : [])]),
    }));
    const trace = buildTrace(spans);
    assert.deepEqual(
      trace.problems.map((p) => [p.spanId, p.message.replace(/^span \S+ \("[^"]*"\): /, '')]),
      [
        [spans[3]!.id, 'resource attribute host.id (900 bytes) was cut to the receiver\'s text limit (marked "…[truncated from N bytes]")'],
        [spans[5]!.id, 'attribute payload (2,000 bytes) was cut to the receiver\'s text limit (marked "…[truncated from N bytes]")'],
      ].sort((a, b) => trace.byId.get(a[0]!)!.index - trace.byId.get(b[0]!)!.index),
    );
  });

  it('a trigger span id that a decoded span has too: that span leaves the trace, its children hang under the trigger span', () => {
    const raw = decode(pokeshop());
    const taken = raw.find((r) => raw.some((c) => c.parentId === r.id) && r.parentId)!;
    const children = raw.filter((r) => r.parentId === taken.id).map((r) => r.id);
    const trace = buildTrace(raw, { spanId: taken.id });
    assertUsable(trace, raw.length);
    assert.equal(trace.byId.get(taken.id), trace.root);
    assert.deepEqual(
      [...trace.byId.keys()],
      raw.map((r) => r.id),
      'listed where the span it replaced was',
    );
    assert.ok(!trace.spans.some((s) => s.name === taken.name && !s.isTrigger));
    for (const id of children) assert.equal(trace.byId.get(id)!.parent, trace.root);
    assert.deepEqual(trace.problems, []);
  });

  it('spans by id list as a Map filled in input order would: duplicates once, an existing trigger span last', () => {
    const raw = decode(pokeshop());
    const trigger = { ...raw[4]!, name: 'Tracetest trigger', parentId: '' };
    const input = [...raw.slice(0, 4), trigger, ...raw.slice(5), raw[1]!];
    const trace = buildTrace(input);
    const expected = [...raw.slice(0, 4), ...raw.slice(5), trigger].map((r) => r.id);
    assert.deepEqual([...trace.byId.keys()], expected);
    assert.equal(trace.byId.size, raw.length);
    assert.equal(trace.root.id, trigger.id);
    assert.deepEqual(
      [...trace.byId.values()],
      expected.map((id) => trace.spans.find((s) => s.id === id)),
    );
  });

  it('a span reads the fields it does not copy from its decoded span: the same values', () => {
    const raw = decode(pokeshop());
    const trace = buildTrace(raw);
    for (const r of raw) {
      const span = trace.byId.get(r.id)!;
      const fields = [
        'traceId',
        'id',
        'parentId',
        'name',
        'kind',
        'startTime',
        'endTime',
        'status',
        'resource',
        'scope',
        'attributes',
        'events',
        'links',
      ] as const;
      for (const field of fields) assert.equal(span[field], r[field], field);
    }
  });
});
