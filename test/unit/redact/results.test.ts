// Masking a run's result and trace: copies with every string masked, the originals (which assertions and re-checks
// read) untouched, and no copy at all of a trace without a secret in it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TestRunResult } from '../../../src/core/engine/result';
import { evaluateTest } from '../../../src/core/engine/evaluate';
import { createRedactor } from '../../../src/core/redact/redactor';
import { redactResult, redactTrace } from '../../../src/core/redact/results';
import { loadFile, type TestDef } from '../../../src/core/testfile/index';
import { TraceBuilder } from '../../support/trace-builder';

const SECRET = 'tok-3f9a77c1';
const redactor = createRedactor([SECRET]);

function traceWithSecret() {
  const trace = new TraceBuilder()
    .span('GET /login', { service: 'api', attrs: { 'http.route': '/login', [`x.${SECRET}`]: 'in a key' } })
    .span(`SELECT ${SECRET}`, {
      parent: 'GET /login',
      service: 'db',
      attrs: { 'db.statement': `SELECT * WHERE token = '${SECRET}'` },
      error: `bad token ${SECRET}`,
    })
    .span('cache', { parent: 'GET /login', service: 'api', resource: { 'host.name': SECRET } })
    .build();
  const db = trace.spans.find((s) => s.name.startsWith('SELECT'))!;
  db.events.push({ name: `retry ${SECRET}`, time: db.startTime, attributes: new Map([['why', SECRET]]) });
  db.links.push({ traceId: trace.traceId, spanId: trace.root.id, attributes: new Map([['token', SECRET]]) });
  return trace;
}

describe('redactTrace', () => {
  test('a trace without the secret is returned as it is, without a copy', () => {
    const trace = new TraceBuilder().span('GET /', { attrs: { a: 'b' } }).build();
    assert.equal(redactTrace(trace, redactor), trace);
    assert.equal(redactTrace(traceWithSecret(), createRedactor([])).spans.length, 4);
  });

  test('masks names, attribute keys and values, resources, status, events and links in a copy with the same tree', () => {
    const trace = traceWithSecret();
    const masked = redactTrace(trace, redactor);
    assert.notEqual(masked, trace);
    assert.ok(
      !JSON.stringify(
        masked.spans.map((s) => ({
          ...s,
          parent: undefined,
          children: undefined,
          startTime: 0,
          endTime: 0,
          flat: [...s.flat],
          resource: [...s.resource],
          attributes: [...s.attributes],
          events: s.events.map((e) => ({ ...e, time: 0, attributes: [...e.attributes] })),
          links: s.links.map((l) => [...l.attributes]),
        })),
      ).includes(SECRET),
    );
    const db = masked.spans.find((s) => s.name === 'SELECT ***')!;
    assert.equal(db.attributes.get('db.statement'), "SELECT * WHERE token = '***'");
    assert.equal(db.flat.get('tracetest.span.name'), 'SELECT ***');
    assert.equal(db.status.message, 'bad token ***');
    assert.deepEqual([db.events[0]!.name, db.events[0]!.attributes.get('why'), db.links[0]!.attributes.get('token')], ['retry ***', '***', '***']);
    assert.equal(masked.spans.find((s) => s.name === 'GET /login')!.attributes.get('x.***'), 'in a key');
    assert.equal(masked.spans.find((s) => s.name === 'cache')!.resource.get('host.name'), '***');

    // The same tree, made of the copies only.
    assert.deepEqual(
      masked.spans.map((s) => [s.index, s.depth, s.parent?.index ?? -1, s.children.map((c) => c.index)]),
      trace.spans.map((s) => [s.index, s.depth, s.parent?.index ?? -1, s.children.map((c) => c.index)]),
    );
    for (const span of masked.spans) {
      assert.equal(masked.byId.get(span.id), span);
      if (span.parent) assert.ok(masked.spans.includes(span.parent));
    }
    assert.equal(masked.root, masked.spans[0]);
    // The original is untouched: it is what assertions read.
    assert.ok(trace.spans.some((s) => s.name === `SELECT ${SECRET}`));
  });

  test('the copies keep every field that needed no masking, also those a built span reads from its decoded span', () => {
    const trace = traceWithSecret();
    const masked = redactTrace(trace, redactor);
    const fields = (s: (typeof trace.spans)[number]) => [
      s.traceId,
      s.id,
      s.parentId,
      s.kind,
      s.startTime,
      s.endTime,
      s.status.code,
      s.isTrigger,
      s.flat.get('tracetest.span.type'),
    ];
    assert.deepEqual(masked.spans.map(fields), trace.spans.map(fields));
    const cache = (t: typeof trace) => t.spans.find((s) => s.name === 'cache')!;
    assert.deepEqual([cache(masked).events, cache(masked).links, cache(masked).scope], [cache(trace).events, cache(trace).links, cache(trace).scope]);
  });
});

