// OTLP JSON: an ExportTraceServiceRequest, several of them in an array (exports saved in one file),
// or Tempo's `{batches: [...]}` wrapper.
import type { Result } from '../../text-position';
import { runDecoder } from './guard';
import { readExportRequest, readResourceSpans } from './otlp-spans';
import type { DecodeError, DecodeResult } from './types';
import { isRecord, shapeError } from './types';

export function decodeOtlpJson(doc: unknown): Result<DecodeResult, DecodeError> {
  return runDecoder((out) => readOtlpDocument(doc, out));
}

function readOtlpDocument(doc: unknown, out: DecodeResult): DecodeError | undefined {
  if (Array.isArray(doc)) {
    for (let i = 0; i < doc.length; i++) {
      const error = readExportRequest(doc[i], `[${i}]`, out);
      if (error) return error;
    }
    return undefined;
  }
  // `{}` is how proto3 JSON writes a request with no spans.
  if (isRecord(doc) && ('resourceSpans' in doc || Object.keys(doc).length === 0)) return readExportRequest(doc, '', out);
  if (isRecord(doc) && 'batches' in doc) return readBatches(doc.batches, 'batches', out);
  return shapeError('', 'an OTLP export request (an object with `resourceSpans`)', doc);
}

/** Tempo's batches are ResourceSpans; an entry that is itself a whole request (`{resourceSpans}`) is accepted too. */
export function readBatches(batches: unknown, path: string, out: DecodeResult): DecodeError | undefined {
  if (batches == null) return undefined;
  if (!Array.isArray(batches)) return shapeError(path, 'an array', batches);
  for (let i = 0; i < batches.length; i++) {
    const batch: unknown = batches[i];
    const error = isRecord(batch) && 'resourceSpans' in batch ? readExportRequest(batch, `${path}[${i}]`, out) : readResourceSpans(batch, `${path}[${i}]`, out);
    if (error) return error;
  }
  return undefined;
}
