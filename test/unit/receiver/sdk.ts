// Spans recorded by the real OpenTelemetry JS SDK, and helpers to send them with its real OTLP exporters and
// check what the receiver stored.
import assert from 'node:assert/strict';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { RawSpan } from '../../../src/core/trace/model';
import type { TraceStore } from '../../../src/run/sources/otlp/store';

export interface RecordedRequest {
  service: string;
  label: string;
  traceId: string;
  spans: ReadableSpan[];
}

/** A request through a small service: a SERVER root, an INTERNAL child with typed attributes and an event, a failing CLIENT grandchild. */
export function recordRequest(service: string, label: string): RecordedRequest {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service, 'service.version': '2.0.1' }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('receiver-test', '1.0.0');
  const root = tracer.startSpan(`GET /${label}`, { kind: SpanKind.SERVER, attributes: { 'http.method': 'GET', 'http.status_code': 200, 'test.label': label } });
  const work = tracer.startSpan(
    `work ${label}`,
    { attributes: { 'app.count': 3, 'app.ratio': 0.25, 'app.ok': true, 'app.tags': ['a', 'b'] } },
    trace.setSpan(ROOT_CONTEXT, root),
  );
  work.addEvent('checkpoint', { 'app.step': 1 });
  const query = tracer.startSpan(
    `SELECT ${label}`,
    { kind: SpanKind.CLIENT, attributes: { 'db.system': 'sqlite', 'db.statement': `SELECT * FROM ${label}` } },
    trace.setSpan(ROOT_CONTEXT, work),
  );
  query.setStatus({ code: SpanStatusCode.ERROR, message: `no table ${label}` });
  query.end();
  work.end();
  root.end();
  return { service, label, traceId: root.spanContext().traceId, spans: memory.getFinishedSpans() };
}

export function exportSpans(exporter: SpanExporter, spans: ReadableSpan[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

export async function assertExported(exporter: SpanExporter, spans: ReadableSpan[]): Promise<void> {
  const result = await exportSpans(exporter, spans);
  assert.equal(result.code, ExportResultCode.SUCCESS, `export failed: ${result.error?.message}`);
}

/** The stored trace holds exactly the recorded spans, with ids, parents, names, kinds, attributes and resource. */
export function assertStored(store: TraceStore, recorded: RecordedRequest): void {
  const stored = store.get(recorded.traceId);
  assert.ok(stored, `trace ${recorded.traceId} (${recorded.label}) not in the store`);
  assert.equal(stored.spans.length, recorded.spans.length);
  const byName = (name: string): RawSpan => {
    const span = stored.spans.find((s) => s.name === name);
    assert.ok(span, `no span "${name}" in trace ${recorded.label}`);
    return span;
  };
  for (const original of recorded.spans) {
    const span = byName(original.name);
    assert.equal(span.traceId, recorded.traceId);
    assert.equal(span.id, original.spanContext().spanId);
    assert.equal(span.parentId, original.parentSpanContext?.spanId ?? '');
    assert.equal(span.resource.get('service.name'), recorded.service);
    assert.equal(span.scope.name, 'receiver-test');
  }
  const { label } = recorded;
  assert.equal(byName(`GET /${label}`).parentId, '');
  assert.equal(byName(`GET /${label}`).kind, 'server');
  assert.equal(byName(`GET /${label}`).attributes.get('http.status_code'), '200');
  assert.equal(byName(`GET /${label}`).attributes.get('test.label'), label);
  assert.deepEqual(Object.fromEntries(byName(`work ${label}`).attributes), {
    'app.count': '3',
    'app.ratio': '0.25',
    'app.ok': 'true',
    'app.tags': '["a","b"]',
  });
  assert.equal(byName(`work ${label}`).events[0]?.name, 'checkpoint');
  assert.equal(byName(`SELECT ${label}`).kind, 'client');
  assert.deepEqual(byName(`SELECT ${label}`).status, { code: 'STATUS_CODE_ERROR', message: `no table ${label}` });
}
