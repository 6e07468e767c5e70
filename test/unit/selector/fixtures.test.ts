// Every selector in the real Tracetest example files parses (and prints back to an equivalent selector).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { formatSelector, parseSelector } from '../../../src/core/selector';
import { shape } from './support';

const FIXTURES = join(__dirname, '../../fixtures/tracetest');

test('the selectors of the Tracetest example files parse', () => {
  const found: Array<{ file: string; selector: string }> = [];
  for (const file of yamlFiles(FIXTURES)) {
    for (const document of readFileSync(file, 'utf8').split(/^---$/m)) collectSelectors(parse(document), (selector) => found.push({ file, selector }));
  }
  assert.ok(found.length >= 10, `expected the example files to hold selectors, found ${found.length}`);
  for (const { file, selector } of found) {
    const result = parseSelector(selector);
    assert.ok(result.ok, `${file}: ${JSON.stringify(selector)}: ${result.ok ? '' : result.error.message}`);
    const again = parseSelector(formatSelector(result.value));
    assert.ok(again.ok);
    assert.deepEqual(shape(again.value), shape(result.value), selector);
  }
});

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(entry.name) ? [path] : [];
  });
}

/** `selector:` strings and `{query}` objects anywhere, and the keys of the legacy `specs: {<selector>: ...}` map. */
function collectSelectors(node: unknown, found: (selector: string) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) collectSelectors(item, found);
    return;
  }
  if (!node || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'selector' && typeof value === 'string') found(value);
    else if (key === 'selector' && value && typeof value === 'object' && typeof (value as { query?: unknown }).query === 'string') {
      found((value as { query: string }).query);
    } else if (key === 'specs' && value && typeof value === 'object' && !Array.isArray(value)) {
      for (const selector of Object.keys(value)) found(selector);
    }
    collectSelectors(value, found);
  }
}
