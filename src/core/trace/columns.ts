// Attribute values by span index, one array per key, built on first use and kept for the trace's lifetime.
// Selectors scan every span; reading a flat array instead of 100k scattered Maps is several times faster
// (the scan is memory-bound), and specs of one test share their keys (`tracetest.span.type`, `name`, ...).
import { AttributeRow, type AttributeTable } from './attribute-rows';
import { spanValue } from './build';
import { spanTypeOf } from './flat';
import type { Attributes, InstrumentationScope, Span, Trace } from './model';

const columns = new WeakMap<Trace, Map<string, ReadonlyArray<string | undefined>>>();

function columnsOf(trace: Trace): Map<string, ReadonlyArray<string | undefined>> {
  let byKey = columns.get(trace);
  if (!byKey) columns.set(trace, (byKey = new Map()));
  return byKey;
}

export function attributeColumn(trace: Trace, key: string): ReadonlyArray<string | undefined> {
  const byKey = columnsOf(trace);
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
            : (readers.get(trace)?.(key) ?? storedColumn(spans, key));
    byKey.set(key, column);
  }
  return column;
}

const SPAN_TYPE = 'tracetest.span.type';

type ColumnReader = (key: string) => Array<string | undefined> | undefined;

/** Traces whose attribute columns something reads faster than span by span (a trace read back from the panel's wire). */
const readers = new WeakMap<Trace, ColumnReader>();

/** Lets attributeColumn read `trace`'s attribute columns with `reader`; where it answers undefined, from the spans. */
export function readAttributeColumnsWith(trace: Trace, reader: ColumnReader): void {
  readers.set(trace, reader);
}

/** A column made while building the trace: it holds what attributeColumn would make. */
export function keepColumn(trace: Trace, key: string, column: ReadonlyArray<string | undefined>): void {
  columnsOf(trace).set(key, column);
}

/** The column of `key` if a query made it already: reading it costs nothing more. */
export function builtColumn(trace: Trace, key: string): ReadonlyArray<string | undefined> | undefined {
  return columns.get(trace)?.get(key);
}

/**
 * What attributeColumn(trace, key) holds at the span's index, read from the span alone: for a few spans (those a
 * cheaper filter left) this is far less than making the column, which visits every span of the trace.
 */
export function columnValue(span: Span, key: string): string | undefined {
  if (key === 'name') return span.name;
  return key === SPAN_TYPE ? spanTypeOf(span) : spanValue(span, key);
}

/** Reading fewer spans than this share of the trace, read them rather than make a column over the whole trace. */
const FEW_SPANS_SHARE = 8;

/** Spans whose value of a key was read from the span, by key: past a share of the trace, the column is made. */
const readDirectly = new WeakMap<Trace, Map<string, number>>();

/**
 * The column of `key` when it exists, or once the spans read for this key (`reads` now, and those read span by
 * span before) reach a share of the trace: the queries of a test share it from then on. Else undefined, and the
 * caller reads its few spans one by one: a first query need not visit every span for each of its keys.
 */
export function columnFor(trace: Trace, key: string, reads: number): ReadonlyArray<string | undefined> | undefined {
  const built = builtColumn(trace, key);
  if (built) return built;
  let counts = readDirectly.get(trace);
  if (!counts) readDirectly.set(trace, (counts = new Map()));
  const total = (counts.get(key) ?? 0) + reads;
  if (total * FEW_SPANS_SHARE >= trace.spans.length) return attributeColumn(trace, key);
  counts.set(key, total);
  return undefined;
}

/** Reads `key` of spans of the trace, from its column or from each span (see columnFor). */
export function valueReader(trace: Trace, key: string, reads: number): (span: Span) => string | undefined {
  const column = columnFor(trace, key, reads);
  return column ? (span) => column[span.index] : (span) => columnValue(span, key);
}

/** Keys whose column is a plain read of one field of every span: cheap to make, so filters start with them. */
export function isSpanProperty(key: string): boolean {
  return key === 'name' || key === 'kind';
}

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
