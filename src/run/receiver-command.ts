// `tracelens receiver`: the embedded OTLP receiver on its own, printing each trace as it settles and
// optionally saving it as OTLP JSON or protobuf (replayable with `tracelens run --trace`).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RawSpan } from '../core/trace/model';
import { servicesOf } from './sources/settle';
import { startReceiver, type ReceiverOptions } from './sources/otlp/receiver';
import type { StoredTrace } from './sources/otlp/store';
import { saveTraceFile, TRACE_FILE_EXTENSIONS, type TraceFileFormat } from './save-trace';
import { readTraceFile } from './trace-file';

export interface ReceiverCommandOptions extends Pick<ReceiverOptions, 'maxBytes' | 'maxSpansPerTrace' | 'corsOrigins' | 'store'> {
  host: string;
  httpPort: number;
  grpcPort: number;
  outDir?: string;
  /** How traces are saved in outDir (default json). */
  outFormat?: TraceFileFormat;
  /** A trace with no new span for this long is printed (and saved). */
  quietMs?: number;
}

export interface ReceiverCommandIo {
  out: { write(s: string): unknown };
  err: { write(s: string): unknown };
  /** Aborting stops the receiver (after saving traces still waiting to settle). */
  signal: AbortSignal;
}

/**
 * Resolves once `signal` aborts and everything is saved; rejects with ReceiverStartError when a port is taken.
 * With an output folder, a saved trace leaves the receiver's memory; spans of it that arrive later are added to
 * its file.
 */
export async function runReceiver(options: ReceiverCommandOptions, io: ReceiverCommandIo): Promise<void> {
  const receiver = await startReceiver({
    host: options.host,
    httpPort: options.httpPort,
    grpcPort: options.grpcPort,
    ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
    ...(options.maxSpansPerTrace !== undefined ? { maxSpansPerTrace: options.maxSpansPerTrace } : {}),
    ...(options.corsOrigins ? { corsOrigins: options.corsOrigins } : {}),
    ...(options.store ? { store: options.store } : {}),
    onWarning: (m) => io.err.write(`tracelens: ${m}\n`),
  });
  const { store } = receiver;
  const quietMs = options.quietMs ?? 500;
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  /** The save in progress per trace: a later save of the same trace waits for it, to add to its file. */
  const saving = new Map<string, Promise<void>>();

  const describe = (traceId: string, spans: readonly RawSpan[]): string => {
    const services = servicesOf(spans);
    return `trace ${traceId}: ${spans.length} span${spans.length === 1 ? '' : 's'}${services.length ? ` from ${services.join(', ')}` : ''}`;
  };

  const save = async (outDir: string, trace: StoredTrace, spans: RawSpan[]): Promise<void> => {
    const format = options.outFormat ?? 'json';
    const path = join(outDir, `${trace.traceId}${TRACE_FILE_EXTENSIONS[format]}`);
    const earlier = existsSync(path)
      ? await readTraceFile(path).catch((e: Error) => void io.err.write(`tracelens: replacing ${path}, which does not read as a saved trace: ${e.message}\n`))
      : undefined;
    const all = earlier ? mergeSpans(earlier.spans, spans) : spans;
    await saveTraceFile(outDir, trace.traceId, all, format);
    io.out.write(`${describe(trace.traceId, all)} → ${path}\n`);
    // Saved: the receiver no longer needs it, unless spans arrived meanwhile (then it is saved again).
    if (store.get(trace.traceId) === trace && trace.spans.length === spans.length) store.delete(trace.traceId);
  };

  const settle = (trace: StoredTrace) => {
    pending.delete(trace.traceId);
    const spans = [...trace.spans];
    if (!options.outDir) {
      io.out.write(`${describe(trace.traceId, spans)}\n`);
      return;
    }
    const outDir = options.outDir;
    const previous = saving.get(trace.traceId) ?? Promise.resolve();
    const write: Promise<void> = previous
      .then(() => save(outDir, trace, spans))
      .catch((e: Error) => void io.err.write(`tracelens: cannot save trace ${trace.traceId}: ${e.message}\n`))
      .finally(() => {
        if (saving.get(trace.traceId) === write) saving.delete(trace.traceId);
      });
    saving.set(trace.traceId, write);
  };
  const unsubscribe = store.subscribeAll((trace) => {
    clearTimeout(pending.get(trace.traceId));
    pending.set(
      trace.traceId,
      setTimeout(() => settle(trace), quietMs),
    );
  });

  io.out.write(`OTLP receiver listening: ${receiver.description}${options.outDir ? `; saving traces to ${options.outDir}` : ''} (Ctrl+C to stop)\n`);
  await new Promise<void>((resolve) => {
    if (io.signal.aborted) resolve();
    else io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  unsubscribe();
  for (const [traceId, timer] of pending) {
    clearTimeout(timer);
    const trace = store.get(traceId);
    if (trace) settle(trace);
  }
  while (saving.size > 0) await Promise.all(saving.values());
  await receiver.close();
}

/** The spans of a file saved before, then the new ones it does not have (by span id). */
function mergeSpans(saved: readonly RawSpan[], spans: readonly RawSpan[]): RawSpan[] {
  const ids = new Set(saved.map((s) => s.id));
  return [...saved, ...spans.filter((s) => !ids.has(s.id))];
}
