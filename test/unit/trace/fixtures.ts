// Reading the recorded trace payloads in test/fixtures/traces.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeTraceText } from '../../../src/core/trace/decode/index';
import type { DetectedDecodeResult } from '../../../src/core/trace/decode/index';

export function traceFixtureText(file: string): string {
  return readFileSync(new URL(`../../fixtures/traces/${file}`, import.meta.url), 'utf8');
}

export function decodeTraceFixture(file: string): DetectedDecodeResult {
  const decoded = decodeTraceText(traceFixtureText(file));
  assert.ok(decoded.ok, decoded.ok ? '' : `${file}: ${decoded.error.message} at ${decoded.error.path}`);
  return decoded.value;
}

/** The Pokéshop trace's tree, as every fixture format should build it: indented names in span order. */
export const POKESHOP_TREE = [
  'Tracetest trigger',
  '  POST /pokemon/import',
  '    validate request',
  '    queue.synchronizePokemon publish',
  '      queue.synchronizePokemon process',
  '        import pokemon',
  '          get',
  '          GET',
  '          pg.query:INSERT pokeshop',
];

export const POKESHOP_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
