// Arrow keys over the visible tree, as it is drawn: growing right, Left goes to the parent, Right to the first
// child, Up and Down to the previous and next sibling; growing down, Up and Down go to the parent and the first
// child, Left and Right to the siblings. Home goes to the root.
import type { Direction } from './geometry';
import type { GraphNode, VisibleTree } from './visible-tree';

type Move = 'parent' | 'child' | 'previous' | 'next';
const MOVES: Readonly<Record<Direction, Readonly<Record<string, Move>>>> = {
  right: { ArrowLeft: 'parent', ArrowRight: 'child', ArrowUp: 'previous', ArrowDown: 'next' },
  down: { ArrowUp: 'parent', ArrowDown: 'child', ArrowLeft: 'previous', ArrowRight: 'next' },
};

export function neighbour(tree: VisibleTree, from: GraphNode, key: string, direction: Direction): GraphNode | undefined {
  if (key === 'Home') return tree.nodes[0];
  const siblings = from.parent?.children;
  const position = siblings?.indexOf(from) ?? -1;
  switch (MOVES[direction][key]) {
    case 'parent':
      return from.parent;
    case 'child':
      return from.children[0];
    case 'previous':
      return position > 0 ? siblings![position - 1] : undefined;
    case 'next':
      return siblings && position >= 0 ? siblings[position + 1] : undefined;
    default:
      return undefined;
  }
}

export function isNavigationKey(key: string): boolean {
  return key === 'ArrowLeft' || key === 'ArrowRight' || key === 'ArrowUp' || key === 'ArrowDown' || key === 'Home';
}
