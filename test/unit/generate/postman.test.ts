import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { main } from '../../../src/cli';
import { filesFromPostman, type PostmanImport } from '../../../src/core/generate/postman';
import { loadFile } from '../../../src/core/testfile/load';
import { startReceiver } from '../../../src/run/sources/otlp/receiver';
import { startTracedService } from '../../support/traced-service';

const POKESHOP = readFileSync(join(__dirname, '..', '..', 'fixtures', 'postman', 'pokeshop.postman_collection.json'), 'utf8');

function imported(text: string): PostmanImport {
  const made = filesFromPostman(text);
  assert.ok(made.ok, made.ok ? '' : made.error.message);
  return made.value;
}

type Auth = { type: string } & Record<string, unknown>;
interface Request {
  method: string;
  url: string;
  headers: Array<{ key: string; value: string }>;
  body: string;
  auth?: Auth;
  sslVerification?: boolean;
}
/** What the tests read of an imported file: a test's, a suite's or a variable set's spec. */
interface Spec {
  name: string;
  steps: string[];
  values: Array<{ key: string; value: string; type?: string }>;
  trigger: {
    type: string;
    httpRequest: Request;
    graphql: { url: string; body: { query: string; variables: string }; auth?: Auth };
  };
}

/** The `spec` of an imported file, by its path. */
function specOf(result: PostmanImport, path: string): Spec {
  const file = result.files.find((f) => f.path === path);
  assert.ok(file, `${path} among ${result.files.map((f) => f.path).join(', ')}`);
  return (parse(file.text) as { spec: Spec }).spec;
}

describe('importing a Postman collection', () => {
  const result = imported(POKESHOP);

  test('a test per request in the collection’s order, a suite running them, and the variables; a multipart upload is listed as skipped', () => {
    assert.equal(result.collection, 'Pokeshop API');
    assert.deepEqual(
      result.files.map((f) => f.path),
      [
        'add-a-pokemon.yaml',
        'get-a-pokemon.yaml',
        'import-a-pokemon.yaml',
        'search-pokemon-graphql.yaml',
        'add-a-pokemon-2.yaml',
        'suite.yaml',
        'variables.yaml',
      ],
    );
    assert.equal(result.tests, 5);
    assert.deepEqual(result.skipped, ["Pokemon / Upload a picture: its multipart form body cannot be a test's request body"]);
    assert.deepEqual(specOf(result, 'suite.yaml').steps, [
      './add-a-pokemon.yaml',
      './get-a-pokemon.yaml',
      './import-a-pokemon.yaml',
      './search-pokemon-graphql.yaml',
      './add-a-pokemon-2.yaml',
    ]);
    assert.ok(result.notes.some((n) => /Pokeshop API: its scripts/.test(n)));
    assert.ok(result.notes.some((n) => /Pokemon \/ Add a Pokémon: its scripts are not imported/.test(n)));
  });

  test('every file loads without a problem', () => {
    for (const file of result.files) {
      const loaded = loadFile(file.text, file.path);
      assert.deepEqual(
        loaded.problems.map((p) => `${p.line}:${p.column} ${p.message}`),
        [],
        file.path,
      );
    }
  });

  test('{{variables}} become ${var:…}; the collection’s bearer auth is inherited; disabled headers and query parameters are left out', () => {
    const add = specOf(result, 'add-a-pokemon.yaml');
    assert.equal(add.name, 'Add a Pokémon');
    assert.deepEqual(add.trigger.httpRequest.auth, { type: 'bearer', bearer: { token: '${var:accessToken}' } });
    assert.equal(add.trigger.httpRequest.url, '${var:baseUrl}/pokemon');
    assert.deepEqual(add.trigger.httpRequest.headers, [
      { key: 'X-Request-Source', value: 'postman' },
      { key: 'Content-Type', value: 'application/json' },
    ]);
    assert.match(add.trigger.httpRequest.body, /"imageUrl": "https:\/\/example.com\/\$\{var:pokemonId\}.png"/);
    assert.equal(specOf(result, 'get-a-pokemon.yaml').trigger.httpRequest.url, '${var:baseUrl}/pokemon/${var:pokemonId}?fields=name,type');
  });

  test('a form body is encoded with its variables kept; `noauth` stops the inherited auth', () => {
    const http = specOf(result, 'import-a-pokemon.yaml').trigger.httpRequest;
    assert.equal(http.auth, undefined);
    assert.equal(http.body, 'id=${var:pokemonId}&note=from%20postman%20%26%20co');
    assert.deepEqual(http.headers.at(-1), { key: 'Content-Type', value: 'application/x-www-form-urlencoded' });
  });

  test('a GraphQL body becomes a graphql trigger, with the folder’s basic auth', () => {
    const trigger = specOf(result, 'search-pokemon-graphql.yaml').trigger;
    assert.equal(trigger.type, 'graphql');
    assert.equal(trigger.graphql.url, '${var:baseUrl}/graphql');
    assert.match(trigger.graphql.body.query, /search\(q: \$q\)/);
    assert.equal(trigger.graphql.body.variables, '{"q": "${var:query}"}');
    assert.deepEqual(trigger.graphql.auth, { type: 'basic', basic: { username: 'admin', password: '${var:BASIC_PASSWORD}' } });
  });

  test('credentials written in the collection reach no file: they are secrets to give, and the variable set holds them empty', () => {
    const all = result.files.map((f) => f.text).join('\n');
    for (const secret of ['hunter2', 'sk_live_51Hx9Q2eZvKYlo2C', 'admin-key-123', 'pikachu4ever', 'eyJhbGciOiJIUzI1NiJ9'])
      assert.ok(!all.includes(secret), secret);
    const admin = specOf(result, 'add-a-pokemon-2.yaml').trigger.httpRequest;
    assert.deepEqual(admin.auth, { type: 'apiKey', apiKey: { key: 'X-Admin-Key', value: '${var:API_KEY}', in: 'header' } });
    assert.equal(admin.sslVerification, true);
    assert.match(admin.body, /"password": "\$\{var:[A-Z_]+\}"/);
    assert.deepEqual(specOf(result, 'variables.yaml').values, [
      { key: 'baseUrl', value: 'http://localhost:8081' },
      { key: 'pokemonId', value: '25' },
      { key: 'accessToken', value: '', type: 'secret' },
      { key: 'query', value: 'pika' },
    ]);
    for (const name of ['API_KEY', 'BASIC_PASSWORD', 'accessToken']) assert.ok(result.secrets.includes(name), `${name} in ${result.secrets.join(', ')}`);
    assert.ok(
      result.secrets.some((s) => /API_KEY/i.test(s) && s !== 'API_KEY'),
      'the X-Api-Key header’s variable',
    );
  });

  test('what is not a v2 collection is refused with a reason; broken JSON with its line and column', () => {
    const refused = (text: string) => {
      const made = filesFromPostman(text);
      assert.ok(!made.ok);
      return made.error;
    };
    assert.match(refused('{"info": {"name": "x"}, "requests": [], "order": []}').message, /collection v1: export it again from Postman as Collection v2\.1/);
    assert.match(refused('{"openapi": "3.0.0"}').message, /a Postman collection has `info` and an `item` list/);
    const broken = refused('{\n  "info": {"name": "x"},\n  "item": [,]\n}');
    assert.deepEqual([broken.line, broken.column], [3, 12]);
  });
});

