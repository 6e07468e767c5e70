// Attribute names and values observed in a trace, counted per span: what completion and hover offer first.
import { spanValue } from '../../core/trace/build';
import type { Span, Trace } from '../../core/trace/model';

export interface AttributeStat {
  name: string;
  /** Number of spans that have the attribute. */
  spans: number;
  /** Distinct values with how many spans have each, most frequent first. */
  values: Array<{ value: string; count: number }>;
}

/** Span properties selectors read besides attributes. */
export const SPAN_PROPERTIES = ['name', 'kind'] as const;

const cache = new WeakMap<Trace, { withProperties: AttributeStat[]; attributes: AttributeStat[] }>();

/**
 * Stats over `spans` (every span of the trace when omitted), most common attribute first. With `properties`,
 * `name` and `kind` are included as selectors see them.
 */
export function attributeStats(trace: Trace, options: { properties: boolean; spans?: readonly Span[] }): AttributeStat[] {
  if (!options.spans) {
    let cached = cache.get(trace);
    if (!cached) {
      cached = { withProperties: compute(trace.spans, true), attributes: compute(trace.spans, false) };
      cache.set(trace, cached);
    }
    return options.properties ? cached.withProperties : cached.attributes;
  }
  return compute(options.spans, options.properties);
}

function compute(spans: readonly Span[], properties: boolean): AttributeStat[] {
  const byName = new Map<string, Map<string, number>>();
  const add = (name: string, value: string): void => {
    let values = byName.get(name);
    if (!values) byName.set(name, (values = new Map()));
    values.set(value, (values.get(value) ?? 0) + 1);
  };
  for (const span of spans) {
    if (properties) for (const p of SPAN_PROPERTIES) add(p, spanValue(span, p) ?? '');
    for (const [k, v] of span.flat) add(k, v);
  }
  const stats: AttributeStat[] = [];
  for (const [name, values] of byName) {
    const list = [...values].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
    stats.push({ name, spans: list.reduce((n, v) => n + v.count, 0), values: list });
  }
  return stats.sort((a, b) => b.spans - a.spans || a.name.localeCompare(b.name));
}

export function statFor(trace: Trace, name: string, spans?: readonly Span[]): AttributeStat | undefined {
  return attributeStats(trace, { properties: true, ...(spans ? { spans } : {}) }).find((s) => s.name === name);
}

/** A value shortened for a one-line detail. */
export function preview(value: string, max = 40): string {
  const oneLine = value.replace(/\s+/g, ' ');
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
