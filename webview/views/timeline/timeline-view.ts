// The timeline (waterfall) view: one row per span in span order, indented by depth, with a bar on the trace's time
// axis. Virtualized: one tall spacer gives the scrollbar its range and only the rows in view (plus an overscan)
// exist, recycled and moved with transforms, so a 100k-span trace scrolls like a 100-span one. The tree is one
// focusable element whose selected row is its aria-activedescendant.
import type { PanelModel } from '../../model';
import { readPalette, type Palette } from '../../theme';
import { Sash } from '../../sash';
import type { Highlight, SpanView, SpanViewHost } from '../span-view';
import { criticalOverlay, type CriticalOverlay } from './critical-overlay';
import { treeCommand, type TreeCommand } from './navigation';
import { TimelineRow, type RowContext } from './row';
import { renderRuler, tickCount } from './ruler';
import { VisibleRows } from './visible-rows';

const ROW_HEIGHT = 22;
/** Share of the width given to the service and span names by default; the bars get the rest. */
const LABEL_SHARE = 0.4;
/** What dragging the divider leaves to the names and to the bars at least, in pixels. */
const MIN_LABEL_PX = 120;
const MIN_TRACK_PX = 120;
/** Rows rendered beyond each edge of the view, so a fast scroll does not show empty space. */
const OVERSCAN = 8;
/** The app hears about scrolling this long after it stops. */
const SCROLL_SETTLE_MS = 150;

let instances = 0;

type PendingScroll = { kind: 'centre'; span: number } | { kind: 'top'; top: number };

export class TimelineView implements SpanView {
  readonly element = document.createElement('div');
  private readonly ruler = document.createElement('div');
  private readonly tree = document.createElement('div');
  private readonly spacer = document.createElement('div');
  private readonly idPrefix = `tl${++instances}`;
  private readonly resizeObserver: ResizeObserver;

  private model: PanelModel | undefined;
  private rows: VisibleRows | undefined;
  private positionInParent = new Uint32Array(0);
  private palette: Palette;
  private selected: number | undefined;
  private highlight: Highlight;
  private criticalPathOn = false;
  private critical: CriticalOverlay | undefined;
  private generation = 0;

  /**
   * Rows showing a span, by span index. The others wait in `free`, parked (hidden) but still attached: a reused row
   * only changes its text and a few inline styles, which costs far less style work than inserting a detached one.
   */
  private readonly rendered = new Map<number, TimelineRow>();
  private readonly free: TimelineRow[] = [];
  private viewportHeight = 0;
  private intervals = 0;
  /** A reveal or restore asked for while the view had no size (hidden): done when it gets one. */
  private pending: PendingScroll | undefined;
  private settleTimer: ReturnType<typeof setTimeout> | undefined;
  private labelShare = LABEL_SHARE;
  /** The names' column in pixels, as laid out (0 while the view has no size). */
  private labelPx = 0;
  private trackPx = 0;
  private readonly sash: Sash;

  constructor(
    private readonly host: SpanViewHost,
    palette: Palette = readPalette(),
  ) {
    this.palette = palette;
    this.element.className = 'tl';
    this.element.style.setProperty('--tl-row-height', `${ROW_HEIGHT}px`);
    this.element.style.setProperty('--tl-label-width', `${LABEL_SHARE * 100}%`);

    const header = document.createElement('div');
    header.className = 'tl-header';
    header.setAttribute('aria-hidden', 'true');
    const heading = document.createElement('div');
    heading.className = 'tl-heading';
    heading.textContent = 'Service & span';
    this.ruler.className = 'tl-ruler';
    header.append(heading, this.ruler);

    this.tree.className = 'tl-tree';
    this.tree.tabIndex = 0;
    this.tree.setAttribute('role', 'tree');
    this.tree.setAttribute('aria-label', 'Spans of the trace by start time');
    this.spacer.className = 'tl-spacer';
    this.tree.append(this.spacer);
    this.sash = new Sash('Width of the span names', {
      axis: () => 'x',
      grows: () => 1,
      size: () => this.labelPx,
      limits: () => ({ min: MIN_LABEL_PX, max: this.spacer.clientWidth - MIN_TRACK_PX }),
      resize: (px) => this.setLabelShare(px / Math.max(1, this.spacer.clientWidth)),
      reset: () => this.setLabelShare(LABEL_SHARE),
      settled: () => this.host.viewStateChanged(),
    });
    this.element.append(header, this.tree, this.sash.element);

    this.tree.addEventListener('scroll', this.onScroll, { passive: true });
    this.tree.addEventListener('click', this.onClick);
    this.tree.addEventListener('keydown', this.onKeyDown);
    this.resizeObserver = new ResizeObserver(() => this.layout());
    this.resizeObserver.observe(this.tree);
  }

