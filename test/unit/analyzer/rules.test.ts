// Every rule on spans written with the pre-2023 semantic conventions (what Tracetest checked) and with the current
// ones (what services instrumented today emit): the same instrumentation quality gets the same verdict.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TraceBuilder } from '../../support/trace-builder';
import { analyzeDefault, errorsOf, failuresOf, ruleOf } from './support';

describe('span-naming', () => {
  const naming = (name: string, spec: Parameters<typeof errorsOf>[1]) => errorsOf(name, spec, 'span-naming');

  test('HTTP server spans are `{method} {route}`, in either generation', () => {
    assert.deepEqual(naming('GET /pokemon/:id', { kind: 'server', attrs: { 'http.method': 'GET', 'http.route': '/pokemon/:id' } }), []);
    assert.deepEqual(naming('GET /pokemon/:id', { kind: 'server', attrs: { 'http.request.method': 'GET', 'http.route': '/pokemon/:id' } }), []);
    assert.deepEqual(naming('GET /pokemon/25', { kind: 'server', attrs: { 'http.request.method': 'GET', 'http.route': '/pokemon/:id' } }), [
      'named "GET /pokemon/25"; the conventions name it "GET /pokemon/:id"',
    ]);
    assert.deepEqual(naming('GET /pokemon/25', { kind: 'server', attrs: { 'http.method': 'GET', 'http.route': '/pokemon/:id' } }), [
      'named "GET /pokemon/25"; the conventions name it "GET /pokemon/:id"',
    ]);
  });

  test('without a route a server span is `{method}`; an unknown method (_OTHER) is `HTTP`', () => {
    assert.deepEqual(naming('POST', { kind: 'server', attrs: { 'http.method': 'POST' } }), []);
    assert.deepEqual(naming('HTTP', { kind: 'server', attrs: { 'http.request.method': '_OTHER' } }), []);
    assert.deepEqual(naming('POST /x', { kind: 'server', attrs: { 'http.request.method': 'POST' } }), ['named "POST /x"; the conventions name it "POST"']);
  });

  test('HTTP client spans are `{method}`, or `{method} {url.template}` when there is one', () => {
    assert.deepEqual(naming('GET', { kind: 'client', attrs: { 'http.method': 'GET', 'http.url': 'https://pokeapi.co/api/v2/pokemon/25' } }), []);
    assert.deepEqual(naming('GET', { kind: 'client', attrs: { 'http.request.method': 'GET', 'url.full': 'https://pokeapi.co/api/v2/pokemon/25' } }), []);
    assert.deepEqual(
      naming('GET /api/v2/pokemon/{id}', { kind: 'client', attrs: { 'http.request.method': 'GET', 'url.template': '/api/v2/pokemon/{id}' } }),
      [],
    );
    assert.deepEqual(naming('GET https://pokeapi.co/api/v2/pokemon/25', { kind: 'client', attrs: { 'http.request.method': 'GET' } }), [
      'named "GET https://pokeapi.co/api/v2/pokemon/25"; the conventions name it "GET"',
    ]);
  });

  test('database spans: `{operation} {db}.{table}` before 1.26, `{operation} {collection}` or the query summary after', () => {
    assert.deepEqual(
      naming('SELECT pokeshop.pokemon', {
        kind: 'client',
        attrs: { 'db.system': 'postgresql', 'db.operation': 'SELECT', 'db.name': 'pokeshop', 'db.sql.table': 'pokemon' },
      }),
      [],
    );
    assert.deepEqual(naming('SELECT pokeshop', { kind: 'client', attrs: { 'db.system': 'postgresql', 'db.operation': 'SELECT', 'db.name': 'pokeshop' } }), []);
    assert.deepEqual(
      naming('SELECT pokemon', {
        kind: 'client',
        attrs: { 'db.system.name': 'postgresql', 'db.operation.name': 'SELECT', 'db.namespace': 'pokeshop', 'db.collection.name': 'pokemon' },
      }),
      [],
    );
    assert.deepEqual(
      naming('SELECT pokemon pokedex', {
        kind: 'client',
        attrs: { 'db.system.name': 'postgresql', 'db.query.summary': 'SELECT pokemon pokedex', 'db.operation.name': 'SELECT' },
      }),
      [],
    );
    assert.deepEqual(
      naming('pg.query:INSERT pokeshop', {
        kind: 'client',
        attrs: { 'db.system': 'postgresql', 'db.operation': 'INSERT', 'db.name': 'pokeshop', 'db.sql.table': 'pokemon' },
      }),
      ['named "pg.query:INSERT pokeshop"; the conventions name it "INSERT pokeshop.pokemon" or "INSERT pokemon"'],
    );
    assert.deepEqual(
      naming('pg.query:INSERT', { kind: 'client', attrs: { 'db.system.name': 'postgresql', 'db.operation.name': 'INSERT', 'db.collection.name': 'pokemon' } }),
      ['named "pg.query:INSERT"; the conventions name it "INSERT pokemon"'],
    );
  });

  test('without an operation a database span is named after its table or database, else its system', () => {
    assert.deepEqual(naming('pokeshop', { kind: 'client', attrs: { 'db.system': 'postgresql', 'db.name': 'pokeshop' } }), []);
    assert.deepEqual(naming('postgresql', { kind: 'client', attrs: { 'db.system.name': 'postgresql' } }), []);
    assert.deepEqual(naming('query', { kind: 'client', attrs: { 'db.system.name': 'postgresql' } }), ['named "query"; the conventions name it "postgresql"']);
  });

  test('redis spans pass when the statement starts with the name (the command), old or current attribute', () => {
    assert.deepEqual(naming('set', { kind: 'client', attrs: { 'db.system': 'redis', 'db.statement': 'set pokemon:25 ?' } }), []);
    assert.deepEqual(naming('SET', { kind: 'client', attrs: { 'db.system.name': 'redis', 'db.query.text': 'SET pokemon:25 ?' } }), []);
    assert.deepEqual(naming('cache write', { kind: 'client', attrs: { 'db.system': 'redis', 'db.statement': 'set pokemon:25 ?' } }), [
      'named "cache write"; the conventions name it "redis"',
    ]);
  });

  test('RPC spans are `{service}/{method}`', () => {
    assert.deepEqual(
      naming('pokeshop.Pokeshop/getPokemonList', {
        kind: 'server',
        attrs: { 'rpc.system': 'grpc', 'rpc.service': 'pokeshop.Pokeshop', 'rpc.method': 'getPokemonList' },
      }),
      [],
    );
    assert.deepEqual(
      naming('grpc.pokeshop.Pokeshop/getPokemonList', {
        kind: 'client',
        attrs: { 'rpc.system': 'grpc', 'rpc.service': 'pokeshop.Pokeshop', 'rpc.method': 'getPokemonList' },
      }),
      ['named "grpc.pokeshop.Pokeshop/getPokemonList"; the conventions name it "pokeshop.Pokeshop/getPokemonList"'],
    );
  });

  test('messaging spans: `{destination} {operation}` before 1.24 (send implicit on producers), `{operation} {destination}` after', () => {
    assert.deepEqual(
      naming('queue.synchronizePokemon process', {
        kind: 'consumer',
        attrs: { 'messaging.system': 'rabbitmq', 'messaging.destination.name': 'queue.synchronizePokemon', 'messaging.operation': 'process' },
      }),
      [],
    );
    assert.deepEqual(
      naming('queue.synchronizePokemon send', {
        kind: 'producer',
        attrs: { 'messaging.system': 'rabbitmq', 'messaging.destination': 'queue.synchronizePokemon' },
      }),
      [],
    );
    assert.deepEqual(
      naming('send queue.synchronizePokemon', {
        kind: 'producer',
        attrs: {
          'messaging.system': 'rabbitmq',
          'messaging.destination.name': 'queue.synchronizePokemon',
          'messaging.operation.type': 'send',
          'messaging.operation.name': 'send',
        },
      }),
      [],
    );
    assert.deepEqual(
      naming('publish', {
        kind: 'producer',
        attrs: {
          'messaging.system': 'kafka',
          'messaging.destination.name': 'orders',
          'messaging.operation.type': 'send',
          'messaging.operation.name': 'publish',
        },
      }),
      ['named "publish"; the conventions name it "publish orders" or "send orders"'],
    );
  });

  test('other spans, and spans whose attributes cannot say what the name should be, pass', () => {
    assert.deepEqual(naming('validate request', { kind: 'internal', attrs: { 'validation.is_valid': true } }), []);
    assert.deepEqual(naming('request handler - /pokemon', { kind: 'internal', attrs: { 'http.route': '/pokemon' } }), []);
  });
});

