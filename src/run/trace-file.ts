// Reading a saved trace: OTLP JSON, Jaeger JSON, Tempo JSON, or OTLP protobuf bytes.
import { readFile } from 'node:fs/promises';
import { decodeOtlpProtobufFile, decodeTraceText, isJsonTraceFile } from '../core/trace/decode/index';
import { decodeLargeTraceJson } from '../core/trace/decode/large-json';
import type { RawSpan } from '../core/trace/model';
import { displayPath, FileError } from './files';

export interface TraceFile {
  path: string;
  spans: RawSpan[];
  warnings: string[];
}

/**
 * JSON beyond this is decoded in slices of spans: as one string it would come near V8's limit (2^29 - 24
 * characters), and as one parsed document it would take several times its size in memory.
 */
const LARGE_JSON_BYTES = 256 * 1024 * 1024;

export async function readTraceFile(path: string): Promise<TraceFile> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new FileError(`${displayPath(path)}: cannot read trace file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const decoded = !isJsonTraceFile(bytes, path)
    ? decodeOtlpProtobufFile(bytes)
    : bytes.length > LARGE_JSON_BYTES
      ? decodeLargeTraceJson(bytes)
      : decodeTraceText(new TextDecoder().decode(bytes));
  if (!decoded.ok) {
    const where = decoded.error.path ? ` at ${decoded.error.path}` : '';
    throw new FileError(`${displayPath(path)}: not a trace file (OTLP JSON or protobuf, Jaeger JSON, Tempo JSON): ${decoded.error.message}${where}`);
  }
  return { path, spans: decoded.value.spans, warnings: decoded.value.warnings };
}
