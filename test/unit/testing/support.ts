// Real results for the editor's mappers: Tracetest's import-pokemon test (and edits of it) replayed against the
// saved Pokéshop trace by the real Runner, exactly as `tracelens run --trace` does.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestRunResult } from '../../../src/core/engine/result';
import { loadFile, type LoadedFile } from '../../../src/core/testfile/index';
import { Runner } from '../../../src/run/runner';
import { readTraceFile } from '../../../src/run/trace-file';
import { testKey, type StoredRun } from '../../../src/extension/run-store';
import type { CurrentFile } from '../../../src/extension/panel/payload';
import { LineIndex } from '../../../src/extension/results/lines';

export const ROOT = join(__dirname, '..', '..', '..');
export const POKESHOP_TRACE = join(ROOT, 'test', 'fixtures', 'traces', 'pokeshop.otlp.json');
export const POKESHOP_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
export const IMPORT_TEST_TEXT = readFileSync(join(ROOT, 'test', 'fixtures', 'tracetest', 'resources', 'tests', 'import-pokemon.yaml'), 'utf8');

/** The import test with its first assertion expecting 201 (the trace says 200). */
export const FAILING_TEXT = IMPORT_TEST_TEXT.replace('attr:http.status_code  =  200', 'attr:http.status_code = 201');

/** The import test with an extra spec over the three `general` spans, one of which is from pokeshop-api. */
export const MULTI_SPAN_TEXT = `${IMPORT_TEST_TEXT.trimEnd()}
  - selector: span[tracetest.span.type="general"]
    name: General spans come from the API
    assertions:
    - attr:service.name = "pokeshop-api"
    - attr:tracetest.selected_spans.count = 3
`;

export async function replay(text: string, path = '/workspace/tests/import.yaml'): Promise<{ file: LoadedFile; result: TestRunResult; run: StoredRun }> {
  const trace = await readTraceFile(POKESHOP_TRACE);
  const file = loadFile(text, path);
  const [result] = await new Runner({ variables: new Map([['POKESHOP_API_URL', 'http://localhost:8081']]), replay: trace.spans }).runFiles([file]);
  const test = file.resources[0]!;
  const key = testKey(test.resource?.kind === 'Test' ? test.resource.id?.value : undefined, test.document);
  return { file, result: result!, run: { path, key, result: result!, at: 0 } };
}

/** 0-based line of the first occurrence of `needle` in `text`. */
export function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`not in text: ${needle}`);
  return text.slice(0, at).split('\n').length - 1;
}

/** The test file as the editor holds it (parsed, with its line index): what the panel's payload reads. */
export function currentFile(text: string, path = '/workspace/tests/import.yaml'): CurrentFile {
  return { file: loadFile(text, path), lines: new LineIndex(text) };
}

/** The Pokéshop trace as a run that broke, written to `to`: the worker did not import, and the API answered 500. */
export function writeBrokenPokeshopTrace(to: string): string {
  const trace = JSON.parse(readFileSync(POKESHOP_TRACE, 'utf8'));
  const gone = new Set(['9c8b7a6f5e4d3c2b']);
  for (const rs of trace.resourceSpans)
    for (const ss of rs.scopeSpans) {
      for (const s of ss.spans) if (gone.has(s.parentSpanId)) gone.add(s.spanId);
      ss.spans = ss.spans.filter((s: { spanId: string }) => !gone.has(s.spanId));
      for (const s of ss.spans) for (const a of s.attributes ?? []) if (a.key === 'http.status_code') a.value = { intValue: '500' };
    }
  writeFileSync(to, JSON.stringify(trace));
  return to;
}
