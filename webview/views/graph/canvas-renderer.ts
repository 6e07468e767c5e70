// The graph of thousands of nodes on a <canvas>: only what meets the view is drawn (ColumnIndex), at most once per
// animation frame, at the device's pixel ratio. Detail follows the zoom: far out, nodes are blocks of their
// service's colour (red when a span errored or the test failed there) batched into one fill per colour; closer,
// boxes with their badges and status; close enough to read, text.
import { zoomIdentity, type ZoomTransform } from 'd3-zoom';
import { TestMark } from '../../model';
import { serviceColor, type Palette } from '../../theme';
import { ColumnIndex } from './column-index';
import { FIRST_LINE, ICON_ROOM, LEVEL_GAP, NODE_HEIGHT, PAD, SECOND_LINE, SERVICE_BAR } from './geometry';
import { badgeText, ERROR_GLYPH, ICON_FONT, markGlyph, stubGlyph, typeIcon } from './node-facts';
import { badgeBox, type Decorations, type GraphRenderer, type Hit, type PointerPosition, type Scene } from './scene';
import type { TextFits } from './text-fit';
import { NodeKind } from './visible-tree';

/** Below this height on screen (CSS px) a node is a block; from TEXT_SCALE on, its text is drawn. */
const BLOCK_HEIGHT = 6;
const TEXT_SCALE = 0.45;
const FADED_ALPHA = 0.28;
const TINT_ALPHA = 0.16;
/** A badge stands this far above its node: hit tests and culling look that far. */
const BADGE_REACH = 10;
const GAP = 12;

interface FittedText {
  service: string;
  name: string;
}

export class CanvasRenderer implements GraphRenderer {
  readonly element: HTMLCanvasElement;
  private readonly context: CanvasRenderingContext2D;
  private scene: Scene | undefined;
  private index: ColumnIndex | undefined;
  private decorations: Decorations = { matches: undefined, selectedSpan: undefined, selectedNode: -1, focusNode: -1 };
  private palette: Palette | undefined;
  private transform: ZoomTransform = zoomIdentity;
  private fitted: Array<FittedText | undefined> = [];
  private frame = 0;
  private width = 0;
  private height = 0;
  private ratio = 1;
  /** Far out, each node is drawn in one of these colours: the services', then failed, error and stub. */
  private blockColours: string[] = [];
  /** Per node: its index in blockColours. */
  private blockColourOf = new Uint8Array(0);
  /** Reused every frame: ids of the nodes in view, and each block colour's rectangles as [x, y, w, h, ...]. */
  private visible: number[] = [];
  private blocks: number[][] = [];

  constructor(private readonly fits: TextFits) {
    this.element = document.createElement('canvas');
    this.element.className = 'graph-canvas';
    this.element.tabIndex = 0;
    const context = this.element.getContext('2d', { alpha: false });
    if (!context) throw new Error('no 2d canvas context');
    this.context = context;
    // The focus ring is drawn only while the canvas has keyboard focus.
    this.element.addEventListener('focus', () => this.requestDraw());
    this.element.addEventListener('blur', () => this.requestDraw());
    // A canvas does not draw again when a font arrives: the type glyphs' font is loaded, then the graph redrawn.
    document.fonts.load(ICON_FONT).then(
      () => this.requestDraw(),
      () => {},
    );
  }

  show(scene: Scene, decorations: Decorations, palette: Palette): void {
    this.scene = scene;
    this.index = new ColumnIndex(scene.tree, scene.layout);
    this.decorations = decorations;
    this.palette = palette;
    this.fitted = [];
    this.colourBlocks(scene, palette);
    this.resize();
  }

  private colourBlocks(scene: Scene, palette: Palette): void {
    const { facts, tree, model } = scene;
    const services = palette.services.length;
    const [failed, error, stub] = [services, services + 1, services + 2];
    this.blockColours = [...palette.services, palette.failed, palette.error, palette.muted];
    this.blocks = this.blockColours.map(() => []);
    this.blockColourOf = new Uint8Array(tree.nodes.length);
    for (const node of tree.nodes) {
      const id = node.id;
      this.blockColourOf[id] =
        facts.marks[id]! >= TestMark.Failed
          ? failed
          : facts.errors[id]! > 0
            ? error
            : node.kind === NodeKind.Stub
              ? stub
              : model.serviceOf[node.spans[0]!]! % services;
    }
  }

  decorate(decorations: Decorations): void {
    this.decorations = decorations;
    this.requestDraw();
  }

  setTransform(transform: ZoomTransform): void {
    this.transform = transform;
    this.requestDraw();
  }