describe('required-attributes', () => {
  const required = (name: string, spec: Parameters<typeof errorsOf>[1]) => errorsOf(name, spec, 'required-attributes');

  test('HTTP server spans need the method, target, scheme and host, under old or current names', () => {
    assert.deepEqual(
      required('GET /a', { kind: 'server', attrs: { 'http.method': 'GET', 'http.target': '/a', 'http.scheme': 'https', 'net.host.name': 'api' } }),
      [],
    );
    assert.deepEqual(
      required('GET /a', { kind: 'server', attrs: { 'http.request.method': 'GET', 'url.path': '/a', 'url.scheme': 'https', 'server.address': 'api' } }),
      [],
    );
    assert.deepEqual(required('GET /a', { kind: 'server', attrs: { 'http.request.method': 'GET', 'url.path': '/a' } }), [
      'missing url.scheme (or the older http.scheme), required on http server spans',
      'missing server.address (or the older net.host.name), required on http server spans',
    ]);
  });

  test('HTTP client spans need the method, URL and peer', () => {
    assert.deepEqual(
      required('GET', { kind: 'client', attrs: { 'http.method': 'GET', 'http.url': 'https://pokeapi.co/x', 'net.peer.name': 'pokeapi.co' } }),
      [],
    );
    assert.deepEqual(
      required('GET', { kind: 'client', attrs: { 'http.request.method': 'GET', 'url.full': 'https://pokeapi.co/x', 'server.address': 'pokeapi.co' } }),
      [],
    );
    assert.deepEqual(
      required('GET', { kind: 'client', attrs: { 'url.full': 'https://pokeapi.co/x', 'server.address': 'pokeapi.co', 'http.response.status_code': 200 } }),
      ['missing http.request.method (or the older http.method), required on http spans'],
    );
  });

  test('database, RPC, messaging and FaaS spans', () => {
    assert.deepEqual(required('SELECT', { kind: 'client', attrs: { 'db.system': 'postgresql' } }), []);
    assert.deepEqual(required('SELECT', { kind: 'client', attrs: { 'db.system.name': 'postgresql' } }), []);
    assert.deepEqual(required('SELECT', { kind: 'client', attrs: { 'db.statement': 'SELECT 1' } }), [
      'missing db.system.name (or the older db.system), required on database spans',
    ]);
    assert.deepEqual(required('a.B/c', { kind: 'client', attrs: { 'rpc.system': 'grpc', 'net.peer.name': 'rpc' } }), []);
    assert.deepEqual(required('a.B/c', { kind: 'client', attrs: { 'rpc.system': 'grpc', 'server.address': 'rpc' } }), []);
    assert.deepEqual(required('a.B/c', { kind: 'client', attrs: { 'rpc.service': 'a.B' } }), [
      'missing rpc.system, required on rpc spans',
      'missing server.address (or the older net.peer.name), required on rpc spans',
    ]);
    assert.deepEqual(required('q process', { kind: 'consumer', attrs: { 'messaging.system': 'rabbitmq', 'messaging.operation': 'process' } }), []);
    assert.deepEqual(required('send q', { kind: 'producer', attrs: { 'messaging.system': 'rabbitmq', 'messaging.operation.type': 'send' } }), []);
    assert.deepEqual(required('q send', { kind: 'producer', attrs: { 'messaging.system': 'rabbitmq', 'messaging.destination': 'q' } }), [
      'missing messaging.operation.name (or the older messaging.operation.type, messaging.operation), required on messaging spans',
    ]);
    assert.deepEqual(required('handler', { kind: 'server', attrs: { 'faas.trigger': 'http' } }), []);
    assert.deepEqual(required('invoke', { kind: 'client', attrs: { 'faas.invoked_name': 'fn' } }), [
      'missing faas.invoked_provider, required on faas client spans',
    ]);
  });

  test('general spans have no requirements', () => {
    assert.deepEqual(required('validate request', { attrs: { anything: 1 } }), []);
  });
});

