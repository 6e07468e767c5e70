// The one span model every part of Tracelens sees: decoders produce RawSpans,
// buildTrace() turns them into a Trace (tree, span order, synthesized attributes).

export type SpanKind = 'server' | 'client' | 'internal' | 'producer' | 'consumer' | 'unspecified';

export type StatusCode = 'STATUS_CODE_UNSET' | 'STATUS_CODE_OK' | 'STATUS_CODE_ERROR';

/**
 * Attribute values are text (language.md §1): see formatAttributeValue. Insertion order is kept for display.
 * Read-only and Map-like: small producers pass a Map; the hot decoders give rows of a table (attribute-rows.ts).
 */
export interface Attributes extends Iterable<[string, string]> {
  readonly size: number;
  get(key: string): string | undefined;
  has(key: string): boolean;
  keys(): IterableIterator<string>;
  values(): IterableIterator<string>;
  entries(): IterableIterator<[string, string]>;
  forEach(callback: (value: string, key: string, map: Attributes) => void, thisArg?: unknown): void;
}

export interface SpanEvent {
  name: string;
  /** Unix nanoseconds. */
  time: bigint;
  attributes: Attributes;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  attributes: Attributes;
}

export interface InstrumentationScope {
  name: string;
  version: string;
  attributes: Attributes;
}

/** A span as decoded from any source, before it is placed in a trace. Ids are lowercase hex. */
export interface RawSpan {
  traceId: string;
  id: string;
  /** '' when the span has no parent. */
  parentId: string;
  name: string;
  kind: SpanKind;
  /** Unix nanoseconds. */
  startTime: bigint;
  endTime: bigint;
  status: { code: StatusCode; message: string };
  resource: Attributes;
  scope: InstrumentationScope;
  attributes: Attributes;
  events: SpanEvent[];
  links: SpanLink[];
}

export interface Span extends RawSpan {
  /** Flattened view the languages see: resource, scope, span attributes, then synthesized ones. */
  flat: Attributes;
  parent: Span | undefined;
  children: Span[];
  /** Position in span order (pre-order, children by start time, ties by id). */
  index: number;
  /** Index of the last span in this span's subtree (inclusive): a descendant d has index < d.index <= subtreeEnd. */
  subtreeEnd: number;
  depth: number;
  /** True for the `Tracetest trigger` root span. */
  isTrigger: boolean;
}

export type TraceProblemCode = 'empty' | 'missing-parent' | 'duplicate-span-id' | 'multiple-roots' | 'mixed-trace-ids' | 'cycle' | 'truncated';

export interface TraceProblem {
  code: TraceProblemCode;
  message: string;
  spanId?: string;
}

export interface Trace {
  traceId: string;
  /** Every span in span order; spans[0] is the trigger span. */
  spans: Span[];
  byId: Map<string, Span>;
  root: Span;
  /** Things that were repaired or tolerated while building the trace, and text the receiver cut; never fatal. */
  problems: TraceProblem[];
}

/** What the run knows about the trigger; becomes the `Tracetest trigger` span. */
export interface TriggerInfo {
  /** Span id to give the trigger span (the parent id injected into `traceparent`); generated when absent. */
  spanId?: string;
  traceId?: string;
  startTime?: bigint;
  endTime?: bigint;
  /** Extra attributes, e.g. tracetest.response.status / body / headers for HTTP and gRPC triggers. */
  attributes?: Attributes;
  /** Events, e.g. a Playwright script's console messages. */
  events?: SpanEvent[];
}

export const TRIGGER_SPAN_NAME = 'Tracetest trigger';
