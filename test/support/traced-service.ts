// A small HTTP service instrumented by hand with the real OpenTelemetry SDK, exporting OTLP to a receiver:
// what a runner test sends its triggers to. It continues the trace from the request's traceparent.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, defaultTextMapGetter, ROOT_CONTEXT, SpanKind, trace, type Context } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

export interface TracedService {
  url: string;
  close(): Promise<void>;
}

const propagator = new W3CTraceContextPropagator();

/**
 * Routes: `GET /hello` answers 200 after a child span "load greeting"; `POST /orders` answers 201 and, 150 ms
 * later, a "process order" consumer span (a worker picking up the job) ends in the same trace. `batch` exports spans
 * in batches instead of one by one.
 */
export async function startTracedService(otlpUrl: string, serviceName = 'shop', options: { batch?: boolean } = {}): Promise<TracedService> {
  const exporter = new OTLPTraceExporter({ url: `${otlpUrl}/v1/traces` });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    // Tests want each span at once; a service under load batches, as production ones do (every 5 s by default).
    spanProcessors: [options.batch ? new BatchSpanProcessor(exporter, { maxQueueSize: 16_384 }) : new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('traced-service');
  const timers = new Set<ReturnType<typeof setTimeout>>();

  const server: Server = createServer((req: IncomingMessage, res) => {
    const parent: Context = propagator.extract(ROOT_CONTEXT, req.headers, defaultTextMapGetter);
    const [path = '/', query = ''] = (req.url ?? '/').split('?');
    const { port } = server.address() as AddressInfo;
    // What HTTP server instrumentations record (current semantic conventions): enough to replay the request.
    const attributes = {
      'http.request.method': req.method ?? '',
      'http.route': path,
      'url.scheme': 'http',
      'url.path': path,
      'url.query': query,
      'server.address': '127.0.0.1',
      'server.port': port,
    };
    const span = tracer.startSpan(`${req.method} ${path}`, { kind: SpanKind.SERVER, attributes }, parent);
    const inside = trace.setSpan(parent, span);
    context.with(inside, () => {
      if (path === '/hello') {
        tracer.startSpan('load greeting', { attributes: { 'db.system': 'sqlite', 'db.operation.name': 'SELECT' } }, inside).end();
        span.setAttribute('http.response.status_code', 200);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"greeting":"hello"}');
      } else if (path === '/orders') {
        span.setAttribute('http.response.status_code', 201);
        res.writeHead(201, { 'content-type': 'application/json' }).end('{"id":7}');
        const timer = setTimeout(() => {
          timers.delete(timer);
          tracer.startSpan('process order', { kind: SpanKind.CONSUMER, attributes: { 'messaging.system': 'demo-queue', 'order.id': 7 } }, inside).end();
        }, 150);
        timers.add(timer);
      } else {
        span.setAttribute('http.response.status_code', 404);
        res.writeHead(404).end();
      }
      span.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await provider.shutdown();
    },
  };
}