describe('attribute-naming', () => {
  const naming = (attrs: Record<string, string>, resource?: Record<string, string>) =>
    errorsOf('op', { attrs, ...(resource ? { resource } : {}) }, 'attribute-naming');

  test('keys are lower-case dotted names', () => {
    assert.deepEqual(naming({ 'http.status_code': '200', 'http.response.status_code': '200', 'pokemon.id': '25' }), []);
    assert.deepEqual(naming({ userId: '7', 'http.statusCode': '200', 'app.': 'x' }), [
      '"userId" is not a lower-case dotted name (namespace.name)',
      '"http.statusCode" is not a lower-case dotted name (namespace.name)',
      '"app." is not a lower-case dotted name (namespace.name)',
    ]);
  });

  test("a key may not also be a namespace, among the span's and its resource's attributes", () => {
    assert.deepEqual(naming({ 'service.instance': 'a', 'service.instance.id': 'b' }), ['"service.instance" is also the namespace of other attributes']);
    assert.deepEqual(naming({ 'pokemon.type': 'grass' }, { 'pokemon.type.primary': 'grass' }), ['"pokemon.type" is also the namespace of resource attributes']);
    assert.deepEqual(naming({ 'deploy.region.zone': 'a' }, { 'deploy.region': 'eu' }), [
      'resource attribute "deploy.region" is also the namespace of span attributes',
    ]);
    assert.deepEqual(naming({}, { Hostname: 'x' }), ['resource attribute "Hostname" is not a lower-case dotted name (namespace.name)']);
  });

  test('a service emitting both generations while it migrates (db.system beside db.system.name) is not at fault', () => {
    assert.deepEqual(naming({ 'db.system': 'postgresql', 'db.system.name': 'postgresql', 'db.operation': 'SELECT', 'db.operation.name': 'SELECT' }), []);
  });
});

