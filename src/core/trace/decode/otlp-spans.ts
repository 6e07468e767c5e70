// Walks the ExportTraceServiceRequest shape into RawSpans. OTLP JSON and the protobufjs messages of OTLP
// protobuf use the same field names, so both decoders (and Tempo, and Jaeger's api_v3) share this walk.
import { AttributeTable } from '../attribute-rows';
import type { Attributes, InstrumentationScope, RawSpan, SpanEvent, SpanLink } from '../model';
import { keyValuesToAttributes } from './any-value';
import { isAbsentId, isZeroId, otlpIdToHex } from './ids';
import { toBigInt } from './int64';
import { NO_EVENTS, NO_LINKS, spanKindFrom, statusCodeFrom, statusOf } from './span-fields';
import type { DecodeError, DecodeResult } from './types';
import { describe, isRecord, joinPath, shapeError, show } from './types';

/** `{resourceSpans: [...]}`; an absent list is an empty trace. */
export function readExportRequest(doc: unknown, path: string, out: DecodeResult): DecodeError | undefined {
  if (!isRecord(doc)) return shapeError(path, 'an object with `resourceSpans`', doc);
  return readResourceSpansList(doc.resourceSpans, joinPath(path, 'resourceSpans'), out);
}

export function readResourceSpansList(list: unknown, path: string, out: DecodeResult): DecodeError | undefined {
  if (list == null) return undefined;
  if (!Array.isArray(list)) return shapeError(path, 'an array', list);
  for (let i = 0; i < list.length; i++) {
    const error = readResourceSpans(list[i], `${path}[${i}]`, out);
    if (error) return error;
  }
  return undefined;
}

// Current name first, then the pre-1.0 name that older exporters and Tempo versions still write.
const SCOPE_GROUPS = [
  ['scopeSpans', 'scope'],
  ['instrumentationLibrarySpans', 'instrumentationLibrary'],
] as const;

/** The table the spans of one decoding write their attributes to (attribute-rows.ts). */
const tables = new WeakMap<DecodeResult, AttributeTable>();

export function readResourceSpans(rs: unknown, path: string, out: DecodeResult): DecodeError | undefined {
  if (!isRecord(rs)) return shapeError(path, 'an object (ResourceSpans)', rs);
  let table = tables.get(out);
  if (!table) tables.set(out, (table = new AttributeTable()));
  const resource = isRecord(rs.resource)
    ? keyValuesToAttributes(rs.resource.attributes, `${path}.resource.attributes`, out.warnings)
    : new Map<string, string>();
  for (const [groupField, scopeField] of SCOPE_GROUPS) {
    const groups = rs[groupField];
    if (groups == null) continue;
    if (!Array.isArray(groups)) return shapeError(`${path}.${groupField}`, 'an array', groups);
    for (let g = 0; g < groups.length; g++) {
      const groupPath = `${path}.${groupField}[${g}]`;
      const group: unknown = groups[g];
      if (!isRecord(group)) return shapeError(groupPath, 'an object (ScopeSpans)', group);
      const scope = readScope(group[scopeField], `${groupPath}.${scopeField}`, out.warnings);
      const spans = group.spans;
      if (spans == null) continue;
      if (!Array.isArray(spans)) return shapeError(`${groupPath}.spans`, 'an array', spans);
      for (let s = 0; s < spans.length; s++) {
        const span = readSpan(spans[s], `${groupPath}.spans[${s}]`, resource, scope, table, out.warnings);
        if (span) out.spans.push(span);
      }
    }
  }
  return undefined;
}

function readScope(scope: unknown, path: string, warnings: string[]): InstrumentationScope {
  if (!isRecord(scope)) return { name: '', version: '', attributes: new Map() };
  return {
    name: typeof scope.name === 'string' ? scope.name : '',
    version: typeof scope.version === 'string' ? scope.version : '',
    attributes: keyValuesToAttributes(scope.attributes, `${path}.attributes`, warnings),
  };
}

