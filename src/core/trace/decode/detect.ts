// Which format a trace document is in, and decoding it with that format's decoder.
import type { Result } from '../../text-position';
import { decodeJsonLines } from './collector-file';
import { decodeJaegerJson } from './jaeger-json';
import { parseJsonText } from './json-text';
import { decodeOtlpJson } from './otlp-json';
import { decodeTempoJson } from './tempo-json';
import type { DecodeError, DetectedDecodeResult, TraceFormat } from './types';
import { describe, isRecord } from './types';

const DECODERS = { otlp: decodeOtlpJson, jaeger: decodeJaegerJson, tempo: decodeTempoJson } as const;

/** Which format a parsed JSON document is in, from its top-level keys; undefined when none fits. */
export function detectTraceFormat(doc: unknown): TraceFormat | undefined {
  if (Array.isArray(doc)) return 'otlp';
  if (!isRecord(doc)) return undefined;
  if ('resourceSpans' in doc || Object.keys(doc).length === 0) return 'otlp';
  if ('batches' in doc || 'trace' in doc) return 'tempo';
  if ('data' in doc || 'spans' in doc || 'result' in doc) return 'jaeger';
  return undefined;
}

export function decodeTraceDocument(doc: unknown): Result<DetectedDecodeResult, DecodeError> {
  const format = detectTraceFormat(doc);
  if (!format) {
    const keys = isRecord(doc) ? Object.keys(doc) : [];
    const got =
      keys.length > 0
        ? `an object with ${keys
            .slice(0, 5)
            .map((k) => `\`${k}\``)
            .join(', ')}${keys.length > 5 ? ', …' : ''}`
        : describe(doc);
    return {
      ok: false,
      error: { message: `not a trace: expected OTLP JSON (\`resourceSpans\`), Jaeger JSON (\`data\`) or Tempo JSON (\`batches\` or \`trace\`), got ${got}` },
    };
  }
  const decoded = DECODERS[format](doc);
  return decoded.ok ? { ok: true, value: { ...decoded.value, format } } : decoded;
}

/**
 * JSON text (a saved trace, an HTTP response body, or the Collector's JSON lines) to spans; invalid JSON is reported
 * with its line and column.
 */
export function decodeTraceText(text: string): Result<DetectedDecodeResult, DecodeError> {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const parsed = parseJsonText(body);
  if (!parsed.ok) {
    const lines = decodeJsonLines(body, parseJsonText, decodeTraceDocument);
    if (lines) return lines;
    const { message, line, column } = parsed.error;
    return { ok: false, error: { message: `invalid JSON: ${message} at ${line}:${column}` } };
  }
  return decodeTraceDocument(parsed.value);
}

/**
 * Whether a saved trace's bytes are JSON (else OTLP protobuf). A name ending in `.binpb` or `.pb` says protobuf:
 * a protobuf request starts with byte 0x0a, a newline to JSON, and its next bytes may look like `{` or `[`.
 * Otherwise JSON is what starts with `{` or `[` after blanks (and a byte order mark).
 */
export function isJsonTraceFile(bytes: Uint8Array, name: string): boolean {
  if (/\.(binpb|pb)$/i.test(name)) return false;
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  return bytes[i] === 0x7b /* { */ || bytes[i] === 0x5b; /* [ */
}
