// Hover text on real test files against the recorded Pokéshop import trace.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LanguageSources } from '../../../src/extension/language/completions';
import { computeHover } from '../../../src/extension/language/hovers';
import { undocumentedWords } from '../../../src/extension/language/keywords';
import { offsetOf, pokeshopImportTrace, readProjectFile } from '../../support/vscode-fake/language';

const demo = readProjectFile('demo/tests/import-pokemon.yaml');
const trace = pokeshopImportTrace();
const sources: LanguageSources = { traceFor: () => trace, variables: new Map([['POKESHOP_API_URL', 'http://localhost:8081']]) };
const hover = (marker: string, delta: number, s = sources) => computeHover(demo, offsetOf(demo, marker, delta), s);

describe('hover', () => {
  it('on `attr:x`: its values on the spans the spec selected', () => {
    const h = hover('attr:pokemon.name', 7)!;
    assert.match(h.markdown, /`pokemon.name` on 1 of the 1 span the selector matched/);
    assert.match(h.markdown, /\| `snorlax` \| 1 \|/);
    assert.equal(demo.slice(h.start, h.end), 'attr:pokemon.name');
  });

  it('on a selector attribute key: its values across the trace, most frequent first', () => {
    const h = hover('kind="producer"', 1)!;
    assert.match(h.markdown, /^\*\*kind\*\*: The span kind/);
    assert.match(h.markdown, /\| `client` \| 3 \|\n\| `internal` \| 3 \|/);
  });

  it('on a selector: how many spans it matched and their names', () => {
    const h = hover('span[name="import pokemon"] span[tracetest.span.type="http" name="GET"]', 2)!;
    assert.match(h.markdown, /Matched \*\*1\*\* of the 9 spans in the last trace:\n\n- GET/);
    const none = hover('span[tracetest.span.type="database" name="INSERT pokeshop.pokemon"]', 2)!;
    assert.match(none.markdown, /Matched \*\*no span\*\*/);
  });

  it('on keywords: filters, comparators, pseudo-classes, variables, schema keys', () => {
    assert.match(hover("json_path '$.id'", 2)!.markdown, /^`json_path '<query>'`/);
    assert.match(hover('contains "/api/v2', 3)!.markdown, /^`contains`: Substring/);
    assert.match(hover('${var:POKESHOP_API_URL}', 8)!.markdown, /`POKESHOP_API_URL` = `http:\/\/localhost:8081`/);
    assert.match(hover('  trigger:', 4)!.markdown, /^\*\*trigger\*\*: What starts the run/);
  });

  it('says how to get values when there is no trace', () => {
    const h = hover('attr:pokemon.name', 7, { traceFor: () => undefined, variables: new Map() })!;
    assert.match(h.markdown, /No trace yet/);
  });

  it('every operator and comparator of the languages is documented', () => {
    assert.deepEqual(undocumentedWords(), []);
  });
});
