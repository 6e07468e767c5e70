// Where a live run's traces come from: a DataStore (Jaeger, Tempo, a file) when one is configured, otherwise the
// embedded OTLP receiver, started for the duration of the run.
import type { DataStoreConfig, PullDataStoreConfig } from './sources/datastore';
import { FileSource } from './sources/file';
import { JaegerSource } from './sources/jaeger';
import { startReceiver } from './sources/otlp/receiver';
import { ReceiverSource } from './sources/receiver-source';
import type { TraceStore } from './sources/otlp/store';
import { TempoSource } from './sources/tempo';
import type { TraceSource } from './sources/types';

export interface LiveSourceOptions {
  dataStore?: DataStoreConfig;
  host?: string;
  httpPort?: number;
  grpcPort?: number | null;
  maxBytes?: number;
  maxSpansPerTrace?: number;
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
    ...(options.maxSpansPerTrace !== undefined ? { maxSpansPerTrace: options.maxSpansPerTrace } : {}),
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

/** The source that reads a remote backend or a file. */
export function createPullSource(config: PullDataStoreConfig): TraceSource {
  switch (config.type) {
    case 'jaeger':
      return new JaegerSource({ url: config.url, headers: config.headers });
    case 'tempo':
      return new TempoSource({ url: config.url, headers: config.headers });
    case 'file':
      return new FileSource(config.path);
  }
}
