// One row element of the timeline, recycled as the view scrolls: it shows whichever span it is given at whichever
// row position. What a span looks like is written only when the row gets a different span (or the model, palette or
// critical path changed); selection, highlight and expansion are cheap state updated on every render.
import { formatMs, isErrorSpan, TestMark, type PanelModel } from '../../model';
import { serviceColor, type Palette } from '../../theme';
import type { Highlight } from '../span-view';
import type { CriticalOverlay } from './critical-overlay';
import type { VisibleRows } from './visible-rows';

export interface RowContext {
  model: PanelModel;
  palette: Palette;
  rows: VisibleRows;
  /** Per span index: 1-based position among its siblings (for aria-posinset: most rows are not in the DOM). */
  positionInParent: Uint32Array;
  selected: number | undefined;
  highlight: Highlight;
  critical: CriticalOverlay | undefined;
  /** Changes whenever what rows show for a span changes (model, palette, critical path on or off). */
  generation: number;
  rowHeight: number;
  /** Width of the bars' track in pixels (a duration is written where it fits). */
  trackPx: number;
  /** Makes row ids unique in the document, for aria-activedescendant. */
  idPrefix: string;
}

const MARKS: Record<Exclude<TestMark, TestMark.None>, { name: string; glyph: string; title: string }> = {
  [TestMark.Passed]: { name: 'passed', glyph: '✓', title: 'Assertions passed' },
  [TestMark.Failed]: { name: 'failed', glyph: '✗', title: 'An assertion failed' },
  [TestMark.Errored]: { name: 'errored', glyph: '!', title: 'An assertion could not be checked' },
};

/** Width of a duration label per character, and its padding, in pixels (an estimate: measuring every row costs). */
const DURATION_CHAR_PX = 7;
const DURATION_PAD_PX = 8;

const enum Emphasis {
  None,
  Match,
  Faded,
}

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, className: string, parent: HTMLElement): HTMLElementTagNameMap[K] => {
  const e = document.createElement(tag);
  e.className = className;
  parent.append(e);
  return e;
};

export class TimelineRow {
  readonly element = document.createElement('div');
  /** Span shown, -1 before the first render and while parked. */
  private span = -1;
  private parked = false;
  private generation = -1;
  private row = -1;
  private expanded: boolean | undefined;
  private selected = false;
  private emphasis = Emphasis.None;
  private readonly label: HTMLElement;
  private readonly swatch: HTMLElement;
  private readonly service: HTMLElement;
  private readonly name: HTMLElement;
  private readonly mark: HTMLElement;
  private readonly track: HTMLElement;
  private readonly bar: HTMLElement;
  private readonly duration: HTMLElement;
  private readonly stripes: HTMLElement[] = [];

  constructor() {
    const row = this.element;
    row.className = 'tl-row';
    row.setAttribute('role', 'treeitem');
    row.setAttribute('aria-selected', 'false');
    this.label = el('div', 'tl-label', row);
    el('span', 'tl-twisty', this.label).setAttribute('aria-hidden', 'true');
    this.swatch = el('span', 'tl-swatch', this.label);
    this.service = el('span', 'tl-service', this.label);
    this.name = el('span', 'tl-name', this.label);
    this.mark = el('span', 'tl-mark', this.label);
    this.track = el('div', 'tl-track', row);
    this.bar = el('div', 'tl-bar', this.track);
    this.duration = el('span', 'tl-duration', this.track);
  }

  render(ctx: RowContext, span: number, row: number): void {
    if (this.parked) {
      this.parked = false;
      this.element.hidden = false;
    }
    if (span !== this.span || ctx.generation !== this.generation) {
      this.span = span;
      this.generation = ctx.generation;
      this.show(ctx, span);
    }
    if (row !== this.row) {
      this.row = row;
      this.element.style.transform = `translateY(${row * ctx.rowHeight}px)`;
    }
    const expanded = ctx.rows.hasChildren(span) ? !ctx.rows.isCollapsed(span) : undefined;
    if (expanded !== this.expanded) {
      this.expanded = expanded;
      // Leaves have no aria-expanded at all (WAI-ARIA tree pattern).
      if (expanded === undefined) this.element.removeAttribute('aria-expanded');
      else this.element.setAttribute('aria-expanded', String(expanded));
    }
    const selected = span === ctx.selected;
    if (selected !== this.selected) {
      this.selected = selected;
      this.element.setAttribute('aria-selected', String(selected));
      this.element.classList.toggle('is-selected', selected);
    }
    const emphasis = ctx.highlight === undefined ? Emphasis.None : ctx.highlight[span] === 1 ? Emphasis.Match : Emphasis.Faded;
    if (emphasis !== this.emphasis) {
      this.emphasis = emphasis;
      this.element.classList.toggle('is-match', emphasis === Emphasis.Match);
      this.element.classList.toggle('is-faded', emphasis === Emphasis.Faded);
    }
  }

