// What changed between a test's last passing trace and a failing one: spans added and missing, repeated siblings
// whose count changed, attributes that changed on the spans the specs select, and durations that changed a lot.
// Spans are matched by their path from the root (service and name of each ancestor and of the span), the n-th
// span of a path in one trace with the n-th of the same path in the other, in span order.
import type { TestRunResult } from '../engine/result';
import type { Span, Trace } from '../trace/model';

export type DifferenceKind = 'missing' | 'added' | 'count' | 'attributes' | 'duration';

export interface AttributeChange {
  key: string;
  /** Absent when the passing run's span did not have it. */
  before?: string;
  after?: string;
}

export interface TraceDifference {
  kind: DifferenceKind;
  service: string;
  name: string;
  /** `service 'name'` of each ancestor, root first: where the span is. */
  path: string[];
  /** Spans of the path in the passing trace, and in the failing one. */
  before: number;
  after: number;
  /** Spans of the failing trace this is about (a missing span's nearest ancestor still there, to point at). */
  spanIds: string[];
  /** Spans of the passing trace this is about. */
  previousSpanIds: string[];
  /** Spans under a missing (or added) one that went (or came) with it. */
  descendants?: number;
  attributes?: AttributeChange[];
  /** For a duration change: the pair that changed most. */
  durationMs?: { before: number; after: number };
}

export interface CompareOptions {
  /** Spans of the failing trace (those its specs selected) whose attributes are compared. */
  selectedSpanIds?: Iterable<string>;
  /** A duration change counts when it is larger than both of these: a ratio of the passing duration, and ms. */
  durationRatio?: number;
  durationMs?: number;
}

export const DEFAULT_DURATION_RATIO = 0.5;
export const DEFAULT_DURATION_MS = 20;

/** The failing trace (`current`) compared with the passing one (`previous`), most telling differences first. */
export function compareTraces(previous: Trace, current: Trace, options: CompareOptions = {}): TraceDifference[] {
  const before = byPath(previous);
  const after = byPath(current);
  const selected = new Set(options.selectedSpanIds ?? []);
  const ratio = options.durationRatio ?? DEFAULT_DURATION_RATIO;
  const minMs = options.durationMs ?? DEFAULT_DURATION_MS;
  const out: TraceDifference[] = [];

  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(key) ?? [];
    const a = after.get(key) ?? [];
    const sample = (a[0] ?? b[0])!;
    // A span whose parent's path is gone (or new) altogether went (or came) with it: the parent says it.
    const parent = parentKey(key);
    if (parent !== undefined) {
      const pb = before.get(parent)?.length ?? 0;
      const pa = after.get(parent)?.length ?? 0;
      if ((pa === 0 && a.length === 0) || (pb === 0 && b.length === 0)) continue;
      // Children of repeated siblings whose count changed change in proportion: the parent's count says it.
      if (a.length !== b.length && pa !== pb && b.length * pa === a.length * pb) continue;
    }
    const base = { service: serviceOf(sample), name: sample.name, path: ancestry(sample), before: b.length, after: a.length };
    if (a.length === 0) {
      out.push({ ...base, kind: 'missing', spanIds: anchor(sample, after), previousSpanIds: b.map((s) => s.id), descendants: subtreeSize(b) });
      continue;
    }
    if (b.length === 0) {
      out.push({ ...base, kind: 'added', spanIds: a.map((s) => s.id), previousSpanIds: [], descendants: subtreeSize(a) });
      continue;
    }
    if (a.length !== b.length) out.push({ ...base, kind: 'count', spanIds: a.map((s) => s.id), previousSpanIds: b.map((s) => s.id) });

    const pairs = b.slice(0, a.length).map((s, i) => [s, a[i]!] as const);
    const slower = pairs.filter(([p, c]) => durationChanged(ms(p), ms(c), ratio, minMs));
    if (slower.length > 0) {
      const worst = slower.reduce((w, pair) => (Math.abs(ms(pair[1]) - ms(pair[0])) > Math.abs(ms(w[1]) - ms(w[0])) ? pair : w));
      out.push({
        ...base,
        kind: 'duration',
        spanIds: slower.map(([, c]) => c.id),
        previousSpanIds: slower.map(([p]) => p.id),
        durationMs: { before: ms(worst[0]), after: ms(worst[1]) },
      });
    }
    const changed = pairs.map(([p, c]) => [p, c, selected.has(c.id) ? attributeChanges(p, c) : []] as const).filter(([, , ch]) => ch.length > 0);
    if (changed.length > 0) {
      out.push({
        ...base,
        kind: 'attributes',
        spanIds: changed.map(([, c]) => c.id),
        previousSpanIds: changed.map(([p]) => p.id),
        attributes: uniqueChanges(changed.flatMap(([, , ch]) => ch)),
      });
    }
  }
  return out.sort((x, y) => KIND_ORDER[x.kind] - KIND_ORDER[y.kind] || x.path.length - y.path.length);
}

