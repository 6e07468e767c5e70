// Attribute values by span index, one array per key, built on first use and kept for the trace's lifetime.
// Selectors scan every span; reading a flat array instead of 100k scattered Maps is several times faster
// (the scan is memory-bound), and specs of one test share their keys (`tracetest.span.type`, `name`, ...).
import { spanValue } from './build';
import type { Trace } from './model';

const columns = new WeakMap<Trace, Map<string, ReadonlyArray<string | undefined>>>();

export function attributeColumn(trace: Trace, key: string): ReadonlyArray<string | undefined> {
  let byKey = columns.get(trace);
  if (!byKey) columns.set(trace, (byKey = new Map()));
  let column = byKey.get(key);
  if (!column) {
    const spans = trace.spans;
    // Pushed, not preallocated: `new Array(100_000)` is a slow dictionary-mode array in V8.
    const values: Array<string | undefined> = [];
    for (let i = 0; i < spans.length; i++) values.push(spanValue(spans[i]!, key));
    byKey.set(key, (column = values));
  }
  return column;
}
