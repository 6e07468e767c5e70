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

/** A span's own attributes: its stretch of the wire's attribute column (key, value string indexes). */
export class WireAttributes extends LazyAttributes {
  constructor(
    private readonly strings: readonly string[],
    private readonly list: readonly number[],
    private readonly from: number,
    private readonly to: number,
  ) {
    super();
  }

  protected find(key: string): string | undefined {
    for (let i = this.from; i < this.to; i += 2) if (this.strings[this.list[i]!] === key) return this.strings[this.list[i + 1]!];
    return undefined;
  }

  protected build(): Map<string, string> {
    const m = new Map<string, string>();
    for (let i = this.from; i < this.to; i += 2) m.set(this.strings[this.list[i]!]!, this.strings[this.list[i + 1]!]!);
    return m;
  }

  /** Read from the column: `tracetest.span.type` looks at every span's keys, which should not make a Map of each. */
  override keys(): MapIterator<string> {
    return this.whole ? this.whole.keys() : (this.columnKeys() as unknown as MapIterator<string>);
  }

  private *columnKeys(): Generator<string> {
    for (let i = this.from; i < this.to; i += 2) yield this.strings[this.list[i]!]!;
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
