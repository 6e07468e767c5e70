import type { Attributes, Span } from '../../trace/model';
import type { RuleId } from '../config';

export interface Rule {
  id: RuleId;
  /** Why the span fails the rule, one sentence each; PASS (shared, never to be changed) when it passes. */
  check(span: Span, memo: Memo): readonly string[];
}

/** A rule's answer for a span that passes: one shared empty list, so 100k passing spans allocate nothing. */
export const PASS: readonly string[] = Object.freeze([]);

/**
 * What one analysis learns once and reuses: resource maps are shared by every span of a service (and spans of one
 * service come in runs, hence the last-hit shortcut), and the same attribute keys repeat on thousands of spans.
 */
export class Memo {
  private readonly perMap = new Map<string, { map: Attributes | undefined; value: unknown; all: WeakMap<Attributes, unknown> }>();
  private readonly perKey = new Map<string, Map<string, unknown>>();

  /** `compute(map, this)` once per map and purpose (a module-level function: no closure per span). */
  ofMap<T>(purpose: string, map: Attributes, compute: (map: Attributes, memo: Memo) => T): T {
    let cache = this.perMap.get(purpose);
    if (!cache) this.perMap.set(purpose, (cache = { map: undefined, value: undefined, all: new WeakMap() }));
    if (cache.map === map) return cache.value as T;
    let value = cache.all.get(map) as T | undefined;
    if (value === undefined && !cache.all.has(map)) cache.all.set(map, (value = compute(map, this)));
    cache.map = map;
    cache.value = value;
    return value as T;
  }

  /** `compute(key)` once per attribute key and purpose. */
  ofKey<T>(purpose: string, key: string, compute: (key: string) => T): T {
    let cache = this.perKey.get(purpose);
    if (!cache) this.perKey.set(purpose, (cache = new Map()));
    if (cache.has(key)) return cache.get(key) as T;
    const value = compute(key);
    cache.set(key, value);
    return value;
  }
}

/** `"value"` as a message quotes it, shortened when long. */
export function quoted(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 79)}…` : value);
}
