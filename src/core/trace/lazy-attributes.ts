// A read-only attribute view that answers single keys from where they live and makes a Map only when something
// lists it (span details, click-to-assert, redaction), one span at a time: every span's flat view (flat.ts) and the
// attributes of a trace read back from the wire (wire-attributes.ts). Selectors, assertions and the analyzer read
// single keys of every span; a Map per span cost most of building a trace.
import type { Attributes } from './model';

export abstract class LazyAttributes implements Attributes {
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
    return this.get(key) !== undefined;
  }
  get size(): number {
    return this.map().size;
  }
  forEach(callback: (value: string, key: string, map: Attributes) => void, thisArg?: unknown): void {
    this.map().forEach((v, k) => callback.call(thisArg, v, k, this));
  }
  keys(): IterableIterator<string> {
    return this.map().keys();
  }
  values(): IterableIterator<string> {
    return this.map().values();
  }
  entries(): IterableIterator<[string, string]> {
    return this.map().entries();
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.map().entries();
  }
}
