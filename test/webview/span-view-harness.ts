// What the graph and timeline harness pages share: a view mounted the way the panel mounts it, with a host that
// records what the view tells the app (selections, view-state changes), and the calls the tests make by span id.
import type { ShowMessage } from './support/messages';
import { buildModel, type PanelModel } from '../../webview/model';
import type { SpanView, SpanViewHost } from '../../webview/views/span-view';

export interface MountedView<V extends SpanView> {
  view: V;
  model(): PanelModel | undefined;
  show(message: ShowMessage): void;
  indexOf(id: string): number;
  setSelected(id: string | null, reveal: boolean): void;
  /** Ids of the matching spans; null for no highlight. */
  setHighlight(ids: string[] | null): void;
  selections(): string[];
  viewStateChanges(): number;
}

/** Mounts the view in a box styled by `style` (its size decides what is on screen). */
export function mountSpanView<V extends SpanView>(
  create: (host: SpanViewHost) => V,
  style: Partial<Record<'height' | 'width' | 'position' | 'display' | 'flexDirection', string>>,
): MountedView<V> {
  const root = document.createElement('div');
  Object.assign(root.style, style);
  document.body.style.margin = '0';
  document.body.append(root);

  let model: PanelModel | undefined;
  const selections: string[] = [];
  let changes = 0;
  const view: V = create({
    select: (index) => {
      selections.push(model!.trace.spans[index]!.id);
      // What the panel does with a selection from a view: tell every view, without revealing.
      view.setSelected(index, false);
    },
    viewStateChanged: () => changes++,
  });
  root.append(view.element);

  const indexOf = (id: string): number => {
    const span = model?.trace.byId.get(id);
    if (!span) throw new Error(`no span ${id}`);
    return span.index;
  };
  return {
    view,
    model: () => model,
    show: (message) => {
      model = buildModel(message.trace, message);
      view.setModel(model);
    },
    indexOf,
    setSelected: (id, reveal) => view.setSelected(id === null ? undefined : indexOf(id), reveal),
    setHighlight: (ids) => {
      if (ids === null || !model) return view.setHighlight(undefined);
      const highlight = new Uint8Array(model.trace.spans.length);
      for (const id of ids) highlight[indexOf(id)] = 1;
      view.setHighlight(highlight);
    },
    selections: () => [...selections],
    viewStateChanges: () => changes,
  };
}
