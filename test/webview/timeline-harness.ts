// Browser entry for the timeline tests: mounts a TimelineView the way the panel does, with a host that records
// what the view tells the app, and exposes on `window.timeline` calls by span id and a reading of the rows as
// they are on screen. The tests drive the page with real mouse and keyboard input through Playwright.
import { TimelineView } from '../../webview/views/timeline/timeline-view';
import { mountSpanView } from './span-view-harness';
import type { ScreenRow, TimelineHarness } from './timeline-screen';

const mounted = mountSpanView((host) => new TimelineView(host), { height: '600px', display: 'flex', flexDirection: 'column' });
const { view } = mounted;

const tree = () => view.element.querySelector<HTMLElement>('[role="tree"]')!;

function screenRows(): ScreenRow[] {
  const box = tree().getBoundingClientRect();
  const rows = [...view.element.querySelectorAll<HTMLElement>('[role="treeitem"]:not([hidden])')].map((row) => ({ row, rect: row.getBoundingClientRect() }));
  rows.sort((a, b) => a.rect.top - b.rect.top);
  const text = (row: HTMLElement, selector: string) => row.querySelector(selector)?.textContent ?? '';
  return rows.map(({ row, rect }) => ({
    id: row.dataset.spanId ?? '',
    service: text(row, '.tl-service'),
    name: text(row, '.tl-name'),
    duration: text(row, '.tl-duration'),
    mark: row.querySelector<HTMLElement>('.tl-mark')?.dataset.mark ?? '',
    level: Number(row.getAttribute('aria-level')),
    expanded: row.hasAttribute('aria-expanded') ? row.getAttribute('aria-expanded') === 'true' : undefined,
    selected: row.getAttribute('aria-selected') === 'true',
    critical: row.hasAttribute('data-critical'),
    stripes: [...row.querySelectorAll<HTMLElement>('.tl-stripe')].filter((s) => !s.hidden).length,
    match: row.classList.contains('is-match'),
    faded: row.classList.contains('is-faded'),
    opacity: Number(getComputedStyle(row.querySelector('.tl-label')!).opacity),
    error: row.classList.contains('is-error'),
    inView: rect.top >= box.top - 0.5 && rect.bottom <= box.bottom + 0.5,
  }));
}

const timeline: TimelineHarness = {
  show: mounted.show,
  setSelected: mounted.setSelected,
  setHighlight: mounted.setHighlight,
  setCriticalPath: (on: boolean) => view.setCriticalPath(on),
  scrollTop: () => view.scrollTop(),
  setScrollTop: (top: number) => view.setScrollTop(top),
  collapsedSpans: () => view.collapsedSpans(),
  setCollapsedSpans: (ids: string[]) => view.setCollapsedSpans(ids),
  setHidden(hidden: boolean): void {
    view.element.hidden = hidden;
    if (!hidden) view.shown();
  },
  rows: screenRows,
  rulerLabels: () => [...view.element.querySelectorAll('.tl-tick')].map((t) => t.textContent ?? ''),
  rowElements: () => view.element.querySelectorAll('.tl-row').length,
  treeFocused: () => document.activeElement === tree(),
  activeSpan(): string | null {
    const id = tree().getAttribute('aria-activedescendant');
    return id ? (document.getElementById(id)?.dataset.spanId ?? null) : null;
  },
  selections: mounted.selections,
  viewStateChanges: mounted.viewStateChanges,
};

(window as unknown as { timeline: TimelineHarness }).timeline = timeline;
