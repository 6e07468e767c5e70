// Arrow keys over the visible tree, as it is drawn: growing right, Left goes to the parent, Right to the first
// child, Up and Down to the previous and next sibling; growing down, Up and Down go to the parent and the first
// child, Left and Right to the siblings. In a column of leaves (leaf-stacks.ts) Up and Down go along the column, the
// line going on from its last leaf to the siblings below it. Home goes to the root.
import type { GraphLayout } from './geometry';
import type { GraphNode, VisibleTree } from './visible-tree';

type Move = 'parent' | 'child' | 'previous' | 'next';
const MOVES: Readonly<Record<GraphLayout['direction'], Readonly<Record<string, Move>>>> = {
  right: { ArrowLeft: 'parent', ArrowRight: 'child', ArrowUp: 'previous', ArrowDown: 'next' },
  down: { ArrowUp: 'parent', ArrowDown: 'child', ArrowLeft: 'previous', ArrowRight: 'next' },
};

export function neighbour(tree: VisibleTree, from: GraphNode, key: string, layout: GraphLayout): GraphNode | undefined {
  if (key === 'Home') return tree.nodes[0];
  const move = MOVES[layout.direction][key];
  const hanging = layout.hanging;
  const inColumn = (node: GraphNode) => hanging?.[node.id] === 1;
  const siblings = from.parent?.children ?? [];
  if (inColumn(from)) {
    const column = siblings.filter(inColumn);
    const position = column.indexOf(from);
    if (move === 'parent') return column[position - 1] ?? from.parent;
    if (move === 'child') return column[position + 1] ?? siblings.find((s) => !inColumn(s));
    return undefined;
  }
  // Side by side are the siblings not in a column.
  const beside = hanging ? siblings.filter((s) => !inColumn(s)) : siblings;
  const position = beside.indexOf(from);
  switch (move) {
    case 'parent':
      return from.parent;
    case 'child':
      return from.children.find(inColumn) ?? from.children[0];
    case 'previous':
      return position > 0 ? beside[position - 1] : undefined;
    case 'next':
      return position >= 0 ? beside[position + 1] : undefined;
    default:
      return undefined;
  }
}

export function isNavigationKey(key: string): boolean {
  return key === 'ArrowLeft' || key === 'ArrowRight' || key === 'ArrowUp' || key === 'ArrowDown' || key === 'Home';
}
