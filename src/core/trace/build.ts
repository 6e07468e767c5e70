import type { Attributes, RawSpan, Span, Trace, TraceProblem, TriggerInfo } from './model';
import { TRIGGER_SPAN_NAME } from './model';
import { AttributeRow, type AttributeTable } from './attribute-rows';
import { FlatAttributes } from './flat';
import { truncatedFrom } from './truncate';

/** The value a selector filter or an `attr:` reference reads: `name` and `kind` are span properties. */
export function spanValue(span: Span, key: string): string | undefined {
  if (key === 'name') return span.name;
  if (key === 'kind') return span.kind;
  return span.flat.get(key);
}

/**
 * Places decoded spans in one tree under the `Tracetest trigger` span, in span order, with the synthesized
 * attributes. Never throws: bad input (no spans, missing parents, duplicate ids, cycles) is repaired and reported.
 */
export function buildTrace(raw: readonly RawSpan[], trigger: TriggerInfo = {}): Trace {
  const problems: TraceProblem[] = [];
  if (raw.length === 0) problems.push({ code: 'empty', message: 'the trace has no spans' });

  // One pass over the raw spans (each read costs a cache miss at 100k): the span objects, the id index, whether
  // they share one trace id, the span times the trigger span needs, and spans that may be the trigger span.
  const firstTraceId = raw[0]?.traceId;
  let oneTraceId = true;
  const byId = new Map<string, Span>();
  // Spans named like the trigger span, in span id order of first appearance: one of them may become the root.
  const triggerNamed: Span[] = [];
  const times = { start: undefined as bigint | undefined, end: undefined as bigint | undefined };
  const needTimes = trigger.startTime === undefined || trigger.endTime === undefined;
  for (const r of raw) {
    if (r.traceId !== firstTraceId) oneTraceId = false;
    if (needTimes) {
      if (times.start === undefined || r.startTime < times.start) times.start = r.startTime;
      if (times.end === undefined || r.endTime > times.end) times.end = r.endTime;
    }
    if (byId.has(r.id)) {
      problems.push({ code: 'duplicate-span-id', spanId: r.id, message: `span id ${r.id} appears more than once ("${r.name}"); the first one is kept` });
      continue;
    }
    const span = toSpan(r);
    byId.set(r.id, span);
    if (r.name === TRIGGER_SPAN_NAME) triggerNamed.push(span);
  }
  const traceId = trigger.traceId ?? (oneTraceId && firstTraceId !== undefined ? firstTraceId : dominantTraceId(raw, problems));

  const root = triggerSpan(byId, triggerNamed, traceId, times, trigger);
  byId.set(root.id, root);

  const parentless: Span[] = [];
  for (const span of byId.values()) {
    if (span === root) continue;
    const parent = span.parentId ? byId.get(span.parentId) : undefined;
    if (parent && parent !== span) {
      span.parent = parent;
      adopt(parent, span);
      continue;
    }
    if (span.parentId && span.parentId !== root.id) {
      problems.push({
        code: 'missing-parent',
        spanId: span.id,
        message: `span ${span.id} ("${span.name}") has parent ${span.parentId}, which is not in the trace; it is shown under the trigger span`,
      });
    }
    if (!span.parentId) parentless.push(span);
    span.parent = root;
    adopt(root, span);
  }
  if (parentless.length > 1) {
    problems.push({ code: 'multiple-roots', message: `the trace has ${parentless.length} spans without a parent; they all hang under the trigger span` });
  }

  const spans = order(root, byId, problems);
  reportTruncated(spans, problems);
  return { traceId, spans, byId, root, problems };
}

/** Every field listed in one fixed order (no spread): all spans share one hidden class, which keeps reads fast. */
function toSpan(r: RawSpan): Span {
  const span: Span = {
    traceId: r.traceId,
    id: r.id,
    parentId: r.parentId,
    name: r.name,
    kind: r.kind,
    startTime: r.startTime,
    endTime: r.endTime,
    status: r.status,
    resource: r.resource,
    scope: r.scope,
    attributes: r.attributes,
    events: r.events,
    links: r.links,
    flat: NO_FLAT_YET,
    parent: undefined,
    children: NO_CHILDREN,
    index: -1,
    subtreeEnd: -1,
    depth: 0,
    isTrigger: false,
  };
  span.flat = new FlatAttributes(span);
  return span;
}

const NO_FLAT_YET: Attributes = new Map();

