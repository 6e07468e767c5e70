// A built trace's spans by id: an open-addressing table of positions in a list of spans, in a typed array, hashed
// from the id's characters. A Map of 100k string keys was a large part of building a trace (growing its table
// several times, and the collector copying it); this is one typed array. It is still a Map to its readers (SpanMap).
import type { Span } from './model';
import { SpanMap } from './span-map';

export class SpanIndex extends SpanMap {
  /** Position in `list` of the span in each slot, -1 for none; at most half the slots are full. */
  private readonly slots: Int32Array;
  /** Spans in the order they were added; a replaced span's place holds its replacement. */
  private readonly list: Span[] = [];
  /** Listed after the others, wherever it was added: where a Map would put a span deleted and set again. */
  private lastListed: Span | undefined;

  /** `capacity`: how many spans it holds at most (a trace's raw spans and its trigger span). */
  constructor(capacity: number) {
    super();
    this.slots = new Int32Array(2 ** Math.ceil(Math.log2(2 * capacity + 2))).fill(-1);
  }

  /** Adds the span unless one with its id is there already; then returns that one and adds nothing. */
  add(span: Span): Span | undefined {
    const s = this.slot(span.id);
    const at = this.slots[s]!;
    if (at >= 0) return this.list[at];
    this.slots[s] = this.list.length;
    this.list.push(span);
    return undefined;
  }

  /**
   * Puts the span under its id as a Map's delete and set would: in the place of another span with that id (which
   * then is no longer in the index), else listed last, also when it was in already.
   */
  put(span: Span): void {
    const at = this.slots[this.slot(span.id)]!;
    if (at >= 0 && this.list[at] !== span) {
      this.list[at] = span;
      return;
    }
    if (at < 0) this.add(span);
    this.lastListed = span;
  }

  /** Every span in it, in the order added (replacements in their place). */
  spans(): readonly Span[] {
    return this.list;
  }

  /** The slot holding the span with this id, or the empty slot where it would go: FNV-1a over the id's characters. */
  private slot(id: string): number {
    let h = 0x811c9dc5;
    for (let c = 0; c < id.length; c++) h = Math.imul(h ^ id.charCodeAt(c), 0x01000193);
    const mask = this.slots.length - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const at = this.slots[s]!;
      if (at < 0 || this.list[at]!.id === id) return s;
    }
  }

  protected find(id: string): Span | undefined {
    const at = this.slots[this.slot(id)]!;
    return at < 0 ? undefined : this.list[at];
  }

  protected *inMapOrder(): Iterable<Span> {
    for (const span of this.list) if (span !== this.lastListed) yield span;
    if (this.lastListed) yield this.lastListed;
  }
}
