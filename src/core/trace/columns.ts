// Attribute values by span index, one array per key, built on first use and kept for the trace's lifetime.
// Selectors scan every span; reading a flat array instead of 100k scattered Maps is several times faster
// (the scan is memory-bound), and specs of one test share their keys (`tracetest.span.type`, `name`, ...).
import { spanValue } from './build';
import { spanTypeOf } from './flat';
import type { Trace } from './model';

const columns = new WeakMap<Trace, Map<string, ReadonlyArray<string | undefined>>>();

export function attributeColumn(trace: Trace, key: string): ReadonlyArray<string | undefined> {
  let byKey = columns.get(trace);
  if (!byKey) columns.set(trace, (byKey = new Map()));
  let column = byKey.get(key);
  if (!column) {
    // map() sizes the array once (pushing 100k values is several times slower); the keys every test reads skip
    // spanValue's dispatch.
    const spans = trace.spans;
    column = key === 'name' ? spans.map((s) => s.name) : key === SPAN_TYPE ? spans.map(spanTypeOf) : spans.map((s) => spanValue(s, key));
    byKey.set(key, column);
  }
  return column;
}

const SPAN_TYPE = 'tracetest.span.type';