describe('no-empty-attributes', () => {
  test('an empty value fails, on the span or its resource', () => {
    assert.deepEqual(errorsOf('op', { attrs: { 'http.route': '', 'pokemon.id': '25' } }, 'no-empty-attributes'), ['"http.route" is empty']);
    assert.deepEqual(errorsOf('op', { resource: { 'service.version': '' } }, 'no-empty-attributes'), ['resource attribute "service.version" is empty']);
    assert.deepEqual(errorsOf('op', { attrs: { 'pokemon.id': 0, 'pokemon.legendary': false } }, 'no-empty-attributes'), []);
  });
});

describe('prefer-dns', () => {
  const dns = (kind: 'client' | 'server', attrs: Record<string, string>) => errorsOf('GET', { kind, attrs }, 'prefer-dns');

  test("a client span's URL, peer name or connection string naming an IPv4 address fails, old or current names", () => {
    assert.deepEqual(dns('client', { 'http.url': 'http://10.0.0.12:8081/pokemon?token=abc' }), [
      'http.url calls an IP address (http://10.0.0.12:8081) instead of a host name',
    ]);
    assert.deepEqual(dns('client', { 'url.full': 'https://user:pw@192.168.1.4/x' }), [
      'url.full calls an IP address (https://192.168.1.4) instead of a host name',
    ]);
    assert.deepEqual(dns('client', { 'net.peer.name': '172.17.0.2' }), ['net.peer.name is an IP address (172.17.0.2) instead of a host name']);
    assert.deepEqual(dns('client', { 'server.address': '127.0.0.1' }), ['server.address is an IP address (127.0.0.1) instead of a host name']);
    assert.deepEqual(dns('client', { 'db.connection_string': 'Server=10.1.2.3;Database=pokeshop' }), [
      'db.connection_string connects to an IP address (10.1.2.3) instead of a host name',
    ]);
  });

  test('names pass, and so do server spans (their address is how they were called)', () => {
    assert.deepEqual(dns('client', { 'url.full': 'https://pokeapi.co/api/v2/pokemon/1.2.3.4', 'server.address': 'pokeapi.co' }), []);
    assert.deepEqual(dns('client', { 'http.url': 'http://demo-api:8081/pokemon', 'net.peer.name': 'demo-api' }), []);
    assert.deepEqual(dns('client', { 'server.address': '999.1.1.1' }), []);
    assert.deepEqual(dns('server', { 'http.url': 'http://10.0.0.12:8081/pokemon', 'server.address': '10.0.0.12' }), []);
  });
});

