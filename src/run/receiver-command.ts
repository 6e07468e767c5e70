// `tracelens receiver`: the embedded OTLP receiver on its own, printing each trace as it settles and
// optionally saving it as OTLP JSON (replayable with `tracelens run --trace`).
import { servicesOf } from './sources/settle';
import { startReceiver } from './sources/otlp/receiver';
import type { StoredTrace } from './sources/otlp/store';
import { saveTraceFile } from './save-trace';

export interface ReceiverCommandOptions {
  host: string;
  httpPort: number;
  grpcPort: number;
  outDir?: string;
  /** A trace with no new span for this long is printed (and saved). */
  quietMs?: number;
}

export interface ReceiverCommandIo {
  out: { write(s: string): unknown };
  err: { write(s: string): unknown };
  /** Aborting stops the receiver (after saving traces still waiting to settle). */
  signal: AbortSignal;
}

/** Resolves once `signal` aborts and everything is saved; rejects with ReceiverStartError when a port is taken. */
export async function runReceiver(options: ReceiverCommandOptions, io: ReceiverCommandIo): Promise<void> {
  const receiver = await startReceiver({ host: options.host, httpPort: options.httpPort, grpcPort: options.grpcPort, onWarning: (m) => io.err.write(`tracelens: ${m}\n`) });
  const quietMs = options.quietMs ?? 500;
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  const writes = new Set<Promise<void>>();

  const settle = (trace: StoredTrace) => {
    pending.delete(trace.traceId);
    const spans = [...trace.spans];
    const services = servicesOf(spans);
    const line = `trace ${trace.traceId}: ${spans.length} span${spans.length === 1 ? '' : 's'}${services.length ? ` from ${services.join(', ')}` : ''}`;
    if (!options.outDir) {
      io.out.write(`${line}\n`);
      return;
    }
    const write = saveTraceFile(options.outDir, trace.traceId, spans).then(
      (path) => void io.out.write(`${line} → ${path}\n`),
      (e: Error) => void io.err.write(`tracelens: cannot save trace ${trace.traceId}: ${e.message}\n`),
    );
    writes.add(write);
    void write.finally(() => writes.delete(write));
  };
  const unsubscribe = receiver.store.subscribeAll((trace) => {
    clearTimeout(pending.get(trace.traceId));
    pending.set(trace.traceId, setTimeout(() => settle(trace), quietMs));
  });

  io.out.write(`OTLP receiver listening: ${receiver.description}${options.outDir ? `; saving traces to ${options.outDir}` : ''} (Ctrl+C to stop)\n`);
  await new Promise<void>((resolve) => {
    if (io.signal.aborted) resolve();
    else io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  unsubscribe();
  for (const [traceId, timer] of pending) {
    clearTimeout(timer);
    const trace = receiver.store.get(traceId);
    if (trace) settle(trace);
  }
  await Promise.all(writes);
  await receiver.close();
}
