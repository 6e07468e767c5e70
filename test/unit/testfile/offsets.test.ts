// valueOffsets map each character of a value to its place in the file, for every scalar style where that is knowable.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createProblem, loadFile, offsetOf, type SourceString, type TestDef } from '../../../src/core/testfile/index';
import { assertExactOffsets, resourceOf } from './helpers';

/** A test whose specs block is `specs` (indented by 2), returned with the full text. */
function testWithSpecs(specs: string, eol = '\n'): { text: string; test: TestDef } {
  const text = ['type: Test', 'spec:', '  trigger:', '    type: traceid', '    traceid:', '      id: abc', '  specs:', specs].join('\n').replace(/\n/g, eol);
  return { text, test: resourceOf(loadFile(text, 'offsets.yaml'), 'Test') };
}

function lineColumn(text: string, s: SourceString, index: number): string {
  const p = createProblem(text, { start: offsetOf(s, index), end: offsetOf(s, index) + 1 }, 'x', 'selector');
  return `${p.line}:${p.column}`;
}

describe('valueOffsets', () => {
  it('plain single-line scalar', () => {
    const { text, test } = testWithSpecs('    - selector: span[name="GET /"]\n      assertions: [attr:x = 1]\n');
    const selector = test.specs[0]!.selector;
    assert.equal(selector.value, 'span[name="GET /"]');
    assertExactOffsets(text, selector);
    assert.equal(lineColumn(text, selector, 5), '8:22'); // `n` of name
    assertExactOffsets(text, test.specs[0]!.assertions[0]!); // item of a flow sequence
  });

  it('plain multi-line scalar: folded line breaks map to the break, every other character is exact', () => {
    const specs = [
      '    - selector: span[tracetest.span.type="http"',
      '        name="POST /pokemon"]',
      '      assertions:',
      '        - attr:a = 1',
      '          and more',
      '',
      '          after a blank line',
    ].join('\n');
    const { text, test } = testWithSpecs(specs + '\n');
    const selector = test.specs[0]!.selector;
    assert.equal(selector.value, 'span[tracetest.span.type="http" name="POST /pokemon"]');
    const fold = selector.value.indexOf(' name=');
    for (let i = 0; i < selector.value.length; i++) {
      if (i === fold) assert.equal(text[offsetOf(selector, i)], '\n');
      else assert.equal(text[offsetOf(selector, i)], selector.value[i]);
    }
    // A selector error at `name` (after the fold) is shown on the second line, column 9.
    assert.equal(lineColumn(text, selector, fold + 1), '9:9');
    const assertion = test.specs[0]!.assertions[0]!;
    assert.equal(assertion.value, 'attr:a = 1 and more\nafter a blank line');
    assert.equal(lineColumn(text, assertion, assertion.value.indexOf('and')), '12:11');
    assert.equal(lineColumn(text, assertion, assertion.value.indexOf('after')), '14:11');
    assert.equal(text[offsetOf(assertion, assertion.value.indexOf('\n'))], '\n');
  });

  it("single-quoted scalar, with '' escapes", () => {
    const { text, test } = testWithSpecs("    - selector: 'span[name=\"it''s\"]'\n      assertions: ['attr:name = ''x''']\n");
    const [selector, assertion] = [test.specs[0]!.selector, test.specs[0]!.assertions[0]!];
    assert.equal(selector.value, 'span[name="it\'s"]');
    assert.equal(assertion.value, "attr:name = 'x'");
    assertExactOffsets(text, selector);
    assertExactOffsets(text, assertion);
    const quote = assertion.value.indexOf("'");
    assert.equal(offsetOf(assertion, quote + 1) - offsetOf(assertion, quote), 2, "the character after an escaped '' is two further on");
  });

  it('double-quoted scalar without escapes is exact; with escapes there are no offsets', () => {
    const { text, test } = testWithSpecs('    - selector: "span[name=\'x\']"\n      assertions: ["attr:name = \\"x\\""]\n');
    assertExactOffsets(text, test.specs[0]!.selector);
    const escaped = test.specs[0]!.assertions[0]!;
    assert.equal(escaped.value, 'attr:name = "x"');
    assert.equal(escaped.valueOffsets, undefined);
    assert.equal(offsetOf(escaped, 5), escaped.range.start);
    assert.equal(text.slice(escaped.range.start, escaped.range.end), '"attr:name = \\"x\\""');
  });

  it('literal block scalars: |, |- and |+, with deeper-indented and blank lines', () => {
    const specs = [
      '    - selector: |',
      '        span[name="a"]',
      '          span[name="b"]',
      '',
      '        span[name="c"]',
      '      assertions:',
      '        - |-',
      '          attr:x = 1',
      '        - |+',
      '          attr:y = 2',
      '',
      '    - selector: x',
      '      assertions: []',
    ].join('\n');
    const { text, test } = testWithSpecs(specs + '\n');
    const [selector, strip, keep] = [test.specs[0]!.selector, ...test.specs[0]!.assertions];
    assert.equal(selector.value, 'span[name="a"]\n  span[name="b"]\n\nspan[name="c"]\n');
    assert.equal(strip!.value, 'attr:x = 1');
    assert.equal(keep!.value, 'attr:y = 2\n\n');
    for (const s of [selector, strip!, keep!]) assertExactOffsets(text, s);
    assert.equal(lineColumn(text, selector, selector.value.indexOf('span[name="b"]')), '10:11');
  });

  it('literal block scalar with an explicit indentation indicator', () => {
    const { text, test } = testWithSpecs('    - selector: x\n      assertions:\n        - |2\n             attr:x = 1\n            and y\n');
    const assertion = test.specs[0]!.assertions[0]!;
    // The indicator is relative to the list item's indentation (8), so the content starts at column 11.
    assert.equal(assertion.value, '   attr:x = 1\n  and y\n');
    assertExactOffsets(text, assertion);
  });

  it('literal block and multi-line plain scalars in a file with CRLF line endings', () => {
    const { text, test } = testWithSpecs(
      '    - selector: |\n        span[name="a"]\n        span[name="b"]\n      assertions:\n        - attr:a =\n          1\n',
      '\r\n',
    );
    const assertion = test.specs[0]!.assertions[0]!;
    assert.equal(assertion.value, 'attr:a = 1');
    assert.equal(lineColumn(text, assertion, 9), '13:11');
    const selector = test.specs[0]!.selector;
    assert.equal(selector.value, 'span[name="a"]\nspan[name="b"]\n');
    assert.equal(text.includes('\r\n'), true);
    assertExactOffsets(text, selector); // line breaks map to the \n of \r\n
  });

  it('folded block scalars have no offsets', () => {
    const { test } = testWithSpecs('    - selector: >\n        span[name="a"]\n        span[name="b"]\n      assertions: []\n');
    const selector = test.specs[0]!.selector;
    assert.equal(selector.value, 'span[name="a"] span[name="b"]\n');
    assert.equal(selector.valueOffsets, undefined);
  });

  it('legacy spec map keys (plain and quoted) are exact', () => {
    const { text, test } = testWithSpecs('    span[name="a"]:\n      assertions: [attr:x = 1]\n    \'span[name="b c"]\':\n      assertions: []\n');
    assert.deepEqual(
      test.specs.map((s) => s.selector.value),
      ['span[name="a"]', 'span[name="b c"]'],
    );
    for (const spec of test.specs) assertExactOffsets(text, spec.selector);
  });

  it('non-string scalars keep their text and offsets', () => {
    const text = 'type: VariableSet\nspec:\n  values:\n    - key: PORT\n      value: 0x1F\n';
    const set = resourceOf(loadFile(text, 'vars.yaml'), 'VariableSet');
    assert.equal(set.values[0]!.value.value, '0x1F');
    assertExactOffsets(text, set.values[0]!.value);
  });

  it('offsetOf past the end points just after the last character', () => {
    const { test } = testWithSpecs('    - selector: span\n      assertions: []\n');
    const selector = test.specs[0]!.selector;
    assert.equal(offsetOf(selector, 4), selector.range.end);
    assert.equal(offsetOf(selector, 99), selector.range.end);
  });
});
