// Sizes shared by the layouts and the two renderers, in graph units (CSS pixels at zoom 1). The tree grows to the
// right: levels are columns, siblings stack down, so a call tree reads like an indented list and fits a wide panel.
import { NodeKind, type GraphNode, type VisibleTree } from './visible-tree';

export const NODE_HEIGHT = 40;
const STUB_HEIGHT = 24;
/** Widths of span and group nodes in the SVG graph, which fit their text; the canvas graph uses CANVAS_NODE_WIDTH. */
export const MIN_NODE_WIDTH = 140;
export const MAX_NODE_WIDTH = 320;
export const CANVAS_NODE_WIDTH = 220;
export const STUB_WIDTH = 110;
/** Space between a node's edge and its text; the service bar sits in the left padding. */
export const PAD = 10;
export const SERVICE_BAR = 4;
export const LEVEL_GAP = 48;
/** Room for a group's badge, which stands 10 units above its node. */
export const SIBLING_GAP = 14;
/** Baselines of the two lines of text, from the node's top. */
export const FIRST_LINE = 15;
export const SECOND_LINE = 32;
export const BADGE_HEIGHT = 16;

export function nodeHeight(node: GraphNode): number {
  return node.kind === NodeKind.Stub ? STUB_HEIGHT : NODE_HEIGHT;
}

/** Where nodes are, in graph units: each node's top-left corner and size, by node id. */
export interface GraphLayout {
  /** Which layout placed the nodes (shown on the view as data-layout). */
  by: 'elk' | 'tidy';
  x: Float64Array;
  y: Float64Array;
  w: Float64Array;
  h: Float64Array;
  /**
   * By depth: the x of the vertical connector from the parents at that depth to their children, halfway across
   * the free space between the two columns. Edges are elbows: parent's right side, connector, child's left side.
   */
  trunks: Float64Array;
  bounds: { x0: number; y0: number; x1: number; y1: number };
}

export function emptyLayout(n: number, by: GraphLayout['by']): GraphLayout {
  return { by, x: new Float64Array(n), y: new Float64Array(n), w: new Float64Array(n), h: new Float64Array(n), trunks: new Float64Array(0), bounds: { x0: 0, y0: 0, x1: 0, y1: 0 } };
}

/** Fills in `bounds` and `trunks` once the nodes are placed; both layouts put each depth in its own column. */
export function finishLayout(tree: VisibleTree, layout: GraphLayout): void {
  let depth = 0;
  for (const node of tree.nodes) depth = Math.max(depth, node.depth);
  const left = new Float64Array(depth + 1).fill(Infinity);
  const right = new Float64Array(depth + 1).fill(-Infinity);
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const node of tree.nodes) {
    const i = node.id;
    left[node.depth] = Math.min(left[node.depth]!, layout.x[i]!);
    right[node.depth] = Math.max(right[node.depth]!, layout.x[i]! + layout.w[i]!);
    y0 = Math.min(y0, layout.y[i]!);
    y1 = Math.max(y1, layout.y[i]! + layout.h[i]!);
  }
  layout.trunks = new Float64Array(depth + 1);
  for (let d = 0; d < depth; d++) layout.trunks[d] = (right[d]! + left[d + 1]!) / 2;
  layout.bounds = tree.nodes.length > 0 ? { x0: left[0]!, y0, x1: Math.max(...right), y1 } : { x0: 0, y0: 0, x1: 0, y1: 0 };
}
