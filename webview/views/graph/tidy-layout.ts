// The linear-time layout for graphs too big for elk: a tidy tree (d3-flextree, which takes each node's own size),
// turned so levels are columns. Nodes of one level share a column because every node of a level has the same
// width in the canvas graph; the column index relies on that.
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
  const layout = emptyLayout(n);
  if (n === 0) return layout;
  // Nodes come in pre-order, so each datum's parent already exists.
  const data: Datum[] = new Array<Datum>(n);
  for (const node of tree.nodes) {
    const datum: Datum = { id: node.id, x: 0, y: 0, children: [] };
    data[node.id] = datum;
    if (node.parent) data[node.parent.id]!.children.push(datum);
  }
  // Across siblings the extent is the height plus a gap; down the levels, the width plus the gap to the next level.
  flextree<Datum>({ nodeSize: (d) => [height(d.id) + SIBLING_GAP, width(d.id) + LEVEL_GAP] })(data[0]!);
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
