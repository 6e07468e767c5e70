import type { Attributes, Span } from '../../trace/model';
import type { RuleId } from '../config';

export interface Rule {
  id: RuleId;
  /** Why the span fails the rule, one sentence each; empty when it passes or the rule does not apply to it. */
  check(span: Span, memo: Memo): string[];
}

/**
 * What one analysis learns once and reuses: resource and scope attribute maps are shared by every span of a service,
 * and the same attribute keys repeat on thousands of spans.
 */
export class Memo {
  readonly keys = new Map<string, boolean>();
  private readonly perMap = new Map<string, WeakMap<Attributes, unknown>>();

  /** `compute(map)` once per map and purpose. */
  of<T>(purpose: string, map: Attributes, compute: (map: Attributes) => T): T {
    let cache = this.perMap.get(purpose);
    if (!cache) this.perMap.set(purpose, (cache = new WeakMap()));
    if (cache.has(map)) return cache.get(map) as T;
    const value = compute(map);
    cache.set(map, value);
    return value;
  }
}

/** `"value"` as a message quotes it, shortened when long. */
export function quoted(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 79)}…` : value);
}
