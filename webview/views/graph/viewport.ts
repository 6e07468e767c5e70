// Pan and zoom (d3-zoom) over whatever renders the graph. A plain wheel or two-finger scroll pans, as in an
// editor; Ctrl/Cmd + wheel and pinch zoom. Moves made by the view (fit, reveal) are brief tweens, and the app hears
// about a change once, when it settles.
import { select, type Selection } from 'd3-selection';
import { zoom, zoomIdentity, zoomTransform, type D3ZoomEvent, type ZoomBehavior, type ZoomTransform } from 'd3-zoom';

export interface ZoomState {
  k: number;
  x: number;
  y: number;
}

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

interface Bounds {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Where a graph too big to fit opens: the graph point `point` at the middle of the view's left side or top. */
export interface Start {
  point: [number, number];
  side: 'left' | 'top';
}

/** The size of what stands over the view's bottom right corner (the zoom buttons), in CSS pixels. */
export type Corner = () => { width: number; height: number };

const MAX_SCALE = 4;
const FIT_PADDING = 24;
const TWEEN_MS = 220;
/** Pixels per line for wheel events that count lines (Firefox, some mice). */
const LINE_PIXELS = 16;

export class Viewport {
  private readonly behavior: ZoomBehavior<HTMLElement, unknown>;
  private readonly selection: Selection<HTMLElement, unknown, null, undefined>;
  private tween = 0;
  private tweening = false;
  /** Where the running tween is going: presses made during one build on it. */
  private target: ZoomTransform | undefined;

  constructor(
    private readonly element: HTMLElement,
    changed: (transform: ZoomTransform) => void,
    settled: () => void,
    private readonly corner: Corner = () => ({ width: 0, height: 0 }),
  ) {
    this.behavior = zoom<HTMLElement, unknown>()
      .scaleExtent([0.1, MAX_SCALE])
      // The wheel pans (below) unless Ctrl/Cmd is held; a pinch arrives as a wheel event with ctrlKey.
      .filter((event: Event) =>
        event.type === 'wheel'
          ? (event as WheelEvent).ctrlKey || (event as WheelEvent).metaKey
          : !(event as MouseEvent).ctrlKey && !(event as MouseEvent).button,
      )
      .on('zoom', (event: D3ZoomEvent<HTMLElement, unknown>) => changed(event.transform))
      .on('end', () => {
        if (!this.tweening) settled();
      });
    this.selection = select(element);
    this.selection.call(this.behavior).on('dblclick.zoom', null);
    element.addEventListener('wheel', (event) => this.wheel(event), { passive: false });
  }

  get transform(): ZoomTransform {
    return zoomTransform(this.element);
  }

  get width(): number {
    return this.element.clientWidth;
  }

  get height(): number {
    return this.element.clientHeight;
  }

  /** Zooming out stops a little past the whole graph (at the view's current size). */
  setBounds(bounds: Bounds): void {
    const fit = this.fitScale(bounds);
    this.behavior.scaleExtent([Math.min(0.1, fit / 2), MAX_SCALE]);
  }

  set(state: ZoomState, animate = false): void {
    const target = zoomIdentity.translate(state.x, state.y).scale(state.k);
    if (!animate || matchMedia('(prefers-reduced-motion: reduce)').matches) {
      this.stopTween();
      this.behavior.transform(this.selection, target);
      return;
    }
    const from = this.transform;
    const start = performance.now();
    this.stopTween();
    this.tweening = true;
    this.target = target;
    const step = (now: number) => {
      const t = Math.min(1, (now - start) / TWEEN_MS);
      const e = t * (2 - t);
      const k = from.k * Math.pow(target.k / from.k, e);
      this.tweening = t < 1;
      this.behavior.transform(this.selection, zoomIdentity.translate(from.x + (target.x - from.x) * e, from.y + (target.y - from.y) * e).scale(k));
      this.tween = t < 1 ? requestAnimationFrame(step) : 0;
    };
    this.tween = requestAnimationFrame(step);
  }

  /**
   * The whole graph in view, at most at zoom 1, clear of the corner's buttons (beside or above them, whichever
   * leaves it bigger). A graph that would have to shrink below `minScale` is shown at that scale instead (text too
   * small to read says nothing), from its `start`, moved no more than needed to bring the `focus` rectangle into view.
   */
  fit(bounds: Bounds, minScale: number, start: Start, animate = false, focus?: Rect): void {
    const area = this.fitArea(bounds);
    if (area.k < minScale) {
      const [sx, sy] = start.point;
      const target =
        start.side === 'left'
          ? { k: minScale, x: FIT_PADDING - sx * minScale, y: this.height / 2 - sy * minScale }
          : { k: minScale, x: this.width / 2 - sx * minScale, y: FIT_PADDING - sy * minScale };
      if (focus) {
        target.x += this.shiftInto(target.x + focus.x * minScale, focus.w * minScale, this.width);
        target.y += this.shiftInto(target.y + focus.y * minScale, focus.h * minScale, this.height);
      }
      this.set(target, animate);
      return;
    }
    const { k } = area;
    const cx = (bounds.x0 + bounds.x1) / 2;
    const cy = (bounds.y0 + bounds.y1) / 2;
    this.set({ k, x: area.x + area.w / 2 - cx * k, y: area.y + area.h / 2 - cy * k }, animate);
  }