describe('redactResult', () => {
  const text = `type: Test\nspec:\n  id: t\n  name: t\n  trigger:\n    type: traceid\n    traceid:\n      id: x\n  specs:\n  - selector: span[name="SELECT ${SECRET}"]\n    assertions:\n    - attr:db.statement contains var:TOKEN\n    - attr:db.statement = "\${var:TOKEN}"\n  outputs:\n  - name: SEEN\n    selector: span[name="SELECT ${SECRET}"]\n    value: attr:db.statement\n`;
  const test_ = loadFile(text, 't.yaml').resources[0]!.resource as TestDef;
  const evaluation = evaluateTest(test_, traceWithSecret(), new Map([['TOKEN', SECRET]]));
  const result: TestRunResult = {
    file: 't.yaml',
    id: 't',
    name: 't',
    status: evaluation.status,
    traceId: 'x',
    durationMs: 1,
    trigger: { type: 'traceid', durationMs: 0 },
    specs: evaluation.specs,
    outputs: evaluation.outputs,
    trace: traceWithSecret(),
    error: `trigger: GET /?t=${SECRET}`,
  };

  test('masks observed, expected, messages, errors, outputs and the trace; the result was judged with the real value', () => {
    const [contains, equals] = result.specs[0]!.assertions;
    assert.deepEqual([contains!.status, equals!.status], ['passed', 'failed']);
    const masked = redactResult(result, redactor);
    const shown = JSON.stringify({
      ...masked,
      trace: undefined,
      specs: masked.specs.map((s) => ({ ...s, source: undefined, assertions: s.assertions.map((a) => ({ ...a, source: undefined })) })),
      outputs: masked.outputs.map((o) => ({ ...o, source: undefined })),
    });
    assert.ok(!shown.includes(SECRET), shown);
    const r = masked.specs[0]!.assertions[1]!.results[0]!;
    assert.deepEqual([r.observed, r.expected], ["SELECT * WHERE token = '***'", '***']);
    assert.equal(masked.specs[0]!.selector, 'span[name="SELECT ***"]', 'reports mask the test text too');
    assert.equal(masked.outputs[0]!.value, "SELECT * WHERE token = '***'");
    assert.equal(masked.error, 'trigger: GET /?t=***');
    assert.ok(masked.trace!.spans.some((s) => s.name === 'SELECT ***'));
    assert.equal(result.specs[0]!.assertions[1]!.results[0]!.expected, SECRET, 'the original is untouched');
  });

  test('for the editor, the text of the test file is kept, so results find their lines', () => {
    const masked = redactResult(result, redactor, { keepSourceText: true });
    assert.equal(masked.specs[0]!.selector, `span[name="SELECT ${SECRET}"]`);
    assert.equal(masked.specs[0]!.assertions[1]!.results[0]!.expected, '***');
    assert.equal(redactResult(result, createRedactor([])), result);
  });
});