  hit(event: PointerPosition): Hit | undefined {
    const scene = this.scene;
    if (!scene || !this.index) return undefined;
    const rect = this.element.getBoundingClientRect();
    const [x, y] = this.transform.invert([event.clientX - rect.left, event.clientY - rect.top]);
    const node = this.index.nodeAt(x, y, BADGE_REACH);
    if (node < 0) return undefined;
    const badge = this.badge(node);
    const { layout } = scene;
    const onBadge =
      !!badge &&
      x >= layout.x[node]! + badge.x &&
      x <= layout.x[node]! + badge.x + badge.w &&
      y >= layout.y[node]! + badge.y &&
      y <= layout.y[node]! + badge.y + badge.h;
    if (!onBadge && y < layout.y[node]!) return undefined;
    return { node, badge: onBadge };
  }

  focus(): void {
    this.element.focus({ preventScroll: true });
  }

  resize(): void {
    this.ratio = window.devicePixelRatio || 1;
    this.width = this.element.clientWidth;
    this.height = this.element.clientHeight;
    this.element.width = Math.max(1, Math.round(this.width * this.ratio));
    this.element.height = Math.max(1, Math.round(this.height * this.ratio));
    this.requestDraw();
  }

  destroy(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.element.remove();
  }

  private requestDraw(): void {
    this.frame ||= requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private draw(): void {
    const { scene, index, palette, context: ctx } = this;
    if (!scene || !index || !palette) return;
    const { k, x: tx, y: ty } = this.transform;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.globalAlpha = 1;
    ctx.fillStyle = palette.background;
    ctx.fillRect(0, 0, this.element.width, this.element.height);
    ctx.setTransform(this.ratio * k, 0, 0, this.ratio * k, this.ratio * tx, this.ratio * ty);
    const x0 = -tx / k;
    const y0 = -ty / k;
    const x1 = (this.width - tx) / k;
    const y1 = (this.height - ty) / k;
    const visible = this.visible;
    visible.length = 0;
    index.forEachNode(x0, y0, x1, y1, BADGE_REACH, (id) => visible.push(id));
    this.drawEdges(x0, y0, x1, y1, k);
    if (NODE_HEIGHT * k < BLOCK_HEIGHT) this.drawBlocks(k);
    else for (const id of visible) this.drawNode(id, k, k >= TEXT_SCALE);
    // Rings go on top of their node's box and under its badge (drawNode); far out, on top of everything.
    if (NODE_HEIGHT * k < BLOCK_HEIGHT) this.drawRings(-1, k);
  }

  /** Selection and keyboard focus rings: of node `id`, or of both nodes when `id` is -1. */
  private drawRings(id: number, k: number): void {
    const { selectedNode, focusNode } = this.decorations;
    const palette = this.palette!;
    const alpha = this.context.globalAlpha;
    this.context.globalAlpha = 1;
    // They stay a few screen pixels off and wide at any zoom, so the selection can be found from far out.
    if (selectedNode >= 0 && (id < 0 || id === selectedNode)) this.ring(selectedNode, palette.selection, Math.max(4, 4 / k), 2 / k, false);
    if (focusNode >= 0 && (id < 0 || id === focusNode) && this.element.matches(':focus-visible'))
      this.ring(focusNode, palette.focus, Math.max(7, 7 / k), 1.5 / k, true);
    this.context.globalAlpha = alpha;
  }

  private drawEdges(x0: number, y0: number, x1: number, y1: number, k: number): void {
    const { scene, index, palette, context: ctx } = this;
    const { layout, tree } = scene!;
    const centre = (id: number) => layout.y[id]! + layout.h[id]! / 2;
    // Far out, lines under a pixel long are left out: the short horizontal stretches, small parents' connectors.
    const stretches = (LEVEL_GAP.right / 2) * k >= 1;
    ctx.beginPath();
    index!.forEachParent(x0, y0, x1, y1, (p, depth, low, high) => {
      const mid = layout.trunks[depth]!;
      if ((high - low) * k >= 1) {
        ctx.moveTo(mid, Math.max(low, y0));
        ctx.lineTo(mid, Math.min(high, y1));
      }
      if (!stretches) return;
      const children = tree.nodes[p]!.children;
      const py = centre(p);
      ctx.moveTo(layout.x[p]! + layout.w[p]!, py);
      ctx.lineTo(mid, py);
      // Children are top to bottom: start at the first one in view.
      let lo = 0;
      let hi = children.length;
      while (lo < hi) {
        const m = (lo + hi) >>> 1;
        if (centre(children[m]!.id) < y0) lo = m + 1;
        else hi = m;
      }
      for (let i = lo; i < children.length; i++) {
        const c = children[i]!.id;
        const cy = centre(c);
        if (cy > y1) break;
        ctx.moveTo(mid, cy);
        ctx.lineTo(layout.x[c]!, cy);
      }
    });
    ctx.globalAlpha = this.decorations.matches ? FADED_ALPHA : 1;
    ctx.strokeStyle = palette!.lines;
    ctx.lineWidth = 1 / k;
    ctx.stroke();
    ctx.globalAlpha = 1;
  }

  /**
   * Far out: rectangles batched by colour, matches of a highlight last with an outline. Neighbours in a column of
   * one colour less than a pixel apart merge into one rectangle, so a fully zoomed-out 100k-node tree costs a few
   * thousand rectangles, not 100k.
   */
  private drawBlocks(k: number): void {
    const { scene, palette, context: ctx, decorations } = this;
    const { layout } = scene!;
    const { matches } = decorations;
    for (const pass of matches ? [false, true] : [true]) {
      for (const rects of this.blocks) rects.length = 0;
      let colour = -1;
      let x = NaN;
      let top = 0;
      let bottom = 0;
      let width = 0;
      const flush = () => {
        if (colour >= 0) this.blocks[colour]!.push(x, top, width, bottom - top);
      };
      for (const id of this.visible) {
        if (matches && !!matches[id] !== pass) continue;
        const c = this.blockColourOf[id]!;
        const y = layout.y[id]!;
        if (c === colour && layout.x[id] === x && (y - bottom) * k < 1) {
          bottom = Math.max(bottom, y + layout.h[id]!);
          width = Math.max(width, layout.w[id]!);
          continue;
        }
        flush();
        colour = c;
        x = layout.x[id]!;
        top = y;
        bottom = y + layout.h[id]!;
        width = layout.w[id]!;
      }
      flush();
      ctx.globalAlpha = pass ? 1 : FADED_ALPHA;
      this.blocks.forEach((rects, c) => {
        if (rects.length === 0) return;
        ctx.beginPath();
        for (let i = 0; i < rects.length; i += 4) ctx.rect(rects[i]!, rects[i + 1]!, rects[i + 2]!, rects[i + 3]!);
        ctx.fillStyle = this.blockColours[c]!;
        ctx.fill();
      });
      if (matches && pass) {
        const m = 2 / k;
        ctx.beginPath();
        for (const rects of this.blocks)
          for (let i = 0; i < rects.length; i += 4) ctx.rect(rects[i]! - m, rects[i + 1]! - m, rects[i + 2]! + 2 * m, rects[i + 3]! + 2 * m);
        ctx.strokeStyle = palette!.highlight;
        ctx.lineWidth = 1.5 / k;
        ctx.stroke();
      }
    }
    ctx.globalAlpha = 1;
  }

  private drawNode(id: number, k: number, withText: boolean): void {
    const { scene, palette, context: ctx, decorations } = this;
    const { layout, tree, facts } = scene!;
    const p = palette!;
    const node = tree.nodes[id]!;
    const x = layout.x[id]!;
    const y = layout.y[id]!;
    const w = layout.w[id]!;
    const h = layout.h[id]!;
    const matches = decorations.matches?.[id];
    ctx.globalAlpha = decorations.matches && !matches ? FADED_ALPHA : 1;
    const colour = node.kind === NodeKind.Stub ? p.muted : serviceColor(p, scene!.model.serviceOf[node.spans[0]!]!);
    const error = facts.errors[id]! > 0;
    ctx.lineWidth = 1 / k;
    if (node.kind === NodeKind.Group) {
      ctx.strokeStyle = colour;
      ctx.strokeRect(x + 4, y + 4, w, h);
    }
    ctx.fillStyle = p.background;
    ctx.fillRect(x, y, w, h);
    const alpha = ctx.globalAlpha;
    ctx.globalAlpha = alpha * TINT_ALPHA;
    ctx.fillStyle = colour;
    ctx.fillRect(x, y, w, h);
    ctx.globalAlpha = alpha;
    ctx.strokeStyle = error ? p.error : colour;
    ctx.lineWidth = (error ? 2 : 1) / k;
    if (node.kind === NodeKind.Stub) ctx.setLineDash([4, 3]);
    ctx.strokeRect(x, y, w, h);
    ctx.setLineDash([]);
    if (node.kind !== NodeKind.Stub) ctx.fillRect(x, y, SERVICE_BAR, h);
    if (matches) {
      ctx.strokeStyle = p.highlight;
      ctx.lineWidth = 2 / k;
      ctx.strokeRect(x - 2, y - 2, w + 4, h + 4);
    }
    if (withText) this.drawText(id, x, y, w, h, error);
    else this.drawStatusDot(id, x, y, w);
    this.drawRings(id, k);
    const badge = this.badge(id);
    if (badge) {
      ctx.fillStyle = p.background;
      ctx.strokeStyle = matches ? p.highlight : p.muted;
      ctx.lineWidth = 1 / k;
      ctx.beginPath();
      ctx.roundRect(x + badge.x, y + badge.y, badge.w, badge.h, badge.h / 2);
      ctx.fill();
      ctx.stroke();
      if (withText) {
        ctx.fillStyle = p.foreground;
        ctx.font = this.fonts().small;
        ctx.textAlign = 'center';
        ctx.fillText(badge.text, x + badge.x + badge.w / 2, y + badge.y + badge.h - 4);
      }
    }
    ctx.globalAlpha = 1;
  }

  private drawText(id: number, x: number, y: number, w: number, h: number, error: boolean): void {
    const { scene, palette, context: ctx } = this;
    const p = palette!;
    const node = scene!.tree.nodes[id]!;
    const fonts = this.fonts();
    const text = scene!.text(id);
    ctx.textAlign = 'left';
    if (node.kind === NodeKind.Stub) {
      ctx.font = fonts.small;
      ctx.fillStyle = p.muted;
      ctx.fillText(text.name, x + PAD, y + h / 2 + 4);
      const glyph = stubGlyph(scene!.facts, id, p);
      if (glyph) {
        ctx.font = fonts.name;
        ctx.textAlign = 'right';
        ctx.fillStyle = glyph.colour;
        ctx.fillText(glyph.text, x + w - PAD, y + h / 2 + 4);
      }
      return;
    }
    const left = x + PAD + SERVICE_BAR;
    const right = x + w - PAD;
    const fitted = this.fit(id, w);
    ctx.font = ICON_FONT;
    ctx.fillStyle = p.foreground;
    ctx.fillText(typeIcon(text.type)!.glyph, left, y + FIRST_LINE + 1);
    ctx.font = fonts.small;
    ctx.fillStyle = p.muted;
    ctx.fillText(fitted.service, left + ICON_ROOM, y + FIRST_LINE);
    ctx.textAlign = 'right';
    ctx.fillText(text.duration, right, y + FIRST_LINE);
    if (error) {
      ctx.fillStyle = p.error;
      ctx.fillText(`${ERROR_GLYPH} `, right - this.fits.small.width(text.duration), y + FIRST_LINE);
    }
    ctx.font = fonts.name;
    const mark = markGlyph(scene!.facts, id, p);
    if (mark) {
      ctx.fillStyle = mark.colour;
      ctx.fillText(mark.text, right, y + SECOND_LINE);
    }
    ctx.textAlign = 'left';
    ctx.fillStyle = p.foreground;
    ctx.fillText(fitted.name, left, y + SECOND_LINE);
  }

  /** Without text, the test's verdict is a dot in the top right corner. */
  private drawStatusDot(id: number, x: number, y: number, w: number): void {
    const { scene, palette, context: ctx } = this;
    const mark = markGlyph(scene!.facts, id, palette!) ?? stubGlyph(scene!.facts, id, palette!);
    if (!mark) return;
    ctx.fillStyle = mark.colour;
    ctx.fillRect(x + w - 14, y + 6, 8, 8);
  }

  private ring(id: number, colour: string, offset: number, width: number, dashed: boolean): void {
    const { layout } = this.scene!;
    const ctx = this.context;
    ctx.strokeStyle = colour;
    ctx.lineWidth = width;
    ctx.setLineDash(dashed ? [4 * width, 2 * width] : []);
    ctx.strokeRect(layout.x[id]! - offset, layout.y[id]! - offset, layout.w[id]! + 2 * offset, layout.h[id]! + 2 * offset);
    ctx.setLineDash([]);
  }

  private badge(id: number): { x: number; y: number; w: number; h: number; text: string } | undefined {
    const { scene, decorations } = this;
    const text = badgeText(scene!.tree.nodes[id]!, decorations.matches?.[id], decorations.selectedSpan);
    if (!text) return undefined;
    return { ...badgeBox(scene!.layout.w[id]!, this.fits.small.width(text)), text };
  }

  /** The service and name cut to the node's width, once per node. */
  private fit(id: number, w: number): FittedText {
    let fitted = this.fitted[id];
    if (!fitted) {
      const { scene } = this;
      const text = scene!.text(id);
      const facts = scene!.facts;
      const inner = w - 2 * PAD - SERVICE_BAR;
      const duration = this.fits.small.width(facts.errors[id]! > 0 ? `${ERROR_GLYPH} ${text.duration}` : text.duration);
      const mark = markGlyph(facts, id, this.palette!);
      fitted = {
        service: this.fits.small.fit(text.service, inner - ICON_ROOM - duration - GAP),
        name: this.fits.name.fit(text.name, inner - (mark ? this.fits.name.width(mark.text) + GAP : 0)),
      };
      this.fitted[id] = fitted;
    }
    return fitted;
  }

  private fonts(): { name: string; small: string } {
    return { name: this.fits.name.font, small: this.fits.small.font };
  }
}
