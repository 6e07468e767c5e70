// A trace for the trace panel, shaped to cross the webview boundary fast: every string once in a table, spans as
// typed-array columns of numbers (one entry per span, in span order), attributes as one flat column of string indexes,
// times as nanoseconds after the trace's first start (exact: a double holds 104 days of nanoseconds). A typed array
// crosses postMessage as one copy of its buffer (VS Code sends each buffer beside the JSON of the rest), so a 100k-span
// trace is a dozen memcpys and two long strings (the span ids and the string table, each packed into one) instead of
// millions of values to serialize one by one. The tree (each span's parent by index) and the
// problems found while building the trace travel as they are: `fromWireTrace` gives back the Trace the run judged,
// span by span in one pass, without building it again, so the webview runs selectors and assertions on exactly what
// the run saw.
import { SPAN_KINDS, STATUS_CODES } from './decode/span-fields';
import { readAttributeColumnsWith } from './columns';
import { FlatAttributes } from './flat';
import { WireAttributes, WireKeys } from './wire-attributes';
import { ID_LENGTH, WireSpanIndex } from './wire-ids';
import type { Attributes, Span, Trace, TraceProblem } from './model';

/** Each column owns its buffer: VS Code sends a view's whole buffer, so columns never share one. */
export interface WireSpans {
  /** Every span's id, 16 hex digits each, one after another: one string to clone instead of one per span. */
  ids: string;
  /**
   * The parent ids that are not the tree parent's id, as span index, parent id: '' for none (the trigger span, the
   * trace's roots under it), or a span that is not in the trace (repaired). Every other span's is its parent's id.
   */
  parentIds: Array<[number, string]>;
  /** The parent in the tree by span index (-1 for the trigger span, the first): the tree as built, repairs included. */
  parents: Int32Array;
  /** String indexes. */
  names: Uint32Array;
  /** OTLP's enum numbers (SPAN_KINDS / STATUS_CODES). */
  kinds: Uint8Array;
  statuses: Uint8Array;
  statusMessages: Uint32Array;
  /** Nanoseconds after `t0`, integers. */
  starts: Float64Array;
  ends: Float64Array;
  /** Indexes into WireTrace.resources / scopes. */
  resources: Uint32Array;
  scopes: Uint32Array;
  /** Span i's attributes are attributes[attributeOffsets[i] .. attributeOffsets[i + 1]), as key, value, key, value… */
  attributeOffsets: Uint32Array;
  attributes: Uint32Array;
}

export interface WireEvent {
  span: number;
  name: number;
  /** Nanoseconds after `t0` (negative when earlier). */
  time: number;
  attributes: number[];
}

export interface WireLink {
  span: number;
  traceId: string;
  spanId: string;
  attributes: number[];
}

export interface WireTrace {
  traceId: string;
  /** Unix nanoseconds that span times count from, decimal. */
  t0: string;
  /** The string table, every string once, one after another: string i ends at `stringEnds[i]` (one string to clone). */
  strings: string;
  stringEnds: Uint32Array;
  /** Each as key, value, key, value… string indexes. */
  resources: number[][];
  /** Each as name, version, then key, value… string indexes. */
  scopes: number[][];
  spans: WireSpans;
  events: WireEvent[];
  links: WireLink[];
  problems: TraceProblem[];
}

