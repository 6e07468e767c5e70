import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import * as protobuf from 'protobufjs';
import { loadFile, type GrpcTrigger, type TestDef, type TriggerDef } from '../../../src/core/testfile';
import { runTrigger } from '../../../src/run/triggers/run-trigger';
import { CONTEXT, FIXTURES, TEST_FILE, failure, requestFor, response, triggerFrom } from './support';

const TRACETEST_FIXTURE = join(FIXTURES, '..', 'tracetest', 'grpc-trigger-embedded-protobuf.yaml');

interface Call {
  method: string;
  request: Record<string, unknown>;
  metadata: Record<string, string>;
}

/** The Pokeshop service of the Tracetest fixture, recording every call. */
class PokeshopServer {
  readonly calls: Call[] = [];
  private server = new grpc.Server();
  private pending: grpc.sendUnaryData<unknown>[] = [];
  address = '';

  async start(): Promise<void> {
    const fixture = loadFile(readFileSync(TRACETEST_FIXTURE, 'utf8'), TRACETEST_FIXTURE);
    const protoText = ((fixture.resources[0]!.resource as TestDef).trigger as GrpcTrigger).protobufFile!.value;
    const root = protobuf.parse(protoText, { keepCase: true }).root;
    const pkg = protoLoader.fromJSON(root.toJSON(), { keepCase: true, defaults: true });
    const record = (method: string, call: grpc.ServerUnaryCall<Record<string, unknown>, unknown>): void => {
      const metadata: Record<string, string> = {};
      for (const [k, v] of Object.entries(call.metadata.getMap())) metadata[k] = String(v);
      this.calls.push({ method, request: call.request, metadata });
    };
    this.server.addService(pkg['pokeshop.Pokeshop'] as grpc.ServiceDefinition, {
      createPokemon: (call: grpc.ServerUnaryCall<Record<string, unknown>, unknown>, callback: grpc.sendUnaryData<unknown>) => {
        record('createPokemon', call);
        const headers = new grpc.Metadata();
        headers.set('x-served-by', 'pokeshop-test');
        call.sendMetadata(headers);
        if (call.request.name === 'hang') {
          this.pending.push(callback);
          return;
        }
        const trailers = new grpc.Metadata();
        trailers.set('x-trailer', 'done');
        callback(null, { ...call.request, id: 42 }, trailers);
      },
      getPokemonList: (call: grpc.ServerUnaryCall<Record<string, unknown>, unknown>, callback: grpc.sendUnaryData<unknown>) => {
        record('getPokemonList', call);
        callback(null, { items: [{ id: 1, name: 'bulbasaur', type: 'grass' }] });
      },
      importPokemon: (call: grpc.ServerUnaryCall<Record<string, unknown>, unknown>, callback: grpc.sendUnaryData<unknown>) => {
        record('importPokemon', call);
        callback({ code: grpc.status.NOT_FOUND, details: `pokemon ${String(call.request.id)} not found` });
      },
    });
    const port = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, p) => (error ? reject(error) : resolve(p))),
    );
    this.address = `127.0.0.1:${port}`;
  }

  stop(): void {
    this.server.forceShutdown();
  }
}

const server = new PokeshopServer();
before(() => server.start());
after(() => server.stop());

/** The Tracetest fixture, pointed at the test server. */
function fixtureTrigger(address: string): TriggerDef {
  const text = readFileSync(TRACETEST_FIXTURE, 'utf8').replace('demo-rpc:8082', address);
  return (loadFile(text, TEST_FILE).resources[0]!.resource as TestDef).trigger;
}

const grpcTrigger = (fields: string): TriggerDef => triggerFrom(`    type: grpc\n    grpc:\n      protobufFile: pokeshop.proto\n${fields}`);

