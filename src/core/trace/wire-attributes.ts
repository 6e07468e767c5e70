// Attribute maps of a trace read back from the wire (wire.ts). Selectors, assertions and the analyzer read single
// keys of every span; only the span details iterate a span's maps, one span at a time. Two Maps per span (its
// attributes and its flat view) cost most of rebuilding a 100k-span trace, and a Map subclass is slower still to
// construct: these are plain objects with the Map interface that answer single keys from the columns and make the
// Map on first iteration or change.
import { FlatAttributes, flatValue } from './flat';
import type { Span } from './model';

abstract class LazyAttributes implements Map<string, string> {
  /** The Map, once made; until then reads go to the source. */
  protected whole: Map<string, string> | undefined;

  /** The value of `key`, read from the source, before the Map exists. */
  protected abstract find(key: string): string | undefined;
  protected abstract build(): Map<string, string>;

  private map(): Map<string, string> {
    return (this.whole ??= this.build());
  }

  get(key: string): string | undefined {
    return this.whole ? this.whole.get(key) : this.find(key);
  }
  has(key: string): boolean {
    return this.whole ? this.whole.has(key) : this.find(key) !== undefined;
  }
  get size(): number {
    return this.map().size;
  }
  set(key: string, value: string): this {
    this.map().set(key, value);
    return this;
  }
  delete(key: string): boolean {
    return this.map().delete(key);
  }
  clear(): void {
    this.map().clear();
  }
  forEach(callback: (value: string, key: string, map: Map<string, string>) => void, thisArg?: unknown): void {
    this.map().forEach((v, k) => callback.call(thisArg, v, k, this));
  }
  keys(): MapIterator<string> {
    return this.map().keys();
  }
  values(): MapIterator<string> {
    return this.map().values();
  }
  entries(): MapIterator<[string, string]> {
    return this.map().entries();
  }
  [Symbol.iterator](): MapIterator<[string, string]> {
    return this.map().entries();
  }
  get [Symbol.toStringTag](): string {
    return 'Map';
  }
}

/**
 * The wire's attribute keys by text, gathered on the first lookup: a lookup then compares numbers, and a key that no
 * span has (most keys a selector candidate tries) is answered at once.
 */
export class WireKeys {
  private index: Map<string, number> | undefined;

  constructor(
    readonly strings: readonly string[],
    readonly list: Uint32Array,
  ) {}

  /** `key`'s string index; undefined when no span has it; -1 when the table holds its text at two indexes. */
  of(key: string): number | undefined {
    return (this.index ??= this.gather()).get(key);
  }

  private gather(): Map<string, number> {
    const index = new Map<string, number>();
    const seen = new Uint8Array(this.strings.length);
    // Every span's stretch starts at an even offset: the keys are at the even positions.
    for (let i = 0; i < this.list.length; i += 2) {
      const k = this.list[i]!;
      if (seen[k]) continue;
      seen[k] = 1;
      const text = this.strings[k]!;
      const known = index.get(text);
      index.set(text, known === undefined ? k : -1);
    }
    return index;
  }
}

/** A span's own attributes: its stretch of the wire's attribute column (key, value string indexes). */
export class WireAttributes extends LazyAttributes {
  constructor(
    private readonly wire: WireKeys,
    private readonly from: number,
    private readonly to: number,
  ) {
    super();
  }

  protected find(key: string): string | undefined {
    const k = this.wire.of(key);
    if (k === undefined) return undefined;
    const { strings, list } = this.wire;
    if (k >= 0) {
      for (let i = this.from; i < this.to; i += 2) if (list[i] === k) return strings[list[i + 1]!];
    } else {
      for (let i = this.from; i < this.to; i += 2) if (strings[list[i]!] === key) return strings[list[i + 1]!];
    }
    return undefined;
  }

  protected build(): Map<string, string> {
    const { strings, list } = this.wire;
    const m = new Map<string, string>();
    for (let i = this.from; i < this.to; i += 2) m.set(strings[list[i]!]!, strings[list[i + 1]!]!);
    return m;
  }

  /** Read from the column: `tracetest.span.type` looks at every span's keys, which should not make a Map of each. */
  override keys(): MapIterator<string> {
    return this.whole ? this.whole.keys() : (this.columnKeys() as unknown as MapIterator<string>);
  }

  private *columnKeys(): Generator<string> {
    const { strings, list } = this.wire;
    for (let i = this.from; i < this.to; i += 2) yield strings[list[i]!]!;
  }
}

/** The span's flat view (flat.ts), as buildTrace gives it. */
export class SpanFlatView extends LazyAttributes {
  constructor(private readonly span: Span) {
    super();
  }

  protected find(key: string): string | undefined {
    return flatValue(this.span, key);
  }

  protected build(): Map<string, string> {
    return new Map(new FlatAttributes(this.span));
  }
}
