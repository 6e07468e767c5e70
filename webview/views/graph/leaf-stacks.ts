// The compact layout of a tree growing down, for a trace whose siblings side by side are wider than the panel. As
// in an org chart's hanging layout, a node's leaf children (two or more) stack in a column under it, on a line
// that runs down their left side and goes on to its other children, side by side below the column. A tidy tree
// (d3-flextree) places each column as one node with the other children under it; it has no levels, so a column
// takes only the height it needs, and its contours keep every line clear of other nodes.
import { flextree, type FlextreeDatum } from 'd3-flextree';
import { emptyLayout, finishLayout, LEVEL_GAP, SIBLING_GAP, STACK_GAP, STACK_INDENT, type GraphLayout } from './geometry';
import type { GraphNode, VisibleTree } from './visible-tree';

interface Datum extends FlextreeDatum {
  /** The visible nodes it stands for: one, or a column of leaves. */
  readonly members: readonly GraphNode[];
  readonly width: number;
  readonly height: number;
  readonly children: Datum[];
}

/** Undefined when no node has two leaf children: the tree has nothing to stack. */
export function stackedLayout(tree: VisibleTree, width: (id: number) => number, height: (id: number) => number): GraphLayout | undefined {
  if (!tree.nodes.some((node) => leavesOf(node).length >= 2)) return undefined;
  const datum = (members: readonly GraphNode[]): Datum => ({
    members,
    width: members.length === 1 ? width(members[0]!.id) : STACK_INDENT + Math.max(...members.map((m) => width(m.id))),
    height: members.reduce((sum, m) => sum + height(m.id), (members.length - 1) * STACK_GAP),
    x: 0,
    y: 0,
    children: [],
  });
  const root = datum([tree.nodes[0]!]);
  const all = [root];
  for (let i = 0; i < all.length; i++) {
    const d = all[i]!;
    if (d.members.length > 1) continue;
    const node = d.members[0]!;
    const leaves = leavesOf(node);
    const column = leaves.length >= 2 ? datum(leaves) : undefined;
    const below = column ? column.children : d.children;
    if (column) d.children.push(column);
    for (const child of node.children) if (!column || child.children.length > 0) below.push(datum([child]));
    all.push(...d.children, ...(column?.children ?? []));
  }
  flextree<Datum>({ nodeSize: (d) => [d.width + SIBLING_GAP.down, d.height + LEVEL_GAP.down] })(root);

  const layout = emptyLayout(tree.nodes.length, 'tidy', 'down');
  const hanging = new Uint8Array(tree.nodes.length);
  for (const d of all) {
    const stacked = d.members.length > 1;
    let y = d.y;
    for (const { id } of d.members) {
      layout.x[id] = d.x - d.width / 2 + (stacked ? STACK_INDENT : 0);
      layout.y[id] = y;
      layout.w[id] = width(id);
      layout.h[id] = height(id);
      hanging[id] = stacked ? 1 : 0;
      y += layout.h[id]! + STACK_GAP;
    }
  }
  layout.hanging = hanging;
  finishLayout(tree, layout);
  return layout;
}

function leavesOf(node: GraphNode): GraphNode[] {
  return node.children.filter((child) => child.children.length === 0);
}
