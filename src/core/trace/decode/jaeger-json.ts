// Jaeger query JSON (`GET /api/traces/{id}`): `{data: [{traceID, spans, processes}]}`, the single-trace object
// itself, and the OTLP-shaped `api_v3` answer `{result: {resourceSpans}}`. Times are microseconds; Jaeger keeps
// OpenTelemetry's span kind, status and scope in tags, which become span fields here instead of attributes.
import type { Result } from '../../text-position';
import type { Attributes, InstrumentationScope, RawSpan, SpanEvent, SpanKind, SpanLink, StatusCode } from '../model';
import type { AttributeValue } from '../values';
import { formatAttributeValue } from '../values';
import { numberOrText } from './any-value';
import { runDecoder } from './guard';
import { isZeroId, jaegerIdToHex } from './ids';
import { toBigInt } from './int64';
import { readExportRequest } from './otlp-spans';
import { spanKindFrom, statusCodeFrom } from './span-fields';
import type { DecodeError, DecodeResult } from './types';
import { describe, isRecord, joinPath, shapeError, show } from './types';

export function decodeJaegerJson(doc: unknown): Result<DecodeResult, DecodeError> {
  return runDecoder((out) => readJaegerDocument(doc, out));
}

function readJaegerDocument(doc: unknown, out: DecodeResult): DecodeError | undefined {
  if (!isRecord(doc)) return shapeError('', 'a Jaeger trace (an object with `data`)', doc);
  if ('data' in doc) {
    const data = doc.data;
    const reported = jaegerErrors(doc.errors);
    if (data == null || (Array.isArray(data) && data.length === 0)) {
      if (reported.length > 0) return { message: `Jaeger reported an error: ${reported.join('; ')}`, path: 'errors' };
      return undefined;
    }
    if (!Array.isArray(data)) return shapeError('data', 'an array of traces', data);
    for (const message of reported) out.warnings.push(`errors: Jaeger reported an error: ${message}`);
    for (let i = 0; i < data.length; i++) {
      const error = readJaegerTrace(data[i], `data[${i}]`, out);
      if (error) return error;
    }
    return undefined;
  }
  if ('spans' in doc) return readJaegerTrace(doc, '', out);
  if ('result' in doc) return readExportRequest(doc.result, 'result', out);
  return shapeError('', 'a Jaeger trace (an object with `data`, `spans` or `result`)', doc);
}

function jaegerErrors(errors: unknown): string[] {
  if (!Array.isArray(errors)) return [];
  return errors.map((e: unknown) => {
    if (!isRecord(e)) return show(e);
    const msg = typeof e.msg === 'string' ? e.msg : show(e);
    return e.code != null ? `${msg} (${show(e.code)})` : msg;
  });
}

function readJaegerTrace(trace: unknown, path: string, out: DecodeResult): DecodeError | undefined {
  if (!isRecord(trace)) return shapeError(path, 'an object (a Jaeger trace)', trace);
  const spans = trace.spans;
  if (spans == null) return undefined;
  const spansPath = joinPath(path, 'spans');
  if (!Array.isArray(spans)) return shapeError(spansPath, 'an array', spans);
  const processes = new Processes(trace.processes, joinPath(path, 'processes'), out.warnings);
  for (let i = 0; i < spans.length; i++) {
    const span = readJaegerSpan(spans[i], `${spansPath}[${i}]`, processes, out.warnings);
    if (span) out.spans.push(span);
  }
  return undefined;
}

/** Each process becomes one resource, shared by its spans. */
class Processes {
  private readonly resources = new Map<string, Attributes>();

  constructor(
    private readonly processes: unknown,
    private readonly path: string,
    private readonly warnings: string[],
  ) {}

