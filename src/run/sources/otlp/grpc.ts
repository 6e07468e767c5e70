// OTLP/gRPC: opentelemetry.proto.collector.trace.v1.TraceService/Export. The messages pass through grpc-js as
// raw bytes so that the same decoder as OTLP/HTTP reads them; grpc-js itself undoes gzip/deflate message
// compression and enforces the size limit after decompression.
//
// The receiver listens itself and hands each connection to grpc-js once it has sent the HTTP/2 connection preface:
// a connection that sends nothing, or something else, within the preface timeout is closed without grpc-js ever
// seeing it (grpc-js would wait for a partial preface forever). grpc-js closes connections idle for idleMs.
import * as grpc from '@grpc/grpc-js';
import * as net from 'node:net';
import { ingestProtobuf, type IngestContext } from './ingest';
import { encodeExportResponse, TRACE_SERVICE_EXPORT_PATH } from './messages';

export interface GrpcReceiverOptions extends IngestContext {
  maxBodyBytes: number;
  timeouts: GrpcTimeouts;
}

export interface GrpcTimeouts {
  /** A new connection must have sent the HTTP/2 connection preface this long after it opened. */
  prefaceMs: number;
  /** A connection with no call in progress for this long is closed (with a GOAWAY: clients reconnect when they need to). */
  idleMs: number;
}

export interface RunningGrpcServer {
  port: number;
  close(): Promise<void>;
}

const CLOSE_GRACE_MS = 200;

/** What every HTTP/2 client sends first (RFC 9113 §3.4). */
const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

const asBytes = (bytes: Buffer): Buffer => bytes;

const TRACE_SERVICE: grpc.ServiceDefinition = {
  Export: {
    path: TRACE_SERVICE_EXPORT_PATH,
    requestStream: false,
    responseStream: false,
    requestSerialize: asBytes,
    requestDeserialize: asBytes,
    responseSerialize: asBytes,
    responseDeserialize: asBytes,
    originalName: 'export',
  },
};

/** `[::1]:4317` for IPv6 hosts, `127.0.0.1:4317` otherwise. */
export function grpcAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Listens on host:port; rejects with the listen error (e.g. EADDRINUSE) as Node reports it. */
export function startGrpcServer(host: string, port: number, options: GrpcReceiverOptions): Promise<RunningGrpcServer> {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': options.maxBodyBytes,
    'grpc.max_connection_idle_ms': options.timeouts.idleMs,
  });
  const exportTraces: grpc.handleUnaryCall<Buffer, Buffer> = (call, callback) => {
    try {
      const outcome = ingestProtobuf(call.request, options);
      if (!outcome.ok) callback({ code: grpc.status.INVALID_ARGUMENT, details: outcome.message });
      else callback(null, Buffer.from(encodeExportResponse('protobuf', outcome.partial) as Uint8Array));
    } catch (e) {
      const details = `internal error: ${e instanceof Error ? e.message : String(e)}`;
      options.onWarning?.(`OTLP/gRPC ${details}`);
      callback({ code: grpc.status.INTERNAL, details });
    }
  };
  server.addService(TRACE_SERVICE, { Export: exportTraces });
  const injector = server.createConnectionInjector(grpc.ServerCredentials.createInsecure());
  const waiting = new Set<net.Socket>();
  const listener = net.createServer((socket) => awaitPreface(socket, options.timeouts.prefaceMs, waiting, () => injector.injectConnection(socket)));
  return new Promise((resolve, reject) => {
    listener.once('error', reject);
    listener.listen({ host, port }, () => {
      listener.off('error', reject);
      listener.on('error', (e) => options.onWarning?.(`OTLP/gRPC server: ${e.message}`));
      resolve({
        port: (listener.address() as net.AddressInfo).port,
        close: async () => {
          listener.close();
          for (const socket of waiting) socket.destroy();
          await closeServer(server);
          injector.destroy();
        },
      });
    });
  });
}

/** Reads the connection preface (or less, when it is wrong), then gives the connection with what was read to `accept`. */
function awaitPreface(socket: net.Socket, timeoutMs: number, waiting: Set<net.Socket>, accept: () => void): void {
  waiting.add(socket);
  let received: Buffer = Buffer.alloc(0);
  const done = (ok: boolean): void => {
    clearTimeout(timer);
    socket.off('data', onData);
    waiting.delete(socket);
    if (!ok) {
      socket.destroy();
      return;
    }
    socket.pause();
    socket.unshift(received);
    accept();
  };
  const onData = (chunk: Buffer): void => {
    received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
    const compared = Math.min(received.length, PREFACE.length);
    if (!received.subarray(0, compared).equals(PREFACE.subarray(0, compared))) done(false);
    else if (received.length >= PREFACE.length) done(true);
  };
  const timer = setTimeout(() => done(false), timeoutMs);
  // Errors (a reset) before grpc-js owns the socket end it quietly; grpc-js handles them afterwards.
  socket.on('error', () => socket.destroy());
  socket.on('data', onData);
}

/** Lets in-flight calls finish briefly, then cuts whatever is left (exporters keep their channels open). */
function closeServer(server: grpc.Server): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, CLOSE_GRACE_MS);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
