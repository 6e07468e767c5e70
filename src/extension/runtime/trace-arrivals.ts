// What the embedded receiver has received, for the log and the status bar: one line per trace once no new span
// of it has arrived for a quiet window ("trace 4bf9…: 12 spans from api, worker"), and running counts.
import { servicesOf } from '../../run/sources/settle';
import type { StoredTrace, TraceStore } from '../../run/sources/otlp/store';

export class TraceArrivals {
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly seen = new Set<string>();
  private spans = 0;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: TraceStore,
    private readonly quietMs: () => number,
    private readonly log: (line: string) => void,
    /** Called after a trace settles, when the counts have changed. */
    private readonly onSettled: () => void,
  ) {
    this.unsubscribe = store.subscribeAll((trace, added) => this.onSpans(trace, added));
  }

  get counts(): { traces: number; spans: number } {
    return { traces: this.seen.size, spans: this.spans };
  }

  dispose(): void {
    this.unsubscribe();
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  private onSpans(trace: StoredTrace, added: number): void {
    this.spans += added;
    this.seen.add(trace.traceId);
    clearTimeout(this.pending.get(trace.traceId));
    const timer = setTimeout(() => this.settle(trace.traceId), this.quietMs());
    timer.unref?.();
    this.pending.set(trace.traceId, timer);
  }

  private settle(traceId: string): void {
    this.pending.delete(traceId);
    const trace = this.store.get(traceId);
    if (trace) {
      const services = servicesOf(trace.spans);
      const count = trace.spans.length;
      this.log(`trace ${traceId}: ${count} span${count === 1 ? '' : 's'}${services.length ? ` from ${services.join(', ')}` : ''}`);
    }
    this.onSettled();
  }
}