export function toWireTrace(trace: Trace): WireTrace {
  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const s = (text: string): number => {
    let i = stringIndex.get(text);
    if (i === undefined) stringIndex.set(text, (i = strings.push(text) - 1));
    return i;
  };
  const flat = (attributes: Attributes, out: number[] = []): number[] => {
    for (const [k, v] of attributes) out.push(s(k), s(v));
    return out;
  };
  const resources: number[][] = [];
  const scopes: number[][] = [];
  // Decoders share one map per resource and scope object; equal content from different objects is merged too.
  const byObject = new Map<object, number>();
  const byContent = new Map<string, number>();
  const shared = (key: object, list: number[][], encode: () => number[]): number => {
    let i = byObject.get(key);
    if (i !== undefined) return i;
    const encoded = encode();
    const content = `${list === resources ? 'r' : 's'}${encoded.join(',')}`;
    i = byContent.get(content);
    if (i === undefined) byContent.set(content, (i = list.push(encoded) - 1));
    byObject.set(key, i);
    return i;
  };

  let t0: bigint | undefined;
  for (const span of trace.spans) if (t0 === undefined || span.startTime < t0) t0 = span.startTime;
  const base = t0 ?? 0n;
  const ns = (t: bigint) => Number(t - base);
  const n = trace.spans.length;
  let attributeCount = 0;
  for (const span of trace.spans) attributeCount += 2 * span.attributes.size;
  const ids: string[] = new Array(n);
  const spans: Omit<WireSpans, 'ids'> = {
    parentIds: [],
    parents: new Int32Array(n),
    names: new Uint32Array(n),
    kinds: new Uint8Array(n),
    statuses: new Uint8Array(n),
    statusMessages: new Uint32Array(n),
    starts: new Float64Array(n),
    ends: new Float64Array(n),
    resources: new Uint32Array(n),
    scopes: new Uint32Array(n),
    attributeOffsets: new Uint32Array(n + 1),
    attributes: new Uint32Array(attributeCount),
  };
  let at = 0;
  const events: WireEvent[] = [];
  const links: WireLink[] = [];
  trace.spans.forEach((span, i) => {
    // An id of another length would shift every later one: it crosses as one the page's check refuses, as before.
    ids[i] = span.id.length === ID_LENGTH ? span.id : '?'.repeat(ID_LENGTH);
    const parentId = span.isTrigger ? '' : span.parentId;
    if (parentId !== (span.parent?.id ?? '')) spans.parentIds.push([i, parentId]);
    spans.parents[i] = span.parent ? span.parent.index : -1;
    spans.names[i] = s(span.name);
    spans.kinds[i] = Math.max(0, SPAN_KINDS.indexOf(span.kind));
    spans.statuses[i] = Math.max(0, STATUS_CODES.indexOf(span.status.code));
    spans.statusMessages[i] = s(span.status.message);
    spans.starts[i] = ns(span.startTime);
    spans.ends[i] = ns(span.endTime);
    spans.resources[i] = shared(span.resource, resources, () => flat(span.resource));
    spans.scopes[i] = shared(span.scope, scopes, () => flat(span.scope.attributes, [s(span.scope.name), s(span.scope.version)]));
    spans.attributeOffsets[i] = at;
    for (const [k, v] of span.attributes) {
      spans.attributes[at++] = s(k);
      spans.attributes[at++] = s(v);
    }
    for (const e of span.events) events.push({ span: i, name: s(e.name), time: ns(e.time), attributes: flat(e.attributes) });
    for (const l of span.links) links.push({ span: i, traceId: l.traceId, spanId: l.spanId, attributes: flat(l.attributes) });
  });
  spans.attributeOffsets[n] = at;
  const stringEnds = new Uint32Array(strings.length);
  let end = 0;
  strings.forEach((text, i) => (stringEnds[i] = end += text.length));
  return {
    traceId: trace.traceId,
    t0: base.toString(),
    strings: strings.join(''),
    stringEnds,
    resources,
    scopes,
    spans: { ids: ids.join(''), ...spans },
    events,
    links,
    problems: trace.problems,
  };
}

/** Shared by the spans with no children, events or links (most of a trace): one array fewer per span and list. */
const NONE = Object.freeze([]) as unknown as never[];

/** What the spans read back from one wire share: its columns, the string table, resources, scopes and statuses. */
class WireSource {
  readonly t0: bigint;
  readonly resources: Attributes[];
  readonly scopes: Span['scope'][];
  readonly keys: WireKeys;
  private readonly statuses = new Map<number, Span['status']>();

  constructor(
    readonly wire: WireTrace,
    readonly strings: readonly string[],
  ) {
    this.t0 = BigInt(wire.t0);
    this.resources = wire.resources.map((r) => this.map(r));
    this.scopes = wire.scopes.map((s) => ({ name: strings[s[0]!] ?? '', version: strings[s[1]!] ?? '', attributes: this.map(s, 2) }));
    this.keys = new WireKeys(strings, wire.spans.attributes);
  }

  map(list: ArrayLike<number>, from = 0, to = list.length): Attributes {
    const m = new Map<string, string>();
    for (let i = from; i + 1 < to; i += 2) m.set(this.strings[list[i]!]!, this.strings[list[i + 1]!]!);
    return m;
  }

  /** Spans of equal status share one status object. */
  status(i: number): Span['status'] {
    const { statuses: codes, statusMessages } = this.wire.spans;
    const key = statusMessages[i]! * STATUS_CODES.length + codes[i]!;
    let status = this.statuses.get(key);
    if (!status) this.statuses.set(key, (status = { code: STATUS_CODES[codes[i]!]!, message: this.strings[statusMessages[i]!]! }));
    return status;
  }
}

/**
 * A span read back from the wire: the tree is in its fields; the rest is read from the columns when asked for (times
 * become bigints, attributes and the flat view objects, only then), so showing a trace makes one small object per span.
 */
class WireSpan implements Span {
  children: Span[] = NONE;
  subtreeEnd: number;
  readonly depth: number;
  events: Span['events'] = NONE;
  links: Span['links'] = NONE;
  private attributeView: WireAttributes | undefined;
  private flatView: FlatAttributes | undefined;

  constructor(
    private readonly source: WireSource,
    readonly id: string,
    readonly parentId: string,
    readonly parent: Span | undefined,
    readonly index: number,
  ) {
    this.subtreeEnd = index;
    this.depth = parent ? parent.depth + 1 : 0;
  }

