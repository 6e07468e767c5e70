// The linear-time layout for graphs too big for elk (and for a first paint elk is late for): a tidy tree
// (d3-flextree, which takes each node's own height), turned so levels are columns. Each level is as wide as its
// widest node, so levels line up in columns as in elk's layered layout; the canvas's column index relies on that.
import { flextree, type FlextreeDatum } from 'd3-flextree';
import { emptyLayout, finishLayout, LEVEL_GAP, SIBLING_GAP, type GraphLayout } from './geometry';
import type { VisibleTree } from './visible-tree';

interface Datum extends FlextreeDatum {
  readonly id: number;
  readonly children: Datum[];
}

/** `width` and `height` by node id. */
export function tidyLayout(tree: VisibleTree, width: (id: number) => number, height: (id: number) => number): GraphLayout {
  const n = tree.nodes.length;
  const layout = emptyLayout(n, 'tidy');
  if (n === 0) return layout;
  // Nodes come in pre-order, so each datum's parent already exists.
  const data: Datum[] = new Array<Datum>(n);
  for (const node of tree.nodes) {
    const datum: Datum = { id: node.id, x: 0, y: 0, children: [] };
    data[node.id] = datum;
    if (node.parent) data[node.parent.id]!.children.push(datum);
  }
  const columns: number[] = [];
  for (const node of tree.nodes) columns[node.depth] = Math.max(columns[node.depth] ?? 0, width(node.id));
  // Across siblings the extent is the height plus a gap; down the levels, the column plus the gap to the next.
  flextree<Datum>({ nodeSize: (d) => [height(d.id) + SIBLING_GAP, columns[tree.nodes[d.id]!.depth]! + LEVEL_GAP] })(data[0]!);
  for (let i = 0; i < n; i++) {
    const d = data[i]!;
    const h = height(i);
    layout.x[i] = d.y;
    layout.y[i] = d.x - h / 2;
    layout.w[i] = width(i);
    layout.h[i] = h;
  }
  finishLayout(tree, layout);
  return layout;
}
