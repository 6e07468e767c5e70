// A saved trace file as a trace source (a `file` DataStore): OTLP JSON or protobuf, Jaeger JSON, Tempo JSON. The
// file's spans are used whatever their trace id, as with `--trace`, and the trace is complete at once. Missing
// parents are not reported: a recorded trace's roots point at the trigger span of the run that recorded it.
import { readTraceFile } from '../trace-file';
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
    safeProgress(request.onProgress, summarise(file.spans));
    return { ok: true, spans: file.spans, warnings: file.warnings };
  }
}
