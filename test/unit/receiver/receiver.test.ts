// The receiver as a whole: ports, start errors, closing, and many traces arriving at once over every transport.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import { describe, it } from 'node:test';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { ReceiverStartError, startReceiver } from '../../../src/run/sources/otlp/receiver';
import { TraceStore } from '../../../src/run/sources/otlp/store';
import { assertExported, assertStored, recordRequest } from './sdk';

/** A port that nothing listens on any more (taken from the system, then released). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('startReceiver', () => {
  it('listens on the ports it reports and describes itself with them', async () => {
    const store = new TraceStore();
    const receiver = await startReceiver({ httpPort: 0, grpcPort: 0, store });
    try {
      assert.equal(receiver.host, '127.0.0.1');
      assert.equal(receiver.store, store);
      assert.ok(receiver.httpPort > 0 && receiver.grpcPort! > 0);
      assert.equal(receiver.description, `the embedded OTLP receiver (http://127.0.0.1:${receiver.httpPort}, grpc 127.0.0.1:${receiver.grpcPort})`);
      assert.ok(await canConnect(receiver.httpPort));
      assert.ok(await canConnect(receiver.grpcPort!));
    } finally {
      await receiver.close();
    }
    assert.equal(await canConnect(receiver.httpPort), false);
    assert.equal(await canConnect(receiver.grpcPort!), false);
  });

  it('runs without gRPC when grpcPort is null', async () => {
    const receiver = await startReceiver({ httpPort: 0, grpcPort: null });
    await receiver.close();
    assert.equal(receiver.grpcPort, null);
    assert.equal(receiver.description, `the embedded OTLP receiver (http://127.0.0.1:${receiver.httpPort})`);
  });

  it('says which port is in use and how to fix it', async () => {
    const first = await startReceiver({ httpPort: 0, grpcPort: 0 });
    try {
      await assert.rejects(startReceiver({ httpPort: first.httpPort, grpcPort: null }), (e: unknown) => {
        assert.ok(e instanceof ReceiverStartError);
        assert.equal(
          e.message,
          `port ${first.httpPort} (OTLP/HTTP) on 127.0.0.1 is in use — another collector or Tracelens receiver is running; stop it or choose another port (--otlp-http-port / tracelens.otlp.httpPort)`,
        );
        assert.equal(e.code, 'EADDRINUSE');
        assert.equal(e.protocol, 'http');
        return true;
      });

      const httpPort = await freePort();
      await assert.rejects(startReceiver({ httpPort, grpcPort: first.grpcPort }), (e: unknown) => {
        assert.ok(e instanceof ReceiverStartError);
        assert.equal(
          e.message,
          `port ${first.grpcPort} (OTLP/gRPC) on 127.0.0.1 is in use — another collector or Tracelens receiver is running; stop it or choose another port (--otlp-grpc-port / tracelens.otlp.grpcPort)`,
        );
        assert.equal(e.protocol, 'grpc');
        return true;
      });
      // The HTTP server that did start was closed again.
      assert.equal(await canConnect(httpPort), false);
    } finally {
      await first.close();
    }
  });

  it('says so when the host is not an address of this machine', async () => {
    await assert.rejects(startReceiver({ host: '192.0.2.1', httpPort: 0, grpcPort: null }), (e: unknown) => {
      assert.ok(e instanceof ReceiverStartError);
      assert.match(e.message, /cannot listen on 192\.0\.2\.1: it is not an address of this machine/);
      return true;
    });
  });

  it('closes promptly while clients hold keep-alive connections open', async () => {
    const receiver = await startReceiver({ httpPort: 0, grpcPort: 0 });
    const agent = new http.Agent({ keepAlive: true });
    const grpcExporter = new GrpcExporter({ url: `http://127.0.0.1:${receiver.grpcPort}` });
    await assertExported(new ProtoExporter({ url: `http://127.0.0.1:${receiver.httpPort}/v1/traces` }), recordRequest('a', 'keep-alive').spans);
    await assertExported(grpcExporter, recordRequest('a', 'grpc-channel').spans);
    await new Promise<void>((resolve) => {
      http.get(`http://127.0.0.1:${receiver.httpPort}/v1/traces`, { agent }, (response) => response.resume().on('end', resolve));
    });
    // Both servers have an open connection now; close() must not wait for the clients to hang up.
    await receiver.close();
    agent.destroy();
    await grpcExporter.shutdown();
    assert.equal(await canConnect(receiver.httpPort), false);
  });
});

describe('many traces at once', () => {
  it('keeps 20 concurrently exported traces apart, over HTTP protobuf, HTTP JSON and gRPC', async () => {
    const receiver = await startReceiver({ httpPort: 0, grpcPort: 0 });
    const url = `http://127.0.0.1:${receiver.httpPort}/v1/traces`;
    const exporters: SpanExporter[] = [];
    try {
      const recorded = Array.from({ length: 20 }, (_, i) => recordRequest(`service-${i}`, `concurrent-${i}`));
      await Promise.all(
        recorded.map((request, i) => {
          const exporter =
            i % 3 === 0
              ? new ProtoExporter({ url })
              : i % 3 === 1
                ? new JsonExporter({ url })
                : new GrpcExporter({ url: `http://127.0.0.1:${receiver.grpcPort}` });
          exporters.push(exporter);
          return assertExported(exporter, request.spans);
        }),
      );
      assert.equal(receiver.store.size, 20);
      for (const request of recorded) assertStored(receiver.store, request);
    } finally {
      await Promise.all(exporters.map((e) => e.shutdown()));
      await receiver.close();
    }
  });
});
