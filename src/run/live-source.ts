// Where a live run's traces come from: a DataStore (Jaeger, Tempo, a file) when one is configured, otherwise the
// embedded OTLP receiver, started for the duration of the run.
import { createPullSource, type DataStoreConfig } from './sources/datastore';
import { startReceiver } from './sources/otlp/receiver';
import { ReceiverSource } from './sources/receiver-source';
import type { TraceStore } from './sources/otlp/store';
import type { TraceSource } from './sources/types';

export interface LiveSourceOptions {
  dataStore?: DataStoreConfig;
  host?: string;
  httpPort?: number;
  grpcPort?: number | null;
  maxBytes?: number;
  corsOrigins?: readonly string[];
}

export interface LiveSource {
  source: TraceSource;
  /** The embedded receiver's store, when traces come from it. */
  store?: TraceStore;
  close(): Promise<void>;
}

/** Rejects with the receiver's ReceiverStartError when a port is taken. */
export async function openLiveSource(options: LiveSourceOptions): Promise<LiveSource> {
  const store = options.dataStore;
  if (store && store.type !== 'otlp') return { source: createPullSource(store), close: async () => {} };
  const receiver = await startReceiver({
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.httpPort !== undefined ? { httpPort: options.httpPort } : {}),
    ...(options.grpcPort !== undefined ? { grpcPort: options.grpcPort } : {}),
    ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
    ...(options.corsOrigins ? { corsOrigins: options.corsOrigins } : {}),
  });
  const source = new ReceiverSource(receiver.store, receiver.description);
  return {
    source,
    store: receiver.store,
    close: () => {
      source.dispose();
      return receiver.close();
    },
  };
}
