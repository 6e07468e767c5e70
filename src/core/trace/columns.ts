// Attribute values by span index, one array per key, built on first use and kept for the trace's lifetime.
// Selectors scan every span; reading a flat array instead of 100k scattered Maps is several times faster
// (the scan is memory-bound), and specs of one test share their keys (`tracetest.span.type`, `name`, ...).
import { AttributeRow, type AttributeTable } from './attribute-rows';
import { spanValue } from './build';
import { spanTypeOf } from './flat';
import type { Attributes, InstrumentationScope, Span, Trace } from './model';

const columns = new WeakMap<Trace, Map<string, ReadonlyArray<string | undefined>>>();

export function attributeColumn(trace: Trace, key: string): ReadonlyArray<string | undefined> {
  let byKey = columns.get(trace);
  if (!byKey) columns.set(trace, (byKey = new Map()));
  let column = byKey.get(key);
  if (!column) {
    // map() sizes the array once (pushing 100k values is several times slower); the keys every test reads skip
    // spanValue's dispatch.
    const spans = trace.spans;
    column =
      key === 'name'
        ? spans.map((s) => s.name)
        : key === SPAN_TYPE
          ? spans.map(spanTypeOf)
          : isSpanField(key)
            ? spans.map((s) => spanValue(s, key))
            : storedColumn(spans, key);
    byKey.set(key, column);
  }
  return column;
}

const SPAN_TYPE = 'tracetest.span.type';

/** Keys the span itself answers (its kind, the synthesized `tracetest.span.*`): see spanValue and flatValue. */
function isSpanField(key: string): boolean {
  return key === 'kind' || key === 'span.events' || key.startsWith('tracetest.span.');
}

/**
 * A key only attributes hold: the span's own, else its scope's, else its resource's (flatValue's order). Rows of a
 * decoder's table are read by the key's id in that table, looked up once per table; scope and resource, which spans
 * share, once per run of spans sharing them.
 */
function storedColumn(spans: readonly Span[], key: string): Array<string | undefined> {
  let table: AttributeTable | undefined;
  let id: number | undefined;
  let scope: InstrumentationScope | undefined;
  let resource: Attributes | undefined;
  let shared: string | undefined;
  return spans.map((span) => {
    const own = span.attributes;
    let value: string | undefined;
    if (own instanceof AttributeRow) {
      if (own.table !== table) id = (table = own.table).idOf(key);
      if (id !== undefined) value = own.valueOf(id);
    } else value = own.get(key);
    if (value !== undefined) return value;
    if (span.scope !== scope || span.resource !== resource) {
      scope = span.scope;
      resource = span.resource;
      shared = scope.attributes.get(key) ?? resource.get(key);
    }
    return shared;
  });
}
