// Attributes of a trace read back from the wire (wire.ts): each span's stretch of the attribute column, answering
// single keys from the column and making a Map only when listed (lazy-attributes.ts).
import { LazyAttributes } from './lazy-attributes';

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
  override keys(): IterableIterator<string> {
    return this.whole ? this.whole.keys() : this.columnKeys();
  }

  private *columnKeys(): Generator<string> {
    const { strings, list } = this.wire;
    for (let i = this.from; i < this.to; i += 2) yield strings[list[i]!]!;
  }
}
