// Sizes shared by the layouts and the two renderers, in graph units (CSS pixels at zoom 1). The tree grows to the
// right (levels are columns, siblings stack down: a call tree reads like an indented list and fits a wide panel) or
// down (levels are rows, siblings side by side: a deep trace of wide nodes fits a tall, narrow panel).
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
/** A span type's glyph before the service name: its size, and the room it takes with the gap after it. */
export const ICON_SIZE = 12;
export const ICON_ROOM = ICON_SIZE + 5;
export type Direction = 'right' | 'down';

/** Between levels: room for the elbows (and, growing down, a group's badge standing 10 units above its node). */
export const LEVEL_GAP: Readonly<Record<Direction, number>> = { right: 48, down: 28 };
/** Between siblings: growing right, room for a group's badge, which stands 10 units above its node. */
export const SIBLING_GAP: Readonly<Record<Direction, number>> = { right: 14, down: 16 };
/** Baselines of the two lines of text, from the node's top. */
export const FIRST_LINE = 15;
export const SECOND_LINE = 32;
export const BADGE_HEIGHT = 16;
/** Leaves in a column (leaf-stacks.ts) stand this far right of its line, this far apart (room for a badge). */
export const STACK_INDENT = 20;
export const STACK_GAP = 14;

export function nodeHeight(node: GraphNode): number {
  return node.kind === NodeKind.Stub ? STUB_HEIGHT : NODE_HEIGHT;
}

/** Where nodes are, in graph units: each node's top-left corner and size, by node id. */
export interface GraphLayout {
  /** Which layout placed the nodes (shown on the view as data-layout). */
  by: 'elk' | 'tidy';
  direction: Direction;
  x: Float64Array;
  y: Float64Array;
  w: Float64Array;
  h: Float64Array;
  /**
   * By depth: where the connector from the parents at that depth to their children runs, halfway across the free
   * space between the two levels (an x growing right, a y growing down). Edges are elbows: from the parent's right
   * side (bottom), along the connector, to the child's left side (top).
   */
  trunks: Float64Array;
  /**
   * Set by the compact layout growing down (leaf-stacks.ts), which has no levels (`trunks` is unused): by node id, 1
   * for a leaf in its parent's column of leaves.
   */
  hanging: Uint8Array | undefined;
  bounds: { x0: number; y0: number; x1: number; y1: number };
}

export function emptyLayout(n: number, by: GraphLayout['by'], direction: Direction): GraphLayout {
  return {
    by,
    direction,
    x: new Float64Array(n),
    y: new Float64Array(n),
    w: new Float64Array(n),
    h: new Float64Array(n),
    trunks: new Float64Array(0),
    hanging: undefined,
    bounds: { x0: 0, y0: 0, x1: 0, y1: 0 },
  };
}

/** Fills in `bounds` and `trunks` once the nodes are placed; both layouts put each depth in its own level. */
export function finishLayout(tree: VisibleTree, layout: GraphLayout): void {
  let depth = 0;
  for (const node of tree.nodes) depth = Math.max(depth, node.depth);
  // Each level's extent along the direction of growth.
  const start = new Float64Array(depth + 1).fill(Infinity);
  const end = new Float64Array(depth + 1).fill(-Infinity);
  const [along, size] = layout.direction === 'right' ? [layout.x, layout.w] : [layout.y, layout.h];
  const bounds = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
  for (const node of tree.nodes) {
    const i = node.id;
    start[node.depth] = Math.min(start[node.depth]!, along[i]!);
    end[node.depth] = Math.max(end[node.depth]!, along[i]! + size[i]!);
    bounds.x0 = Math.min(bounds.x0, layout.x[i]!);
    bounds.x1 = Math.max(bounds.x1, layout.x[i]! + layout.w[i]!);
    bounds.y0 = Math.min(bounds.y0, layout.y[i]!);
    bounds.y1 = Math.max(bounds.y1, layout.y[i]! + layout.h[i]!);
  }
  layout.trunks = new Float64Array(depth + 1);
  for (let d = 0; d < depth; d++) layout.trunks[d] = (end[d]! + start[d + 1]!) / 2;
  layout.bounds = tree.nodes.length > 0 ? bounds : { x0: 0, y0: 0, x1: 0, y1: 0 };
}
