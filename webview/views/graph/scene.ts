// What a renderer draws (the visible tree, where its nodes are, what they say) and what changes without a new
// layout (selection, highlight, keyboard focus). Both renderers implement GraphRenderer.
import type { ZoomTransform } from 'd3-zoom';
import type { PanelModel } from '../../model';
import type { Palette } from '../../theme';
import { BADGE_HEIGHT, type GraphLayout } from './geometry';
import { nodeText, type NodeFacts, type NodeText } from './node-facts';
import type { VisibleTree } from './visible-tree';

export class Scene {
  private readonly texts: Array<NodeText | undefined>;

  constructor(
    readonly model: PanelModel,
    readonly tree: VisibleTree,
    readonly layout: GraphLayout,
    readonly facts: NodeFacts,
  ) {
    this.texts = new Array<NodeText | undefined>(tree.nodes.length);
  }

  /** Made on first use: a canvas graph only ever needs the text of nodes it draws up close. */
  text(id: number): NodeText {
    return (this.texts[id] ??= nodeText(this.tree.nodes[id]!, this.model, this.facts));
  }
}

export interface Decorations {
  /** Per node: matching spans; undefined without a highlight. */
  matches: Uint32Array | undefined;
  selectedSpan: number | undefined;
  /** The node showing the selected span, or -1. */
  selectedNode: number;
  /** The node with keyboard focus, or -1. */
  focusNode: number;
}

export interface Hit {
  node: number;
  /** On the node's group badge (expand/collapse). */
  badge: boolean;
}

/** Where the pointer is: a mouse or pointer event, or its fields saved for later. */
export type PointerPosition = Pick<MouseEvent, 'clientX' | 'clientY' | 'target'>;

export interface GraphRenderer {
  readonly element: HTMLElement | SVGSVGElement;
  /** A new scene or palette: everything is drawn again. */
  show(scene: Scene, decorations: Decorations, palette: Palette): void;
  decorate(decorations: Decorations): void;
  setTransform(transform: ZoomTransform): void;
  hit(pointer: PointerPosition): Hit | undefined;
  /** Moves keyboard focus to the node (the SVG node element, or the canvas with a drawn focus ring). */
  focus(node: number): void;
  /** The view's size changed. */
  resize(): void;
  destroy(): void;
}

/** The badge's box relative to its node: at the top right corner, half above the node so it does not hide text. */
export function badgeBox(nodeWidth: number, textWidth: number): { x: number; y: number; w: number; h: number } {
  const w = textWidth + 12;
  return { x: nodeWidth - w - 6, y: -BADGE_HEIGHT + 6, w, h: BADGE_HEIGHT };
}