  resourceOf(span: Record<string, unknown>, spanPath: string): Attributes {
    // Some exports embed the process in each span instead of the trace's `processes` table.
    if (isRecord(span.process)) return processResource(span.process, `${spanPath}.process`, this.warnings);
    const id = typeof span.processID === 'string' ? span.processID : '';
    const cached = this.resources.get(id);
    if (cached) return cached;
    const process = isRecord(this.processes) ? this.processes[id] : undefined;
    if (!isRecord(process)) this.warnings.push(`${spanPath}.processID: no process ${show(id)} in ${this.path || 'processes'}; the span has no service.name`);
    const resource = isRecord(process) ? processResource(process, `${this.path}.${id}`, this.warnings) : new Map<string, string>();
    this.resources.set(id, resource);
    return resource;
  }
}

function processResource(process: Record<string, unknown>, path: string, warnings: string[]): Attributes {
  const resource = new Map<string, string>();
  if (typeof process.serviceName === 'string') resource.set('service.name', process.serviceName);
  for (const [key, value] of readTags(process.tags, `${path}.tags`, warnings)) resource.set(key, value);
  return resource;
}

// Tags that hold OpenTelemetry span fields; they become kind, status and scope, not attributes.
const KIND_TAG = 'span.kind';
const STATUS_TAGS = ['otel.status_code', 'otel.status_description', 'error'];
const SCOPE_TAGS = ['otel.scope.name', 'otel.scope.version', 'otel.library.name', 'otel.library.version'];
const BOOKKEEPING_TAGS = new Set([KIND_TAG, ...STATUS_TAGS, ...SCOPE_TAGS]);

function readJaegerSpan(span: unknown, path: string, processes: Processes, warnings: string[]): RawSpan | undefined {
  if (!isRecord(span)) {
    warnings.push(`${path}: span skipped: expected an object, got ${describe(span)}`);
    return undefined;
  }
  const name = typeof span.operationName === 'string' ? span.operationName : '';
  const traceId = readRequiredId(span.traceID, 16);
  if (typeof traceId !== 'object') return skip(warnings, `${path}.traceID`, name, traceId);
  const id = readRequiredId(span.spanID, 8);
  if (typeof id !== 'object') return skip(warnings, `${path}.spanID`, name, id);

  for (const w of Array.isArray(span.warnings) ? span.warnings : []) warnings.push(`${path}: Jaeger warning: ${String(w)}`);
  const tags = readTags(span.tags, `${path}.tags`, warnings);
  const { parentId, links } = readReferences(span.references, `${path}.references`, warnings);
  const startTime = micros(span.startTime, `${path}.startTime`, warnings);
  const attributes: Attributes = new Map([...tags].filter(([key]) => !BOOKKEEPING_TAGS.has(key)));

  return {
    traceId: traceId.hex,
    id: id.hex,
    parentId,
    name,
    kind: kindOf(tags, `${path}.tags`, warnings),
    startTime,
    endTime: startTime + micros(span.duration, `${path}.duration`, warnings),
    status: statusOf(tags),
    resource: processes.resourceOf(span, path),
    scope: scopeOf(tags),
    attributes,
    events: readLogs(span.logs, `${path}.logs`, warnings),
    links,
  };
}

function skip(warnings: string[], path: string, name: string, why: string): undefined {
  warnings.push(`${path}: span "${name}" skipped: ${why}`);
  return undefined;
}

function readRequiredId(value: unknown, bytes: 8 | 16): { hex: string } | string {
  if (value == null || value === '') return 'missing id';
  const hex = jaegerIdToHex(value, bytes);
  if (hex === undefined) return `${show(value)} is not a hex id of at most ${bytes * 2} digits`;
  if (isZeroId(hex)) return 'the id is all zeros';
  return { hex };
}

