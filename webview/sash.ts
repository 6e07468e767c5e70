// A divider the user drags to share space between two parts of the panel (VS Code calls it a sash): pointer drag,
// arrow keys when focused (Shift for bigger steps), double-click back to the default size. It only measures and
// reports; its owner applies the size (a CSS variable) and saves it.

export type SashAxis = 'x' | 'y';

export interface SashOwner {
  /** Which way the sash moves now (a layout may turn from side by side to stacked). */
  axis(): SashAxis;
  /** +1 if moving the sash right (or down) grows the size, -1 if it shrinks it. */
  grows(): 1 | -1;
  /** The size the sash controls now, in pixels. */
  size(): number;
  limits(): { min: number; max: number };
  /** A new size, already within the limits: apply it. */
  resize(size: number): void;
  /** Double-click: back to the default size. */
  reset(): void;
  /** A drag or a key press ended: save. */
  settled(): void;
}

const STEP = 10;
const BIG_STEP = 50;

export class Sash {
  readonly element = document.createElement('div');
  private drag: { pointer: number; start: number; size: number } | undefined;

  constructor(
    label: string,
    private readonly owner: SashOwner,
  ) {
    this.element.className = 'sash';
    this.element.tabIndex = 0;
    this.element.setAttribute('role', 'separator');
    this.element.setAttribute('aria-label', label);
    this.element.addEventListener('pointerdown', this.onPointerDown);
    this.element.addEventListener('pointermove', this.onPointerMove);
    this.element.addEventListener('pointerup', this.onPointerEnd);
    this.element.addEventListener('pointercancel', this.onPointerEnd);
    this.element.addEventListener('dblclick', () => {
      this.owner.reset();
      this.owner.settled();
      this.update();
    });
    this.element.addEventListener('keydown', this.onKeyDown);
    this.element.addEventListener('focus', () => this.update());
    this.update();
  }

  /** Brings the orientation and the ARIA values up to date (after a layout change). */
  update(): void {
    const axis = this.owner.axis();
    // A separator's orientation is that of the line: a sash moving along x is a vertical line.
    this.element.setAttribute('aria-orientation', axis === 'x' ? 'vertical' : 'horizontal');
    this.element.dataset.axis = axis;
    const { min, max } = this.owner.limits();
    this.element.setAttribute('aria-valuemin', String(Math.round(min)));
    this.element.setAttribute('aria-valuemax', String(Math.round(max)));
    this.element.setAttribute('aria-valuenow', String(Math.round(this.owner.size())));
  }

  private apply(size: number): void {
    const { min, max } = this.owner.limits();
    this.owner.resize(Math.round(Math.min(Math.max(size, min), Math.max(min, max))));
    this.update();
  }

  private position(event: PointerEvent): number {
    return this.owner.axis() === 'x' ? event.clientX : event.clientY;
  }

  private readonly onPointerDown = (event: PointerEvent): void => {
    if (event.button !== 0) return;
    event.preventDefault();
    this.element.setPointerCapture(event.pointerId);
    this.drag = { pointer: event.pointerId, start: this.position(event), size: this.owner.size() };
    this.element.classList.add('is-active');
    document.body.classList.add(this.owner.axis() === 'x' ? 'is-resizing-x' : 'is-resizing-y');
  };

  private readonly onPointerMove = (event: PointerEvent): void => {
    if (!this.drag || event.pointerId !== this.drag.pointer) return;
    this.apply(this.drag.size + this.owner.grows() * (this.position(event) - this.drag.start));
  };

  private readonly onPointerEnd = (event: PointerEvent): void => {
    if (!this.drag || event.pointerId !== this.drag.pointer) return;
    this.drag = undefined;
    this.element.classList.remove('is-active');
    document.body.classList.remove('is-resizing-x', 'is-resizing-y');
    this.owner.settled();
  };

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    const axis = this.owner.axis();
    const back = axis === 'x' ? 'ArrowLeft' : 'ArrowUp';
    const forward = axis === 'x' ? 'ArrowRight' : 'ArrowDown';
    if (event.key !== back && event.key !== forward) return;
    event.preventDefault();
    const step = (event.shiftKey ? BIG_STEP : STEP) * (event.key === forward ? 1 : -1);
    this.apply(this.owner.size() + this.owner.grows() * step);
    this.owner.settled();
  };
}
