// One service of a test system, in its own process, instrumented by hand with the real OpenTelemetry JS SDK and
// exporting over OTLP/HTTP the way a chosen SDK does (see `ExportShape` in ./index.ts). Configured by the
// SHAPED_SERVICE environment variable (JSON); prints `ready <port>` on stdout once it listens.
//
// Routes:
//   GET /work      a SERVER span with a "load" child (a database call); with a downstream, it calls the
//                  downstream's GET /work first (a CLIENT span), so the two services' spans form one trace;
//                  `extraSpan` adds a span of that name (what a negative spec claims is absent).
//   POST /orders   answers 201 at once; `asyncDelayMs` later a PRODUCER span publishes to the downstream's
//                  POST /consume, which records a CONSUMER span: work that goes on after the response.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, defaultTextMapGetter, defaultTextMapSetter, ROOT_CONTEXT, SpanKind, trace, type Context } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ServiceConfig } from './index';

const config = JSON.parse(process.env['SHAPED_SERVICE'] ?? '{}') as ServiceConfig;
const propagator = new W3CTraceContextPropagator();
const timers = new Set<ReturnType<typeof setTimeout>>();

/** setTimeout's longest delay: a batch processor waiting this long exports only when flushed. */
const NEVER_MS = 2 ** 31 - 1;

function spanProcessors(): SpanProcessor[] {
  const exporter = () => new OTLPTraceExporter({ url: `${config.otlpUrl}/v1/traces` });
  const shape = config.shape;
  switch (shape.kind) {
    case 'sdk-default':
      // The JS SDK as shipped: the batch is exported 5 s after its first span.
      return [new BatchSpanProcessor(exporter())];
    case 'batch':
      return [new BatchSpanProcessor(exporter(), { scheduledDelayMillis: shape.delayMs })];
    case 'ticker': {
      // Java, Go, Python and .NET: a fixed ticker per process, whatever the spans' timing.
      // The ticks fall at `phaseMs` past each multiple of the period on the wall clock, so two services' phases are
      // apart by exactly the difference of theirs, however long each process took to start.
      const processor = new BatchSpanProcessor(exporter(), { scheduledDelayMillis: NEVER_MS });
      const firstTick = shape.periodMs - ((((Date.now() - shape.phaseMs) % shape.periodMs) + shape.periodMs) % shape.periodMs);
      const start = setTimeout(() => {
        timers.delete(start);
        void processor.forceFlush();
        const tick = setInterval(() => void processor.forceFlush(), shape.periodMs);
        timers.add(tick as unknown as ReturnType<typeof setTimeout>);
      }, firstTick);
      timers.add(start);
      return [processor];
    }
    case 'none':
      // Instrumented (the context still propagates) but never exporting: a service whose exporter points elsewhere.
      return [];
  }
}

const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': config.name }), spanProcessors: spanProcessors() });
const tracer = provider.getTracer('shaped-service');

/** Calls a downstream route inside `parent`, with its trace context in the headers. */
function call(path: string, method: string, parent: Context): Promise<number> {
  const headers: Record<string, string> = {};
  propagator.inject(parent, headers, defaultTextMapSetter);
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${config.downstream}${path}`, { method, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const parent = propagator.extract(ROOT_CONTEXT, req.headers, defaultTextMapGetter);
  const path = (req.url ?? '/').split('?')[0]!;
  if (path === '/consume') {
    tracer
      .startSpan('orders process', { kind: SpanKind.CONSUMER, attributes: { 'messaging.system': 'test-queue', 'messaging.operation.type': 'process' } }, parent)
      .end();
    res.writeHead(204).end();
    return;
  }
  const server = tracer.startSpan(
    `${req.method} ${path}`,
    { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method ?? '', 'http.route': path } },
    parent,
  );
  const inside = trace.setSpan(parent, server);
  if (path === '/work') {
    if (config.downstream) {
      const client = tracer.startSpan('GET', { kind: SpanKind.CLIENT, attributes: { 'http.request.method': 'GET' } }, inside);
      const status = await call('/work', 'GET', trace.setSpan(inside, client));
      client.setAttribute('http.response.status_code', status);
      client.end();
    }
    tracer.startSpan('load', { kind: SpanKind.CLIENT, attributes: { 'db.system': 'sqlite', 'db.operation.name': 'SELECT' } }, inside).end();
    if (config.extraSpan) tracer.startSpan(config.extraSpan, {}, inside).end();
    server.setAttribute('http.response.status_code', 200);
    server.end();
    res.writeHead(200).end();
  } else if (path === '/orders') {
    server.setAttribute('http.response.status_code', 201);
    server.end();
    res.writeHead(201).end();
    const later = setTimeout(() => {
      timers.delete(later);
      const producer = tracer.startSpan('orders publish', { kind: SpanKind.PRODUCER, attributes: { 'messaging.system': 'test-queue' } }, inside);
      context.with(trace.setSpan(inside, producer), () => {
        void call('/consume', 'POST', trace.setSpan(inside, producer)).finally(() => producer.end());
      });
    }, config.asyncDelayMs ?? 150);
    timers.add(later);
  } else {
    server.end();
    res.writeHead(404).end();
  }
}

const httpServer = createServer((req, res) => {
  handle(req, res).catch((error: unknown) => {
    process.stderr.write(`${config.name}: ${error instanceof Error ? error.message : String(error)}\n`);
    if (!res.headersSent) res.writeHead(500).end();
  });
});
httpServer.listen(0, '127.0.0.1', () => process.stdout.write(`ready ${(httpServer.address() as AddressInfo).port}\n`));

// Spans still batched are exported on the way out, as the SDK does on shutdown.
process.on('SIGTERM', () => {
  for (const timer of timers) clearTimeout(timer);
  httpServer.close();
  void provider.shutdown().finally(() => process.exit(0));
});
// The parent test process went away without stopping us.
process.on('disconnect', () => process.exit(0));