describe('grpc trigger', () => {
  test('the Tracetest fixture: request JSON and trace context arrive, the response is recorded', async () => {
    const before = server.calls.length;
    const r = response(await runTrigger(requestFor(fixtureTrigger(server.address))));
    const call = server.calls[before]!;
    assert.equal(call.method, 'createPokemon');
    assert.deepEqual(
      { name: call.request.name, type: call.request.type, isFeatured: call.request.isFeatured },
      { name: 'Pikachu', type: 'eletric', isFeatured: true },
    );
    assert.equal(call.metadata.traceparent, `00-${CONTEXT.traceId}-${CONTEXT.spanId}-01`);
    assert.equal(call.metadata.tracestate, 'tracelens=1');
    assert.equal(call.metadata.b3, `${CONTEXT.traceId}-${CONTEXT.spanId}-1`);
    assert.equal(call.metadata['uber-trace-id'], `${CONTEXT.traceId}:${CONTEXT.spanId}:0:1`);

    assert.equal(r.sent, true);
    assert.equal(r.traceId, CONTEXT.traceId);
    assert.equal(r.status, 0);
    assert.equal(r.attributes.get('tracetest.response.status'), '0');
    assert.deepEqual(JSON.parse(r.attributes.get('tracetest.response.body')!), { id: 42, name: 'Pikachu', type: 'eletric', isFeatured: true });
    const headers = JSON.parse(r.attributes.get('tracetest.response.headers')!) as { key: string; value: string }[];
    assert.ok(
      headers.some((h) => h.key === 'x-served-by' && h.value === 'pokeshop-test'),
      JSON.stringify(headers),
    );
    assert.ok(
      headers.some((h) => h.key === 'x-trailer' && h.value === 'done'),
      JSON.stringify(headers),
    );
    assert.equal(r.attributes.get('tracetest.request.method'), 'pokeshop.Pokeshop/createPokemon');
  });

  test('proto from a file with an import, `service` + short method, metadata and auth', async () => {
    const before = server.calls.length;
    const trigger = grpcTrigger(`      address: \${var:RPC_ADDRESS}
      service: pokeshop.Pokeshop
      method: getPokemonList
      request: '{"take": \${var:TAKE}, "is_fixed": true}'
      metadata:
        - key: X-Team
          value: rocket
      auth:
        type: bearer
        bearer:
          token: s3cret
`);
    const r = response(await runTrigger(requestFor(trigger, { vars: { RPC_ADDRESS: server.address, TAKE: '5' } })));
    const call = server.calls[before]!;
    assert.equal(call.method, 'getPokemonList');
    assert.equal(call.request.take, 5);
    assert.equal(call.request.isFixed, true, 'original (snake_case) field names are accepted');
    assert.equal(call.metadata['x-team'], 'rocket');
    assert.equal(call.metadata.authorization, 'Bearer s3cret');
    assert.equal(call.metadata.traceparent, `00-${CONTEXT.traceId}-${CONTEXT.spanId}-01`);
    assert.deepEqual(JSON.parse(r.attributes.get('tracetest.response.body')!), {
      items: [{ id: 1, name: 'bulbasaur', type: 'grass', isFeatured: false }],
      totalCount: 0,
    });
  });

  test('basic and apiKey auth become metadata', async () => {
    const first = server.calls.length;
    const base = `      address: ${server.address}\n      method: pokeshop.Pokeshop/createPokemon\n      request: '{"name": "a"}'\n      auth:\n`;
    response(await runTrigger(requestFor(grpcTrigger(`${base}        type: basic\n        basic:\n          username: ash\n          password: pika\n`))));
    response(
      await runTrigger(
        requestFor(grpcTrigger(`${base}        type: apiKey\n        apiKey:\n          key: X-Api-Key\n          value: k3y\n          in: header\n`)),
      ),
    );
    assert.equal(server.calls[first]!.metadata.authorization, `Basic ${Buffer.from('ash:pika').toString('base64')}`);
    assert.equal(server.calls[first + 1]!.metadata['x-api-key'], 'k3y');
  });

  test('an error status is a response, with its details', async () => {
    const trigger = grpcTrigger(`      address: ${server.address}\n      method: pokeshop.Pokeshop.importPokemon\n      request: '{"id": 9999}'\n`);
    const r = response(await runTrigger(requestFor(trigger)));
    assert.equal(r.status, grpc.status.NOT_FOUND);
    assert.equal(r.attributes.get('tracetest.response.status'), '5');
    assert.equal(r.attributes.get('tracetest.response.body'), '');
    assert.equal(r.attributes.get('tracelens.response.status_message'), 'pokemon 9999 not found');
  });

  test('unknown services, methods, fields and bad JSON fail before sending, naming the problem', async () => {
    const before = server.calls.length;
    const at = `      address: ${server.address}\n`;
    const cases: [string, string][] = [
      [`${at}      method: pokeshop.Nope.createPokemon\n`, 'trigger.grpc.method: no service `pokeshop.Nope` in the proto (services: pokeshop.Pokeshop)'],
      [
        `${at}      method: pokeshop.Pokeshop.deletePokemon\n`,
        'trigger.grpc.method: no method `deletePokemon` in service pokeshop.Pokeshop (methods: getPokemonList, createPokemon, importPokemon, watchPokemon)',
      ],
      [
        `${at}      method: pokeshop.Pokeshop.createPokemon\n      request: '{"name": "a", "level": 5}'\n`,
        'trigger.grpc.request: unknown field `level` in message pokeshop.Pokemon (fields: id, name, type, isFeatured, imageUrl)',
      ],
      [`${at}      method: pokeshop.Pokeshop.createPokemon\n      request: '{"name": 5}'\n`, 'trigger.grpc.request: `name`: expected a string (string), got 5'],
      [
        `${at}      method: pokeshop.Pokeshop.getPokemonList\n      request: '{"take": 1.5}'\n`,
        'trigger.grpc.request: `take`: expected an integer (int32), got 1.5',
      ],
      [
        `${at}      method: pokeshop.Pokeshop.watchPokemon\n`,
        'trigger.grpc.method: pokeshop.Pokeshop.watchPokemon is a streaming method; only unary methods can be triggered',
      ],
      [`${at}      method: pokeshop.Pokeshop.createPokemon\n      request: '\${var:BODY}'\n`, 'missing variable BODY in trigger.grpc.request'],
      [
        `${at}      method: pokeshop.Pokeshop.createPokemon\n      metadata:\n        - key: x-ok\n          value: fine\n        - key: "bad key"\n          value: x\n`,
        'trigger.grpc.metadata[1]: Metadata key "bad key" contains illegal characters',
      ],
    ];
    for (const [fields, message] of cases) {
      const error = failure(await runTrigger(requestFor(grpcTrigger(fields))));
      assert.equal(error.message, message);
      assert.equal(error.sent, false);
    }
    const badJson = failure(await runTrigger(requestFor(grpcTrigger(`${at}      method: pokeshop.Pokeshop.createPokemon\n      request: '{"name": '\n`))));
    assert.match(badJson.message, /^trigger\.grpc\.request: not valid JSON \(/);
    const badProto = triggerFrom(
      `    type: grpc\n    grpc:\n      protobufFile: |\n        syntax = "proto3";\n        service S {\n      address: ${server.address}\n      method: S.m\n`,
    );
    assert.equal(failure(await runTrigger(requestFor(badProto))).message, 'trigger.grpc.protobufFile: unexpected end of text (inline proto, line 3)');
    const noFile = grpcTrigger(`${at}      method: x\n`);
    const missing = failure(
      await runTrigger(requestFor({ ...(noFile as GrpcTrigger), protobufFile: { ...(noFile as GrpcTrigger).protobufFile!, value: 'nope.proto' } })),
    );
    assert.equal(missing.message, 'trigger.grpc.protobufFile: file nope.proto not found next to the test file');
    assert.equal(server.calls.length, before, 'nothing reached the server');
  });

  test('a server that cannot be reached is a failure', async () => {
    const down = new grpc.Server();
    const port = await new Promise<number>((resolve, reject) =>
      down.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
    );
    await new Promise<void>((resolve) => down.tryShutdown(() => resolve()));
    const error = failure(await runTrigger(requestFor(fixtureTrigger(`127.0.0.1:${port}`))));
    assert.match(
      error.message,
      new RegExp(
        `^127\\.0\\.0\\.1:${port} /pokeshop\\.Pokeshop/createPokemon: could not connect: connect ECONNREFUSED 127\\.0\\.0\\.1:${port} \\(UNAVAILABLE\\)$`,
      ),
    );
    assert.equal(error.sent, false);
  });

  test('an https:// address connects with TLS (and verifies the certificate)', async () => {
    const tls = new grpc.Server();
    const key = readFileSync(join(FIXTURES, 'self-signed.key.pem'));
    const cert = readFileSync(join(FIXTURES, 'self-signed.cert.pem'));
    const port = await new Promise<number>((resolve, reject) =>
      tls.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createSsl(null, [{ private_key: key, cert_chain: cert }]), (e, p) => (e ? reject(e) : resolve(p))),
    );
    try {
      const error = failure(await runTrigger(requestFor(fixtureTrigger(`https://localhost:${port}`))));
      assert.equal(error.message, `https://localhost:${port} /pokeshop.Pokeshop/createPokemon: could not connect: self-signed certificate (UNAVAILABLE)`);
    } finally {
      tls.forceShutdown();
    }
  });

  test('no response within the timeout, and cancellation', async () => {
    const hang = grpcTrigger(`      address: ${server.address}\n      method: pokeshop.Pokeshop.createPokemon\n      request: '{"name": "hang"}'\n`);
    const late = failure(await runTrigger(requestFor(hang, { timeoutMs: 300 })));
    assert.equal(late.message, `${server.address} /pokeshop.Pokeshop/createPokemon: no response within 300ms`);
    assert.equal(late.sent, true);
    const controller = new AbortController();
    const running = runTrigger(requestFor(hang, { signal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    assert.equal(failure(await running).message, `${server.address} /pokeshop.Pokeshop/createPokemon: cancelled`);
  });
});
