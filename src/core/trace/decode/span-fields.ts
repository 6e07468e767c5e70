// Span kind and status code spellings of OTLP (numbers, enum names) and Jaeger (tag values).
import type { RawSpan, SpanEvent, SpanKind, SpanLink, StatusCode } from '../model';

/** OTLP's enum order: SPAN_KIND_UNSPECIFIED = 0 … SPAN_KIND_CONSUMER = 5. */
export const SPAN_KINDS: readonly SpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

/** OTLP's enum order: STATUS_CODE_UNSET = 0, STATUS_CODE_OK = 1, STATUS_CODE_ERROR = 2. */
export const STATUS_CODES: readonly StatusCode[] = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

/** 0–5, `SPAN_KIND_SERVER` or `server` (any case); undefined when it is none of those. */
export function spanKindFrom(value: unknown): SpanKind | undefined {
  if (typeof value === 'number') return SPAN_KINDS[value];
  if (typeof value !== 'string') return undefined;
  const name = value.toLowerCase().replace(/^span_kind_/, '');
  return SPAN_KINDS.find((k) => k === name);
}

/** 0–2, `STATUS_CODE_ERROR` or `ERROR` (any case, as Jaeger's `otel.status_code`); undefined otherwise. */
export function statusCodeFrom(value: unknown): StatusCode | undefined {
  if (typeof value === 'number') return STATUS_CODES[value];
  if (typeof value !== 'string') return undefined;
  const name = value.toUpperCase();
  return STATUS_CODES.find((c) => c === name || c === `STATUS_CODE_${name}`);
}

// What most spans have, shared among them instead of allocated per span (less for the collector to copy when a
// trace is decoded and kept): a status without a message, no events, no links. Frozen: spans are not edited in place.
const plainStatus = (code: StatusCode): RawSpan['status'] => Object.freeze({ code, message: '' }) as RawSpan['status'];
const PLAIN_STATUSES = new Map(STATUS_CODES.map((code) => [code, plainStatus(code)]));

/** The status of this code and message: a shared one when there is no message. */
export function statusOf(code: StatusCode, message: string): RawSpan['status'] {
  return message === '' ? PLAIN_STATUSES.get(code)! : { code, message };
}

export const NO_EVENTS = Object.freeze([]) as unknown as SpanEvent[];
export const NO_LINKS = Object.freeze([]) as unknown as SpanLink[];
