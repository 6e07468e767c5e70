// A trace as plain JSON for the trace panel: no bigint (times are decimal nanosecond strings), resources and
// scopes listed once and referenced by index (a 10k-span trace has a handful of each). `fromWireTrace` gives back
// the same Trace, built by `buildTrace`, so the webview runs selectors and assertions on exactly what the run saw.
import { buildTrace } from './build';
import type { Attributes, RawSpan, SpanKind, StatusCode, Trace } from './model';

export type WireAttributes = Array<[string, string]>;

export interface WireScope {
  name: string;
  version: string;
  attributes: WireAttributes;
}

export interface WireSpan {
  id: string;
  parentId: string;
  name: string;
  kind: SpanKind;
  /** Unix nanoseconds, decimal. */
  start: string;
  end: string;
  status: StatusCode;
  statusMessage: string;
  /** Index into WireTrace.resources / scopes. */
  resource: number;
  scope: number;
  attributes: WireAttributes;
  events: Array<{ name: string; time: string; attributes: WireAttributes }>;
  links: Array<{ traceId: string; spanId: string; attributes: WireAttributes }>;
}

export interface WireTrace {
  traceId: string;
  resources: WireAttributes[];
  scopes: WireScope[];
  spans: WireSpan[];
}

export function toWireTrace(trace: Trace): WireTrace {
  const resources: WireAttributes[] = [];
  const scopes: WireScope[] = [];
  const resourceIndex = new Map<Attributes, number>();
  const scopeIndex = new Map<RawSpan['scope'], number>();
  // Decoders share one map per resource and scope object; equal content from different objects is merged too.
  const resourceByText = new Map<string, number>();
  const scopeByText = new Map<string, number>();
  const indexOf = <K, V>(key: K, byObject: Map<K, number>, byText: Map<string, number>, list: V[], value: () => V): number => {
    let i = byObject.get(key);
    if (i !== undefined) return i;
    const v = value();
    const text = JSON.stringify(v);
    i = byText.get(text);
    if (i === undefined) {
      i = list.push(v) - 1;
      byText.set(text, i);
    }
    byObject.set(key, i);
    return i;
  };
  const spans = trace.spans.map(
    (s): WireSpan => ({
      id: s.id,
      parentId: s.isTrigger ? '' : s.parentId,
      name: s.name,
      kind: s.kind,
      start: s.startTime.toString(),
      end: s.endTime.toString(),
      status: s.status.code,
      statusMessage: s.status.message,
      resource: indexOf(s.resource, resourceIndex, resourceByText, resources, () => [...s.resource]),
      scope: indexOf(s.scope, scopeIndex, scopeByText, scopes, () => ({ name: s.scope.name, version: s.scope.version, attributes: [...s.scope.attributes] })),
      attributes: [...s.attributes],
      events: s.events.map((e) => ({ name: e.name, time: e.time.toString(), attributes: [...e.attributes] })),
      links: s.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: [...l.attributes] })),
    }),
  );
  return { traceId: trace.traceId, resources, scopes, spans };
}

export function fromWireTrace(wire: WireTrace): Trace {
  const resources = wire.resources.map((r) => new Map(r));
  const scopes = wire.scopes.map((s) => ({ name: s.name, version: s.version, attributes: new Map(s.attributes) }));
  const raw = wire.spans.map(
    (s): RawSpan => ({
      traceId: wire.traceId,
      id: s.id,
      parentId: s.parentId,
      name: s.name,
      kind: s.kind,
      startTime: BigInt(s.start),
      endTime: BigInt(s.end),
      status: { code: s.status, message: s.statusMessage },
      resource: resources[s.resource] ?? new Map(),
      scope: scopes[s.scope] ?? { name: '', version: '', attributes: new Map() },
      attributes: new Map(s.attributes),
      events: s.events.map((e) => ({ name: e.name, time: BigInt(e.time), attributes: new Map(e.attributes) })),
      links: s.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: new Map(l.attributes) })),
    }),
  );
  return buildTrace(raw, { traceId: wire.traceId });
}
