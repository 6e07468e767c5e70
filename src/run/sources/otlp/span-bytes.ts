// What a span costs the receiver's memory, estimated while it is stored, with its text cut to the receiver's limit
// on the way (so a 15 MiB attribute value costs 64 KiB). The estimate counts a character as a byte (V8 keeps Latin-1
// text that way) plus measured overheads per object, so it is about right for typical spans, within a factor of two
// for text in other scripts; it is computed from lengths only, without encoding anything.
import { AttributeRow } from '../../../core/trace/attribute-rows';
import type { Attributes, InstrumentationScope, RawSpan } from '../../../core/trace/model';
import { isOverLimit, truncateText } from '../../../core/trace/truncate';

/**
 * Heap bytes around the text, measured on spans decoded from SDK exports (Node 20): the span object with its ids,
 * times and status; a Map; one entry of a Map; an event or a link object; a row and one of its entries.
 */
const SPAN_BYTES = 700;
const MAP_BYTES = 150;
const ENTRY_BYTES = 50;
const EVENT_BYTES = 150;
/** A row of a decoder's attribute table (attribute-rows.ts) and one of its entries (a key id and a value). */
const ROW_BYTES = 48;
const ROW_ENTRY_BYTES = 20;

export class SpanMeter {
  /** Texts cut since the meter was made. */
  truncated = 0;

  constructor(private readonly maxTextBytes: number) {}

  /** The span's own bytes (its resource and scope are shared with other spans: see attributes and scope). */
  span(span: RawSpan): number {
    span.name = this.text(span.name);
    // Spans without a status message share one status object, which is never changed.
    if (span.status.message !== '') span.status.message = this.text(span.status.message);
    let bytes = SPAN_BYTES + span.name.length + span.status.message.length;
    // A span's, event's or link's own attributes are replaced by a copy with the text cut (rows of a decoder's
    // table are read-only); see attributes() for the shared ones.
    bytes += this.measure(span.attributes) ?? this.measure((span.attributes = this.cut(span.attributes)))!;
    // Indexed loops: for-of makes an iterator and its results per span, even over the shared empty arrays.
    const { events, links } = span;
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      event.name = this.text(event.name);
      bytes += EVENT_BYTES + event.name.length + (this.measure(event.attributes) ?? this.measure((event.attributes = this.cut(event.attributes)))!);
    }
    for (let i = 0; i < links.length; i++) {
      const link = links[i]!;
      bytes += EVENT_BYTES + (this.measure(link.attributes) ?? this.measure((link.attributes = this.cut(link.attributes)))!);
    }
    return bytes;
  }

  scope(scope: InstrumentationScope): number {
    scope.name = this.text(scope.name);
    scope.version = this.text(scope.version);
    return scope.name.length + scope.version.length + this.attributes(scope.attributes);
  }

  /**
   * Shared attributes' bytes (a resource's, a scope's), their text over the limit cut in place, keeping the order,
   * so that every span holding them sees the cut: decoders make these Maps. (Anything else is counted as it is.)
   */
  attributes(attributes: Attributes): number {
    const bytes = this.measure(attributes);
    if (bytes !== undefined) return bytes;
    if (!(attributes instanceof Map)) return this.measure(attributes, Infinity)!;
    const cut = this.cut(attributes);
    attributes.clear();
    for (const [key, value] of cut) attributes.set(key, value);
    return this.measure(attributes)!;
  }

  /** The attributes' bytes, or undefined when some key or value is over `limit` (rare). */
  private measure(attributes: Attributes, limit = this.maxTextBytes): number | undefined {
    // Keys and values in two plain loops: the hot path of ingest, about twice as fast as iterating entries.
    // A third of the limit: no text shorter than that can be over it in UTF-8, so the precise test is rare.
    const mayBeLong = limit / 3;
    if (attributes instanceof AttributeRow) return measureRow(attributes, limit, mayBeLong);
    let bytes = MAP_BYTES + attributes.size * ENTRY_BYTES;
    for (const key of attributes.keys()) {
      bytes += key.length;
      if (key.length > mayBeLong && isOverLimit(key, limit)) return undefined;
    }
    for (const value of attributes.values()) {
      bytes += value.length;
      if (value.length > mayBeLong && isOverLimit(value, limit)) return undefined;
    }
    return bytes;
  }

  private text(text: string): string {
    if (!isOverLimit(text, this.maxTextBytes)) return text;
    this.truncated++;
    return truncateText(text, this.maxTextBytes);
  }

  /** The attributes in their order, their text cut. */
  private cut(attributes: Attributes): Map<string, string> {
    const cut = new Map<string, string>();
    for (const [key, value] of attributes) cut.set(this.text(key), this.text(value));
    return cut;
  }
}

/** SpanMeter's measure of a row, read straight from its table (keys are shared in the table, but counted per entry). */
function measureRow(row: AttributeRow, limit: number, mayBeLong: number): number | undefined {
  const { keys, entryKeys, entryValues } = row.table;
  let bytes = ROW_BYTES;
  for (let e = row.start; e < row.end; e++) {
    const key = keys[entryKeys[e]!]!;
    const value = entryValues[e]!;
    bytes += ROW_ENTRY_BYTES + key.length + value.length;
    if ((key.length > mayBeLong && isOverLimit(key, limit)) || (value.length > mayBeLong && isOverLimit(value, limit))) return undefined;
  }
  return bytes;
}
