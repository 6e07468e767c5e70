import type { Attributes, Span } from '../../trace/model';
import type { RuleId } from '../config';

export interface Rule {
  id: RuleId;
  /**
   * Why the span fails the rule, one sentence each; PASS (shared, never to be changed) when it passes. `type` is the
   * span's `tracetest.span.type`, read once for every rule.
   */
  check(span: Span, type: string, memo: Memo): readonly string[];
}

/** A rule's answer for a span that passes: one shared empty list, so 100k passing spans allocate nothing. */
export const PASS: readonly string[] = Object.freeze([]);

/** Resource maps remembered per purpose: traces have a few services; more distinct maps are simply recomputed. */
const RECENT_MAPS = 16;

/**
 * What one analysis learns once and reuses: decoders share one resource map among the spans of a service, and the
 * same attribute keys repeat on thousands of spans.
 */
export class Memo {
  private readonly perMap = new Map<string, Array<[Attributes, unknown]>>();
  private readonly perKey = new Map<string, Map<string, unknown>>();

  /** `compute(map, this)` once per map and purpose (a module-level function: no closure per span). */
  ofMap<T>(purpose: string, map: Attributes, compute: (map: Attributes, memo: Memo) => T): T {
    let recent = this.perMap.get(purpose);
    if (!recent) this.perMap.set(purpose, (recent = []));
    for (let i = 0; i < recent.length; i++) if (recent[i]![0] === map) return recent[i]![1] as T;
    const value = compute(map, this);
    if (recent.length === RECENT_MAPS) recent.pop();
    recent.unshift([map, value]);
    return value;
  }

  /** `compute(key)` once per attribute key and purpose (the same function for the same purpose; never undefined). */
  ofKey<T extends object | string>(purpose: string, key: string, compute: (key: string) => T): T {
    let cache = this.perKey.get(purpose);
    if (!cache) this.perKey.set(purpose, (cache = new Map()));
    let value = cache.get(key) as T | undefined;
    if (value === undefined) cache.set(key, (value = compute(key)));
    return value;
  }
}

/** `"value"` as a message quotes it, shortened when long. */
export function quoted(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 79)}…` : value);
}
