// Saved trace files and HTTP bodies as text: format detection, JSON syntax errors with positions, exact integers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeTraceDocument, decodeTraceText, detectTraceFormat } from '../../../src/core/trace/decode/index';
import { traceFixtureText } from './fixtures';

describe('detectTraceFormat / decodeTraceDocument', () => {
  it('tells the formats apart by their top-level keys', () => {
    assert.equal(detectTraceFormat({ resourceSpans: [] }), 'otlp');
    assert.equal(detectTraceFormat([{ resourceSpans: [] }]), 'otlp');
    assert.equal(detectTraceFormat({}), 'otlp');
    assert.equal(detectTraceFormat({ batches: [] }), 'tempo');
    assert.equal(detectTraceFormat({ trace: {} }), 'tempo');
    assert.equal(detectTraceFormat({ data: [], total: 0 }), 'jaeger');
    assert.equal(detectTraceFormat({ traceID: 'a', spans: [], processes: {} }), 'jaeger');
    assert.equal(detectTraceFormat({ result: { resourceSpans: [] } }), 'jaeger');
    assert.equal(detectTraceFormat({ name: 'pokeshop' }), undefined);
  });

  it('says what it expected when the document is no trace', () => {
    assert.deepEqual(decodeTraceDocument({ type: 'Test', spec: {}, name: 'x', a: 1, b: 2, c: 3 }), {
      ok: false,
      error: {
        message:
          'not a trace: expected OTLP JSON (`resourceSpans`), Jaeger JSON (`data`) or Tempo JSON (`batches` or `trace`), got an object with `type`, `spec`, `name`, `a`, `b`, …',
      },
    });
    const text = decodeTraceDocument(42);
    assert.equal(text.ok, false);
    assert.match(text.ok ? '' : text.error.message, /got a number$/);
  });

  it('never throws, whatever it is given', () => {
    let deep: unknown = { stringValue: 'bottom' };
    for (let i = 0; i < 200_000; i++) deep = { arrayValue: { values: [deep] } };
    const cyclic: Record<string, unknown> = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', name: 'x' };
    cyclic.kind = cyclic;
    const inputs: unknown[] = [
      undefined,
      null,
      NaN,
      'x',
      [null],
      [[]],
      { data: [null] },
      { batches: [1] },
      { trace: 'x' },
      { result: 7 },
      {
        resourceSpans: [
          {
            scopeSpans: [{ spans: [{ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', attributes: [{ key: 'deep', value: deep }] }] }],
          },
        ],
      },
      { resourceSpans: [{ scopeSpans: [{ spans: [cyclic] }] }] },
      { resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 1, spanId: {}, events: 'x', links: [1, null], status: 5, attributes: { a: 1 } }] }] }] },
    ];
    for (const doc of inputs) assert.doesNotThrow(() => decodeTraceDocument(doc));
    const deepResult = decodeTraceDocument(inputs[10]);
    assert.equal(deepResult.ok, false);
    assert.match(deepResult.ok ? '' : deepResult.error.message, /^cannot decode the trace: /);
  });
});

describe('decodeTraceText', () => {
  it('decodes each recorded fixture in its own format', () => {
    const formats = ['otlp', 'jaeger', 'tempo', 'tempo-v2'].map((f) => {
      const decoded = decodeTraceText(traceFixtureText(`pokeshop.${f}.json`));
      return decoded.ok ? decoded.value.format : decoded.error.message;
    });
    assert.deepEqual(formats, ['otlp', 'jaeger', 'tempo', 'tempo']);
  });

  it('reports invalid JSON with what was expected and the line and column', () => {
    const cases: Array<[string, string]> = [
      ['{\n  "resourceSpans": [\n    {"scopeSpans": []},\n  ]\n}', 'expected a value, found `]` at 4:3'],
      ['{"resourceSpans": [] "x": 1}', 'expected `,` or `}`, found `"` at 1:22'],
      ['{"data": [{"spans": [}', 'expected a value or `]`, found `}` at 1:22'],
      ['{resourceSpans: []}', 'expected a property name in double quotes or `}`, found `r` at 1:2'],
      ['{"a" 1}', 'expected `:`, found `1` at 1:6'],
      ['{"a": tru}', 'expected a value, found `t` at 1:7'],
      ['{"a": "x\\q"}', 'invalid escape in string at 1:9'],
      ['{"a": "line\nbreak"}', 'control character in string (escape it, e.g. `\\n`) at 1:12'],
      ['{"a": "open', 'unterminated string at 1:7'],
      ['{"a": [1, 2', 'unexpected end of text: expected `,` or `]` at 1:12'],
      ['', 'unexpected end of text: expected a value at 1:1'],
      ['{} {}', 'unexpected `{` after the end of the JSON value at 1:4'],
      ['\n\n  -x', 'invalid number at 3:3'],
    ];
    for (const [text, message] of cases)
      assert.deepEqual(decodeTraceText(text), { ok: false, error: { message: `invalid JSON: ${message}` } }, JSON.stringify(text));
  });

  it('keeps integers beyond 2^53 exact, in times and int64 values, but not inside strings', () => {
    const text = `\uFEFF{"resourceSpans": [{"scopeSpans": [{"spans": [{
      "traceId": "4bf92f3577b34da6a3ce929d0e0e4736", "spanId": "00f067aa0ba902b7", "name": "n 12345678901234567890",
      "startTimeUnixNano": 1710410000123456789, "endTimeUnixNano": 1710410000123456999,
      "attributes": [
        {"key": "id", "value": {"intValue": -9007199254740993}},
        {"key": "safe", "value": {"intValue": 9007199254740991}},
        {"key": "double", "value": {"doubleValue": 12345678901234567.5}},
        {"key": "text", "value": {"stringValue": "9007199254740993 \\" 9007199254740995"}}
      ]}]}]}]}`;
    const decoded = decodeTraceText(text);
    assert.ok(decoded.ok);
    const [span] = decoded.value.spans;
    assert.equal(span!.name, 'n 12345678901234567890');
    assert.equal(span!.startTime, 1710410000123456789n);
    assert.equal(span!.endTime, 1710410000123456999n);
    assert.deepEqual(Object.fromEntries(span!.attributes), {
      id: '-9007199254740993',
      safe: '9007199254740991',
      double: '12345678901234568',
      text: '9007199254740993 " 9007199254740995',
    });
  });
});
