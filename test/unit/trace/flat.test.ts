// The flat attribute view answers single keys from the span's fields and becomes a Map only when iterated: both
// must give what building the whole view eagerly gives (language.md §1).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTrace, spanValue } from '../../../src/core/trace/build';
import type { Attributes, RawSpan, Span } from '../../../src/core/trace/model';

const resource: Attributes = new Map([
  ['service.name', 'api'],
  ['shared.key', 'from resource'],
]);
const scopeAttributes: Attributes = new Map([
  ['scope.only', 'scope'],
  ['shared.key', 'from scope'],
]);

function raw(id: string, parentId: string, attributes: Record<string, string>, extra: Partial<RawSpan> = {}): RawSpan {
  return {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    id,
    parentId,
    name: `span ${id}`,
    kind: 'server',
    startTime: 1_000n,
    endTime: 3_500n,
    status: { code: 'STATUS_CODE_ERROR', message: '' },
    resource,
    scope: { name: 'lib', version: '1', attributes: scopeAttributes },
    attributes: new Map(Object.entries(attributes)),
    events: [],
    links: [],
    ...extra,
  };
}

/** The view as it was built before it became lazy: sources in order, later ones winning, then the synthesized keys. */
function eagerFlat(span: Span): Array<[string, string]> {
  const m = new Map<string, string>([...span.resource, ...span.scope.attributes, ...span.attributes]);
  m.set('tracetest.span.name', span.name);
  m.set('tracetest.span.type', spanValue(span, 'tracetest.span.type')!);
  m.set('tracetest.span.duration', (span.endTime > span.startTime ? span.endTime - span.startTime : 0n).toString());
  m.set('tracetest.span.start_time', span.startTime.toString());
  m.set('tracetest.span.end_time', span.endTime.toString());
  m.set('tracetest.span.parent_id', span.parent && !span.isTrigger ? span.parent.id : '');
  m.set('tracetest.span.status_code', span.status.code);
  if (span.status.message) m.set('tracetest.span.status_description', span.status.message);
  if (span.events.length > 0) {
    m.set(
      'span.events',
      JSON.stringify(span.events.map((e) => ({ name: e.name, timestamp: e.time.toString(), attributes: Object.fromEntries(e.attributes) }))),
    );
  }
  return [...m];
}

const trace = () =>
  buildTrace([
    raw('a1', '', { 'http.method': 'GET', 'shared.key': 'from span' }),
    raw(
      'b2',
      'a1',
      { 'db.system': 'postgres', 'http.url': 'x', 'tracetest.span.name': 'set by the app', 'tracetest.span.status_description': 'kept' },
      {
        status: { code: 'STATUS_CODE_OK', message: '' },
        events: [{ name: 'retry', time: 2_000n, attributes: new Map([['attempt', '2']]) }],
      },
    ),
    raw('c3', 'a1', {}, { status: { code: 'STATUS_CODE_ERROR', message: 'boom' }, endTime: 500n }),
  ]);

describe('flat attribute view', () => {
  it('looks up span, scope and resource attributes with span attributes winning, without filling the view', () => {
    const [, a1] = trace().spans;
    assert.equal(a1!.flat.get('shared.key'), 'from span');
    assert.equal(a1!.flat.get('scope.only'), 'scope');
    assert.equal(a1!.flat.get('service.name'), 'api');
    assert.equal(a1!.flat.get('missing'), undefined);
    assert.equal(a1!.flat.has('missing'), false);
    assert.equal(spanValue(a1!, 'http.method'), 'GET');
  });

  it('synthesizes the tracetest.span attributes, overriding same-named span attributes', () => {
    const t = trace();
    const b2 = t.byId.get('b2')!;
    const c3 = t.byId.get('c3')!;
    assert.equal(b2.flat.get('tracetest.span.name'), 'span b2');
    assert.equal(b2.flat.get('tracetest.span.type'), 'http', 'http. ranks before db. whatever the key order');
    assert.equal(b2.flat.get('tracetest.span.parent_id'), 'a1');
    assert.equal(b2.flat.get('tracetest.span.duration'), '2500');
    assert.equal(b2.flat.get('tracetest.span.status_description'), 'kept', 'no status message: the span attribute stays');
    assert.equal(c3.flat.get('tracetest.span.status_description'), 'boom');
    assert.equal(c3.flat.get('tracetest.span.duration'), '0', 'ends before it starts');
    assert.equal(JSON.parse(b2.flat.get('span.events')!)[0].attributes.attempt, '2');
    assert.equal(t.root.flat.get('tracetest.span.parent_id'), '');
    assert.equal(t.root.flat.get('tracetest.span.type'), 'general');
  });

  it('iterates as the eagerly built view did: same keys, order, values and size, for every span', () => {
    for (const span of trace().spans) {
      const expected = eagerFlat(span);
      const looked = expected.map(([k]) => [k, span.flat.get(k)]);
      assert.deepEqual(looked, expected, 'lookups before the view is filled');
      assert.deepEqual([...span.flat], expected);
      assert.equal(span.flat.size, expected.length);
      assert.deepEqual(new Map(span.flat), new Map(expected));
      assert.deepEqual(
        expected.map(([k]) => span.flat.get(k)),
        expected.map(([, v]) => v),
        'lookups after it is filled',
      );
    }
  });

  it('leaves the resource and scope maps that spans share untouched when a view is listed', () => {
    const t = trace();
    const [, a1, b2] = t.spans;
    assert.equal(a1!.flat.get('shared.key'), 'from span');
    assert.equal([...a1!.flat].length, a1!.flat.size);
    assert.deepEqual(
      [...resource],
      [
        ['service.name', 'api'],
        ['shared.key', 'from resource'],
      ],
    );
    assert.deepEqual([...scopeAttributes.keys()], ['scope.only', 'shared.key']);
    assert.equal(b2!.flat.get('shared.key'), 'from scope');
  });
});
