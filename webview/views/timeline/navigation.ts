// Keyboard navigation of the timeline tree, as the WAI-ARIA tree pattern describes it: arrows move the selection
// row by row, Right/Left expand and collapse (or go to the first child / the parent), Home/End/PageUp/PageDown jump.
import type { Trace } from '../../../src/core/trace/model';
import type { VisibleRows } from './visible-rows';

export type TreeCommand = { kind: 'select'; span: number } | { kind: 'expand'; span: number } | { kind: 'collapse'; span: number };

export interface NavigationContext {
  trace: Trace;
  rows: VisibleRows;
  /** The selected span when it has a row (a hidden selection is mapped to its visible ancestor by the caller). */
  current: number | undefined;
  /** Row at the top of the view: where navigation starts when nothing is selected. */
  firstRowInView: number;
  /** Rows in one page of the view. */
  pageRows: number;
}

/** What `key` does, or `undefined` when the tree does not handle it. */
export function treeCommand(key: string, { trace, rows, current, firstRowInView, pageRows }: NavigationContext): TreeCommand | undefined {
  const last = rows.count - 1;
  const selectRow = (row: number): TreeCommand => ({ kind: 'select', span: rows.spanAt(Math.max(0, Math.min(last, row))) });
  if (current === undefined) {
    switch (key) {
      case 'Home':
        return selectRow(0);
      case 'End':
        return selectRow(last);
      case 'ArrowDown':
      case 'ArrowUp':
      case 'ArrowLeft':
      case 'ArrowRight':
      case 'PageDown':
      case 'PageUp':
      case 'Enter':
      case ' ':
        return selectRow(firstRowInView);
      default:
        return undefined;
    }
  }
  const row = rows.rowOf(current);
  switch (key) {
    case 'ArrowDown':
      return selectRow(row + 1);
    case 'ArrowUp':
      return selectRow(row - 1);
    case 'PageDown':
      return selectRow(row + pageRows);
    case 'PageUp':
      return selectRow(row - pageRows);
    case 'Home':
      return selectRow(0);
    case 'End':
      return selectRow(last);
    case 'ArrowRight':
      if (!rows.hasChildren(current)) return undefined;
      // Span order: the first child is the next span.
      return rows.isCollapsed(current) ? { kind: 'expand', span: current } : { kind: 'select', span: current + 1 };
    case 'ArrowLeft': {
      if (rows.hasChildren(current) && !rows.isCollapsed(current)) return { kind: 'collapse', span: current };
      const parent = trace.spans[current]!.parent;
      return parent ? { kind: 'select', span: parent.index } : undefined;
    }
    case 'Enter':
    case ' ':
      return { kind: 'select', span: current };
    default:
      return undefined;
  }
}
