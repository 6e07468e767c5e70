// Tempo's `GET /api/traces/{id}`: `{batches: [ResourceSpans]}` (OTLP JSON; base64 ids in older versions),
// and `{trace: {resourceSpans}}` from newer versions.
import type { Result } from '../../text-position';
import { runDecoder } from './guard';
import { readBatches } from './otlp-json';
import { readExportRequest } from './otlp-spans';
import type { DecodeError, DecodeResult } from './types';
import { isRecord, shapeError } from './types';

export function decodeTempoJson(doc: unknown): Result<DecodeResult, DecodeError> {
  return runDecoder((out) => readTempoDocument(doc, out));
}

function readTempoDocument(doc: unknown, out: DecodeResult): DecodeError | undefined {
  if (isRecord(doc) && 'trace' in doc) {
    const trace = doc.trace;
    if (isRecord(trace) && 'batches' in trace) return readBatches(trace.batches, 'trace.batches', out);
    return trace == null ? undefined : readExportRequest(trace, 'trace', out);
  }
  if (isRecord(doc) && 'batches' in doc) return readBatches(doc.batches, 'batches', out);
  if (isRecord(doc) && 'resourceSpans' in doc) return readExportRequest(doc, '', out);
  return shapeError('', 'a Tempo trace (an object with `batches` or `trace`)', doc);
}
