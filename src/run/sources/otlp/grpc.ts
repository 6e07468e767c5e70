// OTLP/gRPC: opentelemetry.proto.collector.trace.v1.TraceService/Export. The messages pass through grpc-js as
// raw bytes so that the same decoder as OTLP/HTTP reads them; grpc-js itself undoes gzip/deflate message
// compression and enforces the size limit after decompression.
import * as grpc from '@grpc/grpc-js';
import * as net from 'node:net';
import { ingestProtobuf, type IngestContext } from './ingest';
import { encodeExportResponse, TRACE_SERVICE_EXPORT_PATH } from './messages';

export interface GrpcReceiverOptions extends IngestContext {
  maxBodyBytes: number;
}

export interface RunningGrpcServer {
  port: number;
  close(): Promise<void>;
}

const CLOSE_GRACE_MS = 200;

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

/** Binds host:port; rejects with grpc-js's bind error (its message carries the system error, e.g. EADDRINUSE). */
export function startGrpcServer(host: string, port: number, options: GrpcReceiverOptions): Promise<RunningGrpcServer> {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': options.maxBodyBytes,
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
  return (port === 0 ? Promise.resolve() : probe(host, port)).then(() => bind(server, host, port));
}

/**
 * Fails with the system error (EADDRINUSE…) when host:port cannot be listened on. grpc-js would report that
 * too, but it also prints it to stderr itself, which the CLI's own message then repeats.
 */
function probe(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve()));
  });
}

function bind(server: grpc.Server, host: string, port: number): Promise<RunningGrpcServer> {
  return new Promise((resolve, reject) => {
    server.bindAsync(grpcAddress(host, port), grpc.ServerCredentials.createInsecure(), (error, boundPort) => {
      if (error) {
        server.forceShutdown();
        reject(error);
      } else resolve({ port: boundPort, close: () => closeServer(server) });
    });
  });
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
