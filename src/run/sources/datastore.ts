// DataStore resources (Tracetest's keys) to the configuration of the trace source a run uses (live-source.ts
// builds the source from it: this module stays free of the backends' HTTP client, so the editor reads settings
// without loading it).
//
// - `otlp` and the backends Tracetest fed over OTLP through a collector (datadog, honeycomb, signoz, dynatrace,
//   newrelic, lightstep, instana, dash0, azureappinsights with `connectionType: collector`) → the embedded OTLP
//   receiver: point the collector's exporter at it.
// - `jaeger` → Jaeger's HTTP query API. `jaeger.url` (or `jaeger.http.url`) is used as it is. Tracetest only had
//   `jaeger.endpoint`, the gRPC query address (`host:16685`); Tracelens does not speak that API, so an endpoint
//   on port 16685 becomes `http://host:16686` (the HTTP query port of the same query service), any other
//   `host:port` becomes `http://host:port`, and either way a warning says so. `https` is used when `tls` is given
//   without `insecure: true`.
// - `tempo` → Tempo's HTTP API: `tempo.url`, `tempo.http.url`, or `tempo.grpc.endpoint` mapped the same way
//   (gRPC port 9095 → HTTP port 3200, with a warning).
// - `file` → a saved trace file; a relative `file.path` is relative to the DataStore file.
// - Headers come from `headers`, and `auth` (bearer, basic, apiKey in a header or the query string) is turned into
//   a header or a query parameter. Values are taken as written: variables are not expanded here.
// - Backends Tracetest queried through other APIs (opensearch, elasticapm, signalfx, awsxray, sumologic,
//   azureappinsights `direct`) are refused with the alternative.
import { dirname, isAbsolute, resolve } from 'node:path';
import type { DataStoreDef } from '../../core/testfile/model';
import { checkHttpUrl } from './backend-url';

export type DataStoreConfig =
  | { type: 'otlp' }
  | { type: 'jaeger'; url: string; headers: Record<string, string> }
  | { type: 'tempo'; url: string; headers: Record<string, string> }
  | { type: 'file'; path: string };

export type PullDataStoreConfig = Exclude<DataStoreConfig, { type: 'otlp' }>;

export type DataStoreResult =
  { ok: true; value: DataStoreConfig; /** How Tracetest settings were read, worth showing once. */ warnings: string[] } | { ok: false; error: string };

/** Tracetest data stores whose spans reached Tracetest over OTLP (through a collector). */
const OTLP_PUSH_TYPES = new Set(['datadog', 'honeycomb', 'signoz', 'dynatrace', 'newrelic', 'lightstep', 'instana', 'dash0']);
/** Tracetest data stores read through their own query APIs, which Tracelens does not implement. */
const QUERY_API_TYPES = new Set(['opensearch', 'elasticapm', 'signalfx', 'awsxray', 'sumologic', 'azureappinsights']);

const JAEGER_GRPC_PORT = '16685';
const JAEGER_HTTP_PORT = '16686';
const TEMPO_GRPC_PORT = '9095';
const TEMPO_HTTP_PORT = '3200';

const SUPPORTED = 'the embedded OTLP receiver (otlp), jaeger, tempo or file';

/**
 * The source a DataStore describes. `fileName` is the file it came from: a relative `file.path` is resolved
 * against its directory (an empty name resolves against the working directory).
 */
export function dataStoreConfig(def: DataStoreDef, fileName: string): DataStoreResult {
  const type = def.type;
  const settings = def.settings ?? {};
  if (type === 'otlp') return { ok: true, value: { type: 'otlp' }, warnings: [] };
  if (OTLP_PUSH_TYPES.has(type) || (type === 'azureappinsights' && settings.connectionType === 'collector')) {
    return {
      ok: true,
      value: { type: 'otlp' },
      warnings: [
        `DataStore type ${type}: spans are read from the embedded OTLP receiver, as Tracetest read them from its OTLP endpoint; export them there (e.g. from the OpenTelemetry Collector)`,
      ],
    };
  }
  if (type === 'jaeger') return httpBackend('jaeger', settings, { grpcPort: JAEGER_GRPC_PORT, httpPort: JAEGER_HTTP_PORT, example: 'http://jaeger:16686' });
  if (type === 'tempo') return tempoConfig(settings);
  if (type === 'file') {
    const path = settings.path;
    if (typeof path !== 'string' || path === '') return { ok: false, error: 'a file DataStore needs `file.path`: the trace file to read' };
    return { ok: true, value: { type: 'file', path: isAbsolute(path) ? path : resolve(dirname(fileName || '.'), path) }, warnings: [] };
  }
  if (QUERY_API_TYPES.has(type)) {
    return {
      ok: false,
      error: `DataStore type "${type}" is not supported: Tracelens reads traces from ${SUPPORTED}; send the spans over OTLP to the embedded receiver instead (e.g. add an exporter to the OpenTelemetry Collector)`,
    };
  }
  return { ok: false, error: `unknown DataStore type "${type}" (expected otlp, jaeger, tempo or file)` };
}

function tempoConfig(settings: Record<string, unknown>): DataStoreResult {
  const via = settings.type === 'grpc' || (settings.type === undefined && settings.http === undefined && settings.grpc !== undefined) ? 'grpc' : 'http';
  const client = record(settings[via]);
  // `tempo.url` is Tracelens's own shorthand; Tracetest nested the client under `http` or `grpc`.
  const merged = { ...client, ...(typeof settings.url === 'string' ? { url: settings.url } : {}) };
  return httpBackend('tempo', merged, { grpcPort: TEMPO_GRPC_PORT, httpPort: TEMPO_HTTP_PORT, example: 'http://tempo:3200', keyPrefix: `tempo.${via}` });
}

