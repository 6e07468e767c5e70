// The graph of up to a few hundred nodes (elk layout) as SVG: every node is a focusable element with its span id
// and a spoken label, so the graph works with a keyboard and a screen reader and tests can find nodes. Colours
// that depend on the node (service, error) are set through CSSOM from the palette; the rest come from the
// `--graph-*` properties the view sets on its root (media/graph.css).
import type { ZoomTransform } from 'd3-zoom';
import { serviceColor, type Palette } from '../../theme';
import { FIRST_LINE, ICON_ROOM, LEVEL_GAP, MAX_NODE_WIDTH, MIN_NODE_WIDTH, PAD, SECOND_LINE, SERVICE_BAR, STACK_INDENT, type GraphLayout } from './geometry';
import { badgeText, describeNode, ERROR_GLYPH, MARK_GLYPHS, markGlyph, stubGlyph, typeIcon, type NodeFacts, type NodeText } from './node-facts';
import { badgeBox, type Decorations, type GraphRenderer, type Hit, type PointerPosition, type Scene } from './scene';
import type { TextFits } from './text-fit';
import { NodeKind, type GraphNode } from './visible-tree';

const SVG_NS = 'http://www.w3.org/2000/svg';
const GAP = 12;

/**
 * Width of each node in the SVG graph: enough for its text (span and group nodes within MIN..MAX_NODE_WIDTH), with
 * room for the test's mark whether or not the node has one, so new results (a re-check) never move the layout.
 */
export function svgNodeWidth(node: GraphNode, text: NodeText, facts: NodeFacts, fits: TextFits): number {
  const markRoom = GAP + Math.max(...MARK_GLYPHS.map((glyph) => fits.name.width(glyph)));
  if (node.kind === NodeKind.Stub) {
    const errorRoom = facts.errors[node.id]! > 0 ? fits.name.width(ERROR_GLYPH) : 0;
    return Math.ceil(PAD + fits.small.width(text.name) + errorRoom + markRoom + PAD);
  }
  const secondLine = fits.name.width(text.name) + markRoom;
  const width = Math.ceil(PAD + SERVICE_BAR + Math.max(firstLineWidth(text, facts.errors[node.id]! > 0, fits), secondLine) + PAD);
  return Math.min(MAX_NODE_WIDTH, Math.max(MIN_NODE_WIDTH, width));
}

function firstLineWidth(text: NodeText, error: boolean, fits: TextFits): number {
  return ICON_ROOM + fits.small.width(text.service) + GAP + fits.small.width(durationText(text, error));
}

function durationText(text: NodeText, error: boolean): string {
  return error ? `${ERROR_GLYPH} ${text.duration}` : text.duration;
}

export class SvgRenderer implements GraphRenderer {
  readonly element: SVGSVGElement;
  private readonly world: SVGGElement;
  private scene: Scene | undefined;
  private nodes: SVGGElement[] = [];
  private badges: Array<{ rect: SVGRectElement; text: SVGTextElement } | undefined> = [];

  constructor(private readonly fits: TextFits) {
    this.element = document.createElementNS(SVG_NS, 'svg');
    this.element.classList.add('graph-svg');
    this.element.setAttribute('role', 'tree');
    this.element.setAttribute('aria-label', 'Trace graph');
    this.world = make('g', this.element, {});
  }

  show(scene: Scene, decorations: Decorations, palette: Palette): void {
    this.scene = scene;
    this.world.replaceChildren();
    const edgeLayer = make('g', this.world, { class: 'graph-edges' });
    const nodeLayer = make('g', this.world, { class: 'graph-nodes' });
    const { tree } = scene;
    for (const node of tree.nodes) if (node.children.length > 0) make('path', edgeLayer, { class: 'graph-edge', d: edgePath(scene, node) });
    this.badges = [];
    this.nodes = tree.nodes.map((node) => this.nodeElement(node, scene, palette));
    for (const element of this.nodes) nodeLayer.append(element);
    this.decorate(decorations);
  }

