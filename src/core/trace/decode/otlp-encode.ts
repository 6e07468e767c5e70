// Spans back to OTLP JSON (an ExportTraceServiceRequest with hex ids and string nanoseconds) so saved traces
// replay through decodeOtlpJson. Attribute values are already text in the span model, so they stay strings.
import type { Attributes, InstrumentationScope, RawSpan } from '../model';
import { SPAN_KINDS, STATUS_CODES } from './span-fields';

export interface OtlpJsonKeyValue {
  key: string;
  value: { stringValue: string };
}

export interface OtlpJsonSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpJsonKeyValue[];
  events: Array<{ timeUnixNano: string; name: string; attributes: OtlpJsonKeyValue[] }>;
  links: Array<{ traceId: string; spanId: string; attributes: OtlpJsonKeyValue[] }>;
  status: { code: number; message?: string };
}

export interface OtlpJsonScopeSpans {
  scope: { name: string; version: string; attributes: OtlpJsonKeyValue[] };
  spans: OtlpJsonSpan[];
}

export interface OtlpJsonExport {
  resourceSpans: Array<{ resource: { attributes: OtlpJsonKeyValue[] }; scopeSpans: OtlpJsonScopeSpans[] }>;
}

/** Spans grouped by resource, then by scope, each group in order of first appearance. */
export function encodeOtlpJson(spans: readonly RawSpan[]): OtlpJsonExport {
  const resources = new Map<string, { resource: { attributes: OtlpJsonKeyValue[] }; scopes: Map<string, OtlpJsonScopeSpans> }>();
  for (const span of spans) {
    const resourceKey = JSON.stringify([...span.resource]);
    let resource = resources.get(resourceKey);
    if (!resource) {
      resource = { resource: { attributes: keyValues(span.resource) }, scopes: new Map() };
      resources.set(resourceKey, resource);
    }
    const scopeKey = JSON.stringify([span.scope.name, span.scope.version, [...span.scope.attributes]]);
    let scope = resource.scopes.get(scopeKey);
    if (!scope) {
      scope = { scope: encodeScope(span.scope), spans: [] };
      resource.scopes.set(scopeKey, scope);
    }
    scope.spans.push(encodeSpan(span));
  }
  return { resourceSpans: [...resources.values()].map((r) => ({ resource: r.resource, scopeSpans: [...r.scopes.values()] })) };
}

function encodeScope(scope: InstrumentationScope): OtlpJsonScopeSpans['scope'] {
  return { name: scope.name, version: scope.version, attributes: keyValues(scope.attributes) };
}

function encodeSpan(span: RawSpan): OtlpJsonSpan {
  return {
    traceId: span.traceId,
    spanId: span.id,
    ...(span.parentId ? { parentSpanId: span.parentId } : {}),
    name: span.name,
    kind: SPAN_KINDS.indexOf(span.kind),
    startTimeUnixNano: span.startTime.toString(),
    endTimeUnixNano: span.endTime.toString(),
    attributes: keyValues(span.attributes),
    events: span.events.map((e) => ({ timeUnixNano: e.time.toString(), name: e.name, attributes: keyValues(e.attributes) })),
    links: span.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: keyValues(l.attributes) })),
    status: { code: STATUS_CODES.indexOf(span.status.code), ...(span.status.message ? { message: span.status.message } : {}) },
  };
}

function keyValues(attributes: Attributes): OtlpJsonKeyValue[] {
  return [...attributes].map(([key, value]) => ({ key, value: { stringValue: value } }));
}