/** Leaves, about half the spans, share one empty list: a span gets its own when it adopts its first child. */
const NO_CHILDREN = Object.freeze([]) as unknown as Span[];

function adopt(parent: Span, child: Span): void {
  if (parent.children === NO_CHILDREN) parent.children = [child];
  else parent.children.push(child);
}

/** Called after the span ids are indexed: a mixed trace (never an empty one) is still the first problem reported. */
function dominantTraceId(raw: readonly RawSpan[], problems: TraceProblem[]): string {
  const counts = new Map<string, number>();
  for (const r of raw) counts.set(r.traceId, (counts.get(r.traceId) ?? 0) + 1);
  let best = '0'.repeat(32);
  let bestCount = 0;
  for (const [id, n] of counts) if (n > bestCount) [best, bestCount] = [id, n];
  if (counts.size > 1) {
    problems.unshift({
      code: 'mixed-trace-ids',
      message: `the spans belong to ${counts.size} different traces; using ${best} (${bestCount} spans) as the trace id`,
    });
  }
  return best;
}

/** `times`: the earliest start and latest end of the raw spans, when the trigger did not say when it ran. */
function triggerSpan(
  byId: Map<string, Span>,
  triggerNamed: readonly Span[],
  traceId: string,
  times: { start: bigint | undefined; end: bigint | undefined },
  trigger: TriggerInfo,
): Span {
  const existing = triggerNamed.find((s) => !s.parentId || !byId.has(s.parentId));
  if (existing) {
    byId.delete(existing.id);
    existing.parentId = '';
    // The raw span's maps may be shared with the caller's input: copy before adding.
    existing.attributes = new Map([...existing.attributes, ...(trigger.attributes ?? [])]);
    existing.isTrigger = true;
    return existing;
  }
  const start = trigger.startTime ?? times.start ?? 0n;
  const end = trigger.endTime ?? times.end ?? start;
  const span = toSpan({
    traceId,
    id: trigger.spanId ?? uniqueTriggerId(traceId, byId),
    parentId: '',
    name: TRIGGER_SPAN_NAME,
    kind: 'internal',
    startTime: start,
    endTime: end,
    status: { code: 'STATUS_CODE_UNSET', message: '' },
    resource: new Map([['service.name', 'tracetest']]),
    scope: { name: 'tracelens', version: '', attributes: new Map() },
    attributes: new Map(trigger.attributes ?? []),
    events: [...(trigger.events ?? [])],
    links: [],
  });
  span.isTrigger = true;
  return span;
}

/** Deterministic, so reports of the same trace file are reproducible. */
function uniqueTriggerId(traceId: string, byId: Map<string, Span>): string {
  let seed = 0;
  for (;;) {
    const id = fnv1a64(`${traceId}:trigger:${seed++}`);
    if (!byId.has(id)) return id;
  }
}