  /** Zooms about the middle of the view (the zoom buttons and keys), within the zoom limits. */
  zoomBy(factor: number): void {
    const t = this.tweening && this.target ? this.target : this.transform;
    const [min, max] = this.behavior.scaleExtent();
    const k = Math.min(max, Math.max(min, t.k * factor));
    const [cx, cy] = [this.width / 2, this.height / 2];
    this.set({ k, x: cx - ((cx - t.x) / t.k) * k, y: cy - ((cy - t.y) / t.k) * k }, true);
  }

  /** Puts the graph point (x, y) at the centre, zoomed in to at least `minScale`. */
  centreOn(x: number, y: number, minScale: number, animate: boolean): void {
    const k = Math.max(this.transform.k, minScale);
    this.set({ k, x: this.width / 2 - x * k, y: this.height / 2 - y * k }, animate);
  }

  /** Pans the least needed to bring the graph rectangle into view (its start first if it is bigger than the view). */
  scrollIntoView(x: number, y: number, w: number, h: number): void {
    const t = this.transform;
    const dx = this.shiftInto(t.applyX(x), w * t.k, this.width);
    const dy = this.shiftInto(t.applyY(y), h * t.k, this.height);
    if (dx !== 0 || dy !== 0) this.set({ k: t.k, x: t.x + dx, y: t.y + dy }, true);
  }

  /** How far to move a screen segment [start, start + size] so it lies within the padded view of this length. */
  private shiftInto(start: number, size: number, length: number): number {
    if (start < FIT_PADDING) return FIT_PADDING - start;
    const end = start + size;
    if (end > length - FIT_PADDING) return Math.max(length - FIT_PADDING - end, FIT_PADDING - start);
    return 0;
  }

  destroy(): void {
    this.stopTween();
    this.selection.on('.zoom', null);
  }

  private fitScale(bounds: Bounds, width = this.width - 2 * FIT_PADDING, height = this.height - 2 * FIT_PADDING): number {
    const w = Math.max(1, bounds.x1 - bounds.x0);
    const h = Math.max(1, bounds.y1 - bounds.y0);
    return Math.max(1e-4, Math.min(1, width / w, height / h));
  }

  /** The zoom `fit` would show the whole graph at. */
  fitZoom(bounds: Bounds): number {
    return this.fitArea(bounds).k;
  }

  /** The padded part of the view left of the corner or above it that shows the graph bigger, and that scale. */
  private fitArea(bounds: Bounds): { x: number; y: number; w: number; h: number; k: number } {
    const corner = this.corner();
    const full = { w: this.width - 2 * FIT_PADDING, h: this.height - 2 * FIT_PADDING };
    const beside = { w: Math.max(1, this.width - FIT_PADDING - Math.max(FIT_PADDING, corner.width)), h: full.h };
    const above = { w: full.w, h: Math.max(1, this.height - FIT_PADDING - Math.max(FIT_PADDING, corner.height)) };
    const [kBeside, kAbove] = [this.fitScale(bounds, beside.w, beside.h), this.fitScale(bounds, above.w, above.h)];
    const area = kBeside >= kAbove ? { ...beside, k: kBeside } : { ...above, k: kAbove };
    return { x: FIT_PADDING, y: FIT_PADDING, ...area };
  }

  private wheel(event: WheelEvent): void {
    if (event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    const scale = event.deltaMode === WheelEvent.DOM_DELTA_LINE ? LINE_PIXELS : event.deltaMode === WheelEvent.DOM_DELTA_PAGE ? this.height : 1;
    // Shift + wheel scrolls sideways on mice without a horizontal wheel.
    const dx = (event.shiftKey && event.deltaX === 0 ? event.deltaY : event.deltaX) * scale;
    const dy = (event.shiftKey && event.deltaX === 0 ? 0 : event.deltaY) * scale;
    const t = this.transform;
    this.stopTween();
    this.behavior.translateBy(this.selection, -dx / t.k, -dy / t.k);
  }

  private stopTween(): void {
    if (this.tween) cancelAnimationFrame(this.tween);
    this.tween = 0;
    this.tweening = false;
    this.target = undefined;
  }
}
