// Span attributes as rows of one table per decoded document (an export request, a trace file), instead of a Map
// per span. A Map of ~15 entries is an object and a hash table; 100k of them were most of the garbage collected
// while decoding, building and storing a trace. A row is one small object pointing at its stretch of two flat
// arrays: key ids (keys interned per table) and values. Columns (columns.ts) and `tracetest.span.type` read the
// table by key id; the Map interface (Attributes) is there for everything that lists a span's attributes.
import type { Attributes } from './model';

// Scratch arrays for a table filled in one synchronous pass (an export request): it writes there, then copies them
// at their final size. Growing two arrays entry by entry allocated about three times their size, a third of what
// decoding a request allocated.
const scratchKeys: number[] = [];
const scratchValues: string[] = [];
let scratchInUse = false;
/** Entries the scratch arrays keep room for between requests (512 KiB). */
const SCRATCH_KEPT = 1 << 16;

export class AttributeTable {
  private readonly ids = new Map<string, number>();
  /** Key of each key id. */
  readonly keys: string[] = [];
  /**
   * Entry e: its key id and its text. A row's entries are contiguous, each key once, in the order first added.
   * A table that borrowed the scratch arrays reads from its own copies once `seal()`ed.
   */
  entryKeys: number[] = [];
  entryValues: string[] = [];
  private count = 0;
  private rowStart = 0;
  private borrowing = false;
  /** `tracetest.span.type` rank of each key id (see flat.ts), filled on first use. */
  private ranks: number[] = [];

  /**
   * A table filled in one synchronous pass (`borrow`) writes into scratch arrays until `seal()`, which must follow
   * before anything else fills a borrowing table; when another table holds them it uses its own arrays.
   */
  constructor(options: { borrow?: boolean } = {}) {
    if (options.borrow && !scratchInUse) {
      scratchInUse = this.borrowing = true;
      this.entryKeys = scratchKeys;
      this.entryValues = scratchValues;
    }
  }

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
      for (let e = this.rowStart; e < this.count; e++) {
        if (entryKeys[e] === id) {
          this.entryValues[e] = value;
          return;
        }
      }
    }
    this.entryKeys[this.count] = id;
    this.entryValues[this.count++] = value;
  }

  /** Ends the row being written: its entries are a span's attributes from now on. */
  endRow(): Attributes {
    const start = this.rowStart;
    const end = (this.rowStart = this.count);
    return start === end ? NO_ATTRIBUTES : new AttributeRow(this, start, end);
  }

  /** Ends a borrowing table's filling (whether it succeeded or not): it copies its entries and frees the scratch. */
  seal(): void {
    if (!this.borrowing) return;
    const count = this.count;
    this.entryKeys = scratchKeys.slice(0, count);
    this.entryValues = scratchValues.slice(0, count);
    // The scratch must not keep text alive after its spans are gone, nor a rare huge request's size.
    if (scratchKeys.length > SCRATCH_KEPT) scratchKeys.length = scratchValues.length = 0;
    else scratchValues.fill('', 0, count);
    this.borrowing = scratchInUse = false;
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