describe('an imported collection runs', () => {
  test('`tracelens run` on the imported suite with the variable set: each request reaches the service and passes', async () => {
    const receiver = await startReceiver({ httpPort: 0, grpcPort: null });
    await receiver.close();
    const service = await startTracedService(`http://127.0.0.1:${receiver.httpPort}`);
    try {
      const collection = {
        info: { name: 'Greeter', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
        auth: { type: 'bearer', bearer: [{ key: 'token', value: 'written-here-by-mistake' }] },
        item: [
          { name: 'Hello', request: { method: 'GET', url: '{{baseUrl}}/hello?lang=en' } },
          {
            name: 'Order',
            request: { method: 'POST', url: '{{baseUrl}}/orders', body: { mode: 'raw', raw: '{"id": 7}', options: { raw: { language: 'json' } } } },
          },
        ],
        variable: [{ key: 'baseUrl', value: service.url }],
      };
      const dir = mkdtempSync(join(tmpdir(), 'tracelens-postman-'));
      for (const file of imported(JSON.stringify(collection)).files) writeFileSync(join(dir, file.path), file.text);
      let stdout = '';
      let stderr = '';
      const code = await main(
        [
          'run',
          join(dir, 'suite.yaml'),
          '--vars',
          join(dir, 'variables.yaml'),
          '--secret',
          'BEARER_TOKEN=t0k3n',
          '--otlp-http-port',
          String(receiver.httpPort),
          '--otlp-grpc-port',
          '0',
        ],
        { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env: { NO_COLOR: '1' } },
      );
      assert.equal(code, 0, stderr);
      const report = JSON.parse(stdout) as { tests: Array<{ name: string; status: string }> };
      assert.deepEqual(
        report.tests.map((t) => `${t.name} ${t.status}`),
        ['Hello passed', 'Order passed'],
      );
      assert.ok(!(stdout + stderr).includes('t0k3n'), 'the secret is masked');
    } finally {
      await service.close();
    }
  });
});