function readSpan(
  span: unknown,
  path: string,
  resource: Attributes,
  scope: InstrumentationScope,
  table: AttributeTable,
  warnings: string[],
): RawSpan | undefined {
  if (!isRecord(span)) {
    warnings.push(`${path}: span skipped: expected an object, got ${describe(span)}`);
    return undefined;
  }
  const name = typeof span.name === 'string' ? span.name : '';
  const skip = (field: string, why: string): undefined => {
    warnings.push(`${path}.${field}: span "${name}" skipped: ${why}`);
    return undefined;
  };
  const traceId = readRequiredId(span.traceId, 16);
  if (typeof traceId !== 'object') return skip('traceId', traceId);
  const id = readRequiredId(span.spanId, 8);
  if (typeof id !== 'object') return skip('spanId', id);

  let parentId = '';
  if (!isAbsentId(span.parentSpanId)) {
    const parent = otlpIdToHex(span.parentSpanId, 8);
    if (parent === undefined) warnings.push(`${path}.parentSpanId: ${badId(span.parentSpanId, 8)}; span "${name}" is treated as a root`);
    else if (!isZeroId(parent)) parentId = parent;
  }

  let kind = spanKindFrom(span.kind ?? 0);
  if (kind === undefined) {
    warnings.push(`${path}.kind: unknown span kind ${show(span.kind)}; using unspecified`);
    kind = 'unspecified';
  }

  return {
    traceId: traceId.hex,
    id: id.hex,
    parentId,
    name,
    kind,
    startTime: readNanos(span.startTimeUnixNano, `${path}.startTimeUnixNano`, warnings),
    endTime: readNanos(span.endTimeUnixNano, `${path}.endTimeUnixNano`, warnings),
    status: readStatus(span.status, `${path}.status`, warnings),
    resource,
    scope,
    attributes: keyValuesToAttributes(span.attributes, `${path}.attributes`, warnings, table),
    events: readEvents(span.events, `${path}.events`, warnings),
    links: readLinks(span.links, `${path}.links`, warnings),
  };
}

/** The id as hex, or why it is unusable. */
function readRequiredId(value: unknown, bytes: 8 | 16): { hex: string } | string {
  if (isAbsentId(value)) return 'missing id';
  const hex = otlpIdToHex(value, bytes);
  if (hex === undefined) return badId(value, bytes);
  if (isZeroId(hex)) return 'the id is all zeros';
  return { hex };
}

function badId(value: unknown, bytes: 8 | 16): string {
  return `${typeof value === 'string' ? show(value) : describe(value)} is not a ${bytes * 2}-digit hex or ${bytes}-byte base64 id`;
}

function readNanos(value: unknown, path: string, warnings: string[]): bigint {
  const nanos = toBigInt(value ?? 0);
  if (nanos !== undefined && nanos >= 0n) return nanos;
  warnings.push(`${path}: ${show(value)} is not a Unix time in nanoseconds; using 0`);
  return 0n;
}

function readStatus(status: unknown, path: string, warnings: string[]): RawSpan['status'] {
  if (!isRecord(status)) return statusOf('STATUS_CODE_UNSET', '');
  let code = statusCodeFrom(status.code ?? 0);
  if (code === undefined) {
    warnings.push(`${path}.code: unknown status code ${show(status.code)}; using STATUS_CODE_UNSET`);
    code = 'STATUS_CODE_UNSET';
  }
  return statusOf(code, typeof status.message === 'string' ? status.message : '');
}

function readEvents(events: unknown, path: string, warnings: string[]): SpanEvent[] {
  if (!Array.isArray(events) || events.length === 0) return NO_EVENTS;
  const out: SpanEvent[] = [];
  events.forEach((event: unknown, i) => {
    if (!isRecord(event)) return;
    out.push({
      name: typeof event.name === 'string' ? event.name : '',
      time: readNanos(event.timeUnixNano, `${path}[${i}].timeUnixNano`, warnings),
      attributes: keyValuesToAttributes(event.attributes, `${path}[${i}].attributes`, warnings),
    });
  });
  return out;
}

function readLinks(links: unknown, path: string, warnings: string[]): SpanLink[] {
  if (!Array.isArray(links) || links.length === 0) return NO_LINKS;
  const out: SpanLink[] = [];
  links.forEach((link: unknown, i) => {
    if (!isRecord(link)) return;
    const traceId = readRequiredId(link.traceId, 16);
    const spanId = readRequiredId(link.spanId, 8);
    if (typeof traceId !== 'object' || typeof spanId !== 'object') {
      warnings.push(`${path}[${i}]: link skipped: ${typeof traceId !== 'object' ? `traceId: ${traceId}` : `spanId: ${spanId as string}`}`);
      return;
    }
    out.push({ traceId: traceId.hex, spanId: spanId.hex, attributes: keyValuesToAttributes(link.attributes, `${path}[${i}].attributes`, warnings) });
  });
  return out;
}
