// The real OTLP receiver with Grafana Tempo's query endpoint in front of it (`GET /api/traces/{id}`, answered in
// Tempo's JSON: `{trace: {resourceSpans}}`, 404 while the trace is unknown): a data store that tests of pull sources
// under load can send spans to and read them back from, where no Tempo can run.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeOtlpJson } from '../../src/core/trace/decode/otlp-encode';
import { startReceiver } from '../../src/run/sources/otlp/receiver';

export interface TempoLike {
  /** Where services export: `<otlpUrl>/v1/traces`. */
  otlpUrl: string;
  /** Tempo's query API: `tempo=<url>`. */
  url: string;
  /** Trace queries answered, found or not. */
  queries: number;
  close(): Promise<void>;
}

export async function startTempoLike(): Promise<TempoLike> {
  const receiver = await startReceiver({ httpPort: 0, grpcPort: null });
  const api: TempoLike = { otlpUrl: `http://127.0.0.1:${receiver.httpPort}`, url: '', queries: 0, close: async () => {} };
  const server = createServer((req, res) => {
    const match = /^\/api\/traces\/([0-9a-f]{32})$/.exec(req.url ?? '');
    if (!match) return void res.writeHead(404).end();
    api.queries++;
    const trace = receiver.store.get(match[1]!);
    if (!trace || trace.spans.length === 0) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ trace: encodeOtlpJson(trace.spans) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  api.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await receiver.close();
  };
  return api;
}