describe('secure-https-protocol', () => {
  const https = (attrs: Record<string, string>, kind: 'client' | 'server' = 'server') =>
    errorsOf('GET', { kind, attrs: { 'http.method': 'GET', ...attrs } }, 'secure-https-protocol');

  test("an HTTP span's scheme or URL that is not https fails, old or current names, without the URL's path", () => {
    assert.deepEqual(https({ 'http.scheme': 'http', 'http.url': 'http://demo-api:8081/pokemon?apiKey=s3cret' }), [
      'http.scheme is http',
      'http.url is http (http://demo-api:8081)',
    ]);
    assert.deepEqual(https({ 'url.scheme': 'http' }), ['url.scheme is http']);
    assert.deepEqual(https({ 'url.full': 'http://pokeapi.co/x' }, 'client'), ['url.full is http (http://pokeapi.co)']);
  });

  test('https passes, and so does a span that records neither (or only a path)', () => {
    assert.deepEqual(https({ 'http.scheme': 'https', 'http.url': 'https://demo-api/pokemon' }), []);
    assert.deepEqual(https({ 'url.scheme': 'HTTPS', 'url.path': '/pokemon' }), []);
    assert.deepEqual(https({ 'http.target': '/pokemon' }), []);
    assert.deepEqual(errorsOf('op', { attrs: { 'url.scheme': 'http' } }, 'secure-https-protocol'), [], 'only HTTP spans (url.* alone does not make one)');
  });
});

describe('no-api-key-leak', () => {
  const leak = (attrs: Record<string, string>) => errorsOf('GET', { kind: 'server', attrs: { 'http.method': 'GET', ...attrs } }, 'no-api-key-leak');

  test('a recorded Authorization or X-API-Key header fails, never repeating the value', () => {
    const errors = leak({ 'http.request.header.authorization': '["Bearer s3cr3t-token"]', 'http.response.header.x-api-key': '["k-123"]' });
    assert.deepEqual(errors, [
      "http.request.header.authorization records the request's Authorization header",
      "http.response.header.x-api-key records the response's X-API-Key header",
    ]);
    assert.ok(!errors.join(' ').includes('s3cr3t'));
    assert.deepEqual(
      leak({ 'http.request.header.x_api_key': 'k-123' }),
      ["http.request.header.x_api_key records the request's X-API-Key header"],
      'before 1.23 dashes were underscores',
    );
  });

  test('other headers, empty and redacted values pass', () => {
    assert.deepEqual(
      leak({
        'http.request.header.content_type': '["application/json"]',
        'http.request.header.authorization': '[""]',
        'http.response.header.x-api-key': '["REDACTED"]',
      }),
      [],
    );
    assert.deepEqual(leak({ 'http.request.header.authorization': '****' }), []);
  });
});

describe('the trace as a whole', () => {
  test('the trigger span Tracelens adds is not judged', () => {
    const trace = new TraceBuilder()
      .span('GET /a', {
        kind: 'server',
        attrs: { 'http.method': 'GET', 'http.route': '/a', 'http.scheme': 'https', 'http.target': '/a', 'net.host.name': 'api' },
      })
      .build({
        attributes: new Map([['tracetest.response.body', '']]),
      });
    const result = analyzeDefault(trace);
    assert.equal(result.score, 100);
    assert.deepEqual(ruleOf(result, 'no-empty-attributes').failures, []);
  });

  test('failures are listed in span order with the span ids', () => {
    const trace = new TraceBuilder()
      .span('root', { kind: 'server', attrs: { 'http.method': 'GET' } })
      .span('child', { parent: 'root', attrs: { 'bad Key': '1' } })
      .span('grandchild', { parent: 'child', attrs: { 'other Key': '2' } })
      .build();
    assert.deepEqual(Object.keys(failuresOf(trace, 'attribute-naming')), ['child', 'grandchild']);
    assert.deepEqual(
      ruleOf(analyzeDefault(trace), 'attribute-naming').failures.map((f) => f.spanId),
      [trace.spans[2]!.id, trace.spans[3]!.id],
    );
  });
});
