// The linear-time layout for graphs too big for elk (and for a first paint elk is late for): a tidy tree
// (d3-flextree, which takes each node's own size), growing right (levels are columns) or down (levels are rows).
// Each level is as deep as its deepest node, so levels line up as in elk's layered layout; the canvas's column
// index relies on that.
import { flextree, type FlextreeDatum } from 'd3-flextree';
import { emptyLayout, finishLayout, LEVEL_GAP, SIBLING_GAP, type Direction, type GraphLayout } from './geometry';
import type { VisibleTree } from './visible-tree';

interface Datum extends FlextreeDatum {
  readonly id: number;
  readonly children: Datum[];
}

/** `width` and `height` by node id. */
export function tidyLayout(tree: VisibleTree, width: (id: number) => number, height: (id: number) => number, direction: Direction): GraphLayout {
  const n = tree.nodes.length;
  const layout = emptyLayout(n, 'tidy', direction);
  if (n === 0) return layout;
  // Nodes come in pre-order, so each datum's parent already exists.
  const data: Datum[] = new Array<Datum>(n);
  for (const node of tree.nodes) {
    const datum: Datum = { id: node.id, x: 0, y: 0, children: [] };
    data[node.id] = datum;
    if (node.parent) data[node.parent.id]!.children.push(datum);
  }
  // flextree's x runs across siblings and its y down the levels: for a tree growing right, they are turned.
  const [across, along] = direction === 'right' ? [height, width] : [width, height];
  const levels: number[] = [];
  for (const node of tree.nodes) levels[node.depth] = Math.max(levels[node.depth] ?? 0, along(node.id));
  // Across siblings the extent is the node plus a gap; down the levels, the level plus the gap to the next.
  flextree<Datum>({ nodeSize: (d) => [across(d.id) + SIBLING_GAP[direction], levels[tree.nodes[d.id]!.depth]! + LEVEL_GAP[direction]] })(data[0]!);
  for (let i = 0; i < n; i++) {
    const d = data[i]!;
    const [x, y] = direction === 'right' ? [d.y, d.x - height(i) / 2] : [d.x - width(i) / 2, d.y];
    layout.x[i] = x;
    layout.y[i] = y;
    layout.w[i] = width(i);
    layout.h[i] = height(i);
  }
  finishLayout(tree, layout);
  return layout;
}
