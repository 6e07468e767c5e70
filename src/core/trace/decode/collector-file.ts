// The OpenTelemetry Collector's file exporter writes many requests into one file: as JSON lines (its default,
// `format: json`, which is also the OTLP file exporter's specified format) or, with `format: proto`, each
// ExportTraceServiceRequest preceded by its length in 4 bytes, big-endian. Either reads as one list of spans, the
// requests' spans in file order; a file holding several traces is then narrowed like any other.
import type { Result } from '../../text-position';
import type { DecodeError, DecodeResult, DetectedDecodeResult } from './types';

/** Protobuf tag of `resource_spans` (field 1, length-delimited): the first byte of every non-empty request. */
const RESOURCE_SPANS_TAG = 0x0a;
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

function uint32At(bytes: Uint8Array, pos: number): number {
  return ((bytes[pos]! << 24) >>> 0) + (bytes[pos + 1]! << 16) + (bytes[pos + 2]! << 8) + bytes[pos + 3]!;
}

function zstdAt(bytes: Uint8Array, pos: number): boolean {
  return ZSTD_MAGIC.every((b, i) => bytes[pos + i] === b);
}

/**
 * Whether `bytes` are length-prefixed requests rather than one request. A request starts with its first tag, 0x0a; a
 * length prefix starts with 0x00 for any request under 16 MiB, and never with 0x0a below 160 MiB. The first frame
 * must fit and hold a request (or a zstd frame, to say why it cannot be read).
 */
export function isLengthPrefixedProtobuf(bytes: Uint8Array): boolean {
  if (bytes.length < 5 || bytes[0] === RESOURCE_SPANS_TAG) return false;
  return 4 + uint32At(bytes, 0) <= bytes.length && (bytes[4] === RESOURCE_SPANS_TAG || zstdAt(bytes, 4));
}

/** Each length-prefixed request decoded with `decodeOne`; an error names the request and the byte it starts at. */
export function decodeLengthPrefixedProtobuf(
  bytes: Uint8Array,
  decodeOne: (request: Uint8Array) => Result<DecodeResult, DecodeError>,
): Result<DecodeResult, DecodeError> {
  const spans: DecodeResult['spans'] = [];
  const warnings: string[] = [];
  let truncated = 0;
  for (let pos = 0, n = 1; pos < bytes.length; n++) {
    const where = `request ${n} (at byte ${pos})`;
    if (pos + 4 > bytes.length) return cutShort(`${where}: its 4-byte length is cut off`, bytes.length);
    const length = uint32At(bytes, pos);
    const start = pos + 4;
    const end = start + length;
    if (end > bytes.length) return cutShort(`${where} declares ${length} bytes, but the data ends at byte ${bytes.length}`, bytes.length);
    if (zstdAt(bytes, start)) {
      return {
        ok: false,
        error: { message: `${where} is compressed with zstd (the Collector's \`compression: zstd\`): decompress it first, or export without compression` },
      };
    }
    const decoded = decodeOne(bytes.subarray(start, end));
    if (!decoded.ok) return { ok: false, error: { ...decoded.error, message: `${where}: ${decoded.error.message}` } };
    for (const span of decoded.value.spans) spans.push(span);
    for (const warning of decoded.value.warnings) warnings.push(`${where}: ${warning}`);
    truncated += decoded.value.truncated ?? 0;
    pos = end;
  }
  return { ok: true, value: { spans, warnings, ...(truncated > 0 ? { truncated } : {}) } };
}

function cutShort(what: string, size: number): Result<DecodeResult, DecodeError> {
  return { ok: false, error: { message: `not an OTLP protobuf file: cut short: ${what} (${size} bytes; a truncated file?)` } };
}

/**
 * JSON lines: a document per line, at least two of them (one document alone is plain JSON, however it is laid
 * out). Undefined when the first line is not a JSON document, so the caller reports its own parse error; after that,
 * a bad line is the error, with its line and column.
 */
export function decodeJsonLines(
  text: string,
  parse: (line: string) => Result<unknown, { message: string; line: number; column: number }>,
  decodeDocument: (doc: unknown) => Result<DetectedDecodeResult, DecodeError>,
): Result<DetectedDecodeResult, DecodeError> | undefined {
  const lines = text.split('\n');
  const documents = lines.filter((line) => line.trim() !== '').length;
  if (documents < 2) return undefined;
  let result: DetectedDecodeResult | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line.trim() === '') continue;
    const parsed = parse(line);
    if (!parsed.ok) {
      if (!result) return undefined;
      return { ok: false, error: { message: `invalid JSON: ${parsed.error.message} at ${i + 1}:${parsed.error.column} (JSON lines: a document per line)` } };
    }
    const decoded = decodeDocument(parsed.value);
    if (!decoded.ok) {
      return { ok: false, error: { ...decoded.error, message: `line ${i + 1}: ${decoded.error.message}` } };
    }
    if (!result) result = { spans: [], warnings: [], format: decoded.value.format };
    for (const span of decoded.value.spans) result.spans.push(span);
    for (const warning of decoded.value.warnings) result.warnings.push(`line ${i + 1}: ${warning}`);
  }
  return result && { ok: true, value: result };
}
