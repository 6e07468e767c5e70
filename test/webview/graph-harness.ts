// Browser entry for the graph tests: mounts a GraphView the way the panel does, with a host that records what the
// view tells the app, and exposes on `window.graph` calls by span id and a reading of the nodes as they are on
// screen. The tests drive the page with real mouse and keyboard input through Playwright.
import { readPalette } from '../../webview/theme';
import { GraphView } from '../../webview/views/graph/graph-view';
import type { GraphHarness, Point, ScreenNode } from './graph-screen';
import { mountSpanView } from './span-view-harness';

// The whole page, as in the panel: its shape decides which way the graph grows.
const mounted = mountSpanView((host) => new GraphView(host), { height: '100vh', width: '100vw', position: 'relative' });
const { view, indexOf } = mounted;

function screenNodes(): ScreenNode[] {
  const box = view.element.getBoundingClientRect();
  return [...view.element.querySelectorAll<SVGGElement>('.graph-node')].map((node) => {
    const rect = node.querySelector('.graph-box')!.getBoundingClientRect();
    const text = (selector: string) => node.querySelector(selector)?.textContent ?? '';
    return {
      spanId: node.dataset.spanId ?? '',
      kind: node.classList.contains('group') ? 'group' : node.classList.contains('stub') ? 'stub' : 'span',
      count: Number(node.dataset.spanCount ?? 1),
      meta: text('.graph-meta'),
      icon: node.querySelector('.graph-type-icon')?.getAttribute('data-icon') ?? '',
      iconLabel: node.querySelector('.graph-type-icon')?.getAttribute('aria-label') ?? '',
      iconFont: (() => {
        const icon = node.querySelector('.graph-type-icon');
        return icon ? getComputedStyle(icon).fontFamily : '';
      })(),
      name: text('.graph-name') || text('.graph-stub-text'),
      duration: text('.graph-duration'),
      mark: text('.graph-mark'),
      badge: text('.graph-badge text'),
      label: node.getAttribute('aria-label') ?? '',
      role: node.getAttribute('role') ?? '',
      tabIndex: node.tabIndex,
      selected: node.classList.contains('selected'),
      match: node.classList.contains('match'),
      error: node.querySelector('.graph-box')!.classList.contains('error'),
      opacity: Number(getComputedStyle(node).opacity),
      fill: getComputedStyle(node.querySelector('.graph-box')!).fill,
      x: rect.left + rect.width / 2,
      y: rect.top + rect.height / 2,
      inView: rect.left >= box.left && rect.right <= box.right && rect.top >= box.top && rect.bottom <= box.bottom,
    };
  });
}

const frames = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));

const graph: GraphHarness = {
  show: mounted.show,
  mode: () => view.element.dataset.mode ?? '',
  layout: () => view.element.dataset.layout ?? '',
  direction: () => view.element.dataset.direction ?? '',
  nodes: screenNodes,
  setSelected: mounted.setSelected,
  setHighlight: mounted.setHighlight,
  setServiceColours: (colours) => view.setPalette({ ...readPalette(), services: colours }),
  nodePosition: (id) => view.nodeScreenPosition(indexOf(id)) ?? null,
  centre(): Point {
    const rect = view.element.getBoundingClientRect();
    return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
  },
  async pixel(point): Promise<[number, number, number]> {
    await frames();
    const canvas = view.element.querySelector('canvas')!;
    const rect = canvas.getBoundingClientRect();
    const ratio = canvas.width / rect.width;
    const data = canvas.getContext('2d')!.getImageData(Math.round((point.x - rect.left) * ratio), Math.round((point.y - rect.top) * ratio), 1, 1).data;
    return [data[0]!, data[1]!, data[2]!];
  },
  zoomState: () => view.zoomState() ?? null,
  setZoomState: (state) => view.setZoomState(state),
  expandedGroups: () => view.expandedGroups(),
  setExpandedGroups: (keys) => view.setExpandedGroups(keys),
  setHidden(hidden): void {
    view.element.hidden = hidden;
    if (!hidden) view.shown();
  },
  focused(): string | null {
    const active = document.activeElement;
    if (!active || !view.element.contains(active)) return null;
    return active instanceof HTMLCanvasElement ? '' : ((active as SVGElement).dataset.spanId ?? '');
  },
  tooltip(): string[] | null {
    const card = view.element.querySelector<HTMLElement>('.graph-tooltip');
    return card && !card.hidden ? [...card.children].map((line) => line.textContent ?? '') : null;
  },
  live: () => view.element.querySelector('[aria-live]')?.textContent ?? '',
  canvasLabel: () => view.element.querySelector('canvas')?.getAttribute('aria-label') ?? '',
  selections: mounted.selections,
  viewStateChanges: mounted.viewStateChanges,
};

(window as unknown as { graph: GraphHarness }).graph = graph;
