// Trace files beyond one JavaScript string, decoded a slice of spans at a time: the same spans, warnings and errors
// as the whole-text decoder, whatever the slice size. The million-span file itself is in bench/million.bench.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeTraceText } from '../../../src/core/trace/decode/index';
import { decodeLargeTraceJson } from '../../../src/core/trace/decode/large-json';
import type { RawSpan } from '../../../src/core/trace/model';
import { otlpJsonText } from '../../../src/run/save-trace';
import { generateRawSpans } from '../../support/generated-trace';
import { traceFixtureText } from './fixtures';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const comparable = (spans: readonly RawSpan[]) => spans.map((s) => ({ ...s, resource: [...s.resource], scope: s.scope.name, attributes: [...s.attributes] }));

describe('decodeLargeTraceJson', () => {
  for (const file of ['pokeshop.otlp.json', 'pokeshop.jaeger.json', 'pokeshop.tempo.json']) {
    it(`decodes ${file} in slices of 2 spans as the whole-text decoder does`, () => {
      const text = traceFixtureText(file);
      const whole = decodeTraceText(text);
      const sliced = decodeLargeTraceJson(bytes(text), 2);
      assert.ok(whole.ok && sliced.ok);
      assert.equal(sliced.value.format, whole.value.format);
      assert.deepEqual(comparable(sliced.value.spans), comparable(whole.value.spans));
      assert.deepEqual(sliced.value.warnings, whole.value.warnings);
    });
  }

  it('decodes a saved trace of several services in slices, in order', () => {
    const spans = generateRawSpans(2_000);
    const text = [...otlpJsonText(spans)].join('');
    const sliced = decodeLargeTraceJson(bytes(text), 300);
    const whole = decodeTraceText(text);
    assert.ok(sliced.ok && whole.ok);
    assert.ok(sliced.value.spans.length > 1_900);
    assert.deepEqual(comparable(sliced.value.spans), comparable(whole.value.spans));
  });

  it('names a bad span by its place in the whole file, not in its slice', () => {
    const doc = JSON.parse([...otlpJsonText(generateRawSpans(100))].join('')) as { resourceSpans: { scopeSpans: { spans: { spanId: string }[] }[] }[] };
    const group = doc.resourceSpans.flatMap((r) => r.scopeSpans).find((g) => g.spans.length >= 6)!;
    group.spans[5]!.spanId = 'not hex';
    const text = JSON.stringify(doc);
    const whole = decodeTraceText(text);
    const sliced = decodeLargeTraceJson(bytes(text), 2);
    assert.ok(whole.ok && sliced.ok);
    assert.match(whole.value.warnings.join('\n'), /spans\[5\]/);
    assert.deepEqual(sliced.value.warnings, whole.value.warnings);
  });

  it('says what is wrong with bytes that are not JSON', () => {
    for (const [text, message] of [
      ['{"resourceSpans": [{"scopeSpans": [{"spans": [{"name": "a}]}]}', /a string that does not end/],
      ['{"resourceSpans": [{"scopeSpans": [{"spans": [1, 2]}]}]}', /a span that is not an object at byte 46/],
      ['{"resourceSpans": []}]', /an unmatched \] at byte 21/],
      ['{"resourceSpans": [', /ends inside an object or array/],
    ] as const) {
      const decoded = decodeLargeTraceJson(bytes(text));
      assert.equal(decoded.ok, false, text);
      assert.match(decoded.ok ? '' : decoded.error.message, message);
    }
  });
});
