// What the graph harness page offers the tests on `window.graph`. Shared by the page (graph-harness.ts) and the
// Node tests, so it uses no DOM and no Node types.
import type { ShowMessage } from './support/messages';

/** A node of the SVG graph as the user sees it. */
export interface ScreenNode {
  /** The span's id; a group's first span; '' for a "+N spans" stub. */
  spanId: string;
  kind: 'span' | 'group' | 'stub';
  /** Spans the node stands for (data-span-count on a group). */
  count: number;
  /** First line: the service. */
  meta: string;
  /** The codicon the span type is drawn with (`globe`), its accessible name and the font it is drawn in. */
  icon: string;
  iconLabel: string;
  iconFont: string;
  name: string;
  duration: string;
  /** ✓, ✗, ! or ''. */
  mark: string;
  /** The group badge's text, or ''. */
  badge: string;
  label: string;
  role: string;
  tabIndex: number;
  selected: boolean;
  match: boolean;
  error: boolean;
  opacity: number;
  /** The node box's fill colour as computed. */
  fill: string;
  /** Centre of the node's box, client coordinates. */
  x: number;
  y: number;
  /** The whole box is inside the view. */
  inView: boolean;
}

export interface Point {
  x: number;
  y: number;
}

export interface GraphHarness {
  show(message: ShowMessage): void;
  /** 'svg', 'canvas', or '' before the first layout. */
  mode(): string;
  /** Which layout placed the nodes: 'elk', 'tidy', or '' before the first layout. */
  layout(): string;
  /** Which way the graph grows: 'right', 'down', or '' before the first layout. */
  direction(): string;
  /** Nodes of the SVG graph, in document order. */
  nodes(): ScreenNode[];
  setSelected(id: string | null, reveal: boolean): void;
  /** Ids of the matching spans; null for no highlight. */
  setHighlight(ids: string[] | null): void;
  /** The theme's palette with other service colours, as after a theme change. */
  setServiceColours(colours: string[]): void;
  /** Centre of the node showing the span, client coordinates; null when not laid out. */
  nodePosition(id: string): Point | null;
  /** Centre of the view, client coordinates. */
  centre(): Point;
  /** The canvas pixel at a client point, as [r, g, b], after the next frames are drawn. */
  pixel(point: Point): Promise<[number, number, number]>;
  zoomState(): { k: number; x: number; y: number } | null;
  setZoomState(state: { k: number; x: number; y: number }): void;
  expandedGroups(): string[];
  setExpandedGroups(keys: string[]): void;
  /** Hides or shows the view as the panel does when switching views. */
  setHidden(hidden: boolean): void;
  /** Span id of the focused node element, '' for a focused stub or the canvas, null when focus is elsewhere. */
  focused(): string | null;
  /** Lines of the hover card, or null while it is hidden. */
  tooltip(): string[] | null;
  /** What the graph's live region says. */
  live(): string;
  /** The canvas's accessible name, or ''. */
  canvasLabel(): string;
  /** Span ids the view reported selected, oldest first. */
  selections(): string[];
  viewStateChanges(): number;
}
