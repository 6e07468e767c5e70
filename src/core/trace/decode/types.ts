// What every trace decoder returns.
import type { RawSpan } from '../model';

export interface DecodeResult {
  spans: RawSpan[];
  /** Tolerated oddities, each naming where it was found, e.g. a span skipped for a bad id. */
  warnings: string[];
  /** Strings cut to a size limit the caller asked for (see truncate.ts). */
  truncated?: number;
}

export interface DecodeError {
  message: string;
  /** Where in the document, e.g. `resourceSpans[0].scopeSpans[1].spans[3].spanId`. */
  path?: string;
}

export type TraceFormat = 'otlp' | 'jaeger' | 'tempo';

export type DetectedDecodeResult = DecodeResult & { format: TraceFormat };

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Short description of a JSON value for messages: "a string", "an array", "null". */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Uint8Array) return 'bytes';
  const t = typeof value;
  return t === 'object' ? 'an object' : t === 'undefined' ? 'nothing' : `a ${t}`;
}

/** A value as it would appear in the document, for messages; never throws. */
export function show(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  try {
    return JSON.stringify(value) ?? describe(value);
  } catch {
    return describe(value);
  }
}

export function shapeError(path: string, expected: string, got: unknown): DecodeError {
  const message = `expected ${expected}, got ${describe(got)}`;
  return path ? { message, path } : { message };
}

/** `a.b` paths for messages; the document root is the empty path. */
export function joinPath(path: string, field: string): string {
  return path ? `${path}.${field}` : field;
}
