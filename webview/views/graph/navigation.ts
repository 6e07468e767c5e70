// Arrow keys over the visible tree, which grows to the right: Left goes to the parent, Right to the first child,
// Up and Down to the previous and next sibling; Home to the root.
import type { GraphNode, VisibleTree } from './visible-tree';

export function neighbour(tree: VisibleTree, from: GraphNode, key: string): GraphNode | undefined {
  const siblings = from.parent?.children;
  const position = siblings?.indexOf(from) ?? -1;
  switch (key) {
    case 'ArrowLeft':
      return from.parent;
    case 'ArrowRight':
      return from.children[0];
    case 'ArrowUp':
      return position > 0 ? siblings![position - 1] : undefined;
    case 'ArrowDown':
      return siblings && position >= 0 ? siblings[position + 1] : undefined;
    case 'Home':
      return tree.nodes[0];
    default:
      return undefined;
  }
}

export function isNavigationKey(key: string): boolean {
  return key === 'ArrowLeft' || key === 'ArrowRight' || key === 'ArrowUp' || key === 'ArrowDown' || key === 'Home';
}