function fnv1a64(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

function byStart(a: Span, b: Span): number {
  if (a.startTime !== b.startTime) return a.startTime < b.startTime ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Decoders mostly emit children in start order already; checking is much cheaper than sort()'s call per pair. */
function inStartOrder(children: readonly Span[]): boolean {
  for (let i = 1; i < children.length; i++) if (byStart(children[i - 1]!, children[i]!) > 0) return false;
  return true;
}

/** Pre-order walk, children by start time; spans caught in parent cycles are re-hung under the root. */
function order(root: Span, byId: Map<string, Span>, problems: TraceProblem[]): Span[] {
  const spans: Span[] = [];
  const walk = (top: Span, depth: number): void => {
    // Two parallel stacks: no object per span.
    const stack: Span[] = [top];
    const depths: number[] = [depth];
    const open: Span[] = [];
    while (stack.length > 0) {
      const span = stack.pop()!;
      const d = depths.pop()!;
      while (open.length > 0 && open[open.length - 1]!.depth >= d) open.pop()!.subtreeEnd = spans.length - 1;
      span.index = spans.length;
      span.depth = d;
      spans.push(span);
      open.push(span);
      if (!inStartOrder(span.children)) span.children.sort(byStart);
      for (let i = span.children.length - 1; i >= 0; i--) {
        stack.push(span.children[i]!);
        depths.push(d + 1);
      }
    }
    while (open.length > 0) open.pop()!.subtreeEnd = spans.length - 1;
  };
  walk(root, 0);
  if (spans.length === byId.size) return spans;

  // Spans not reached from the root sit in a parent cycle: cut each cycle at one span and hang it under the root.
  for (const span of byId.values()) {
    if (span.index >= 0) continue;
    const parent = span.parent!;
    parent.children.splice(parent.children.indexOf(span), 1);
    span.parent = root;
    adopt(root, span);
    problems.push({ code: 'cycle', spanId: span.id, message: `span ${span.id} ("${span.name}") is its own ancestor; it is shown under the trigger span` });
    markReached(span);
  }
  for (const span of byId.values()) span.index = -1;
  spans.length = 0;
  walk(root, 0);
  return spans;
}

function markReached(span: Span): void {
  const stack = [span];
  while (stack.length > 0) {
    const s = stack.pop()!;
    s.index = 0;
    for (const c of s.children) if (c.index < 0) stack.push(c);
  }
}

/**
 * One problem per span whose text the receiver cut (see truncate.ts), naming what was cut; resource and scope
 * attributes are shared by many spans and reported once, on the first span that has them.
 */
function reportTruncated(spans: readonly Span[], problems: TraceProblem[]): void {
  const cut: string[] = [];
  const note = (what: string, text: string): void => {
    const from = truncatedFrom(text);
    if (from !== undefined) cut.push(`${what} (${from.toLocaleString('en-US')} bytes)`);
  };
  const noteAll = (what: string, attributes: Attributes): void => {
    for (const [key, value] of attributes) {
      note(`the ${what} key ${short(key)}`, key);
      note(`${what} ${short(key)}`, value);
    }
  };
  // Cut text is rare: attributes are listed only when some key or value may end in the mark. A decoder's table is
  // scanned once, so spans whose rows are in a table without cut text skip their attributes.
  const tableCut = new Map<AttributeTable, boolean>();
  const mayBeCut = (attributes: Attributes): boolean => {
    if (!(attributes instanceof AttributeRow)) return mayHoldCutText(attributes);
    let cut = tableCut.get(attributes.table);
    if (cut === undefined) tableCut.set(attributes.table, (cut = hasCutText(attributes.table)));
    return cut;
  };
  // Shared attributes with cut text are reported once. Those without are remembered while few (decoders share a
  // resource among its spans); a trace whose every span has its own resource only checks each one.
  const reported = new Set<Attributes>();
  const clean = new Set<Attributes>();
  const noteShared = (what: 'resource' | 'scope', attributes: Attributes): void => {
    if (clean.has(attributes) || reported.has(attributes)) return;
    if (!mayHoldCutText(attributes)) {
      if (clean.size < SHARED_REMEMBERED) clean.add(attributes);
      return;
    }
    reported.add(attributes);
    noteAll(`${what} attribute`, attributes);
  };
  for (const span of spans) {
    if (span.isTrigger) continue;
    note('the name', span.name);
    note('the status message', span.status.message);
    if (mayBeCut(span.attributes)) noteAll('attribute', span.attributes);
    for (const event of span.events) {
      note('an event name', event.name);
      noteAll(`event ${short(event.name)} attribute`, event.attributes);
    }
    for (const link of span.links) noteAll('link attribute', link.attributes);
    noteShared('resource', span.resource);
    noteShared('scope', span.scope.attributes);
    if (cut.length === 0) continue;
    problems.push({
      code: 'truncated',
      spanId: span.id,
      message: `span ${span.id} ("${short(span.name)}"): ${cut.join(', ')} ${cut.length === 1 ? 'was' : 'were'} cut to the receiver's text limit (marked "…[truncated from N bytes]")`,
    });
    cut.length = 0;
  }
}

const SHARED_REMEMBERED = 1024;

/** Whether some key or value was cut: truncatedFrom fails nearly every text at its last character. */
function mayHoldCutText(attributes: Attributes): boolean {
  foundCut = false;
  attributes.forEach(noteCutEntry);
  return foundCut;
}

// forEach with one callback made once: listing entries or iterating keys allocates per span, which cost more here.
let foundCut = false;
function noteCutEntry(value: string, key: string): void {
  if (truncatedFrom(value) !== undefined || truncatedFrom(key) !== undefined) foundCut = true;
}

function hasCutText(table: AttributeTable): boolean {
  const isCut = (text: string): boolean => truncatedFrom(text) !== undefined;
  return table.keys.some(isCut) || table.entryValues.some(isCut);
}

function short(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
