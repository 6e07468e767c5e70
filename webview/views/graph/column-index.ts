// Culling and hit tests for the canvas graph in time proportional to what is in view. The tidy layout puts each
// level in one column, and a tidy tree never crosses itself, so a column's nodes in pre-order run top to bottom and
// so do the connectors from a column's parents to their children: both are found by binary search.
import type { GraphLayout } from './geometry';
import type { VisibleTree } from './visible-tree';

interface Column {
  left: number;
  right: number;
  /** Node ids, top to bottom, and their tops. */
  ids: Int32Array;
  tops: Float64Array;
  /** Nodes with children, top to bottom, and the vertical extent of the connector to their children. */
  parents: Int32Array;
  lows: Float64Array;
  highs: Float64Array;
}

export class ColumnIndex {
  private readonly columns: Column[] = [];
  private readonly tallest: number;

  constructor(
    tree: VisibleTree,
    private readonly layout: GraphLayout,
  ) {
    const byDepth: number[][] = [];
    const parentsByDepth: number[][] = [];
    let tallest = 0;
    for (const node of tree.nodes) {
      (byDepth[node.depth] ??= []).push(node.id);
      if (node.children.length > 0) (parentsByDepth[node.depth] ??= []).push(node.id);
      tallest = Math.max(tallest, layout.h[node.id]!);
    }
    this.tallest = tallest;
    const centre = (id: number) => layout.y[id]! + layout.h[id]! / 2;
    byDepth.forEach((list, depth) => {
      list.sort((a, b) => layout.y[a]! - layout.y[b]!);
      const parents = parentsByDepth[depth] ?? [];
      parents.sort((a, b) => layout.y[a]! - layout.y[b]!);
      const lows = new Float64Array(parents.length);
      const highs = new Float64Array(parents.length);
      parents.forEach((p, i) => {
        const children = tree.nodes[p]!.children;
        lows[i] = Math.min(centre(p), centre(children[0]!.id));
        highs[i] = Math.max(centre(p), centre(children[children.length - 1]!.id));
      });
      let right = -Infinity;
      for (const id of list) right = Math.max(right, layout.x[id]! + layout.w[id]!);
      this.columns.push({
        left: layout.x[list[0]!]!,
        right,
        ids: Int32Array.from(list),
        tops: Float64Array.from(list, (id) => layout.y[id]!),
        parents: Int32Array.from(parents),
        lows,
        highs,
      });
    });
  }

  /** Calls `visit` with every node whose box, grown by `margin`, meets the rectangle. */
  forEachNode(x0: number, y0: number, x1: number, y1: number, margin: number, visit: (id: number) => void): void {
    for (const column of this.columns) {
      if (column.right + margin < x0 || column.left - margin > x1) continue;
      const { ids, tops } = column;
      for (let i = lowerBound(tops, y0 - this.tallest - margin); i < ids.length && tops[i]! <= y1 + margin; i++) visit(ids[i]!);
    }
  }

  /**
   * Calls `visit` with every parent whose connector to its children meets the rectangle, its depth and the
   * connector's vertical extent.
   */
  forEachParent(x0: number, y0: number, x1: number, y1: number, visit: (id: number, depth: number, low: number, high: number) => void): void {
    for (let c = 0; c + 1 < this.columns.length; c++) {
      const column = this.columns[c]!;
      if (this.columns[c + 1]!.left < x0 || column.left > x1) continue;
      const { parents, lows, highs } = column;
      for (let i = lowerBound(highs, y0); i < parents.length && lows[i]! <= y1; i++) visit(parents[i]!, c, lows[i]!, highs[i]!);
    }
  }

  /** The node whose box, grown upwards by `above` (where a badge stands), contains the point; -1 for none. */
  nodeAt(x: number, y: number, above: number): number {
    for (const column of this.columns) {
      if (x < column.left || x > column.right) continue;
      const { ids, tops } = column;
      for (let i = lowerBound(tops, y - this.tallest); i < ids.length && tops[i]! - above <= y; i++) {
        const id = ids[i]!;
        const { layout } = this;
        if (x <= layout.x[id]! + layout.w[id]! && y >= layout.y[id]! - above && y <= layout.y[id]! + layout.h[id]!) return id;
      }
    }
    return -1;
  }
}

/** First index whose value is >= `value` in an ascending array. */
function lowerBound(values: Float64Array, value: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