/** A run's trace against the last passing one's, comparing the attributes of the spans the run's specs selected. */
export function sinceLastPass(lastPass: Trace, run: Pick<TestRunResult, 'specs'> & { trace: Trace }): TraceDifference[] {
  return compareTraces(lastPass, run.trace, { selectedSpanIds: run.specs.flatMap((s) => s.spanIds) });
}

const KIND_ORDER: Record<DifferenceKind, number> = { missing: 0, added: 1, count: 2, attributes: 3, duration: 4 };

/** One line for a person: `pokeshop-worker 'import pokemon' missing`, `12 → 9 × api 'SELECT'`. */
export function describeDifference(d: TraceDifference): string {
  const span = `${d.service} '${d.name}'`;
  const count = (n: number): string => (n > 1 ? `${n} × ` : '');
  const under = (n: number): string => (d.descendants ? ` (with ${d.descendants} span${d.descendants === 1 ? '' : 's'} under ${n > 1 ? 'them' : 'it'})` : '');
  switch (d.kind) {
    case 'missing':
      return `${count(d.before)}${span} missing${under(d.before)}`;
    case 'added':
      return `${count(d.after)}${span} added${under(d.after)}`;
    case 'count':
      return `${d.before} → ${d.after} × ${span}`;
    case 'attributes':
      return `${span}${spans(d)} ${d.attributes!.map((c) => `${c.key} ${shown(c.before)} → ${shown(c.after)}`).join(', ')}`;
    case 'duration':
      return `${span}${spans(d)} ${formatMs(d.durationMs!.before)} → ${formatMs(d.durationMs!.after)}`;
  }
}

function spans(d: TraceDifference): string {
  return d.spanIds.length > 1 ? ` (${d.spanIds.length} spans)` : '';
}

function shown(value: string | undefined): string {
  if (value === undefined) return '(none)';
  const text = value.length > 60 ? `${value.slice(0, 57)}…` : value;
  return JSON.stringify(text);
}

function formatMs(value: number): string {
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
}

function durationChanged(before: number, after: number, ratio: number, minMs: number): boolean {
  const change = Math.abs(after - before);
  return change > minMs && change > before * ratio;
}

function ms(span: Span): number {
  return Number(span.endTime - span.startTime) / 1e6;
}

const SEP = '\u0001';

/** Spans by path key, each list in span order. */
function byPath(trace: Trace): Map<string, Span[]> {
  const keys = new Map<Span, string>();
  const out = new Map<string, Span[]>();
  for (const span of trace.spans) {
    const own = `${serviceOf(span)}\u0000${span.name}`;
    const key = span.parent ? `${keys.get(span.parent)}${SEP}${own}` : own;
    keys.set(span, key);
    const list = out.get(key);
    if (list) list.push(span);
    else out.set(key, [span]);
  }
  return out;
}

function parentKey(key: string): string | undefined {
  const at = key.lastIndexOf(SEP);
  return at < 0 ? undefined : key.slice(0, at);
}

function serviceOf(span: Span): string {
  return span.resource.get('service.name') ?? '';
}

function ancestry(span: Span): string[] {
  const path: string[] = [];
  for (let s = span.parent; s; s = s.parent) path.unshift(`${serviceOf(s)} '${s.name}'`);
  return path;
}

/** The nearest ancestor of a missing span that the failing trace still has: where the panel points. */
function anchor(missing: Span, current: Map<string, Span[]>): string[] {
  const keys: string[] = [];
  for (let s = missing.parent; s; s = s.parent) keys.unshift(`${serviceOf(s)}\u0000${s.name}`);
  for (let n = keys.length; n > 0; n--) {
    const found = current.get(keys.slice(0, n).join(SEP));
    if (found) return [found[0]!.id];
  }
  return [];
}

function subtreeSize(spans: Span[]): number {
  return spans.reduce((n, s) => n + (s.subtreeEnd - s.index), 0);
}

/**
 * Attributes that differ between two matched spans, and their status. Ids, times and the response's headers differ
 * on every run, so they are not compared.
 */
function attributeChanges(previous: Span, current: Span): AttributeChange[] {
  const changes: AttributeChange[] = [];
  if (previous.status.code !== current.status.code) changes.push({ key: 'status', before: statusName(previous), after: statusName(current) });
  for (const key of new Set([...previous.attributes.keys(), ...current.attributes.keys()])) {
    if (VOLATILE.test(key)) continue;
    const before = previous.attributes.get(key);
    const after = current.attributes.get(key);
    if (before !== after) changes.push({ key, ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) });
  }
  return changes;
}

const VOLATILE = /(^|[._])(id|uuid|time|timestamp|date|headers)$/i;

function statusName(span: Span): string {
  return span.status.code.replace('STATUS_CODE_', '');
}

function uniqueChanges(changes: AttributeChange[]): AttributeChange[] {
  const seen = new Map<string, AttributeChange>();
  for (const c of changes) seen.set(`${c.key}\u0000${c.before}\u0000${c.after}`, c);
  return [...seen.values()];
}
