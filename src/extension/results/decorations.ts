// After-text for every annotated line: what decorations.ts paints. Pure: (annotations, the text's lines) → list.
import type { Status } from '../../core/engine/result';
import type { Annotation } from './annotate';
import type { LineIndex } from './lines';

export interface LineDecoration {
  /** 0-based line the text goes after. */
  line: number;
  /** Where the line ends (the after-text is anchored there). */
  character: number;
  text: string;
  status: Status;
  /** Hover text: the full message. */
  hover: string;
}

/** `annotations`: the stored runs laid onto the text `lines` indexes (see annotate.ts). */
export function computeDecorations(annotations: readonly Annotation[], lines: LineIndex): LineDecoration[] {
  const byLine = new Map<number, LineDecoration>();
  for (const a of annotations) {
    // The after-text belongs to the line the assertion ends on (a folded scalar may span lines).
    const line = lines.at(Math.max(a.range.start, a.range.end - 1)).line;
    const previous = byLine.get(line);
    if (previous) {
      // Two things on one line (e.g. a selector error and its spec): keep the worse one first.
      previous.text = rank(a.status) > rank(previous.status) ? `${a.short}  ${previous.text}` : `${previous.text}  ${a.short}`;
      if (rank(a.status) > rank(previous.status)) previous.status = a.status;
      previous.hover += `\n${a.message}`;
      continue;
    }
    byLine.set(line, { line, character: lines.lineLength(line), text: a.short, status: a.status, hover: a.message });
  }
  return [...byLine.values()].sort((x, y) => x.line - y.line);
}

function rank(s: Status): number {
  return s === 'errored' ? 2 : s === 'failed' ? 1 : 0;
}