  decorate(decorations: Decorations): void {
    const scene = this.scene;
    if (!scene) return;
    const { matches, selectedSpan, selectedNode } = decorations;
    const tabStop = decorations.focusNode >= 0 ? decorations.focusNode : selectedNode >= 0 ? selectedNode : 0;
    this.element.classList.toggle('highlighting', matches !== undefined);
    for (const node of scene.tree.nodes) {
      const element = this.nodes[node.id]!;
      const count = matches?.[node.id];
      element.classList.toggle('selected', node.id === selectedNode);
      element.classList.toggle('match', !!count);
      element.classList.toggle('faded', matches !== undefined && !count);
      element.setAttribute('aria-selected', String(node.id === selectedNode));
      element.setAttribute('aria-label', describeNode(node, scene.model, scene.facts, count, selectedSpan));
      element.tabIndex = node.id === tabStop ? 0 : -1;
      const badge = this.badges[node.id];
      const text = badgeText(node, count, selectedSpan);
      if (badge && text) {
        badge.text.textContent = text;
        const box = badgeBox(scene.layout.w[node.id]!, this.fits.small.width(text));
        setAttributes(badge.rect, { x: box.x, y: box.y, width: box.w, height: box.h });
        setAttributes(badge.text, { x: box.x + box.w / 2, y: box.y + box.h - 4 });
      }
    }
  }

  setTransform(transform: ZoomTransform): void {
    this.world.setAttribute('transform', transform.toString());
  }

  hit(event: PointerPosition): Hit | undefined {
    const target = event.target instanceof Element ? event.target : undefined;
    const node = target?.closest<SVGGElement>('[data-node]');
    if (!node || !this.element.contains(node)) return undefined;
    return { node: Number(node.dataset.node), badge: !!target?.closest('.graph-badge') };
  }

  focus(node: number): void {
    this.nodes[node]?.focus({ preventScroll: true });
  }

  /** The SVG fills its box at any size. */
  resize(): void {}

  destroy(): void {
    this.element.remove();
  }

  private nodeElement(node: GraphNode, scene: Scene, palette: Palette): SVGGElement {
    const { layout, facts, model } = scene;
    const w = layout.w[node.id]!;
    const h = layout.h[node.id]!;
    const text = scene.text(node.id);
    const kind = node.kind === NodeKind.Group ? 'group' : node.kind === NodeKind.Stub ? 'stub' : 'span';
    const g = make('g', undefined, {
      class: `graph-node ${kind}`,
      transform: `translate(${layout.x[node.id]},${layout.y[node.id]})`,
      role: 'treeitem',
      'aria-level': node.depth + 1,
      'data-node': node.id,
    });
    if (node.kind !== NodeKind.Stub) g.dataset.spanId = model.trace.spans[node.spans[0]!]!.id;
    if (node.kind === NodeKind.Group) g.dataset.spanCount = String(node.spans.length);
    const error = facts.errors[node.id]! > 0;
    const colour = node.kind === NodeKind.Stub ? palette.muted : serviceColor(palette, text.serviceIndex);
    if (node.kind === NodeKind.Group) make('rect', g, { class: 'graph-stack', x: 4, y: 4, width: w, height: h, rx: 4 }).style.stroke = colour;
    make('rect', g, { class: 'graph-ring graph-select-ring', x: -4, y: -4, width: w + 8, height: h + 8, rx: 7 });
    make('rect', g, { class: 'graph-ring graph-match-ring', x: -2, y: -2, width: w + 4, height: h + 4, rx: 5 });
    make('rect', g, { class: 'graph-ring graph-focus-ring', x: -6, y: -6, width: w + 12, height: h + 12, rx: 8 });
    make('rect', g, { class: 'graph-box-bg', width: w, height: h, rx: 4 });
    const box = make('rect', g, { class: `graph-box${error ? ' error' : ''}`, width: w, height: h, rx: 4 });
    box.style.fill = colour;
    box.style.stroke = error ? palette.error : colour;
    if (node.kind === NodeKind.Stub) {
      make('text', g, { class: 'graph-stub-text', x: PAD, y: h / 2 + 4 }).textContent = text.name;
      const glyph = stubGlyph(facts, node.id, palette);
      if (glyph) this.glyph(g, glyph, w - PAD, h / 2 + 4);
      return g;
    }
    make('rect', g, { class: 'graph-bar', width: SERVICE_BAR, height: h }).style.fill = colour;
    const left = PAD + SERVICE_BAR;
    const right = w - PAD;
    const duration = durationText(text, error);
    const durationWidth = this.fits.small.width(duration);
    const icon = typeIcon(text.type)!;
    // A glyph in the codicon font: named for assistive technology and on hover, as the node's label names the type.
    const glyph = make('text', g, { class: 'graph-type-icon', x: left, y: FIRST_LINE + 1, role: 'img', 'aria-label': icon.label, 'data-icon': icon.name });
    glyph.textContent = icon.glyph;
    make('title', glyph, {}).textContent = icon.label;
    const meta = make('text', g, { class: 'graph-meta', x: left + ICON_ROOM, y: FIRST_LINE });
    meta.textContent = this.fits.small.fit(text.service, right - left - ICON_ROOM - durationWidth - GAP);
    const durationElement = make('text', g, { class: 'graph-duration', x: right, y: FIRST_LINE });
    if (error) {
      const glyph = make('tspan', durationElement, { class: 'graph-error-glyph' });
      glyph.textContent = `${ERROR_GLYPH} `;
      glyph.style.fill = palette.error;
    }
    durationElement.append(text.duration);
    const mark = markGlyph(facts, node.id, palette);
    const markWidth = mark ? this.glyph(g, mark, right, SECOND_LINE) + GAP : 0;
    make('text', g, { class: 'graph-name', x: left, y: SECOND_LINE }).textContent = this.fits.name.fit(text.name, right - left - markWidth);
    if (node.kind === NodeKind.Group || node.collapse) {
      const badge = make('g', g, { class: 'graph-badge' });
      this.badges[node.id] = { rect: make('rect', badge, { rx: 8 }), text: make('text', badge, {}) };
    }
    return g;
  }