  /** Hides an unused row; it gives up its span's id and data-span-id so no two rows ever claim one span. */
  park(): void {
    if (this.parked) return;
    this.parked = true;
    this.span = -1;
    this.row = -1;
    const row = this.element;
    row.hidden = true;
    row.removeAttribute('id');
    delete row.dataset.spanId;
  }

  /** Writes everything that depends only on the span (and the model, palette and critical path). */
  private show(ctx: RowContext, i: number): void {
    const { model } = ctx;
    const span = model.trace.spans[i]!;
    const row = this.element;
    row.dataset.spanId = span.id;
    row.id = `${ctx.idPrefix}-${span.id}`;
    row.setAttribute('aria-level', String(span.depth + 1));
    row.setAttribute('aria-setsize', String(span.parent ? span.parent.children.length : 1));
    row.setAttribute('aria-posinset', String(ctx.positionInParent[i]));
    this.label.style.setProperty('--tl-depth', String(span.depth));

    const service = model.services[model.serviceOf[i]!]!;
    const color = serviceColor(ctx.palette, model.serviceOf[i]!);
    this.swatch.style.backgroundColor = color;
    this.bar.style.backgroundColor = color;
    this.service.textContent = service;
    this.name.textContent = span.name;

    const error = isErrorSpan(span);
    row.classList.toggle('is-error', error);
    const mark = model.marks[i] as TestMark;
    const markInfo = mark === TestMark.None ? undefined : MARKS[mark];
    this.mark.textContent = markInfo?.glyph ?? '';
    if (markInfo) {
      this.mark.dataset.mark = markInfo.name;
      this.mark.title = markInfo.title;
    } else {
      delete this.mark.dataset.mark;
      this.mark.removeAttribute('title');
    }

    const startMs = model.startMs[i]!;
    const endMs = model.endMs[i]!;
    const durationText = formatMs(endMs - startMs);
    this.placeBar(startMs, endMs, model.totalMs, durationText, ctx.trackPx);
    this.showCritical(ctx.critical, i, model.totalMs);

    const notes = [error ? 'error' : '', markInfo?.title.toLowerCase() ?? ''].filter((n) => n !== '');
    row.setAttribute('aria-label', [span.name, service, durationText, ...notes].join(', '));
    this.label.title = `${service}: ${span.name} (${durationText})`;
  }

  private placeBar(startMs: number, endMs: number, totalMs: number, durationText: string, trackPx: number): void {
    const scale = totalMs > 0 ? 100 / totalMs : 0;
    const left = startMs * scale;
    const right = endMs * scale;
    this.bar.style.left = `${left}%`;
    this.bar.style.width = `${right - left}%`;
    const d = this.duration;
    d.textContent = durationText;
    // The duration goes on the side of the bar with more room, or inside the bar when only the bar has room for it.
    const before = left / 100;
    const after = 1 - right / 100;
    const need = durationText.length * DURATION_CHAR_PX + DURATION_PAD_PX;
    const outsidePx = Math.max(before, after) * trackPx;
    const inside = outsidePx < need && ((right - left) / 100) * trackPx > outsidePx;
    d.classList.toggle('is-inside', inside);
    if (inside || before > after) {
      d.style.left = '';
      d.style.right = `${100 - (inside ? right : left)}%`;
    } else {
      d.style.right = '';
      d.style.left = `${right}%`;
    }
  }

  private showCritical(critical: CriticalOverlay | undefined, i: number, totalMs: number): void {
    const onPath = critical !== undefined && critical.onPath[i] === 1;
    if (onPath) this.element.dataset.critical = '';
    else delete this.element.dataset.critical;
    const stretches = onPath ? (critical.stretches.get(i) ?? []) : [];
    const scale = totalMs > 0 ? 100 / totalMs : 0;
    const count = stretches.length / 2;
    for (let k = 0; k < count; k++) {
      let stripe = this.stripes[k];
      if (!stripe) {
        stripe = el('div', 'tl-stripe', this.track);
        this.stripes.push(stripe);
      }
      stripe.hidden = false;
      stripe.style.left = `${stretches[2 * k]! * scale}%`;
      stripe.style.width = `${(stretches[2 * k + 1]! - stretches[2 * k]!) * scale}%`;
    }
    for (let k = count; k < this.stripes.length; k++) this.stripes[k]!.hidden = true;
  }
}
