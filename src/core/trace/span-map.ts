// Spans by id that answer `get` from their own table until something lists, counts or changes them, which makes
// the Map once (nothing does on a trace built or read back for showing): a Map of 100k string keys was a large part
// of building a trace and of reading one back in the panel. See span-index.ts and wire-ids.ts.
import type { Span } from './model';

export abstract class SpanMap extends Map<string, Span> {
  private listed = false;

  /** The span with this id, from the table. */
  protected abstract find(id: string): Span | undefined;
  /** The spans as a Map of them would list them. */
  protected abstract inMapOrder(): Iterable<Span>;

  override get(id: string): Span | undefined {
    return this.listed ? super.get(id) : this.find(id);
  }
  override has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  private toMap(): this {
    if (!this.listed) {
      for (const span of this.inMapOrder()) super.set(span.id, span);
      this.listed = true;
    }
    return this;
  }
  override get size(): number {
    this.toMap();
    return super.size;
  }
  override set(id: string, span: Span): this {
    this.toMap();
    return super.set(id, span);
  }
  override delete(id: string): boolean {
    this.toMap();
    return super.delete(id);
  }
  override clear(): void {
    this.toMap();
    super.clear();
  }
  override forEach(callback: (span: Span, id: string, map: Map<string, Span>) => void, thisArg?: unknown): void {
    this.toMap();
    super.forEach(callback, thisArg);
  }
  override keys(): MapIterator<string> {
    this.toMap();
    return super.keys();
  }
  override values(): MapIterator<Span> {
    this.toMap();
    return super.values();
  }
  override entries(): MapIterator<[string, Span]> {
    this.toMap();
    return super.entries();
  }
  override [Symbol.iterator](): MapIterator<[string, Span]> {
    return this.entries();
  }
}
