// DataStore files (Tracetest's keys) to trace sources: Tracetest's gRPC endpoints become the HTTP query APIs with
// a warning, OTLP-fed vendors use the embedded receiver, other query APIs are refused with the alternative.
import assert from 'node:assert/strict';
import { dirname, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { loadFile, type DataStoreDef } from '../../../src/core/testfile/index';
import { createPullSource } from '../../../src/run/live-source';
import { dataStoreConfig, parseDataStoreFlag, type DataStoreResult } from '../../../src/run/sources/datastore';
import { FileSource } from '../../../src/run/sources/file';
import { JaegerSource } from '../../../src/run/sources/jaeger';
import { TempoSource } from '../../../src/run/sources/tempo';
import { fixturePath, fixtureText } from './support';

function fromFile(path: string): DataStoreResult {
  const loaded = loadFile(fixtureText(path), path);
  const def = loaded.resources[0]?.resource;
  assert.equal(def?.kind, 'DataStore');
  return dataStoreConfig(def as DataStoreDef, fixturePath(path));
}

function def(type: string, settings: Record<string, unknown> = {}): DataStoreDef {
  return { kind: 'DataStore', type, default: true, settings };
}

function ok(result: DataStoreResult): Extract<DataStoreResult, { ok: true }> {
  assert.ok(result.ok, result.ok ? '' : result.error);
  return result;
}

function error(result: DataStoreResult): string {
  assert.ok(!result.ok, 'expected an error');
  return result.error;
}

describe('dataStoreConfig', () => {
  it("maps Tracetest's Jaeger gRPC endpoint (port 16685) to the HTTP query API on 16686, with a warning", () => {
    const result = ok(fromFile('tracetest/resources/config/tracing-backend.yaml'));
    assert.deepEqual(result.value, { type: 'jaeger', url: 'http://demo-pokeshop-jaeger-query.demo:16686', headers: {} });
    assert.deepEqual(result.warnings, [
      "jaeger.endpoint demo-pokeshop-jaeger-query.demo:16685 is Jaeger's gRPC query port; Tracelens reads Jaeger's HTTP query API instead, at http://demo-pokeshop-jaeger-query.demo:16686 (set `jaeger.url` to choose the address)",
    ]);
  });

  it('takes any other endpoint as the HTTP address, https unless tls says insecure', () => {
    const plain = ok(dataStoreConfig(def('jaeger', { endpoint: 'jaeger:8080' }), ''));
    assert.deepEqual(plain.value, { type: 'jaeger', url: 'http://jaeger:8080', headers: {} });
    assert.deepEqual(plain.warnings, [
      "jaeger.endpoint jaeger:8080 is read as the address of Jaeger's HTTP query API: http://jaeger:8080 (set `jaeger.url` to choose the address)",
    ]);
    const tls = ok(dataStoreConfig(def('jaeger', { endpoint: 'jaeger.example.com:16685', tls: { insecure: false } }), ''));
    assert.equal((tls.value as { url: string }).url, 'https://jaeger.example.com:16686');
    const scheme = ok(dataStoreConfig(def('jaeger', { endpoint: 'http://jaeger:16686' }), ''));
    assert.deepEqual(scheme.warnings, []);
  });

  it('uses jaeger.url as it is, with headers and a bearer token', () => {
    const result = ok(fromFile('sources/jaeger-http-datastore.yaml'));
    assert.deepEqual(result.value, {
      type: 'jaeger',
      url: 'https://tracing.example.com/jaeger',
      headers: { 'X-Team': 'checkout', authorization: 'Bearer abc123' },
    });
    assert.deepEqual(result.warnings, []);
  });

  it('accepts jaeger.http.url', () => {
    const result = ok(dataStoreConfig(def('jaeger', { http: { url: 'http://127.0.0.1:16686', headers: { 'X-A': 'b' } } }), ''));
    assert.deepEqual(result.value, { type: 'jaeger', url: 'http://127.0.0.1:16686', headers: { 'X-A': 'b' } });
  });

  it('reads Tempo over HTTP with headers and basic auth', () => {
    const result = ok(fromFile('sources/tempo-http-datastore.yaml'));
    assert.deepEqual(result.value, {
      type: 'tempo',
      url: 'http://tempo:3200',
      headers: { 'X-Scope-OrgID': 'team-a', authorization: `Basic ${Buffer.from('tenant:secret').toString('base64')}` },
    });
  });

  it("maps Tempo's gRPC endpoint (port 9095) to its HTTP API on 3200, with a warning", () => {
    const result = ok(fromFile('sources/tempo-grpc-datastore.yaml'));
    assert.deepEqual(result.value, { type: 'tempo', url: 'http://tempo:3200', headers: {} });
    assert.deepEqual(result.warnings, [
      "tempo.grpc.endpoint tempo:9095 is Tempo's gRPC query port; Tracelens reads Tempo's HTTP query API instead, at http://tempo:3200 (set `tempo.url` to choose the address)",
    ]);
  });

  it('accepts tempo.url', () => {
    assert.deepEqual(ok(dataStoreConfig(def('tempo', { url: 'http://127.0.0.1:3200' }), '')).value, {
      type: 'tempo',
      url: 'http://127.0.0.1:3200',
      headers: {},
    });
  });

  it('puts an apiKey in a header or in the query string', () => {
    const header = ok(
      dataStoreConfig(def('jaeger', { url: 'http://j:16686', auth: { type: 'apiKey', apiKey: { key: 'X-Api-Key', value: 'k1', in: 'header' } } }), ''),
    );
    assert.deepEqual(header.value, { type: 'jaeger', url: 'http://j:16686', headers: { 'X-Api-Key': 'k1' } });
    const query = ok(
      dataStoreConfig(def('jaeger', { url: 'http://j:16686', auth: { type: 'apiKey', apiKey: { key: 'api_key', value: 'k 2', in: 'query' } } }), ''),
    );
    assert.deepEqual(query.value, { type: 'jaeger', url: 'http://j:16686/?api_key=k+2', headers: {} });
  });

  it('resolves a file path against the DataStore file', () => {
    const path = fixturePath('sources/file-datastore.yaml');
    const result = ok(fromFile('sources/file-datastore.yaml'));
    assert.deepEqual(result.value, { type: 'file', path: resolve(dirname(path), '../traces/pokeshop.jaeger.json') });
  });

  it('uses the embedded receiver for otlp and the vendors Tracetest fed over OTLP', () => {
    assert.deepEqual(ok(dataStoreConfig(def('otlp'), '')), { ok: true, value: { type: 'otlp' }, warnings: [] });
    for (const type of ['signoz', 'datadog', 'honeycomb', 'newrelic', 'lightstep', 'dynatrace', 'instana', 'dash0']) {
      const result = ok(dataStoreConfig(def(type), ''));
      assert.deepEqual(result.value, { type: 'otlp' });
      assert.match(result.warnings[0]!, new RegExp(`^DataStore type ${type}: spans are read from the embedded OTLP receiver`));
    }
    assert.deepEqual(ok(dataStoreConfig(def('azureappinsights', { connectionType: 'collector' }), '')).value, { type: 'otlp' });
  });

  it('refuses backends read through other query APIs, and unknown types', () => {
    assert.match(
      error(dataStoreConfig(def('opensearch', { addresses: ['http://os:9200'] }), '')),
      /^DataStore type "opensearch" is not supported: .* send the spans over OTLP/,
    );
    assert.match(error(dataStoreConfig(def('azureappinsights', { connectionType: 'direct' }), '')), /"azureappinsights" is not supported/);
    assert.equal(error(dataStoreConfig(def('zipkin'), '')), 'unknown DataStore type "zipkin" (expected otlp, jaeger, tempo or file)');
  });

  it('says what is missing or wrong', () => {
    assert.equal(
      error(dataStoreConfig(def('jaeger', {}), '')),
      "a jaeger DataStore needs `jaeger.url`: the address of Jaeger's HTTP query API, e.g. http://jaeger:16686",
    );
    assert.match(error(dataStoreConfig(def('tempo', { type: 'http', http: {} }), '')), /needs `tempo.url`/);
    assert.equal(error(dataStoreConfig(def('jaeger', { url: 'ftp://j' }), '')), 'jaeger.url: "ftp://j" is not an http:// or https:// URL');
    assert.equal(error(dataStoreConfig(def('file', {}), '')), 'a file DataStore needs `file.path`: the trace file to read');
    assert.equal(error(dataStoreConfig(def('jaeger', { url: 'http://j', auth: { type: 'bearer', bearer: {} } }), '')), 'jaeger.auth.bearer.token is missing');
    assert.match(error(dataStoreConfig(def('jaeger', { url: 'http://j', headers: { 'X-N': 1 } }), '')), /^jaeger.headers.X-N: expected a string, got 1$/);
  });
});

describe('createPullSource', () => {
  it('builds the source for each pull type', () => {
    const jaeger = createPullSource({ type: 'jaeger', url: 'http://127.0.0.1:16686/', headers: {} });
    assert.ok(jaeger instanceof JaegerSource);
    assert.equal(jaeger.description, 'Jaeger at http://127.0.0.1:16686');
    const tempo = createPullSource({ type: 'tempo', url: 'http://user:pw@127.0.0.1:3200?x=1', headers: {} });
    assert.ok(tempo instanceof TempoSource);
    assert.equal(tempo.description, 'Tempo at http://127.0.0.1:3200');
    assert.ok(createPullSource({ type: 'file', path: 'trace.json' }) instanceof FileSource);
  });
});

describe('parseDataStoreFlag', () => {
  it('reads otlp, jaeger=<url>, tempo=<url> and file=<path>', () => {
    assert.deepEqual(parseDataStoreFlag('otlp'), { ok: true, value: { type: 'otlp' } });
    assert.deepEqual(parseDataStoreFlag('jaeger=http://127.0.0.1:16686'), { ok: true, value: { type: 'jaeger', url: 'http://127.0.0.1:16686', headers: {} } });
    assert.deepEqual(parseDataStoreFlag('tempo=http://127.0.0.1:3200'), { ok: true, value: { type: 'tempo', url: 'http://127.0.0.1:3200', headers: {} } });
    assert.deepEqual(parseDataStoreFlag('file=trace.json'), { ok: true, value: { type: 'file', path: resolve('trace.json') } });
  });

  it('explains a bad value', () => {
    assert.deepEqual(parseDataStoreFlag('jaeger'), { ok: false, error: '"jaeger": give the query API\'s URL, e.g. jaeger=http://127.0.0.1:16686' });
    assert.deepEqual(parseDataStoreFlag('zipkin=http://z'), { ok: false, error: '"zipkin=http://z": expected otlp, jaeger=<url>, tempo=<url> or file=<path>' });
    assert.equal(parseDataStoreFlag('tempo=tempo:3200').ok, false);
  });
});