/** Parent: the first CHILD_OF reference, else the first FOLLOWS_FROM; every other reference is a link. */
function readReferences(references: unknown, path: string, warnings: string[]): { parentId: string; links: SpanLink[] } {
  const refs: Array<{ type: string; link: SpanLink }> = [];
  if (Array.isArray(references)) {
    references.forEach((ref: unknown, i) => {
      if (!isRecord(ref)) return;
      const traceId = readRequiredId(ref.traceID, 16);
      const spanId = readRequiredId(ref.spanID, 8);
      if (typeof traceId !== 'object' || typeof spanId !== 'object') {
        warnings.push(`${path}[${i}]: reference skipped: ${typeof spanId !== 'object' ? `spanID: ${spanId}` : `traceID: ${traceId as string}`}`);
        return;
      }
      const type = typeof ref.refType === 'string' ? ref.refType.toUpperCase() : '';
      refs.push({ type, link: { traceId: traceId.hex, spanId: spanId.hex, attributes: new Map() } });
    });
  }
  const parent = refs.find((r) => r.type === 'CHILD_OF') ?? refs.find((r) => r.type === 'FOLLOWS_FROM');
  return { parentId: parent?.link.spanId ?? '', links: refs.filter((r) => r !== parent).map((r) => r.link) };
}

function readTags(tags: unknown, path: string, warnings: string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (tags == null) return out;
  if (!Array.isArray(tags)) {
    warnings.push(`${path}: expected an array of tags, got ${describe(tags)}; ignored`);
    return out;
  }
  tags.forEach((tag: unknown, i) => {
    if (!isRecord(tag) || typeof tag.key !== 'string') {
      warnings.push(`${path}[${i}]: tag without a key; ignored`);
      return;
    }
    out.set(tag.key, formatAttributeValue(tagValue(tag)));
  });
  return out;
}

function tagValue(tag: Record<string, unknown>): AttributeValue {
  const value = tag.value;
  switch (typeof tag.type === 'string' ? tag.type.toLowerCase() : 'string') {
    case 'bool':
      return value === true || value === 'true';
    case 'int64':
      return toBigInt(value) ?? numberOrText(value);
    case 'float64':
      return numberOrText(value);
    default:
      // string, and binary, which Jaeger already writes as base64 text
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : show(value);
  }
}

function kindOf(tags: Attributes, path: string, warnings: string[]): SpanKind {
  const value = tags.get(KIND_TAG);
  if (value === undefined) return 'unspecified';
  const kind = spanKindFrom(value);
  if (kind === undefined) warnings.push(`${path}: unknown span.kind ${show(value)}; using unspecified`);
  return kind ?? 'unspecified';
}

function statusOf(tags: Attributes): RawSpan['status'] {
  const explicit = statusCodeFrom(tags.get('otel.status_code') ?? '');
  const code: StatusCode = explicit ?? (tags.get('error') === 'true' ? 'STATUS_CODE_ERROR' : 'STATUS_CODE_UNSET');
  return { code, message: tags.get('otel.status_description') ?? '' };
}

function scopeOf(tags: Attributes): InstrumentationScope {
  return {
    name: tags.get('otel.scope.name') ?? tags.get('otel.library.name') ?? '',
    version: tags.get('otel.scope.version') ?? tags.get('otel.library.version') ?? '',
    attributes: new Map(),
  };
}

/** Jaeger logs are span events; the `event` field is the event's name. */
function readLogs(logs: unknown, path: string, warnings: string[]): SpanEvent[] {
  if (!Array.isArray(logs)) return [];
  const events: SpanEvent[] = [];
  logs.forEach((log: unknown, i) => {
    if (!isRecord(log)) return;
    const fields = readTags(log.fields, `${path}[${i}].fields`, warnings);
    const name = fields.get('event') ?? '';
    fields.delete('event');
    events.push({ name, time: micros(log.timestamp, `${path}[${i}].timestamp`, warnings), attributes: fields });
  });
  return events;
}

function micros(value: unknown, path: string, warnings: string[]): bigint {
  const us = toBigInt(value ?? 0);
  if (us !== undefined && us >= 0n) return us * 1000n;
  warnings.push(`${path}: ${show(value)} is not a number of microseconds; using 0`);
  return 0n;
}
