// The window's one embedded OTLP receiver: started when a run first needs it, shared by every run after that,
// restarted when its settings change once no run is waiting on it. No vscode import: tested in plain Node.
// The receiver's code (HTTP and gRPC servers, the OTLP decoders) comes with the run bundle, loaded on the first start.
import type { OtlpReceiver } from '../../run/sources/otlp/receiver';
import type { ReceiverSource } from '../../run/sources/receiver-source';
import type { CollectOutcome, CollectRequest, TraceSource } from '../../run/sources/types';
import { loadRunBundle, type RunBundle } from './load-run';
import { TraceArrivals } from './trace-arrivals';

export interface ReceiverSettings {
  host: string;
  httpPort: number;
  grpcPort: number;
  maxBytes: number;
  maxSpansPerTrace: number;
  corsOrigins: readonly string[];
}

export type ReceiverState =
  | { kind: 'off' }
  | { kind: 'starting'; settings: ReceiverSettings }
  | { kind: 'on'; receiver: OtlpReceiver }
  /** The last start failed; `error` is the ReceiverStartError (or other Error) it failed with. */
  | { kind: 'failed'; error: Error; settings: ReceiverSettings };

export interface EmbeddedReceiverOptions {
  settings(): ReceiverSettings;
  /** Quiet window after which a received trace is logged as one line. */
  quietMs(): number;
  log(line: string): void;
  warn(line: string): void;
  /** A start failed (once per failure, whoever asked for the start). */
  startFailed(error: Error): void;
}

const STOPPED_WHILE_WAITING = 'the embedded OTLP receiver was stopped while this run waited for its trace';

export class EmbeddedReceiver {
  private current: ReceiverState = { kind: 'off' };
  private starting: Promise<OtlpReceiver> | undefined;
  private arrivals: TraceArrivals | undefined;
  /** Collects from the running receiver, learning how late each service's spans arrive for as long as it runs. */
  private receiverSource: ReceiverSource | undefined;
  /** Aborted when the receiver stops, so the collects waiting on it end at once. */
  private stopController = new AbortController();
  private waiting = 0;
  private restartWhenIdle = false;
  private readonly listeners = new Set<() => void>();
  private disposed = false;
  /** The settings the running receiver was started with. */
  private launched: ReceiverSettings | undefined;

  constructor(private readonly options: EmbeddedReceiverOptions) {}

  get state(): ReceiverState {
    return this.current;
  }

  /** Collects currently waiting for a trace from this receiver. */
  get inFlight(): number {
    return this.waiting;
  }

  /** Traces and spans received since the receiver last started. */
  get received(): { traces: number; spans: number } {
    return this.arrivals?.counts ?? { traces: 0, spans: 0 };
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** The running receiver, starting it first if needed; concurrent callers share one start. */
  start(): Promise<OtlpReceiver> {
    if (this.disposed) return Promise.reject(new Error('Tracelens is shutting down'));
    if (this.current.kind === 'on') return Promise.resolve(this.current.receiver);
    this.starting ??= this.launch().finally(() => (this.starting = undefined));
    return this.starting;
  }

  /** A source for runs: each collect waits on whichever receiver is running then (starting one if none is). */
  async source(): Promise<TraceSource> {
    const receiver = await this.start();
    return { description: receiver.description, collect: (request) => this.collect(request) };
  }

  async stop(): Promise<void> {
    this.restartWhenIdle = false;
    await this.starting?.catch(() => undefined);
    if (this.current.kind !== 'on') {
      if (this.current.kind === 'failed') this.set({ kind: 'off' });
      return;
    }
    const receiver = this.current.receiver;
    this.stopController.abort();
    this.receiverSource?.dispose();
    this.receiverSource = undefined;
    this.stopController = new AbortController();
    this.arrivals?.dispose();
    this.arrivals = undefined;
    this.set({ kind: 'off' });
    await receiver.close();
    this.options.log(`OTLP receiver stopped (${receiver.description})`);
  }

  /**
   * The port/host settings may have changed: a running receiver whose settings differ restarts now, or when the
   * last waiting collect ends. A stopped or failed one just uses the new settings next time.
   */
  async settingsChanged(): Promise<void> {
    await this.starting?.catch(() => undefined); // a start under way used the old settings: check it once it is up
    if (this.current.kind === 'failed') this.set({ kind: 'off' });
    if (this.current.kind !== 'on' || !this.differs(this.current.receiver)) return;
    if (this.waiting > 0) {
      this.restartWhenIdle = true;
      this.options.log(`OTLP receiver settings changed: restarting once the ${this.waiting} run(s) waiting for a trace finish`);
      return;
    }
    await this.restart();
  }

  async dispose(): Promise<void> {
    await this.stop();
    this.disposed = true;
    this.listeners.clear();
  }

  private async restart(): Promise<void> {
    this.restartWhenIdle = false;
    await this.stop();
    await this.start().catch(() => undefined); // a failure is in the state, the log and the notification
  }

  private differs(receiver: OtlpReceiver): boolean {
    const wanted = this.options.settings();
    const portDiffers = (port: number, actual: number | null) => port !== 0 && port !== actual;
    return (
      wanted.host !== receiver.host ||
      portDiffers(wanted.httpPort, receiver.httpPort) ||
      portDiffers(wanted.grpcPort, receiver.grpcPort) ||
      wanted.maxBytes !== receiver.store.limits.maxBytes ||
      wanted.maxSpansPerTrace !== receiver.store.limits.maxSpansPerTrace ||
      wanted.corsOrigins.join('\n') !== this.launched?.corsOrigins.join('\n')
    );
  }

  private async launch(): Promise<OtlpReceiver> {
    const settings = this.options.settings();
    this.set({ kind: 'starting', settings });
    let run: RunBundle;
    let receiver: OtlpReceiver;
    try {
      run = await loadRunBundle();
      receiver = await run.startReceiver({ ...settings, onWarning: (m) => this.options.warn(`OTLP receiver: ${m}`) });
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      this.set({ kind: 'failed', error, settings });
      this.options.warn(`OTLP receiver could not start: ${error.message}`);
      this.options.startFailed(error);
      throw error;
    }
    if (this.disposed) {
      await receiver.close();
      throw new Error('Tracelens is shutting down');
    }
    this.launched = settings;
    this.arrivals = new TraceArrivals(
      receiver.store,
      this.options.quietMs,
      (line) => this.options.log(line),
      () => this.emit(),
    );
    this.receiverSource = new run.ReceiverSource(receiver.store, receiver.description);
    this.set({ kind: 'on', receiver });
    this.options.log(`OTLP receiver listening: ${receiver.description}`);
    return receiver;
  }

  private async collect(request: CollectRequest): Promise<CollectOutcome> {
    try {
      await this.start();
    } catch (e) {
      return { ok: false, message: (e as Error).message, spans: [] };
    }
    const source = this.receiverSource;
    if (!source) return { ok: false, message: STOPPED_WHILE_WAITING, spans: [] };
    const stopped = this.stopController.signal;
    const signal = request.signal ? AbortSignal.any([request.signal, stopped]) : stopped;
    this.waiting++;
    try {
      const outcome = await source.collect({ ...request, signal });
      if (!outcome.ok && stopped.aborted && !request.signal?.aborted) return { ...outcome, message: STOPPED_WHILE_WAITING };
      return outcome;
    } finally {
      this.waiting--;
      if (this.waiting === 0 && this.restartWhenIdle) void this.restart();
    }
  }

  private set(state: ReceiverState): void {
    this.current = state;
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