  /** A status glyph ending at `right`; returns its width. */
  private glyph(g: SVGGElement, glyph: { text: string; colour: string }, right: number, baseline: number): number {
    const element = make('text', g, { class: 'graph-mark', x: right, y: baseline });
    element.textContent = glyph.text;
    element.style.fill = glyph.colour;
    return this.fits.name.width(glyph.text);
  }
}

/** The elbows from a parent to all its children as one path, so shared stretches are not painted twice. */
function edgePath(scene: Scene, parent: GraphNode): string {
  const { x, y, w, h, trunks, direction, hanging } = scene.layout;
  if (hanging) return stackedEdgePath(scene.layout, hanging, parent);
  const trunk = trunks[parent.depth]!;
  const first = parent.children[0]!.id;
  const last = parent.children[parent.children.length - 1]!.id;
  if (direction === 'down') {
    const middle = (id: number) => x[id]! + w[id]! / 2;
    const px = middle(parent.id);
    let d = `M${px},${y[parent.id]! + h[parent.id]!}V${trunk}M${Math.min(px, middle(first))},${trunk}H${Math.max(px, middle(last))}`;
    for (const child of parent.children) d += `M${middle(child.id)},${trunk}V${y[child.id]!}`;
    return d;
  }
  const centre = (id: number) => y[id]! + h[id]! / 2;
  const py = centre(parent.id);
  let d = `M${x[parent.id]! + w[parent.id]!},${py}H${trunk}M${trunk},${Math.min(py, centre(first))}V${Math.max(py, centre(last))}`;
  for (const child of parent.children) d += `M${trunk},${centre(child.id)}H${x[child.id]!}`;
  return d;
}

/**
 * In the compact layout (leaf-stacks.ts): down from the parent to a line along the left of its column of leaves,
 * with a short stretch into each leaf, and on below the column to the other children, side by side; halfway
 * across each gap, as the layout leaves a gap under every node and column.
 */
function stackedEdgePath(layout: GraphLayout, hanging: Uint8Array, parent: GraphNode): string {
  const { x, y, w, h } = layout;
  const half = LEVEL_GAP.down / 2;
  const middle = (id: number) => x[id]! + w[id]! / 2;
  const column = parent.children.filter((child) => hanging[child.id]);
  const below = parent.children.filter((child) => !hanging[child.id]);
  let from = middle(parent.id);
  let trunk = y[parent.id]! + h[parent.id]! + half;
  let d = `M${from},${y[parent.id]! + h[parent.id]!}V${trunk}`;
  if (column.length > 0) {
    const line = x[column[0]!.id]! - STACK_INDENT / 2;
    const last = column[column.length - 1]!.id;
    const bottom = y[last]! + h[last]!;
    d += `H${line}V${below.length > 0 ? bottom + half : bottom - h[last]! / 2}`;
    for (const { id } of column) d += `M${line},${y[id]! + h[id]! / 2}H${x[id]!}`;
    [from, trunk] = [line, bottom + half];
  }
  if (below.length > 0) {
    const middles = below.map((child) => middle(child.id));
    d += `M${Math.min(from, ...middles)},${trunk}H${Math.max(from, ...middles)}`;
    for (const child of below) d += `M${middle(child.id)},${trunk}V${y[child.id]!}`;
  }
  return d;
}

function make<K extends keyof SVGElementTagNameMap>(tag: K, parent: Element | undefined, attributes: Record<string, string | number>): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  setAttributes(element, attributes);
  parent?.append(element);
  return element;
}

function setAttributes(element: Element, attributes: Record<string, string | number>): void {
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
}
