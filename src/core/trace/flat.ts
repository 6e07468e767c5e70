// A span's flat attribute view (language.md §1): resource, scope and span attributes, then the synthesized
// `tracetest.span.*` ones, later sources winning. Building it as a Map for every span cost most of buildTrace
// (100k spans × ~15 entries, three bigints printed each); selectors, assertions and the analyzer read single keys,
// which flatValue() answers from the span's own fields without a Map. The Map is made only when something
// iterates it (span details, click-to-assert, redaction), one span at a time.
import { AttributeRow } from './attribute-rows';
import { LazyAttributes } from './lazy-attributes';
import type { Attributes, Span } from './model';

/** `tracetest.span.type` by rank: the first of these prefixes that starts some span attribute key wins. */
const SPAN_TYPES = ['http', 'database', 'rpc', 'messaging', 'faas', 'exception', 'general'] as const;
const GENERAL = SPAN_TYPES.length - 1;

/** Rank of the type prefix `key` starts with (`http.`, `db.`, `rpc.`, `messaging.`, `faas.`, `exception.`), else GENERAL. */
function prefixRank(key: string): number {
  // Dispatch on the first character: most keys (service., net., otel.) need no string comparison at all.
  switch (key.charCodeAt(0)) {
    case 0x68:
      return key.startsWith('http.') ? 0 : GENERAL;
    case 0x64:
      return key.startsWith('db.') ? 1 : GENERAL;
    case 0x72:
      return key.startsWith('rpc.') ? 2 : GENERAL;
    case 0x6d:
      return key.startsWith('messaging.') ? 3 : GENERAL;
    case 0x66:
      return key.startsWith('faas.') ? 4 : GENERAL;
    case 0x65:
      return key.startsWith('exception.') ? 5 : GENERAL;
    default:
      return GENERAL;
  }
}

/** A key that makes a span general whatever its other keys. */
const GENERAL_MARKER = 'event_type';

/** prefixRank, and -1 for GENERAL_MARKER. */
function keyRank(key: string): number {
  return key === GENERAL_MARKER ? -1 : prefixRank(key);
}

/** `tracetest.span.type`: the first prefix, in a fixed order, that starts some span attribute key (language.md §1). */
export function spanType(name: string, attributes: Attributes): string {
  if (name === 'documentLoad') return 'general';
  if (attributes instanceof AttributeRow) return SPAN_TYPES[rowRank(attributes, attributes.table.keyRanks(keyRank))]!;
  if (attributes.has(GENERAL_MARKER)) return 'general';
  let best = GENERAL;
  for (const key of attributes.keys()) {
    const rank = prefixRank(key);
    if (rank < best && (best = rank) === 0) break;
  }
  return SPAN_TYPES[best]!;
}

/** The row's type rank from the ranks of its table's key ids, each key ranked once per table. */
function rowRank(row: AttributeRow, ranks: readonly number[]): number {
  const entryKeys = row.table.entryKeys;
  let best = GENERAL;
  for (let e = row.start; e < row.end; e++) {
    const rank = ranks[entryKeys[e]!]!;
    if (rank < 0) return GENERAL;
    if (rank < best) best = rank;
  }
  return best;
}

/** The span's `tracetest.span.type`; the trigger span is general. */
export function spanTypeOf(span: Span): string {
  return span.isTrigger ? 'general' : spanType(span.name, span.attributes);
}

/** The value the flat view holds for `key`, read from the span's fields: the same as building the view and looking up. */
export function flatValue(span: Span, key: string): string | undefined {
  if (key.startsWith('tracetest.span.') || key === 'span.events') {
    const synthesized = synthesizedValue(span, key);
    if (synthesized !== undefined) return synthesized;
  }
  return span.attributes.get(key) ?? span.scope.attributes.get(key) ?? span.resource.get(key);
}

const SYNTHESIZED_KEYS = [
  'tracetest.span.name',
  'tracetest.span.type',
  'tracetest.span.duration',
  'tracetest.span.start_time',
  'tracetest.span.end_time',
  'tracetest.span.parent_id',
  'tracetest.span.status_code',
  'tracetest.span.status_description',
  'span.events',
] as const;

/** undefined when the span has no such synthesized attribute (status_description and span.events are optional). */
function synthesizedValue(span: Span, key: string): string | undefined {
  switch (key) {
    case 'tracetest.span.name':
      return span.name;
    case 'tracetest.span.type':
      return spanTypeOf(span);
    case 'tracetest.span.duration':
      return (span.endTime > span.startTime ? span.endTime - span.startTime : 0n).toString();
    case 'tracetest.span.start_time':
      return span.startTime.toString();
    case 'tracetest.span.end_time':
      return span.endTime.toString();
    case 'tracetest.span.parent_id':
      return span.parent && !span.isTrigger ? span.parent.id : '';
    case 'tracetest.span.status_code':
      return span.status.code;
    case 'tracetest.span.status_description':
      return span.status.message || undefined;
    case 'span.events':
      if (span.events.length === 0) return undefined;
      return JSON.stringify(span.events.map((e) => ({ name: e.name, timestamp: e.time.toString(), attributes: Object.fromEntries(e.attributes) })));
    default:
      return undefined;
  }
}

/**
 * The flat view: lookups go through flatValue(); the Map of every entry (iteration order, size) is made from the
 * span only when something lists the view. Not a Map itself: one small object per span, no hash table.
 */
export class FlatAttributes extends LazyAttributes {
  constructor(private readonly span: Span) {
    super();
  }

  protected find(key: string): string | undefined {
    return flatValue(this.span, key);
  }

  protected build(): Map<string, string> {
    const span = this.span;
    const map = new Map<string, string>();
    for (const [k, v] of span.resource) map.set(k, v);
    for (const [k, v] of span.scope.attributes) map.set(k, v);
    for (const [k, v] of span.attributes) map.set(k, v);
    for (const key of SYNTHESIZED_KEYS) {
      const value = synthesizedValue(span, key);
      if (value !== undefined) map.set(key, value);
    }
    return map;
  }
}
