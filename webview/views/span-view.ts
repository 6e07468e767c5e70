// What the graph and the timeline have in common: the app gives them the model and tells them what is selected
// and highlighted; they tell the app when the user selects a span.
import type { PanelModel } from '../model';
import type { Palette } from '../theme';

/** Which spans the selector bar or the search picked, by span index; `undefined` when neither is active. */
export type Highlight = Uint8Array | undefined;

export interface SpanViewHost {
  /** The user selected a span (click, Enter, arrow keys). */
  select(spanIndex: number): void;
  /** The view's zoom/scroll changed: the app saves state (debounced by the app). */
  viewStateChanged(): void;
}

export interface SpanView {
  readonly element: HTMLElement;
  /** A new trace (replaces everything). */
  setModel(model: PanelModel): void;
  /** The same trace with new results (marks, failures): drawn again where it is, selection and zoom kept. */
  setResults(model: PanelModel): void;
  /** 1 at the index of every span that matches; the rest fade. */
  setHighlight(highlight: Highlight): void;
  /** Marks the span selected; with `reveal`, scrolls/pans so it is in view (centred in the graph). */
  setSelected(spanIndex: number | undefined, reveal: boolean): void;
  setPalette(palette: Palette): void;
  /** Called when the view becomes visible (it may have been laid out while hidden). */
  shown(): void;
  destroy(): void;
}
