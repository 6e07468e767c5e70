// The embedded OTLP receiver: OTLP/HTTP and OTLP/gRPC servers on loopback feeding one TraceStore, so a
// service instrumented with the stock OpenTelemetry SDK can export to Tracelens with no other collector.
import { corsPolicy } from './cors';
import { startGrpcServer, grpcAddress, type GrpcTimeouts, type RunningGrpcServer } from './grpc';
import { startHttpServer, type HttpTimeouts, type RunningHttpServer } from './http';
import { TraceStore } from './store';

export interface ReceiverOptions {
  /** Default '127.0.0.1': only this machine can send. */
  host?: string;
  /** Default 4318; 0 = any free port. */
  httpPort?: number;
  /** Default 4317; 0 = any free port; null = no gRPC server. */
  grpcPort?: number | null;
  /** Largest request accepted, also after decompression. Default 16 MiB. */
  maxBodyBytes?: number;
  /** Estimated bytes of spans held (see TraceStoreLimits.maxBytes); default 256 MiB. Ignored when `store` is given. */
  maxBytes?: number;
  /** Spans kept per trace (see TraceStoreLimits.maxSpansPerTrace); default 100,000. Ignored when `store` is given. */
  maxSpansPerTrace?: number;
  /** Default: a new TraceStore with the default limits (and maxBytes, maxSpansPerTrace). */
  store?: TraceStore;
  /** Web origins allowed besides loopback ones (see cors.ts); a bad entry throws CorsOriginError. */
  corsOrigins?: readonly string[];
  /** Connection timeouts; the defaults suit exporters, tests shorten them. */
  timeouts?: Partial<ReceiverTimeouts>;
  /** Tolerated problems in received data (spans skipped, spans over the limit), and server-side errors. */
  onWarning?: (message: string) => void;
}

export interface OtlpReceiver {
  readonly store: TraceStore;
  readonly host: string;
  readonly httpPort: number;
  readonly grpcPort: number | null;
  /** "the embedded OTLP receiver (http://127.0.0.1:4318, grpc 127.0.0.1:4317)" */
  readonly description: string;
  /** Stops both servers, cutting kept-alive connections after a short grace period. */
  close(): Promise<void>;
}

export type ReceiverTimeouts = HttpTimeouts & GrpcTimeouts;

export const DEFAULT_TIMEOUTS: ReceiverTimeouts = { headersMs: 10_000, requestMs: 30_000, idleMs: 30_000, prefaceMs: 10_000 };

export const DEFAULT_HTTP_PORT = 4318;
export const DEFAULT_GRPC_PORT = 4317;
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

type Protocol = 'http' | 'grpc';

const PROTOCOL_NAMES: Record<Protocol, string> = { http: 'OTLP/HTTP', grpc: 'OTLP/gRPC' };
const PORT_SETTINGS: Record<Protocol, string> = { http: '--otlp-http-port / tracelens.otlp.httpPort', grpc: '--otlp-grpc-port / tracelens.otlp.grpcPort' };

/** A server of the receiver could not start; the message says which port, why, and what to do. */
export class ReceiverStartError extends Error {
  override readonly name = 'ReceiverStartError';

  constructor(
    message: string,
    readonly protocol: Protocol,
    readonly host: string,
    readonly port: number,
    /** The system error code, e.g. EADDRINUSE. */
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export async function startReceiver(options: ReceiverOptions = {}): Promise<OtlpReceiver> {
  const host = options.host ?? '127.0.0.1';
  const httpPort = options.httpPort ?? DEFAULT_HTTP_PORT;
  const grpcPort = options.grpcPort === undefined ? DEFAULT_GRPC_PORT : options.grpcPort;
  const store =
    options.store ??
    new TraceStore({
      ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
      ...(options.maxSpansPerTrace !== undefined ? { maxSpansPerTrace: options.maxSpansPerTrace } : {}),
    });
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const onWarning = options.onWarning;
  const cors = corsPolicy(options.corsOrigins ?? []);
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };

  const http: RunningHttpServer = await startHttpServer(host, httpPort, { store, transport: 'OTLP/HTTP', onWarning, maxBodyBytes, cors, timeouts }).catch(
    (e: unknown) => {
      throw startError('http', host, httpPort, e);
    },
  );
  let grpc: RunningGrpcServer | undefined;
  if (grpcPort !== null) {
    try {
      grpc = await startGrpcServer(host, grpcPort, { store, transport: 'OTLP/gRPC', onWarning, maxBodyBytes, timeouts });
    } catch (e) {
      await http.close();
      throw startError('grpc', host, grpcPort, e);
    }
  }

  const urlHost = host.includes(':') ? `[${host}]` : host;
  const endpoints = [`http://${urlHost}:${http.port}`, ...(grpc ? [`grpc ${grpcAddress(host, grpc.port)}`] : [])];
  let closing: Promise<void> | undefined;
  return {
    store,
    host,
    httpPort: http.port,
    grpcPort: grpc ? grpc.port : null,
    description: `the embedded OTLP receiver (${endpoints.join(', ')})`,
    close: () => (closing ??= Promise.all([http.close(), grpc?.close()]).then(() => undefined)),
  };
}

function startError(protocol: Protocol, host: string, port: number, cause: unknown): ReceiverStartError {
  const text = cause instanceof Error ? cause.message : String(cause);
  // grpc-js reports bind failures as a message that carries the system error's text.
  const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? /\b(EADDRINUSE|EACCES|EADDRNOTAVAIL|ENOTFOUND|EAI_AGAIN)\b/.exec(text)?.[1];
  const what = `port ${port} (${PROTOCOL_NAMES[protocol]}) on ${host}`;
  const setting = PORT_SETTINGS[protocol];
  let message: string;
  switch (code) {
    case 'EADDRINUSE':
      message = `${what} is in use — another collector or Tracelens receiver is running; stop it or choose another port (${setting})`;
      break;
    case 'EACCES':
      message = `${what} needs privileges this process does not have; choose a port above 1023 (${setting})`;
      break;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      message = `cannot listen on ${host}: it is not an address of this machine; use 127.0.0.1 (the default) or an address of one of its interfaces`;
      break;
    default:
      message = `cannot start the ${PROTOCOL_NAMES[protocol]} server on ${host} port ${port}: ${text}`;
  }
  return new ReceiverStartError(message, protocol, host, port, code);
}