  setModel(model: PanelModel): void {
    this.free.push(...this.rendered.values());
    this.rendered.clear();
    this.model = model;
    this.rows = new VisibleRows(model.trace);
    this.positionInParent = new Uint32Array(model.trace.spans.length);
    for (const span of model.trace.spans) span.children.forEach((child, k) => (this.positionInParent[child.index] = k + 1));
    if (model.trace.spans.length > 0) this.positionInParent[0] = 1;
    this.selected = undefined;
    this.highlight = undefined;
    this.critical = this.criticalPathOn ? criticalOverlay(model) : undefined;
    this.pending = undefined;
    this.generation++;
    this.intervals = 0;
    this.updateSpacer();
    this.tree.scrollTop = 0;
    this.layout();
  }

  setResults(model: PanelModel): void {
    this.model = model;
    this.generation++;
    this.render();
  }

  setHighlight(highlight: Highlight): void {
    this.highlight = highlight;
    this.render();
  }

  setSelected(spanIndex: number | undefined, reveal: boolean): void {
    this.selected = spanIndex;
    if (reveal && spanIndex !== undefined && this.rows) {
      if (this.rows.expandAncestors(spanIndex)) this.rowsChanged();
      this.scrollTo({ kind: 'centre', span: spanIndex });
    }
    this.render();
  }

  setPalette(palette: Palette): void {
    this.palette = palette;
    this.generation++;
    this.render();
  }

  shown(): void {
    this.layout();
  }

  destroy(): void {
    this.resizeObserver.disconnect();
    clearTimeout(this.settleTimer);
    this.tree.removeEventListener('scroll', this.onScroll);
    this.tree.removeEventListener('click', this.onClick);
    this.tree.removeEventListener('keydown', this.onKeyDown);
    this.element.remove();
  }

  /**
   * Shows the critical path: rows on it get `data-critical`, the stretches of their bars on it are underlined and
   * the other bars fade.
   */
  setCriticalPath(on: boolean): void {
    if (on === this.criticalPathOn) return;
    this.criticalPathOn = on;
    this.element.classList.toggle('is-critical-path', on);
    this.critical = on && this.model ? criticalOverlay(this.model) : undefined;
    this.generation++;
    this.render();
  }

  /** Scroll position in pixels (what the app saves to restore the view). */
  scrollTop(): number {
    return Math.round(this.tree.scrollTop);
  }

  /** Restores a scroll position from `scrollTop()`; kept until the view has a size if it is hidden. */
  setScrollTop(top: number): void {
    this.scrollTo({ kind: 'top', top });
  }

  /** Share of the width the names' column has (what the app saves). */
  labelWidthShare(): number {
    return this.labelShare;
  }

  /** Gives the names this share of the width (within limits that leave room for both columns). */
  setLabelShare(share: number): void {
    this.labelShare = Math.min(0.9, Math.max(0.05, share));
    this.layout();
  }

  /** Ids of the collapsed spans. */
  collapsedSpans(): string[] {
    return this.rows?.collapsedIds() ?? [];
  }

  /** Collapses exactly these spans (unknown ids are ignored). */
  setCollapsedSpans(ids: Iterable<string>): void {
    if (!this.rows) return;
    this.rows.setCollapsedIds(ids);
    this.rowsChanged();
  }

