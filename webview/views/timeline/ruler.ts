// The time axis above the bars: the trace's duration cut into equal intervals, labelled `0 ms … 412 ms`. The rows
// draw the matching grid lines from the same interval count (the `--tl-ticks` CSS variable), so nothing per row.
import { formatMs } from '../../model';

/** About one interval per this many pixels of track. */
const PIXELS_PER_TICK = 110;

export function tickCount(trackWidth: number): number {
  // A narrow track gets only its two ends: labels in between would overlap.
  return Math.max(1, Math.min(10, Math.floor(trackWidth / PIXELS_PER_TICK)));
}

function tickLabel(ms: number): string {
  return ms === 0 ? '0 ms' : formatMs(ms);
}

/** Replaces the ruler's labels: `intervals + 1` of them, the last one at the right edge. */
export function renderRuler(ruler: HTMLElement, totalMs: number, intervals: number): void {
  const labels: HTMLElement[] = [];
  for (let k = 0; k <= intervals; k++) {
    const label = document.createElement('span');
    label.className = k === intervals ? 'tl-tick is-last' : 'tl-tick';
    if (k < intervals) label.style.left = `${(k / intervals) * 100}%`;
    label.textContent = tickLabel((totalMs * k) / intervals);
    labels.push(label);
  }
  ruler.replaceChildren(...labels);
}
