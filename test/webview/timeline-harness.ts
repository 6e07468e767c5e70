// Browser entry for the timeline tests: mounts a TimelineView the way the panel does, with a host that records
// what the view tells the app, and exposes on `window.timeline` calls by span id and a reading of the rows as
// they are on screen. The tests drive the page with real mouse and keyboard input through Playwright.
import type { ShowMessage } from '../../src/protocol';
import { buildModel, type PanelModel } from '../../webview/model';
import { TimelineView } from '../../webview/views/timeline/index';
import type { ScreenRow, TimelineHarness } from './timeline-screen';

const root = document.createElement('div');
root.style.height = '600px';
root.style.display = 'flex';
root.style.flexDirection = 'column';
document.body.style.margin = '0';
document.body.append(root);

let model: PanelModel | undefined;
const selections: string[] = [];
let viewStateChanges = 0;
const view = new TimelineView({
  select: (index) => {
    selections.push(model!.trace.spans[index]!.id);
    // What the panel does with a selection from a view: tell every view, without revealing.
    view.setSelected(index, false);
  },
  viewStateChanged: () => viewStateChanges++,
});
root.append(view.element);

const indexOf = (id: string): number => {
  const span = model?.trace.byId.get(id);
  if (!span) throw new Error(`no span ${id}`);
  return span.index;
};

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
  show(message: ShowMessage): void {
    model = buildModel(message);
    view.setModel(model);
  },
  setSelected: (id: string | null, reveal: boolean) => view.setSelected(id === null ? undefined : indexOf(id), reveal),
  setHighlight(ids: string[] | null): void {
    if (ids === null || !model) return view.setHighlight(undefined);
    const highlight = new Uint8Array(model.trace.spans.length);
    for (const id of ids) highlight[indexOf(id)] = 1;
    view.setHighlight(highlight);
  },
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
  selections: () => [...selections],
  viewStateChanges: () => viewStateChanges,
};

(window as unknown as { timeline: TimelineHarness }).timeline = timeline;
