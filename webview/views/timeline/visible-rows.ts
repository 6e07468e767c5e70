// Which spans have a row in the timeline: span order with collapsed subtrees left out. Span order puts every
// subtree right after its root and ending at `subtreeEnd`, so one linear pass rebuilds the rows after a collapse or
// an expand, even on 100k spans.
import type { Trace } from '../../../src/core/trace/model';

export class VisibleRows {
  /** Span index of each row; only the first `count` entries are rows. */
  private readonly spans: Int32Array;
  /** Row of each span index, -1 inside a collapsed subtree. */
  private readonly rowOfSpan: Int32Array;
  private readonly subtreeEnd: Int32Array;
  private readonly collapsed: Uint8Array;
  count = 0;

  constructor(private readonly trace: Trace) {
    const n = trace.spans.length;
    this.spans = new Int32Array(n);
    this.rowOfSpan = new Int32Array(n);
    this.subtreeEnd = new Int32Array(n);
    this.collapsed = new Uint8Array(n);
    for (let i = 0; i < n; i++) this.subtreeEnd[i] = trace.spans[i]!.subtreeEnd;
    this.rebuild();
  }

  spanAt(row: number): number {
    return this.spans[row]!;
  }

  /** -1 when the span is inside a collapsed subtree. */
  rowOf(spanIndex: number): number {
    return this.rowOfSpan[spanIndex]!;
  }

  hasChildren(spanIndex: number): boolean {
    return this.subtreeEnd[spanIndex]! > spanIndex;
  }

  isCollapsed(spanIndex: number): boolean {
    return this.collapsed[spanIndex] === 1;
  }

  /** The span itself when it has a row, otherwise its closest ancestor that has one. */
  visibleSpan(spanIndex: number): number {
    let span = this.trace.spans[spanIndex]!;
    while (this.rowOfSpan[span.index]! < 0 && span.parent) span = span.parent;
    return span.index;
  }

  /** Returns whether anything changed. */
  setCollapsed(spanIndex: number, collapsed: boolean): boolean {
    if (!this.hasChildren(spanIndex) || this.isCollapsed(spanIndex) === collapsed) return false;
    this.collapsed[spanIndex] = collapsed ? 1 : 0;
    this.rebuild();
    return true;
  }

  /** Expands every collapsed ancestor of the span, so it has a row; returns whether anything changed. */
  expandAncestors(spanIndex: number): boolean {
    let changed = false;
    for (let p = this.trace.spans[spanIndex]!.parent; p; p = p.parent) {
      if (this.collapsed[p.index] === 1) {
        this.collapsed[p.index] = 0;
        changed = true;
      }
    }
    if (changed) this.rebuild();
    return changed;
  }

  collapsedIds(): string[] {
    const ids: string[] = [];
    for (let i = 0; i < this.collapsed.length; i++) if (this.collapsed[i] === 1) ids.push(this.trace.spans[i]!.id);
    return ids;
  }

  /** Collapses exactly these spans (ids not in the trace, or of spans without children, are ignored). */
  setCollapsedIds(ids: Iterable<string>): void {
    this.collapsed.fill(0);
    for (const id of ids) {
      const span = this.trace.byId.get(id);
      if (span && this.hasChildren(span.index)) this.collapsed[span.index] = 1;
    }
    this.rebuild();
  }

  private rebuild(): void {
    this.rowOfSpan.fill(-1);
    const n = this.spans.length;
    let count = 0;
    for (let i = 0; i < n;) {
      this.spans[count] = i;
      this.rowOfSpan[i] = count++;
      i = this.collapsed[i] === 1 ? this.subtreeEnd[i]! + 1 : i + 1;
    }
    this.count = count;
  }
}