  private readonly onScroll = (): void => {
    this.render();
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => this.host.viewStateChanged(), SCROLL_SETTLE_MS);
  };

  private readonly onClick = (event: MouseEvent): void => {
    const target = event.target as Element;
    const rowElement = target.closest<HTMLElement>('.tl-row');
    const span = rowElement?.dataset.spanId ? this.model?.trace.byId.get(rowElement.dataset.spanId) : undefined;
    if (!span) return;
    if (target.closest('.tl-twisty') && this.rows?.hasChildren(span.index)) this.toggle(span.index);
    else this.selectByUser(span.index);
  };

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    const rows = this.rows;
    if (!this.model || !rows || rows.count === 0 || event.altKey || event.ctrlKey || event.metaKey) return;
    const command = treeCommand(event.key, {
      trace: this.model.trace,
      rows,
      current: this.selected === undefined ? undefined : rows.visibleSpan(this.selected),
      firstRowInView: Math.min(rows.count - 1, Math.ceil(this.tree.scrollTop / ROW_HEIGHT)),
      pageRows: Math.max(1, Math.floor(this.viewportHeight / ROW_HEIGHT) - 1),
    });
    if (!command) return;
    event.preventDefault();
    this.run(command, event.key === 'Enter' || event.key === ' ');
  };

  private run(command: TreeCommand, reselect: boolean): void {
    switch (command.kind) {
      case 'select':
        if (reselect || command.span !== this.selected) this.selectByUser(command.span);
        return;
      case 'expand':
      case 'collapse':
        this.toggle(command.span);
        return;
    }
  }

  private selectByUser(span: number): void {
    this.selected = span;
    this.scrollRowIntoView(span);
    this.render();
    this.host.select(span);
  }

  private toggle(span: number): void {
    if (!this.rows || !this.rows.setCollapsed(span, !this.rows.isCollapsed(span))) return;
    this.rowsChanged();
    this.host.viewStateChanged();
  }

  /** After a collapse or expand: new scroll range, rows moved. */
  private rowsChanged(): void {
    this.updateSpacer();
    this.render();
  }

  private updateSpacer(): void {
    this.spacer.style.height = `${(this.rows?.count ?? 0) * ROW_HEIGHT}px`;
  }

  /**
   * Reads the size the view got and sizes the names' column (in pixels, so the divider sits exactly on it);
   * re-draws the ruler if the track width asks for another tick count.
   */
  private layout(): void {
    this.viewportHeight = this.tree.clientHeight;
    const width = this.spacer.clientWidth;
    if (width > 0) {
      this.labelPx = Math.round(Math.max(Math.min(this.labelShare * width, width - MIN_TRACK_PX), Math.min(MIN_LABEL_PX, width / 2)));
      this.element.style.setProperty('--tl-label-width', `${this.labelPx}px`);
      this.sash.update();
      if (width - this.labelPx !== this.trackPx) {
        // Where durations fit depends on the track's width: rows in view place them again.
        this.trackPx = width - this.labelPx;
        this.generation++;
      }
    }
    if (this.model) {
      const intervals = tickCount(width - this.labelPx);
      if (intervals !== this.intervals) {
        this.intervals = intervals;
        this.element.style.setProperty('--tl-ticks', String(intervals));
        renderRuler(this.ruler, this.model.totalMs, intervals);
      }
    }
    if (this.pending && this.viewportHeight > 0) {
      const pending = this.pending;
      this.pending = undefined;
      this.scrollTo(pending);
    }
    this.render();
  }

  private scrollTo(target: PendingScroll): void {
    if (!this.rows) return;
    // Measured now: the view may have been hidden since the last resize callback.
    this.viewportHeight = this.tree.clientHeight;
    if (this.viewportHeight === 0) {
      this.pending = target;
      return;
    }
    if (target.kind === 'top') {
      this.tree.scrollTop = target.top;
    } else {
      const y = this.rows.rowOf(this.rows.visibleSpan(target.span)) * ROW_HEIGHT;
      if (!this.rowFullyInView(y)) this.tree.scrollTop = y - (this.viewportHeight - ROW_HEIGHT) / 2;
    }
    this.render();
  }

  /** Scrolls as little as needed to show the row (keyboard and click: the view must not jump). */
  private scrollRowIntoView(span: number): void {
    if (!this.rows || this.viewportHeight === 0) return;
    const y = this.rows.rowOf(this.rows.visibleSpan(span)) * ROW_HEIGHT;
    const top = this.tree.scrollTop;
    if (y < top) this.tree.scrollTop = y;
    else if (y + ROW_HEIGHT > top + this.viewportHeight) this.tree.scrollTop = y + ROW_HEIGHT - this.viewportHeight;
  }

  private rowFullyInView(y: number): boolean {
    const top = this.tree.scrollTop;
    return y >= top && y + ROW_HEIGHT <= top + this.viewportHeight;
  }

  /** Puts the rows in view (and the overscan) in the DOM, recycling the rows that left it. */
  private render(): void {
    const { model, rows } = this;
    if (!model || !rows || this.viewportHeight === 0) return;
    const top = this.tree.scrollTop;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(rows.count - 1, Math.ceil((top + this.viewportHeight) / ROW_HEIGHT) + OVERSCAN);
    for (const [span, row] of this.rendered) {
      const r = rows.rowOf(span);
      if (r < first || r > last) {
        this.rendered.delete(span);
        this.free.push(row);
      }
    }
    const ctx: RowContext = {
      model,
      palette: this.palette,
      rows,
      positionInParent: this.positionInParent,
      selected: this.selected,
      highlight: this.highlight,
      critical: this.critical,
      generation: this.generation,
      rowHeight: ROW_HEIGHT,
      trackPx: this.trackPx,
      idPrefix: this.idPrefix,
    };
    for (let r = first; r <= last; r++) {
      const span = rows.spanAt(r);
      let row = this.rendered.get(span);
      if (!row) {
        row = this.free.pop();
        if (!row) {
          row = new TimelineRow();
          this.spacer.append(row.element);
        }
        this.rendered.set(span, row);
      }
      row.render(ctx, span, r);
    }
    for (const row of this.free) row.park();
    const active = this.selected === undefined ? undefined : this.rendered.get(this.selected);
    if (active) this.tree.setAttribute('aria-activedescendant', active.element.id);
    else this.tree.removeAttribute('aria-activedescendant');
  }
}
