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
  return {
    resourceSpans: groupSpans(spans).map((r) => ({
      resource: { attributes: keyValues(r.resource) },
      scopeSpans: r.scopes.map((s) => ({ scope: encodeScope(s.scope), spans: s.spans.map(encodeSpan) })),
    })),
  };
}

export interface ResourceGroup {
  resource: Attributes;
  scopes: { scope: InstrumentationScope; spans: RawSpan[] }[];
}

/**
 * Spans grouped by resource, then by scope (equal attributes, not the same object), each group in order of first
 * appearance. Decoded spans share their resource and scope objects: each object's key is worked out once.
 */
export function groupSpans(spans: readonly RawSpan[]): ResourceGroup[] {
  const resources = new Map<string, { group: ResourceGroup; scopes: Map<string, ResourceGroup['scopes'][number]> }>();
  const resourceKeys = new Map<Attributes, string>();
  const scopeKeys = new Map<InstrumentationScope, string>();
  for (const span of spans) {
    let resourceKey = resourceKeys.get(span.resource);
    if (resourceKey === undefined) resourceKeys.set(span.resource, (resourceKey = attributesKey(span.resource)));
    let resource = resources.get(resourceKey);
    if (!resource) {
      resource = { group: { resource: span.resource, scopes: [] }, scopes: new Map() };
      resources.set(resourceKey, resource);
    }
    let scopeKey = scopeKeys.get(span.scope);
    if (scopeKey === undefined)
      scopeKeys.set(
        span.scope,
        (scopeKey = `${span.scope.name.length}:${span.scope.name}${span.scope.version.length}:${span.scope.version}${attributesKey(span.scope.attributes)}`),
      );
    let scope = resource.scopes.get(scopeKey);
    if (!scope) {
      scope = { scope: span.scope, spans: [] };
      resource.scopes.set(scopeKey, scope);
      resource.group.scopes.push(scope);
    }
    scope.spans.push(span);
  }
  return [...resources.values()].map((r) => r.group);
}

/** The attributes as text that equal attributes (in the same order) and only they share: each key and value behind its length. */
function attributesKey(attributes: Attributes): string {
  let key = '';
  attributes.forEach((value, k) => (key += `${k.length}:${k}${value.length}:${value}`));
  return key;
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
