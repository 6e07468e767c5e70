// A trace for the trace panel, shaped to cross the webview boundary fast: every string once in a table, spans as
// typed-array columns of numbers (one entry per span, in span order), attributes as one flat column of string indexes,
// times as nanoseconds after the trace's first start (exact: a double holds 104 days of nanoseconds). A typed array
// crosses postMessage as one copy of its buffer (VS Code sends each buffer beside the JSON of the rest), so a 100k-span
// trace is a dozen memcpys and two arrays of strings instead of millions of values to serialize one by one. The tree (each span's parent by index) and the
// problems found while building the trace travel as they are: `fromWireTrace` gives back the Trace the run judged,
// span by span in one pass, without building it again, so the webview runs selectors and assertions on exactly what
// the run saw.
import { SPAN_KINDS, STATUS_CODES } from './decode/span-fields';
import { FlatAttributes } from './flat';
import { WireAttributes, WireKeys } from './wire-attributes';
import type { Attributes, Span, Trace, TraceProblem } from './model';

/** Each column owns its buffer: VS Code sends a view's whole buffer, so columns never share one. */
export interface WireSpans {
  /** 16 hex each. */
  ids: string[];
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
  strings: string[];
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
  const spans: WireSpans = {
    ids: new Array(n),
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
    spans.ids[i] = span.id;
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
  return { traceId: trace.traceId, t0: base.toString(), strings, resources, scopes, spans, events, links, problems: trace.problems };
}

/** Shared by the spans with no children, events or links (most of a trace): one array fewer per span and list. */
const NONE = Object.freeze([]) as unknown as never[];

/**
 * The trace `toWireTrace` was given, span by span in one pass. Attributes and the flat view are read from the columns
 * key by key and become Maps only when iterated (see wire-attributes.ts); spans of equal status share one status
 * object. Expects a wire the protocol check passed: `parents` name earlier spans, in pre-order.
 */
export function fromWireTrace(wire: WireTrace): Trace {
  const { strings, spans: w } = wire;
  const t0 = BigInt(wire.t0);
  const map = (list: ArrayLike<number>, from = 0, to = list.length): Attributes => {
    const m = new Map<string, string>();
    for (let i = from; i + 1 < to; i += 2) m.set(strings[list[i]!]!, strings[list[i + 1]!]!);
    return m;
  };
  const resources = wire.resources.map((r) => map(r));
  const scopes = wire.scopes.map((s) => ({ name: strings[s[0]!] ?? '', version: strings[s[1]!] ?? '', attributes: map(s, 2) }));
  const statuses = new Map<number, Span['status']>();
  const statusOf = (code: number, message: number): Span['status'] => {
    const key = message * STATUS_CODES.length + code;
    let status = statuses.get(key);
    if (!status) statuses.set(key, (status = { code: STATUS_CODES[code]!, message: strings[message]! }));
    return status;
  };
  const n = w.ids.length;
  const parentIds = new Map(w.parentIds);
  const keys = new WireKeys(strings, w.attributes);
  // Pushed, not preallocated: `new Array(100_000)` is a slow dictionary-mode array in V8.
  const spans: Span[] = [];
  const byId = new Map<string, Span>();
  for (let i = 0; i < n; i++) {
    const parent = i === 0 ? undefined : spans[w.parents[i]!];
    // The fields in buildTrace's order: all spans share one hidden class.
    const span: Span = {
      traceId: wire.traceId,
      id: w.ids[i]!,
      parentId: parentIds.get(i) ?? parent?.id ?? '',
      name: strings[w.names[i]!]!,
      kind: SPAN_KINDS[w.kinds[i]!]!,
      startTime: t0 + BigInt(w.starts[i]!),
      endTime: t0 + BigInt(w.ends[i]!),
      status: statusOf(w.statuses[i]!, w.statusMessages[i]!),
      resource: resources[w.resources[i]!]!,
      scope: scopes[w.scopes[i]!]!,
      attributes: new WireAttributes(keys, w.attributeOffsets[i]!, w.attributeOffsets[i + 1]!),
      events: NONE,
      links: NONE,
      flat: undefined!,
      parent,
      children: NONE,
      index: i,
      subtreeEnd: i,
      depth: parent ? parent.depth + 1 : 0,
      isTrigger: i === 0,
    };
    span.flat = new FlatAttributes(span);
    if (parent) {
      if (parent.children === NONE) parent.children = [span];
      else parent.children.push(span);
    }
    spans.push(span);
    byId.set(span.id, span);
  }
  // Pre-order: a subtree ends where its last child's does.
  for (let i = n - 1; i > 0; i--) {
    const parent = spans[w.parents[i]!]!;
    if (spans[i]!.subtreeEnd > parent.subtreeEnd) parent.subtreeEnd = spans[i]!.subtreeEnd;
  }
  for (const e of wire.events) {
    const span = spans[e.span]!;
    if (span.events === NONE) span.events = [];
    span.events.push({ name: strings[e.name]!, time: t0 + BigInt(e.time), attributes: map(e.attributes) });
  }
  for (const l of wire.links) {
    const span = spans[l.span]!;
    if (span.links === NONE) span.links = [];
    span.links.push({ traceId: l.traceId, spanId: l.spanId, attributes: map(l.attributes) });
  }
  return { traceId: wire.traceId, spans, byId, root: spans[0]!, problems: wire.problems };
}
