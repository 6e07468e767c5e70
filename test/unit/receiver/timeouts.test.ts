// Connections that hold the receiver without sending what they should, over real sockets: silent connections,
// headers or a body trickled byte by byte (slowloris), a gRPC connection that never sends its HTTP/2 preface or
// sends half of it, and one that stays idle. Each is closed, nothing half-sent is stored, and the receiver serves on.
// Timeouts are shortened here; the defaults are in DEFAULT_TIMEOUTS.
import assert from 'node:assert/strict';
import * as http2 from 'node:http2';
import * as net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { DEFAULT_TIMEOUTS, startReceiver, type OtlpReceiver } from '../../../src/run/sources/otlp/receiver';
import { assertExported, assertStored, recordRequest } from './sdk';

const TIMEOUTS = { headersMs: 300, requestMs: 600, idleMs: 400, prefaceMs: 300 };
/** Far beyond every timeout above: a connection still open by then was not cut. */
const CUT_WITHIN_MS = 5_000;

let receiver: OtlpReceiver;

before(async () => {
  receiver = await startReceiver({ httpPort: 0, grpcPort: 0, timeouts: TIMEOUTS });
});
after(() => receiver.close());

interface Held {
  /** What the receiver sent before it closed the connection. */
  received: string;
  /** Whether it closed the connection before CUT_WITHIN_MS. */
  closed: boolean;
}

/** Opens a connection, lets `feed` write to it (and stop when it closes), and waits for the receiver to close it. */
function hold(port: number, feed: (socket: net.Socket) => void): Promise<Held> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let received = '';
    const give = setTimeout(() => {
      socket.destroy();
      resolve({ received, closed: false });
    }, CUT_WITHIN_MS);
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(give);
      resolve({ received, closed: true });
    });
    socket.on('connect', () => feed(socket));
  });
}

/** Writes `chunks` one at a time every `everyMs`, until they run out or the connection closes. */
function trickle(socket: net.Socket, chunks: readonly (string | Uint8Array)[], everyMs: number): void {
  let next = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || next >= chunks.length) clearInterval(timer);
    else socket.write(chunks[next++]!);
  }, everyMs);
  socket.on('close', () => clearInterval(timer));
}

const stillServesHttp = async (): Promise<void> => {
  const recorded = recordRequest('after-slow-client', `http-${Date.now()}`);
  const exporter = new ProtoExporter({ url: `http://127.0.0.1:${receiver.httpPort}/v1/traces` });
  try {
    await assertExported(exporter, recorded.spans);
  } finally {
    await exporter.shutdown();
  }
  assertStored(receiver.store, recorded);
};

const stillServesGrpc = async (): Promise<void> => {
  const recorded = recordRequest('after-slow-client', `grpc-${Date.now()}`);
  const exporter = new GrpcExporter({ url: `http://127.0.0.1:${receiver.grpcPort}` });
  try {
    await assertExported(exporter, recorded.spans);
  } finally {
    await exporter.shutdown();
  }
  assertStored(receiver.store, recorded);
};

describe('OTLP/HTTP timeouts', () => {
  it('closes a connection that sends nothing', async () => {
    const held = await hold(receiver.httpPort, () => {});
    assert.ok(held.closed, 'a silent connection was held');
    assert.match(held.received, /^HTTP\/1\.1 408/);
    await stillServesHttp();
  });

  it('closes a connection whose headers trickle in', async () => {
    const headers = ['POST /v1/traces HTTP/1.1\r\n', 'Host: 127.0.0.1\r\n', ...Array.from({ length: 100 }, (_, i) => `X-Slow-${i}: ${i}\r\n`)];
    const held = await hold(receiver.httpPort, (socket) => trickle(socket, headers, 50));
    assert.ok(held.closed, 'slow headers were held');
    assert.match(held.received, /^HTTP\/1\.1 408/);
    await stillServesHttp();
  });

  it('cuts a body that trickles in (slowloris) and stores none of it', async () => {
    const recorded = recordRequest('slow-body', 'slowloris');
    const body = Buffer.from(ProtobufTraceSerializer.serializeRequest(recorded.spans)!);
    const head = `POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-protobuf\r\nContent-Length: ${body.length}\r\n\r\n`;
    const chunks = [head, ...Array.from({ length: Math.ceil(body.length / 16) }, (_, i) => body.subarray(i * 16, i * 16 + 16))];
    const held = await hold(receiver.httpPort, (socket) => trickle(socket, chunks, 50));
    assert.ok(held.closed, 'a slow body was held');
    assert.match(held.received, /^HTTP\/1\.1 408/);
    assert.equal(receiver.store.get(recorded.traceId), undefined);
    await stillServesHttp();
  });

  it('closes a kept-alive connection that goes idle after a request', async () => {
    const recorded = recordRequest('keep-alive', 'idle-after');
    const body = Buffer.from(ProtobufTraceSerializer.serializeRequest(recorded.spans)!);
    const head = `POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-protobuf\r\nContent-Length: ${body.length}\r\n\r\n`;
    const held = await hold(receiver.httpPort, (socket) => socket.write(Buffer.concat([Buffer.from(head), body])));
    assert.ok(held.closed, 'an idle kept-alive connection was held');
    assert.match(held.received, /^HTTP\/1\.1 200/);
    assertStored(receiver.store, recorded);
  });
});

describe('OTLP/gRPC timeouts', () => {
  it('closes a connection that never sends the HTTP/2 preface', async () => {
    const held = await hold(receiver.grpcPort!, () => {});
    assert.ok(held.closed, 'a silent connection was held');
    await stillServesGrpc();
  });

  it('closes a connection that sends half the preface and stops', async () => {
    const held = await hold(receiver.grpcPort!, (socket) => socket.write('PRI * HTTP/2.0\r\n'));
    assert.ok(held.closed, 'a half preface was held');
    await stillServesGrpc();
  });

  it('closes a connection that sends something else at once', async () => {
    const held = await hold(receiver.grpcPort!, (socket) => socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    assert.ok(held.closed);
    assert.equal(held.received, '');
  });

  it('sends GOAWAY to an HTTP/2 connection with no call for the idle time, and serves new ones', async () => {
    const session = http2.connect(`http://127.0.0.1:${receiver.grpcPort}`);
    session.on('error', () => {});
    const outcome = await new Promise<'goaway' | 'held'>((resolve) => {
      const give = setTimeout(() => resolve('held'), CUT_WITHIN_MS);
      session.once('goaway', () => {
        clearTimeout(give);
        resolve('goaway');
      });
    });
    session.destroy();
    assert.equal(outcome, 'goaway');
    await stillServesGrpc();
  });
});

describe('default timeouts', () => {
  it('cut slow clients well before Node’s 300 s request timeout, and give exporters time between batches', () => {
    assert.ok(DEFAULT_TIMEOUTS.requestMs <= 60_000 && DEFAULT_TIMEOUTS.headersMs <= DEFAULT_TIMEOUTS.requestMs);
    assert.ok(DEFAULT_TIMEOUTS.prefaceMs <= 30_000);
    // The OpenTelemetry SDK's batch processor exports every 5 s by default: its connection should stay up in between.
    assert.ok(DEFAULT_TIMEOUTS.idleMs >= 10_000);
  });
});