interface PortMap {
  grpcPort: string;
  httpPort: string;
  example: string;
  /** Where these settings sit in the file, for messages (default: the type). */
  keyPrefix?: string;
}

function httpBackend(type: 'jaeger' | 'tempo', settings: Record<string, unknown>, ports: PortMap): DataStoreResult {
  const prefix = ports.keyPrefix ?? type;
  const warnings: string[] = [];
  const http = record(settings.http);
  const explicit = text(settings.url) ?? text(http.url);
  let url: string;
  if (explicit !== undefined) {
    url = explicit;
  } else {
    const endpoint = text(settings.endpoint);
    if (endpoint === undefined) {
      return { ok: false, error: `a ${type} DataStore needs \`${type}.url\`: the address of ${label(type)}'s HTTP query API, e.g. ${ports.example}` };
    }
    const mapped = endpointToUrl(endpoint, settings.tls, ports, label(type));
    url = mapped.url;
    if (mapped.note) warnings.push(`${prefix}.endpoint ${endpoint} ${mapped.note} (set \`${type}.url\` to choose the address)`);
  }
  const checked = checkHttpUrl(url);
  if (!checked.ok) return { ok: false, error: `${type}.url: ${checked.error}` };

  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...record(settings.headers), ...record(http.headers) })) {
    if (typeof value === 'string') headers[key] = value;
    else return { ok: false, error: `${prefix}.headers.${key}: expected a string, got ${JSON.stringify(value)}` };
  }
  const auth = applyAuth(record(settings.auth ?? http.auth), url, headers, `${prefix}.auth`);
  if (!auth.ok) return auth;
  return { ok: true, value: { type, url: auth.url, headers }, warnings };
}

/** Tracetest's gRPC `host:port` to the HTTP API of the same service; `note` completes "jaeger.endpoint host:port …". */
function endpointToUrl(endpoint: string, tls: unknown, ports: PortMap, name: string): { url: string; note?: string } {
  if (/^https?:\/\//i.test(endpoint)) return { url: endpoint };
  const tlsSettings = record(tls);
  const scheme = tls !== undefined && tlsSettings.insecure !== true ? 'https' : 'http';
  const match = /^(.*):(\d+)$/.exec(endpoint);
  const host = match ? match[1]! : endpoint;
  const port = match ? match[2]! : undefined;
  if (port === ports.grpcPort || port === undefined) {
    const url = `${scheme}://${host}:${ports.httpPort}`;
    const why = port === undefined ? 'has no port' : `is ${name}'s gRPC query port`;
    return { url, note: `${why}; Tracelens reads ${name}'s HTTP query API instead, at ${url}` };
  }
  const url = `${scheme}://${endpoint}`;
  return { url, note: `is read as the address of ${name}'s HTTP query API: ${url}` };
}

function applyAuth(
  auth: Record<string, unknown>,
  url: string,
  headers: Record<string, string>,
  key: string,
): { ok: true; url: string } | { ok: false; error: string } {
  if (Object.keys(auth).length === 0) return { ok: true, url };
  const type = auth.type;
  if (type === 'bearer') {
    const token = text(record(auth.bearer).token);
    if (token === undefined) return { ok: false, error: `${key}.bearer.token is missing` };
    headers.authorization = `Bearer ${token}`;
    return { ok: true, url };
  }
  if (type === 'basic') {
    const basic = record(auth.basic);
    const username = text(basic.username);
    const password = text(basic.password);
    if (username === undefined || password === undefined) return { ok: false, error: `${key}.basic needs username and password` };
    headers.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    return { ok: true, url };
  }
  if (type === 'apiKey') {
    const apiKey = record(auth.apiKey);
    const name = text(apiKey.key);
    const value = text(apiKey.value);
    if (name === undefined || value === undefined) return { ok: false, error: `${key}.apiKey needs key and value` };
    if (apiKey.in === 'query') {
      const withKey = new URL(url);
      withKey.searchParams.set(name, value);
      return { ok: true, url: withKey.toString() };
    }
    headers[name] = value;
    return { ok: true, url };
  }
  return { ok: false, error: `${key}.type: expected apiKey, basic or bearer, got ${JSON.stringify(type)}` };
}

/**
 * A data store given as one piece of text (an editor setting, a command-line value): `otlp`, `jaeger=<url>`,
 * `tempo=<url>` or `file=<path>` (a relative path is relative to the working directory).
 */
export function parseDataStoreFlag(value: string): { ok: true; value: DataStoreConfig } | { ok: false; error: string } {
  const trimmed = value.trim();
  if (trimmed === 'otlp') return { ok: true, value: { type: 'otlp' } };
  const eq = trimmed.indexOf('=');
  const type = eq < 0 ? trimmed : trimmed.slice(0, eq);
  const rest = eq < 0 ? '' : trimmed.slice(eq + 1).trim();
  if (type === 'jaeger' || type === 'tempo') {
    if (!rest)
      return {
        ok: false,
        error: `"${value}": give the query API's URL, e.g. ${type}=${type === 'jaeger' ? 'http://127.0.0.1:16686' : 'http://127.0.0.1:3200'}`,
      };
    const checked = checkHttpUrl(rest);
    if (!checked.ok) return { ok: false, error: checked.error };
    return { ok: true, value: { type, url: rest, headers: {} } };
  }
  if (type === 'file') {
    if (!rest) return { ok: false, error: `"${value}": give the trace file, e.g. file=trace.json` };
    return { ok: true, value: { type: 'file', path: resolve(rest) } };
  }
  return { ok: false, error: `"${value}": expected otlp, jaeger=<url>, tempo=<url> or file=<path>` };
}

function label(type: 'jaeger' | 'tempo'): string {
  return type === 'jaeger' ? 'Jaeger' : 'Tempo';
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
