// OTLP/gRPC: the real OpenTelemetry SDK gRPC exporter (plain and gzip) into the receiver, and malformed or
// oversized messages from a raw client answered with the right status codes, the receiver serving on.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { startReceiver, type OtlpReceiver } from '../../../src/run/sources/otlp/receiver';
import { assertExported, assertStored, recordRequest } from './sdk';

const MAX_BODY = 64 * 1024;
const EXPORT = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
let receiver: OtlpReceiver;
let client: grpc.Client;

before(async () => {
  receiver = await startReceiver({ httpPort: 0, grpcPort: 0, maxBodyBytes: MAX_BODY });
  client = new grpc.Client(`127.0.0.1:${receiver.grpcPort}`, grpc.credentials.createInsecure());
});
after(async () => {
  client.close();
  await receiver.close();
});

type Compression = ConstructorParameters<typeof GrpcExporter>[0] extends infer C ? (C extends { compression?: infer A } ? A : never) : never;

let counter = 0;

async function exportThrough(exporter: GrpcExporter, what: string): Promise<void> {
  const recorded = recordRequest('inventory', `${what}-${++counter}`);
  try {
    await assertExported(exporter, recorded.spans);
  } finally {
    await exporter.shutdown();
  }
  assertStored(receiver.store, recorded);
}

const assertStillServing = () => exportThrough(new GrpcExporter({ url: `http://127.0.0.1:${receiver.grpcPort}` }), 'after-bad-call');

/** One Export call with raw bytes, as a client that does not go through the SDK would make it. */
function call(bytes: Uint8Array): Promise<{ error: grpc.ServiceError | null; response: Buffer | undefined }> {
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      EXPORT,
      (b: Buffer) => b,
      (b: Buffer) => b,
      Buffer.from(bytes),
      (error, response) => resolve({ error, response }),
    );
  });
}

describe('OTLP/gRPC with the OpenTelemetry SDK exporter', () => {
  it('stores spans sent by the gRPC exporter', () => exportThrough(new GrpcExporter({ url: `http://127.0.0.1:${receiver.grpcPort}` }), 'grpc'));
  it('stores gzip-compressed gRPC exports', () =>
    exportThrough(new GrpcExporter({ url: `http://127.0.0.1:${receiver.grpcPort}`, compression: 'gzip' as Compression }), 'grpc-gzip'));
});

describe('OTLP/gRPC Export calls', () => {
  it('answers with an empty ExportTraceServiceResponse', async () => {
    const bytes = ProtobufTraceSerializer.serializeRequest(recordRequest('inventory', 'raw').spans)!;
    const { error, response } = await call(bytes);
    assert.equal(error, null);
    assert.equal(response?.length, 0);
  });

  it('answers INVALID_ARGUMENT with a reason to a malformed message and keeps serving', async () => {
    const { error } = await call(new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]));
    assert.equal(error?.code, grpc.status.INVALID_ARGUMENT);
    assert.match(error.details, /not an OTLP protobuf ExportTraceServiceRequest/);
    await assertStillServing();
  });

  it('answers INVALID_ARGUMENT to a truncated message and keeps serving', async () => {
    const bytes = ProtobufTraceSerializer.serializeRequest(recordRequest('inventory', 'cut').spans)!;
    const { error } = await call(bytes.subarray(0, bytes.length - 20));
    assert.equal(error?.code, grpc.status.INVALID_ARGUMENT);
    await assertStillServing();
  });

  it('answers RESOURCE_EXHAUSTED to a message over the size limit and keeps serving', async () => {
    const { error } = await call(new Uint8Array(MAX_BODY + 1));
    assert.equal(error?.code, grpc.status.RESOURCE_EXHAUSTED);
    await assertStillServing();
  });
});
