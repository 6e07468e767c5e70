// Saving traces as files that `tracelens run --trace` replays: OTLP JSON (the default: people read and diff it) or
// OTLP protobuf (about a fifth of the size, and several times faster to read back: for large traces).
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { encodeOtlpJson } from '../core/trace/decode/otlp-encode';
import { encodeOtlpProtobuf } from '../core/trace/decode/otlp-protobuf-encode';
import type { RawSpan } from '../core/trace/model';

export type TraceFileFormat = 'json' | 'protobuf';

/** The extension each format's files are saved with: `.binpb` is what the Protocol Buffers project recommends for binary messages. */
export const TRACE_FILE_EXTENSIONS: Readonly<Record<TraceFileFormat, string>> = { json: '.otlp.json', protobuf: '.otlp.binpb' };

/** The format a file name asks for: protobuf for `.binpb` and `.pb`, else JSON. */
export function traceFileFormatOf(path: string): TraceFileFormat {
  return /\.(binpb|pb)$/i.test(path) ? 'protobuf' : 'json';
}

/**
 * Writes `<dir>/<name>.otlp.json` (or `.otlp.binpb`; directory created as needed) through a temporary file and a
 * rename, so a reader never sees half a file and an interrupted write never replaces a good one. The file is written
 * in pieces of a span or a few hundred: a trace of any size is saved, however far beyond the longest string or the
 * largest buffer JavaScript holds. Returns the path.
 */
export async function saveTraceFile(dir: string, name: string, spans: readonly RawSpan[], format: TraceFileFormat = 'json'): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${name}${TRACE_FILE_EXTENSIONS[format]}`);
  await writeTraceFile(path, spans, format);
  return path;
}

/** Writes the spans to `path` (its directory must exist) the same way, as OTLP protobuf when its name ends in `.binpb` or `.pb`. */
export async function writeTraceFile(path: string, spans: readonly RawSpan[], format = traceFileFormatOf(path)): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  const pieces = format === 'protobuf' ? encodeOtlpProtobuf(spans) : batched(otlpJsonText(spans));
  try {
    await pipeline(Readable.from(pieces), createWriteStream(temporary));
  } catch (e) {
    await rm(temporary, { force: true });
    throw e;
  }
  await rename(temporary, path);
}

/** Each span in the spans' OTLP JSON sits this deep: root, resourceSpans, one, scopeSpans, one, spans, one. */
const SPAN_DEPTH = 6;

/** `JSON.stringify(encodeOtlpJson(spans), null, 1)` and a final newline, in pieces of one span or less. */
export function* otlpJsonText(spans: readonly RawSpan[]): Generator<string> {
  yield* jsonPieces(encodeOtlpJson(spans), 0);
  yield '\n';
}

/** The value as JSON.stringify(value, null, 1) writes it at `depth`, cut into pieces at the levels above SPAN_DEPTH. */
function* jsonPieces(value: unknown, depth: number): Generator<string> {
  if (depth >= SPAN_DEPTH || value === null || typeof value !== 'object') {
    // Nested lines are indented by one space per level; JSON strings never hold a raw newline.
    const text = JSON.stringify(value, null, 1);
    yield depth === 0 ? text : text.replaceAll('\n', `\n${' '.repeat(depth)}`);
    return;
  }
  const inner = `\n${' '.repeat(depth + 1)}`;
  // JSON.stringify leaves out properties whose value is undefined.
  const entries: [string | undefined, unknown][] = Array.isArray(value)
    ? value.map((v) => [undefined, v])
    : Object.entries(value).filter(([, v]) => v !== undefined);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) {
    yield `${open}${close}`;
    return;
  }
  yield open;
  for (let i = 0; i < entries.length; i++) {
    const [key, item] = entries[i]!;
    yield `${i > 0 ? ',' : ''}${inner}${key === undefined ? '' : `${JSON.stringify(key)}: `}`;
    yield* jsonPieces(item, depth + 1);
  }
  yield `\n${' '.repeat(depth)}${close}`;
}

/** Pieces joined into writes of about 64 KiB: a stream write per piece would cost more than the text. */
function* batched(pieces: Iterable<string>): Generator<string> {
  let buffer = '';
  for (const piece of pieces) {
    buffer += piece;
    if (buffer.length >= 64 * 1024) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}
