// Span attributes as rows of one table per decoded document (an export request, a trace file), instead of a Map
// per span. A Map of ~15 entries is an object and a hash table; 100k of them were most of the garbage collected
// while decoding, building and storing a trace. A row is one small object pointing at its stretch of two flat
// arrays: key ids (keys interned per table) and values. Columns (columns.ts) and `tracetest.span.type` read the
// table by key id; the Map interface (Attributes) is there for everything that lists a span's attributes.
import type { Attributes } from './model';

export class AttributeTable {
  private readonly ids = new Map<string, number>();
  /** Key of each key id. */
  readonly keys: string[] = [];
  /** Entry e: its key id and its text. A row's entries are contiguous, each key once, in the order first added. */
  readonly entryKeys: number[] = [];
  readonly entryValues: string[] = [];
  private rowStart = 0;
  /** `tracetest.span.type` rank of each key id (see flat.ts), filled on first use. */
  private ranks: number[] = [];

  idOf(key: string): number | undefined {
    return this.ids.get(key);
  }

  /** Adds an entry to the row being written; a key added twice keeps its first place and its last value, as Map.set does. */
  add(key: string, value: string): void {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.keys.length;
      this.keys.push(key);
      this.ids.set(key, id);
    } else {
      const entryKeys = this.entryKeys;
      for (let e = this.rowStart; e < entryKeys.length; e++) {
        if (entryKeys[e] === id) {
          this.entryValues[e] = value;
          return;
        }
      }
    }
    this.entryKeys.push(id);
    this.entryValues.push(value);
  }

  /** Ends the row being written: its entries are a span's attributes from now on. */
  endRow(): Attributes {
    const start = this.rowStart;
    const end = (this.rowStart = this.entryKeys.length);
    return start === end ? NO_ATTRIBUTES : new AttributeRow(this, start, end);
  }

  /** The rank `rankOf` gives each key id, computed once per distinct key. */
  keyRanks(rankOf: (key: string) => number): readonly number[] {
    const ranks = this.ranks;
    for (let id = ranks.length; id < this.keys.length; id++) ranks.push(rankOf(this.keys[id]!));
    return ranks;
  }
}

/** A span's attributes: entries start up to end of its table. Read-only: code that changes attributes makes a Map. */
export class AttributeRow implements Attributes {
  constructor(
    readonly table: AttributeTable,
    readonly start: number,
    readonly end: number,
  ) {}

  get size(): number {
    return this.end - this.start;
  }

  /** The value of the key with this id in the row's table. */
  valueOf(id: number): string | undefined {
    const entryKeys = this.table.entryKeys;
    for (let e = this.start; e < this.end; e++) if (entryKeys[e] === id) return this.table.entryValues[e];
    return undefined;
  }

  get(key: string): string | undefined {
    const id = this.table.idOf(key);
    return id === undefined ? undefined : this.valueOf(id);
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  *keys(): IterableIterator<string> {
    const { keys, entryKeys } = this.table;
    for (let e = this.start; e < this.end; e++) yield keys[entryKeys[e]!]!;
  }

  *values(): IterableIterator<string> {
    const { entryValues } = this.table;
    for (let e = this.start; e < this.end; e++) yield entryValues[e]!;
  }

  *entries(): IterableIterator<[string, string]> {
    const { keys, entryKeys, entryValues } = this.table;
    for (let e = this.start; e < this.end; e++) yield [keys[entryKeys[e]!]!, entryValues[e]!];
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  forEach(callback: (value: string, key: string, map: Attributes) => void, thisArg?: unknown): void {
    const { keys, entryKeys, entryValues } = this.table;
    for (let e = this.start; e < this.end; e++) callback.call(thisArg, entryValues[e]!, keys[entryKeys[e]!]!, this);
  }

  get [Symbol.toStringTag](): string {
    return 'AttributeRow';
  }
}

/** The attributes of every span that has none: shared, and never changed (Attributes has no set). */
export const NO_ATTRIBUTES: Attributes = new AttributeRow(new AttributeTable(), 0, 0);
