// File references stay inside the project root: a body, GraphQL query, proto file or proto import that is an
// absolute path, climbs out with `../`, or is a symbolic link leading out is an error naming it, and nothing is sent
// (the servers see no request, no connection). Allowed explicitly, they are read. Proto parse errors never quote
// the file.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runTrigger } from '../../../src/run/triggers/run-trigger';
import type { FileReferences } from '../../../src/run/triggers/files';
import type { TriggerDef } from '../../../src/core/testfile';
import { failure, requestFor, response, startServer, triggerFrom, type EchoServer } from './support';

const SECRET = 'hunter2-never-sent';
const base = realpathSync(mkdtempSync(join(tmpdir(), 'tracelens-files-')));
const project = join(base, 'project');
const outside = join(base, 'outside');
const testFile = join(project, 'tests', 'orders.yaml');
const files: FileReferences = { root: project, allowOutside: false, widen: 'pass --root' };

let http: EchoServer;
/** Stands for a gRPC server: counts connections, so "nothing was sent" includes "nothing connected". */
let grpcConnections = 0;
let grpcServer: net.Server;
let grpcAddress: string;

before(async () => {
  mkdirSync(join(project, 'tests'), { recursive: true });
  mkdirSync(join(project, 'protos'), { recursive: true });
  mkdirSync(outside, { recursive: true });
  writeFileSync(join(outside, 'secret.txt'), `TOKEN=${SECRET}\n`);
  writeFileSync(join(outside, 'types.proto'), 'syntax = "proto3";\npackage shop;\nmessage Empty {}\n');
  writeFileSync(join(project, 'tests', 'order.json'), '{"item": "book"}');
  symlinkSync(join(outside, 'secret.txt'), join(project, 'tests', 'link-out.json'));
  symlinkSync(join(project, 'tests', 'order.json'), join(project, 'tests', 'link-in.json'));
  writeFileSync(
    join(project, 'protos', 'shop.proto'),
    'syntax = "proto3";\npackage shop;\nimport "../../outside/types.proto";\nservice Shop { rpc Ping (Empty) returns (Empty); }\n',
  );
  writeFileSync(join(project, 'protos', 'broken.proto'), `syntax = "proto3";\npackage shop;\nmessage Key { string token = "${SECRET}"; }\n`);
  http = await startServer();
  grpcServer = net.createServer((socket) => {
    grpcConnections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => grpcServer.listen(0, '127.0.0.1', resolve));
  grpcAddress = `127.0.0.1:${(grpcServer.address() as net.AddressInfo).port}`;
});
after(async () => {
  await http.close();
  await new Promise((resolve) => grpcServer.close(resolve));
});

const httpBody = (body: string): TriggerDef =>
  triggerFrom(`    type: http\n    httpRequest:\n      method: POST\n      url: \${var:URL}/orders\n      body: ${body}\n`);
const graphqlQuery = (query: string): TriggerDef =>
  triggerFrom(`    type: graphql\n    graphql:\n      url: \${var:URL}/graphql\n      body:\n        query: ${query}\n`);
const grpcProto = (proto: string): TriggerDef =>
  triggerFrom(`    type: grpc\n    grpc:\n      protobufFile: ${proto}\n      address: \${var:GRPC}\n      method: shop.Shop.Ping\n`);

const run = (trigger: TriggerDef, policy: FileReferences = files) =>
  runTrigger(requestFor(trigger, { testFile, files: policy, vars: { URL: http.url, GRPC: grpcAddress } }));

/** The trigger failed without sending: the message names the file and the root, and nothing reached a server. */
async function assertRefused(trigger: TriggerDef, field: string, named: RegExp): Promise<void> {
  const requests = http.received.length;
  const connections = grpcConnections;
  const error = failure(await run(trigger));
  assert.equal(error.sent, false);
  assert.match(error.message, new RegExp(`^${field.replaceAll('.', '\\.')}: `));
  assert.match(error.message, named);
  assert.match(error.message, new RegExp(`is outside the project root ${project}: nothing was sent; pass --root$`));
  assert.equal(http.received.length, requests, 'a request was sent');
  assert.equal(grpcConnections, connections, 'a gRPC connection was made');
  assert.ok(!error.message.includes(SECRET));
}

describe('file references outside the project root', () => {
  test('an absolute path', () =>
    assertRefused(httpBody(join(outside, 'secret.txt')), 'trigger.httpRequest.body', new RegExp(`file ${join(outside, 'secret.txt')} is outside`)));

  test('a path climbing out with ../', () =>
    assertRefused(
      httpBody('../../outside/secret.txt'),
      'trigger.httpRequest.body',
      new RegExp(`file \\.\\./\\.\\./outside/secret\\.txt \\(${join(outside, 'secret.txt')}\\) is outside`),
    ));

  test('a symbolic link inside the root that leads out', () =>
    assertRefused(httpBody('link-out.json'), 'trigger.httpRequest.body', new RegExp(`file link-out\\.json \\(${join(outside, 'secret.txt')}\\) is outside`)));

  test('a GraphQL query file', () =>
    assertRefused(graphqlQuery('../../outside/secret.txt'), 'trigger.graphql.body.query', /file \.\.\/\.\.\/outside\/secret\.txt/));

  test('a proto file', () => assertRefused(grpcProto('../../outside/types.proto'), 'trigger.grpc.protobufFile', /file \.\.\/\.\.\/outside\/types\.proto/));

  test('an import of a proto file inside the root', () =>
    assertRefused(grpcProto('../protos/shop.proto'), 'trigger.grpc.protobufFile', /import file \.\.\/\.\.\/outside\/types\.proto \(.*\) is outside/));
});

describe('file references inside the root, or allowed outside it', () => {
  test('a symbolic link that stays inside the root is read', async () => {
    response(await run(httpBody('link-in.json')));
    assert.equal(http.received.at(-1)!.body, '{"item": "book"}');
  });

  test('--allow-outside-root (or the setting) reads a file outside the root', async () => {
    response(await run(httpBody('../../outside/secret.txt'), { ...files, allowOutside: true }));
    assert.equal(http.received.at(-1)!.body, `TOKEN=${SECRET}\n`);
  });

  test('a path that names no file is the body itself, as before', async () => {
    response(await run(httpBody('../../outside/nothing-here.txt')));
    assert.equal(http.received.at(-1)!.body, '../../outside/nothing-here.txt');
  });
});

describe('proto parse errors', () => {
  test('say where the file breaks without quoting it', async () => {
    const connections = grpcConnections;
    const error = failure(await run(grpcProto('../protos/broken.proto')));
    assert.equal(error.message, 'trigger.grpc.protobufFile: syntax error (broken.proto, line 3)');
    assert.equal(grpcConnections, connections);
  });
});
