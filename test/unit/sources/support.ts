// Shared pieces of the trace source tests: the recorded Pokéshop trace, spans made to order, selectors checked with
// the real selector engine, Tempo's protobuf answer, and a scripted local HTTP server.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import root from '@opentelemetry/otlp-transformer/build/src/generated/root';
import { select } from '../../../src/core/selector/index';
import { buildTrace } from '../../../src/core/trace/build';
import { decodeTraceText } from '../../../src/core/trace/decode/index';
import type { RawSpan } from '../../../src/core/trace/model';
import type { CollectOutcome, CollectRequest } from '../../../src/run/sources/types';

export const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
/** The span id the trigger injected: the Pokéshop API's server span is its child in these tests. */
export const TRIGGER_SPAN_ID = 'aaaaaaaaaaaaaaaa';

export function fixtureText(path: string): string {
  return readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8');
}

export function fixturePath(path: string): string {
  return new URL(`../../fixtures/${path}`, import.meta.url).pathname;
}

/** The recorded Pokéshop import trace (8 spans: 3 from pokeshop-api, 5 from pokeshop-worker). */
export function pokeshopSpans(): RawSpan[] {
  const decoded = decodeTraceText(fixtureText('traces/pokeshop.otlp.json'));
  assert.ok(decoded.ok);
  return decoded.value.spans;
}

let nextId = 1;
/** A span of TRACE_ID (or another trace) with the given parent, name and service. */
export function makeSpan(options: { name: string; parentId?: string; service?: string; traceId?: string; id?: string }): RawSpan {
  const id = options.id ?? (nextId++).toString(16).padStart(16, '0');
  return {
    traceId: options.traceId ?? TRACE_ID,
    id,
    parentId: options.parentId ?? TRIGGER_SPAN_ID,
    name: options.name,
    kind: 'internal',
    startTime: 1_710_410_000_000_000_000n,
    endTime: 1_710_410_000_100_000_000n,
    status: { code: 'STATUS_CODE_UNSET', message: '' },
    resource: new Map([['service.name', options.service ?? 'api']]),
    scope: { name: 'test', version: '', attributes: new Map() },
    attributes: new Map(),
    events: [],
    links: [],
  };
}

/** What the runner passes: selectors that select nothing in the trace built under the trigger span. */
export function selectorsMatching(selectors: readonly string[], calls?: { count: number }): (spans: readonly RawSpan[]) => string[] {
  return (spans) => {
    if (calls) calls.count++;
    const trace = buildTrace(spans, { traceId: TRACE_ID, spanId: TRIGGER_SPAN_ID });
    return selectors.filter((selector) => {
      const selected = select(trace, selector);
      return !selected.ok || selected.value.length === 0;
    });
  };
}

export function collectRequest(overrides: Partial<CollectRequest> = {}): CollectRequest {
  return {
    traceId: TRACE_ID,
    triggerSpanId: TRIGGER_SPAN_ID,
    unmatchedSelectors: () => [],
    timeoutMs: 5_000,
    quietMs: 20,
    retryDelayMs: 10,
    selectorMatchRetries: 0,
    exportDelayMs: 0,
    ...overrides,
  };
}

interface MessageType {
  fromObject(object: object): object;
  encode(message: object): { finish(): Uint8Array };
}
const ExportTraceServiceRequest = (
  root as unknown as { opentelemetry: { proto: { collector: { trace: { v1: { ExportTraceServiceRequest: MessageType } } } } } }
).opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/**
 * Tempo's protobuf answer for the Pokéshop trace. tempopb.Trace is `repeated ResourceSpans batches = 1`, the same
 * field as OTLP's ExportTraceServiceRequest.resource_spans, so encoding the OTLP JSON fixture with the OTLP
 * message type gives the bytes Tempo sends.
 */
export function tempoProtobuf(): Uint8Array {
  const doc = JSON.parse(fixtureText('traces/pokeshop.otlp.json'), (key, value: unknown) =>
    (key === 'traceId' || key === 'spanId' || key === 'parentSpanId') && typeof value === 'string' ? Buffer.from(value, 'hex') : value,
  ) as object;
  return ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(doc)).finish();
}

export interface Answer {
  status: number;
  body?: string | Uint8Array;
  contentType?: string;
}

export interface ScriptedServer {
  url: string;
  requests: IncomingMessage[];
  close(): Promise<void>;
}

/** A loopback HTTP server on a free port; `answer` gets each request and its 0-based number. */
export async function scriptedServer(answer: (request: IncomingMessage, n: number) => Answer | Promise<Answer>): Promise<ScriptedServer> {
  const requests: IncomingMessage[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const n = requests.push(request) - 1;
    void Promise.resolve(answer(request, n)).then((a) => {
      if (a.contentType) response.setHeader('content-type', a.contentType);
      response.writeHead(a.status);
      response.end(a.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The outcome of a collect that must have succeeded (the failure message shows when it did not). */
export function ok(outcome: CollectOutcome): Extract<CollectOutcome, { ok: true }> {
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.message);
  return outcome;
}

export function failed(outcome: CollectOutcome): Extract<CollectOutcome, { ok: false }> {
  assert.ok(!outcome.ok, 'expected the collect to fail');
  return outcome;
}
