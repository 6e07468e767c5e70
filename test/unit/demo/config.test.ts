// The demo's command line, and the request checks its services share (what a caller gets back as 400 reasons).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig, READY_PATTERN, readyLine } from '../../../demo/config';
import { checkImport, checkNewPokemon, checkPage } from '../../../demo/shop/pokemon';

describe('demo command line', () => {
  it('defaults to the ports the demo tests expect and the receiver on loopback', () => {
    assert.deepEqual(parseConfig([], {}), {
      ok: true,
      config: {
        apiPort: 8081,
        grpcPort: 8082,
        otlpEndpoint: 'http://127.0.0.1:4318',
        otlpProtocol: 'http/protobuf',
        webOtlpEndpoint: 'http://127.0.0.1:4318',
        workerDelayMs: 100,
      },
    });
  });

  it('reads the environment, and flags win over it', () => {
    const env = { PORT: '9000', GRPC_PORT: '9001', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:5000', WORKER_DELAY_MS: '0' };
    const fromEnv = parseConfig([], env);
    assert.ok('ok' in fromEnv && fromEnv.ok);
    assert.deepEqual(
      [fromEnv.config.apiPort, fromEnv.config.grpcPort, fromEnv.config.otlpEndpoint, fromEnv.config.workerDelayMs],
      [9000, 9001, 'http://127.0.0.1:5000', 0],
    );
    const fromFlags = parseConfig(['--http-port', '0', '--grpc-port=0', '--otlp-endpoint', 'http://127.0.0.1:6000'], env);
    assert.ok('ok' in fromFlags && fromFlags.ok);
    assert.deepEqual([fromFlags.config.apiPort, fromFlags.config.grpcPort, fromFlags.config.otlpEndpoint], [0, 0, 'http://127.0.0.1:6000']);
  });

  it('sends to the gRPC port by default when the protocol is grpc; the web page still exports over HTTP', () => {
    const parsed = parseConfig(['--otlp-protocol', 'grpc'], {});
    assert.ok('ok' in parsed && parsed.ok);
    assert.equal(parsed.config.otlpEndpoint, 'http://127.0.0.1:4317');
    assert.equal(parsed.config.webOtlpEndpoint, 'http://127.0.0.1:4318');
  });

  it('the web page exports where the services do, unless told otherwise', () => {
    const same = parseConfig(['--otlp-endpoint', 'http://127.0.0.1:5000'], {});
    assert.ok('ok' in same && same.ok);
    assert.equal(same.config.webOtlpEndpoint, 'http://127.0.0.1:5000');
    const own = parseConfig(['--web-otlp-endpoint', 'http://127.0.0.1:6000'], { POKESHOP_WEB_OTLP_ENDPOINT: 'http://127.0.0.1:7000' });
    assert.ok('ok' in own && own.ok);
    assert.equal(own.config.webOtlpEndpoint, 'http://127.0.0.1:6000');
    const bad = parseConfig([], { POKESHOP_WEB_OTLP_ENDPOINT: 'collector:4318' });
    assert.ok('ok' in bad && !bad.ok);
    assert.match(bad.message, /POKESHOP_WEB_OTLP_ENDPOINT must be an http\(s\) URL, got "collector:4318"/);
  });

  it('names every bad value and where it came from', () => {
    const parsed = parseConfig(['--grpc-port', '70000', '--otlp-protocol', 'thrift'], { PORT: 'eighty' });
    assert.ok('ok' in parsed && !parsed.ok);
    assert.match(parsed.message, /PORT must be a whole number from 0 to 65535, got "eighty"/);
    assert.match(parsed.message, /--grpc-port must be a whole number from 0 to 65535, got "70000"/);
    assert.match(parsed.message, /--otlp-protocol must be one of http\/protobuf, http\/json, grpc, got "thrift"/);
    const unknown = parseConfig(['--port', '1'], {});
    assert.ok('ok' in unknown && !unknown.ok);
    assert.match(unknown.message, /--port/);
  });

  it('exports with the SDK default unless --export-delay (or OTEL_BSP_SCHEDULE_DELAY) says otherwise', () => {
    const stock = parseConfig([], {});
    assert.ok('ok' in stock && stock.ok);
    assert.equal(stock.config.exportDelayMs, undefined, 'the SDK reads its own default, 5000 ms');
    const fast = parseConfig(['--export-delay', '100'], { OTEL_BSP_SCHEDULE_DELAY: '2000' });
    assert.ok('ok' in fast && fast.ok);
    assert.equal(fast.config.exportDelayMs, 100);
    const fromEnv = parseConfig([], { OTEL_BSP_SCHEDULE_DELAY: '2000' });
    assert.ok('ok' in fromEnv && fromEnv.ok);
    assert.equal(fromEnv.config.exportDelayMs, 2000);
    const bad = parseConfig(['--export-delay', 'soon'], {});
    assert.ok('ok' in bad && !bad.ok);
    assert.match(bad.message, /--export-delay must be a whole number from 0 to 600000, got "soon"/);
  });

  it('answers --help', () => {
    assert.deepEqual(parseConfig(['-h'], {}), { help: true });
  });

  it('prints a ready line that its own pattern reads back', () => {
    const match = READY_PATTERN.exec(readyLine('http://127.0.0.1:8081', '127.0.0.1:8082'));
    assert.deepEqual(match?.slice(1), ['http://127.0.0.1:8081', '127.0.0.1:8082']);
  });
});

describe('request checks', () => {
  it('accepts the Tracetest Pokéshop body, image optional', () => {
    assert.deepEqual(checkNewPokemon({ name: 'meowth', type: 'normal', imageUrl: 'https://example.com/52.png', isFeatured: true }), {
      ok: true,
      value: { name: 'meowth', type: 'normal', imageUrl: 'https://example.com/52.png', isFeatured: true },
    });
    assert.deepEqual(checkNewPokemon({ name: 'mew', type: 'psychic', isFeatured: false }), {
      ok: true,
      value: { name: 'mew', type: 'psychic', imageUrl: null, isFeatured: false },
    });
  });

  it('lists every problem of a bad Pokémon', () => {
    assert.deepEqual(checkNewPokemon({ name: ' ', imageUrl: 'ftp://x', isFeatured: 'yes' }), {
      ok: false,
      errors: [
        'name is required and must be a non-empty string',
        'type is required and must be a non-empty string',
        'imageUrl must be an http(s) URL',
        'isFeatured is required and must be true or false',
      ],
    });
    assert.equal(checkNewPokemon([1, 2]).ok, false);
    assert.equal(checkNewPokemon(null).ok, false);
  });

  it('takes a positive whole Pokédex number to import', () => {
    assert.deepEqual(checkImport({ id: 143 }), { ok: true, value: { id: 143 } });
    for (const bad of [{ id: 0 }, { id: 1.5 }, { id: '143' }, {}, 'x']) assert.equal(checkImport(bad).ok, false, JSON.stringify(bad));
  });

  it('reads take and skip from a query string or a message, within bounds', () => {
    assert.deepEqual(checkPage(undefined, undefined), { ok: true, value: { take: 20, skip: 0 } });
    assert.deepEqual(checkPage('100', '5'), { ok: true, value: { take: 100, skip: 5 } });
    assert.deepEqual(checkPage(3, 0), { ok: true, value: { take: 3, skip: 0 } });
    assert.deepEqual(checkPage('101', '-1'), {
      ok: false,
      errors: ['take must be an integer from 0 to 100', `skip must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}`],
    });
  });
});
