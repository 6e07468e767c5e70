import type { Attributes, InstrumentationScope, RawSpan, Span, SpanEvent, SpanKind, SpanLink, Trace, TraceProblem, TriggerInfo } from './model';
import { TRIGGER_SPAN_NAME } from './model';
import { AttributeRow, type AttributeTable } from './attribute-rows';
import { keepColumn } from './columns';
import { FlatAttributes, flatValue } from './flat';
import { SpanIndex } from './span-index';
import { truncatedFrom } from './truncate';

/** The value a selector filter or an `attr:` reference reads: `name` and `kind` are span properties. */
export function spanValue(span: Span, key: string): string | undefined {
  if (key === 'name') return span.name;
  if (key === 'kind') return span.kind;
  // A built span answers from its fields without making its flat view; others (read back from the wire, masked
  // copies) have their own view.
  return span instanceof BuiltSpan ? flatValue(span, key) : span.flat.get(key);
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
  const byId = new SpanIndex(raw.length + 1);
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
    const span = new BuiltSpan(r);
    if (byId.add(span)) {
      problems.push({ code: 'duplicate-span-id', spanId: r.id, message: `span id ${r.id} appears more than once ("${r.name}"); the first one is kept` });
      continue;
    }
    if (r.name === TRIGGER_SPAN_NAME) triggerNamed.push(span);
  }
  const traceId = trigger.traceId ?? (oneTraceId && firstTraceId !== undefined ? firstTraceId : dominantTraceId(raw, problems));

  const root = triggerSpan(byId, triggerNamed, traceId, times, trigger);
  // A span the trigger's own id replaces is in no list from here on, as a Map set again under that id would have it.
  byId.put(root);

  const all = byId.spans();
  const parentless: Span[] = [];
  for (const span of all) {
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

  // Every query on a new trace reads `name` first: its column is made in the walk, which reads each span anyway.
  const names: string[] = [];
  const spans = order(root, all, problems, names);
  reportTruncated(spans, problems);
  const trace = { traceId, spans, byId, root, problems };
  keepColumn(trace, 'name', names);
  return trace;
}

/**
 * A span of a built trace: the fields the engine reads of every span are its own, the rest are read from its raw
 * span (which it keeps) when asked for. Half the fields of a span that copied them all: making 100k of them, and the
 * collector copying them, was most of building a trace. All spans share one hidden class.
 */
class BuiltSpan implements Span {
  // Set by the constructor, from the raw span.
  declare id: string;
  declare parentId: string;
  declare name: string;
  declare startTime: bigint;
  declare attributes: Attributes;
  declare resource: Attributes;
  declare scope: InstrumentationScope;
  parent: Span | undefined = undefined;
  children: Span[] = NO_CHILDREN;
  index = -1;
  subtreeEnd = -1;
  depth = 0;
  isTrigger = false;
  // Private fields (#): a spread of the span (redact's copies) leaves them out, as it leaves out the getters.
  #raw: RawSpan;
  #flat: FlatAttributes | undefined = undefined;

  constructor(raw: RawSpan) {
    this.#raw = raw;
    this.id = raw.id;
    this.parentId = raw.parentId;
    this.name = raw.name;
    this.startTime = raw.startTime;
    this.attributes = raw.attributes;
    this.resource = raw.resource;
    this.scope = raw.scope;
  }

  get traceId(): string {
    return this.#raw.traceId;
  }
  get kind(): SpanKind {
    return this.#raw.kind;
  }
  get endTime(): bigint {
    return this.#raw.endTime;
  }
  get status(): Span['status'] {
    return this.#raw.status;
  }
  get events(): SpanEvent[] {
    return this.#raw.events;
  }
  get links(): SpanLink[] {
    return this.#raw.links;
  }
  /** Made on first use: most spans' flat view is never listed, and single keys are read from the span itself. */
  get flat(): Attributes {
    return (this.#flat ??= new FlatAttributes(this));
  }
}

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
  byId: SpanIndex,
  triggerNamed: readonly Span[],
  traceId: string,
  times: { start: bigint | undefined; end: bigint | undefined },
  trigger: TriggerInfo,
): Span {
  const existing = triggerNamed.find((s) => !s.parentId || !byId.has(s.parentId));
  if (existing) {
    existing.parentId = '';
    // The raw span's maps may be shared with the caller's input: copy before adding.
    existing.attributes = new Map([...existing.attributes, ...(trigger.attributes ?? [])]);
    existing.isTrigger = true;
    return existing;
  }
  const start = trigger.startTime ?? times.start ?? 0n;
  const end = trigger.endTime ?? times.end ?? start;
  const span = new BuiltSpan({
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
function uniqueTriggerId(traceId: string, byId: SpanIndex): string {
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

/** Pre-order walk, children by start time; spans caught in parent cycles are re-hung under the root. `names`: theirs, in that order. */
function order(root: Span, all: readonly Span[], problems: TraceProblem[], names: string[]): Span[] {
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
      names.push(span.name);
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
  if (spans.length === all.length) return spans;

  // Spans not reached from the root sit in a parent cycle: cut each cycle at one span and hang it under the root.
  for (const span of all) {
    if (span.index >= 0) continue;
    const parent = span.parent!;
    parent.children.splice(parent.children.indexOf(span), 1);
    span.parent = root;
    adopt(root, span);
    problems.push({ code: 'cycle', spanId: span.id, message: `span ${span.id} ("${span.name}") is its own ancestor; it is shown under the trigger span` });
    markReached(span);
  }
  for (const span of all) span.index = -1;
  spans.length = names.length = 0;
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
