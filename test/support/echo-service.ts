// An HTTP service that repeats what it was sent, instrumented with the real OpenTelemetry SDK: every request becomes
// a server span that records its path (in the span name), query, headers and body as attributes and in an event,
// and the answer echoes them in a JSON body and a response header. A secret sent to it therefore comes back in
// every form a real service may give it: raw, percent-encoded, base64 inside basic auth, JSON-escaped.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultTextMapGetter, ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

export interface EchoService {
  url: string;
  close(): Promise<void>;
}

const propagator = new W3CTraceContextPropagator();
/** Headers the service records (as `app.header.<name>`) and echoes. */
const RECORDED = ['authorization', 'x-secret', 'x-api-key'];

export async function startEchoService(otlpUrl: string): Promise<EchoService> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'echo' }),
    spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${otlpUrl}/v1/traces` }))],
  });
  const tracer = provider.getTracer('echo-service');
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const [path = '/', query = ''] = (req.url ?? '/').split('?');
      const headers = Object.fromEntries(RECORDED.flatMap((h) => (typeof req.headers[h] === 'string' ? [[h, req.headers[h]]] : [])));
      const parent = propagator.extract(ROOT_CONTEXT, req.headers, defaultTextMapGetter);
      const span = tracer.startSpan(
        `${req.method} ${path}`,
        {
          kind: SpanKind.SERVER,
          attributes: {
            'app.route': 'echo',
            'http.request.method': req.method ?? '',
            'url.path': path,
            'url.query': query,
            'app.body': body,
            ...Object.fromEntries(Object.entries(headers).map(([h, v]) => [`app.header.${h}`, v])),
          },
        },
        parent,
      );
      span.addEvent('request read', { 'app.request': JSON.stringify({ path, query, headers, body }) });
      span.setAttribute('http.response.status_code', 200);
      const echo = headers['x-secret'] ?? headers['authorization'] ?? headers['x-api-key'] ?? '';
      res.writeHead(200, { 'content-type': 'application/json', 'x-echo': echo }).end(JSON.stringify({ method: req.method, path, query, headers, body }));
      span.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await provider.shutdown();
    },
  };
}
