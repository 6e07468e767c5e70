// The demo system really exports what the demo tests assert on: it is started as `npm run demo` starts it, pointed
// at a small OTLP/HTTP capture server, and called over HTTP, GraphQL and gRPC with a W3C traceparent.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { decodeOtlpProtobuf } from '../../../src/core/trace/decode/index';
import type { RawSpan } from '../../../src/core/trace/model';
import { startDemo, type Demo } from '../../support/demo';

const ROOT = join(__dirname, '..', '..', '..');
const DEADLINE_MS = 30_000;

/** An OTLP/HTTP protobuf endpoint that keeps every span it is sent. */
class Capture {
  readonly spans: RawSpan[] = [];
  readonly problems: string[] = [];
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<Capture> {
    // The server's handler reads the capture, which needs the server: created once it listens.
    const holder: { capture?: Capture } = {};
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const decoded = decodeOtlpProtobuf(new Uint8Array(Buffer.concat(chunks)));
        if (request.url !== '/v1/traces') holder.capture!.problems.push(`unexpected ${request.method} ${request.url}`);
        else if (decoded.ok) holder.capture!.spans.push(...decoded.value.spans);
        else holder.capture!.problems.push(decoded.error.message);
        response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.capture = new Capture(server, `http://127.0.0.1:${(server.address() as { port: number }).port}`);
    return holder.capture;
  }

  trace(traceId: string): RawSpan[] {
    return this.spans.filter((s) => s.traceId === traceId);
  }

