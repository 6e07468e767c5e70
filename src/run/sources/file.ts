// A trace file as a trace source (a `file` DataStore): OTLP JSON or protobuf, Jaeger JSON, Tempo JSON.
// - A saved trace (one trace id) is used whatever its trace id, as with `--trace`, and is complete at once. Missing
//   parents are not reported: a recorded trace's roots point at the trigger span of the run that recorded it.
// - A file holding several traces is what the OpenTelemetry Collector's file exporter writes, appending each batch
//   it exports: the run's own trace is read from it, polled like a backend's until it has settled.
import type { RawSpan } from '../../core/trace/model';
import { readTraceFile } from '../trace-file';
import { pollTrace, type FetchResult } from './poll';
import { CANCELLED, safeProgress, summarise } from './settle';
import type { CollectOutcome, CollectRequest, TraceSource } from './types';

export class FileSource implements TraceSource {
  readonly description: string;

  constructor(private readonly path: string) {
    this.description = `the trace file ${path}`;
  }

  async collect(request: CollectRequest): Promise<CollectOutcome> {
    if (request.signal?.aborted) return { ok: false, message: CANCELLED, spans: [] };
    let file;
    try {
      file = await readTraceFile(this.path);
    } catch (e) {
      return { ok: false, message: e instanceof Error ? e.message : String(e), spans: [] };
    }
    if (request.signal?.aborted) return { ok: false, message: CANCELLED, spans: [] };
    if (file.spans.length === 0) return { ok: false, message: `${this.description} holds no spans`, spans: [] };
    if (!holdsSeveralTraces(file.spans)) {
      safeProgress(request.onProgress, summarise(file.spans));
      return { ok: true, spans: file.spans, warnings: file.warnings };
    }
    let first: typeof file | undefined = file;
    return pollTrace(
      async (): Promise<FetchResult> => {
        let read = first;
        first = undefined;
        if (!read) {
          try {
            read = await readTraceFile(this.path);
          } catch (e) {
            // The exporter may be writing (a batch cut short) or rotating the file: read it again at the next poll.
            return { kind: 'error', message: e instanceof Error ? e.message : String(e) };
          }
        }
        const spans = read.spans.filter((span) => span.traceId === request.traceId);
        return spans.length > 0 ? { kind: 'found', spans, warnings: read.warnings } : { kind: 'not-found' };
      },
      request,
      this.description,
    );
  }
}

function holdsSeveralTraces(spans: readonly RawSpan[]): boolean {
  const first = spans[0]!.traceId;
  return spans.some((span) => span.traceId !== first);
}
