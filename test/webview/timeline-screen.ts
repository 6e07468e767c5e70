// What the timeline harness page offers the tests on `window.timeline`. Shared by the page (timeline-harness.ts)
// and the Node tests, so it uses no DOM and no Node types.
import type { ShowMessage } from './support/messages';

/** A row as the user sees it. */
export interface ScreenRow {
  id: string;
  service: string;
  name: string;
  duration: string;
  /** `passed`, `failed`, `errored` or ''. */
  mark: string;
  level: number;
  /** undefined for a leaf. */
  expanded: boolean | undefined;
  selected: boolean;
  critical: boolean;
  /** Critical-path stretches drawn over the bar. */
  stripes: number;
  match: boolean;
  faded: boolean;
  /** Computed opacity of the names. */
  opacity: number;
  error: boolean;
  /** The whole row is inside the visible part of the tree. */
  inView: boolean;
}

export interface TimelineHarness {
  show(message: ShowMessage): void;
  setSelected(id: string | null, reveal: boolean): void;
  /** Ids of the matching spans; null for no highlight. */
  setHighlight(ids: string[] | null): void;
  setCriticalPath(on: boolean): void;
  scrollTop(): number;
  setScrollTop(top: number): void;
  collapsedSpans(): string[];
  setCollapsedSpans(ids: string[]): void;
  /** Hides or shows the view as the panel does when switching to the graph and back. */
  setHidden(hidden: boolean): void;
  /** The rows in the DOM, top to bottom. */
  rows(): ScreenRow[];
  rulerLabels(): string[];
  /** Row elements in the document. */
  rowElements(): number;
  treeFocused(): boolean;
  /** Span id of the row the tree names as its active descendant (the row a screen reader reads). */
  activeSpan(): string | null;
  /** Span ids the view reported selected, oldest first. */
  selections(): string[];
  viewStateChanges(): number;
}
