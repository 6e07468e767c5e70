// The spans of a trace read back from the wire (wire.ts) by id, found through the packed id column: an open-addressing
// table of span indexes in a typed array, hashed from the id's hex digits. A Map of 100k string keys was most of
// reading a trace back in Chromium (hashing and growing it, sometimes seconds); this is one pass over the digits.
import type { Span } from './model';
import { SpanMap } from './span-map';

/** Characters per span id in the packed column. */
export const ID_LENGTH = 16;

export class WireSpanIndex extends SpanMap {
  private readonly slots: Int32Array;

  constructor(
    private readonly ids: string,
    private readonly spans: readonly Span[],
  ) {
    super();
    const n = ids.length / ID_LENGTH;
    this.slots = new Int32Array(2 ** Math.ceil(Math.log2(2 * n + 2))).fill(-1);
    // A later span with an id seen before takes its slot, as Map.set would.
    for (let i = 0; i < n; i++) this.slots[this.slot(ids, i * ID_LENGTH)] = i;
  }

  /** The slot holding the span whose id is `text` from `at`, or the empty slot where it would go. */
  private slot(text: string, at: number): number {
    let h = 0x811c9dc5;
    for (let c = at; c < at + ID_LENGTH; c++) h = Math.imul(h ^ text.charCodeAt(c), 0x01000193);
    const mask = this.slots.length - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const i = this.slots[s]!;
      if (i < 0 || this.same(text, at, i * ID_LENGTH)) return s;
    }
  }

  private same(text: string, at: number, from: number): boolean {
    for (let c = 0; c < ID_LENGTH; c++) if (text.charCodeAt(at + c) !== this.ids.charCodeAt(from + c)) return false;
    return true;
  }

  protected find(id: string): Span | undefined {
    if (id.length !== ID_LENGTH) return undefined;
    const i = this.slots[this.slot(id, 0)]!;
    return i < 0 ? undefined : this.spans[i];
  }

  protected *inMapOrder(): Iterable<Span> {
    for (const span of this.spans) if (this.find(span.id) === span) yield span;
  }
}