  get traceId(): string {
    return this.source.wire.traceId;
  }
  get name(): string {
    return this.source.strings[this.source.wire.spans.names[this.index]!]!;
  }
  get kind(): Span['kind'] {
    return SPAN_KINDS[this.source.wire.spans.kinds[this.index]!]!;
  }
  get startTime(): bigint {
    return this.source.t0 + BigInt(this.source.wire.spans.starts[this.index]!);
  }
  get endTime(): bigint {
    return this.source.t0 + BigInt(this.source.wire.spans.ends[this.index]!);
  }
  get status(): Span['status'] {
    return this.source.status(this.index);
  }
  get resource(): Attributes {
    return this.source.resources[this.source.wire.spans.resources[this.index]!]!;
  }
  get scope(): Span['scope'] {
    return this.source.scopes[this.source.wire.spans.scopes[this.index]!]!;
  }
  get attributes(): Attributes {
    const offsets = this.source.wire.spans.attributeOffsets;
    return (this.attributeView ??= new WireAttributes(this.source.keys, offsets[this.index]!, offsets[this.index + 1]!));
  }
  get flat(): Attributes {
    return (this.flatView ??= new FlatAttributes(this));
  }
  get isTrigger(): boolean {
    return this.index === 0;
  }
}

/** The string table: `text` cut at `ends`. */
function unpackStrings(text: string, ends: Uint32Array): string[] {
  // Pushed, not preallocated: `new Array(100_000)` is a slow dictionary-mode array in V8.
  const strings: string[] = [];
  let from = 0;
  for (let i = 0; i < ends.length; i++) strings.push(text.slice(from, (from = ends[i]!)));
  return strings;
}

/**
 * The trace `toWireTrace` was given, span by span in one pass. Attributes and the flat view are read from the columns
 * key by key and become Maps only when iterated (see wire-attributes.ts). Expects a wire the protocol check passed:
 * `parents` name earlier spans, in pre-order.
 */
export function fromWireTrace(wire: WireTrace): Trace {
  const source = new WireSource(wire, unpackStrings(wire.strings, wire.stringEnds));
  const { spans: w } = wire;
  const n = w.ids.length / ID_LENGTH;
  const parentIds = new Map(w.parentIds);
  const spans: Span[] = [];
  for (let i = 0; i < n; i++) {
    const parent = i === 0 ? undefined : spans[w.parents[i]!];
    const id = w.ids.slice(i * ID_LENGTH, (i + 1) * ID_LENGTH);
    const span = new WireSpan(source, id, parentIds.get(i) ?? parent?.id ?? '', parent, i);
    if (parent) {
      if (parent.children === NONE) parent.children = [span];
      else parent.children.push(span);
    }
    spans.push(span);
  }
  // Pre-order: a subtree ends where its last child's does.
  for (let i = n - 1; i > 0; i--) {
    const parent = spans[w.parents[i]!]!;
    if (spans[i]!.subtreeEnd > parent.subtreeEnd) parent.subtreeEnd = spans[i]!.subtreeEnd;
  }
  for (const e of wire.events) {
    const span = spans[e.span]!;
    if (span.events === NONE) span.events = [];
    span.events.push({ name: source.strings[e.name]!, time: source.t0 + BigInt(e.time), attributes: source.map(e.attributes) });
  }
  for (const l of wire.links) {
    const span = spans[l.span]!;
    if (span.links === NONE) span.links = [];
    span.links.push({ traceId: l.traceId, spanId: l.spanId, attributes: source.map(l.attributes) });
  }
  const trace: Trace = { traceId: wire.traceId, spans, byId: new WireSpanIndex(w.ids, spans), root: spans[0]!, problems: wire.problems };
  readAttributeColumnsWith(trace, (key) => wireAttributeColumn(source, trace, key));
  return trace;
}

/**
 * The values of an attribute key by span (the span's own, else its scope's, else its resource's) read from the
 * wire's columns in one pass, as columns.ts makes an attribute column: the first span clicked in the panel reads two
 * dozen of them, which span by span through each span's attributes cost ten times as much. Undefined for a wire that
 * holds the key's text at two string indexes.
 */
function wireAttributeColumn(source: WireSource, trace: Trace, key: string): Array<string | undefined> | undefined {
  const k = source.keys.of(key);
  if (k === -1) return undefined;
  const { strings } = source;
  const { attributeOffsets: offsets, attributes: list, scopes, resources } = source.wire.spans;
  const byScope = source.scopes.map((scope) => scope.attributes.get(key));
  const byResource = source.resources.map((resource) => resource.get(key));
  return trace.spans.map((_, i) => {
    if (k !== undefined) for (let at = offsets[i]!, end = offsets[i + 1]!; at < end; at += 2) if (list[at] === k) return strings[list[at + 1]!];
    return byScope[scopes[i]!] ?? byResource[resources[i]!];
  });
}
