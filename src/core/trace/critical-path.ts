// The critical path of a trace: the chain of work that decided when the root span ended, found by the
// last-finishing-child method. Walking back from a span's end, the child that finished last (at or before the
// cursor) is on the path; its own path is found the same way inside it, and the walk continues from its start
// with the child that finished last before then. Time in the span's window that no chosen child covers is the
// span's self time on the path, so the segments of all spans on the path tile the root span's duration exactly.
//
// Rules for what real traces do:
// - A child is clipped to its parent's window on the path (a child that starts before its parent, from clock
//   skew, or ends after it, from async work, counts only for the part inside); a child entirely outside is left out.
// - A child that overlaps the cursor (finished after the chosen sibling started) is not on the path: only a child
//   that finished by the cursor explains the time before it.
// - Consumer spans (kind `consumer`: a message processed asynchronously, often long after its parent returned)
//   never block their parent: they are left out when the parent's last-finishing child is chosen, so neither they
//   nor anything under them is on the path; the time they ran is the parent's own or another child's.
// - Ties on the end go to the child that started first (the longer one), then to span order.
import type { Span, Trace } from './model';

/** A stretch of time during which a span on the path was doing its own work (no chosen child running). */
export interface CriticalSegment {
  spanIndex: number;
  /** Unix nanoseconds. */
  startNs: bigint;
  endNs: bigint;
}

export interface CriticalPath {
  /** In time order; together they cover the root span from its start to its end without overlap. */
  segments: CriticalSegment[];
  /** Per span index, 1 when the path runs through the span (its segments are empty if chosen children cover it). */
  onPath: Uint8Array;
  /** Sum of the segments: the root span's duration. */
  totalNs: bigint;
}

/** A span on the path with the window it is on the path for (its own times clipped to its parent's window). */
interface Window {
  span: Span;
  start: bigint;
  end: bigint;
}

const byLastEnd = (a: Window, b: Window): number =>
  a.end !== b.end ? (a.end > b.end ? -1 : 1) : a.start !== b.start ? (a.start < b.start ? -1 : 1) : a.span.index - b.span.index;

export function criticalPath(trace: Trace): CriticalPath {
  const segments: CriticalSegment[] = [];
  const onPath = new Uint8Array(trace.spans.length);
  const root = trace.root;
  // Explicit stack: a trace can be deeper than the call stack. Each span's choice depends only on its own window.
  const stack: Window[] = [{ span: root, start: root.startTime, end: root.endTime > root.startTime ? root.endTime : root.startTime }];
  while (stack.length > 0) {
    const { span, start, end } = stack.pop()!;
    onPath[span.index] = 1;
    const children: Window[] = [];
    for (const child of span.children) {
      if (child.kind === 'consumer') continue;
      const s = child.startTime > start ? child.startTime : start;
      const e = child.endTime < end ? child.endTime : end;
      if (e > s) children.push({ span: child, start: s, end: e });
    }
    children.sort(byLastEnd);
    let cursor = end;
    for (const child of children) {
      // The cursor only moves back, so a child passed over here can never be chosen later.
      if (child.end > cursor) continue;
      if (child.end < cursor) segments.push({ spanIndex: span.index, startNs: child.end, endNs: cursor });
      stack.push(child);
      cursor = child.start;
    }
    if (cursor > start) segments.push({ spanIndex: span.index, startNs: start, endNs: cursor });
  }
  segments.sort((a, b) => (a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0));
  let totalNs = 0n;
  for (const s of segments) totalNs += s.endNs - s.startNs;
  return { segments, onPath, totalNs };
}
