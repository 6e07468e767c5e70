// What a span costs the receiver's memory, estimated while it is stored, with its text cut to the receiver's limit
// on the way (so a 15 MiB attribute value costs 64 KiB). The estimate counts a character as a byte (V8 keeps Latin-1
// text that way) plus measured overheads per object, so it is about right for typical spans, within a factor of two
// for text in other scripts; it is computed from lengths only, without encoding anything.
import type { Attributes, InstrumentationScope, RawSpan } from '../../../core/trace/model';
import { isOverLimit, truncateText } from '../../../core/trace/truncate';

/**
 * Heap bytes around the text, measured on spans decoded from SDK exports (Node 20): the span object with its ids,
 * times and status; a Map; one entry of a Map; an event or a link object.
 */
const SPAN_BYTES = 700;
const MAP_BYTES = 150;
const ENTRY_BYTES = 50;
const EVENT_BYTES = 150;

export class SpanMeter {
  /** Texts cut since the meter was made. */
  truncated = 0;

  constructor(private readonly maxTextBytes: number) {}

  /** The span's own bytes (its resource and scope are shared with other spans: see attributes and scope). */
  span(span: RawSpan): number {
    span.name = this.text(span.name);
    span.status.message = this.text(span.status.message);
    let bytes = SPAN_BYTES + span.name.length + span.status.message.length + this.attributes(span.attributes);
    for (const event of span.events) {
      event.name = this.text(event.name);
      bytes += EVENT_BYTES + event.name.length + this.attributes(event.attributes);
    }
    for (const link of span.links) bytes += EVENT_BYTES + this.attributes(link.attributes);
    return bytes;
  }

  scope(scope: InstrumentationScope): number {
    scope.name = this.text(scope.name);
    scope.version = this.text(scope.version);
    return scope.name.length + scope.version.length + this.attributes(scope.attributes);
  }

  /** The map's bytes; keys and values over the limit are cut in place, keeping the order. */
  attributes(attributes: Attributes): number {
    // Keys and values in two plain loops: the hot path of ingest, about twice as fast as iterating entries.
    // A third of the limit: no text shorter than that can be over it in UTF-8, so the precise test is rare.
    const mayBeLong = this.maxTextBytes / 3;
    let bytes = MAP_BYTES + attributes.size * ENTRY_BYTES;
    let long = false;
    for (const key of attributes.keys()) {
      bytes += key.length;
      if (key.length > mayBeLong && isOverLimit(key, this.maxTextBytes)) long = true;
    }
    for (const value of attributes.values()) {
      bytes += value.length;
      if (value.length > mayBeLong && isOverLimit(value, this.maxTextBytes)) long = true;
    }
    return long ? this.cut(attributes) : bytes;
  }

  private text(text: string): string {
    if (!isOverLimit(text, this.maxTextBytes)) return text;
    this.truncated++;
    return truncateText(text, this.maxTextBytes);
  }

  /** Rare: text over the limit. The map is rebuilt in its order with its text cut, and measured again. */
  private cut(attributes: Attributes): number {
    const entries = [...attributes];
    attributes.clear();
    for (const [key, value] of entries) attributes.set(this.text(key), this.text(value));
    return this.attributes(attributes);
  }
}
