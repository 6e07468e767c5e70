// The critical path as the timeline draws it: which rows are on the path, and per span the stretches of its bar
// that are on it, in the model's milliseconds after the trace start.
import { criticalPath } from '../../../src/core/trace/critical-path';
import type { PanelModel } from '../../model';

export interface CriticalOverlay {
  /** Per span index, 1 when the path runs through the span. */
  onPath: Uint8Array;
  /** Per span index on the path with self time: [start, end, start, end, …] in ms after the trace start. */
  stretches: Map<number, number[]>;
}

export function criticalOverlay(model: PanelModel): CriticalOverlay {
  const path = criticalPath(model.trace);
  const stretches = new Map<number, number[]>();
  for (const segment of path.segments) {
    const i = segment.spanIndex;
    const spanStart = model.trace.spans[i]!.startTime;
    // Offsets within the span stay small enough for exact float conversion; the span's start is already in ms.
    const start = model.startMs[i]! + Number(segment.startNs - spanStart) / 1e6;
    const end = model.startMs[i]! + Number(segment.endNs - spanStart) / 1e6;
    let list = stretches.get(i);
    if (!list) stretches.set(i, (list = []));
    list.push(start, end);
  }
  return { onPath: path.onPath, stretches };
}
