// Which spans the selector bar and the text search pick. Both answer with a mask over span order (1 = match),
// so the views can fade the rest without knowing why.
import { matchSelector, parseSelector } from '../src/core/selector/index';
import type { SourceError } from '../src/core/text-position';
import type { Trace } from '../src/core/trace/model';

export type Matches = { ok: true; mask: Uint8Array; count: number; first: number } | { ok: false; error: SourceError };

export function selectorMatches(trace: Trace, text: string): Matches {
  const parsed = parseSelector(text);
  if (!parsed.ok) return parsed;
  const mask = new Uint8Array(trace.spans.length);
  let first = -1;
  const spans = matchSelector(trace, parsed.value);
  for (const s of spans) {
    mask[s.index] = 1;
    if (first < 0 || s.index < first) first = s.index;
  }
  return { ok: true, mask, count: spans.length, first };
}

/**
 * Case-insensitive text search over span names, ids and every attribute key and value (the browser's find cannot
 * see rows that are not rendered).
 */
export function textMatches(trace: Trace, text: string): Matches & { ok: true } {
  const needle = text.toLowerCase();
  const mask = new Uint8Array(trace.spans.length);
  let count = 0;
  let first = -1;
  for (const span of trace.spans) {
    let hit = span.name.toLowerCase().includes(needle) || span.id === needle;
    if (!hit) {
      for (const [k, v] of span.flat) {
        if (k.toLowerCase().includes(needle) || v.toLowerCase().includes(needle)) {
          hit = true;
          break;
        }
      }
    }
    if (hit) {
      mask[span.index] = 1;
      count++;
      if (first < 0) first = span.index;
    }
  }
  return { ok: true, mask, count, first };
}

/** Spans in both masks; either may be absent. */
export function intersect(a: Uint8Array | undefined, b: Uint8Array | undefined): Uint8Array | undefined {
  if (!a) return b;
  if (!b) return a;
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! & b[i]!;
  return out;
}

/** The next (or previous) set index after `from`, wrapping around; -1 when the mask is empty. */
export function nextMatch(mask: Uint8Array, from: number, step: 1 | -1): number {
  const n = mask.length;
  for (let k = 1; k <= n; k++) {
    const i = (((from + step * k) % n) + n) % n;
    if (mask[i]) return i;
  }
  return -1;
}