  /** Polls until every named span of the trace has arrived (as many times as it is named); the error lists what did. */
  async waitForSpans(traceId: string, names: string[]): Promise<RawSpan[]> {
    const deadline = Date.now() + DEADLINE_MS;
    const wanted = new Map<string, number>();
    for (const name of names) wanted.set(name, (wanted.get(name) ?? 0) + 1);
    for (;;) {
      const spans = this.trace(traceId);
      if ([...wanted].every(([name, count]) => spans.filter((s) => s.name === name).length >= count)) return spans;
      if (Date.now() > deadline) {
        assert.fail(`trace ${traceId}: waited for ${JSON.stringify(names)}, got ${JSON.stringify(spans.map((s) => s.name))} ${this.problems.join('; ')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function newTraceparent(): { traceId: string; traceparent: string } {
  const traceId = randomBytes(16).toString('hex');
  return { traceId, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` };
}

async function post(url: string, body: unknown, traceparent: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', traceparent }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

const byName = (spans: RawSpan[], name: string): RawSpan[] => spans.filter((s) => s.name === name);
const one = (spans: RawSpan[], name: string): RawSpan => {
  const found = byName(spans, name);
  assert.equal(found.length, 1, `exactly one "${name}" span; spans: ${JSON.stringify(spans.map((s) => s.name))}`);
  return found[0]!;
};

describe('the Pokéshop demo', () => {
  let capture: Capture;
  let demo: Demo;
  // A second demo whose batch delay is far longer than the test: its spans can only arrive through the shutdown
  // flush. Both start at once to keep the file fast.
  let quietCapture: Capture;
  let quietDemo: Demo;

  before(
    async () => {
      [capture, quietCapture] = await Promise.all([Capture.start(), Capture.start()]);
      // What the demo exports, not when: its batches go every 100 ms here (`--export-delay 100`) to keep this file fast.
      [demo, quietDemo] = await Promise.all([
        startDemo(capture.url, { OTEL_BSP_SCHEDULE_DELAY: '100' }),
        startDemo(quietCapture.url, { OTEL_BSP_SCHEDULE_DELAY: '600000' }),
      ]);
    },
    { timeout: 90_000 },
  );

  after(async () => {
    await Promise.all([demo?.stop(), quietDemo?.stop()]);
    await Promise.all([capture?.close(), quietCapture?.close()]);
  });

  it('prints a ready line with the addresses it listens on, on loopback', () => {
    assert.match(demo.api, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(demo.grpc, /^127\.0\.0\.1:\d+$/);
  });

  it('POST /pokemon: the server span, validation and the insert continue the caller’s trace', async () => {
    const { traceId, traceparent } = newTraceparent();
    const response = await post(
      `${demo.api}/pokemon`,
      { name: 'meowth', type: 'normal', imageUrl: 'https://example.com/52.png', isFeatured: true },
      traceparent,
    );
    assert.equal(response.status, 201);
    assert.equal((response.body as { name: string }).name, 'meowth');

    const spans = await capture.waitForSpans(traceId, ['POST /pokemon', 'validate request', 'INSERT pokeshop.pokemon']);
    const server = one(spans, 'POST /pokemon');
    assert.equal(server.kind, 'server');
    assert.equal(server.parentId, traceparent.split('-')[2]);
    assert.equal(server.resource.get('service.name'), 'pokeshop-api');
    assert.equal(server.attributes.get('http.method'), 'POST');
    assert.equal(server.attributes.get('http.route'), '/pokemon');
    assert.equal(server.attributes.get('http.status_code'), '201');

    const validate = one(spans, 'validate request');
    assert.equal(validate.parentId, server.id);
    assert.equal(validate.attributes.get('validation.is_valid'), 'true');

    const insert = one(spans, 'INSERT pokeshop.pokemon');
    assert.equal(insert.kind, 'client');
    assert.equal(insert.parentId, server.id);
    assert.equal(insert.attributes.get('db.system'), 'sqlite');
    assert.equal(insert.attributes.get('db.operation'), 'INSERT');
    assert.equal(insert.attributes.get('db.sql.table'), 'pokemon');
    assert.match(insert.attributes.get('db.statement') ?? '', /^INSERT INTO pokemon /);
  });

  it('POST /pokemon/import: the worker’s consumer span joins the trace through the message headers', async () => {
    const { traceId, traceparent } = newTraceparent();
    const response = await post(`${demo.api}/pokemon/import`, { id: 143 }, traceparent);
    assert.deepEqual(response, { status: 202, body: { id: 143 } });

    const spans = await capture.waitForSpans(traceId, [
      'POST /pokemon/import',
      'queue.synchronizePokemon publish',
      'queue.synchronizePokemon process',
      'import pokemon',
      'INSERT pokeshop.pokemon',
      'GET',
    ]);
    const server = one(spans, 'POST /pokemon/import');
    const producer = one(spans, 'queue.synchronizePokemon publish');
    assert.equal(producer.kind, 'producer');
    assert.equal(producer.parentId, server.id);
    assert.equal(producer.attributes.get('messaging.operation'), 'publish');
    assert.equal(producer.attributes.get('messaging.destination.name'), 'queue.synchronizePokemon');

    const consumer = one(spans, 'queue.synchronizePokemon process');
    assert.equal(consumer.kind, 'consumer');
    assert.equal(consumer.resource.get('service.name'), 'pokeshop-worker');
    assert.equal(consumer.parentId, producer.id);
    assert.deepEqual(
      consumer.links.map((l) => [l.traceId, l.spanId]),
      [[traceId, producer.id]],
    );
    assert.equal(consumer.attributes.get('messaging.message.id'), producer.attributes.get('messaging.message.id'));
    assert.equal(consumer.attributes.get('messaging.operation'), 'process');

    const work = one(spans, 'import pokemon');
    assert.equal(work.parentId, consumer.id);
    assert.equal(work.attributes.get('pokemon.name'), 'snorlax');
    const pokeApiCall = one(spans, 'GET');
    assert.equal(pokeApiCall.kind, 'client');
    assert.equal(pokeApiCall.parentId, work.id);
    assert.match(pokeApiCall.attributes.get('http.url') ?? '', /\/api\/v2\/pokemon\/143$/);
    const insert = one(spans, 'INSERT pokeshop.pokemon');
    assert.equal(insert.parentId, work.id);
    assert.equal(insert.resource.get('service.name'), 'pokeshop-worker');

    // The import really landed: the list now has snorlax.
    const list = (await (await fetch(`${demo.api}/pokemon?take=100`)).json()) as { items: { name: string }[] };
    assert.ok(list.items.some((p) => p.name === 'snorlax'));
  });

  it('gRPC createPokemon: a server span from the gRPC instrumentation, with the insert under it', async () => {
    const { traceId, traceparent } = newTraceparent();
    const definition = protoLoader.loadSync(join(ROOT, 'demo', 'proto', 'pokeshop.proto'), { keepCase: true, defaults: false });
    const { pokeshop } = grpc.loadPackageDefinition(definition) as unknown as { pokeshop: { Pokeshop: grpc.ServiceClientConstructor } };
    const client = new pokeshop.Pokeshop(demo.grpc, grpc.credentials.createInsecure());
    const metadata = new grpc.Metadata();
    metadata.set('traceparent', traceparent);
    try {
      const created = await new Promise<{ id: number; name: string }>((resolve, reject) =>
        client['createPokemon']!(
          { name: 'pikachu', type: 'electric', isFeatured: true },
          metadata,
          (error: Error | null, reply: { id: number; name: string }) => (error ? reject(error) : resolve(reply)),
        ),
      );
      assert.equal(created.name, 'pikachu');
      assert.ok(created.id > 0);
    } finally {
      client.close();
    }

    const spans = await capture.waitForSpans(traceId, ['grpc.pokeshop.Pokeshop/createPokemon', 'INSERT pokeshop.pokemon']);
    const server = one(spans, 'grpc.pokeshop.Pokeshop/createPokemon');
    assert.equal(server.kind, 'server');
    assert.equal(server.resource.get('service.name'), 'pokeshop-rpc');
    assert.equal(server.attributes.get('rpc.system'), 'grpc');
    assert.equal(server.attributes.get('rpc.service'), 'pokeshop.Pokeshop');
    assert.equal(server.attributes.get('rpc.method'), 'createPokemon');
    assert.equal(server.attributes.get('rpc.grpc.status_code'), '0');
    assert.equal(one(spans, 'INSERT pokeshop.pokemon').parentId, server.id);
  });

  it('GraphQL: the operation span sits between the HTTP server span and the database reads', async () => {
    const { traceId, traceparent } = newTraceparent();
    const query = 'query ListPokemon($take: Int) { pokemon(take: $take) { items { id name } totalCount } }';
    const response = await post(`${demo.api}/graphql`, { query, variables: { take: 2 }, operationName: 'ListPokemon' }, traceparent);
    assert.equal(response.status, 200);
    const data = (response.body as { data: { pokemon: { items: unknown[]; totalCount: number } } }).data;
    assert.equal(data.pokemon.items.length, 2);

    const spans = await capture.waitForSpans(traceId, ['POST /graphql', 'query ListPokemon', 'SELECT pokeshop.pokemon', 'SELECT pokeshop.pokemon']);
    const operation = one(spans, 'query ListPokemon');
    assert.equal(operation.parentId, one(spans, 'POST /graphql').id);
    assert.equal(operation.attributes.get('graphql.operation.type'), 'query');
    assert.equal(operation.attributes.get('graphql.operation.name'), 'ListPokemon');
    assert.equal(operation.attributes.get('graphql.document'), query);
    const reads = byName(spans, 'SELECT pokeshop.pokemon');
    assert.deepEqual(
      reads.map((s) => s.parentId),
      [operation.id, operation.id],
    );
  });

  it('refuses an invalid request with 400 and says why, in the response and on the validation span', async () => {
    const { traceId, traceparent } = newTraceparent();
    const response = await post(`${demo.api}/pokemon`, { name: '', type: 'normal', isFeatured: false }, traceparent);
    assert.equal(response.status, 400);
    assert.deepEqual(response.body, { errors: ['name is required and must be a non-empty string'] });
    const spans = await capture.waitForSpans(traceId, ['POST /pokemon', 'validate request']);
    assert.equal(one(spans, 'validate request').attributes.get('validation.is_valid'), 'false');
  });

  it('flushes the spans it holds on SIGTERM and exits 0', async () => {
    const { traceId, traceparent } = newTraceparent();
    assert.equal((await post(`${quietDemo.api}/pokemon/import`, { id: 25 }, traceparent)).status, 202);
    assert.deepEqual(quietCapture.trace(traceId), []);
    assert.equal(await quietDemo.stop(), 0, quietDemo.stderr());
    const names = quietCapture.trace(traceId).map((s) => s.name);
    for (const name of ['POST /pokemon/import', 'validate request', 'queue.synchronizePokemon publish'])
      assert.ok(names.includes(name), `${name} in ${JSON.stringify(names)}`);
  });

  it('exports nothing but traces, all of it decodable', () => {
    assert.deepEqual(capture.problems, []);
    assert.deepEqual(quietCapture.problems, []);
  });
});
