// Jaeger, Tempo and file sources against local servers answering in the formats those systems send (recorded in
// test/fixtures): polling until the span count is stable, 404 as "not yet", errors kept for the timeout message.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { RawSpan } from '../../../src/core/trace/model';
import { FileSource } from '../../../src/run/sources/file';
import { NO_EXPECTATIONS } from '../../../src/run/sources/expectations';
import { JaegerSource } from '../../../src/run/sources/jaeger';
import { TempoSource } from '../../../src/run/sources/tempo';
import type { CollectProgress } from '../../../src/run/sources/types';
import { encodeProtobufRequests, lengthPrefixed } from '../../support/protobuf-requests';
import {
  closedPort,
  collectRequest,
  failed,
  ok,
  fixturePath,
  fixtureText,
  makeSpan,
  scriptedServer,
  selectorsMatching,
  tempoProtobuf,
  TRACE_ID,
  type Answer,
} from './support';

const JAEGER_TRACE = fixtureText('traces/pokeshop.jaeger.json');
const JAEGER_NOT_FOUND = fixtureText('sources/jaeger-trace-not-found.json');
const JSON_TYPE = 'application/json';

/** The recorded Jaeger answer holding only its first n spans, as Jaeger answers while the trace is being stored. */
function jaegerWith(n: number): string {
  const doc = JSON.parse(JAEGER_TRACE) as { data: { spans: unknown[] }[] };
  doc.data[0]!.spans = doc.data[0]!.spans.slice(0, n);
  return JSON.stringify(doc);
}

const notFound: Answer = { status: 404, body: JAEGER_NOT_FOUND, contentType: JSON_TYPE };
const jaeger = (n: number): Answer => ({ status: 200, body: jaegerWith(n), contentType: JSON_TYPE });

describe('JaegerSource', () => {
  it('polls through 404s until the trace appears and its span count is stable', async () => {
    // Not found twice, then the trace growing as the worker's spans are stored, then stable.
    const script = [notFound, notFound, jaeger(3), jaeger(5), jaeger(8)];
    const server = await scriptedServer((_, n) => script[n] ?? jaeger(8));
    try {
      const progress: CollectProgress[] = [];
      const outcome = ok(await new JaegerSource({ url: server.url, headers: {} }).collect(collectRequest({ onProgress: (p) => progress.push(p) })));
      assert.equal(outcome.spans.length, 8);
      assert.deepEqual(outcome.warnings, []);
      assert.equal(server.requests.length, 6, 'two 404s, three growing answers, then the same count again');
      assert.equal(server.requests[0]!.url, `/api/traces/${TRACE_ID}`);
      assert.equal(server.requests[0]!.headers.accept, 'application/json');
      assert.deepEqual(
        progress.map((p) => p.spans),
        [3, 5, 8, 8],
      );
      assert.deepEqual(progress.at(-1)!.services, ['pokeshop-api', 'pokeshop-worker']);
    } finally {
      await server.close();
    }
  });

  it('does not stop at a count seen once: a repeated partial count is what "stable" means', async () => {
    const script = [jaeger(3), jaeger(5), jaeger(5)];
    const server = await scriptedServer((_, n) => script[n] ?? jaeger(8));
    try {
      const outcome = ok(await new JaegerSource({ url: server.url, headers: {} }).collect(collectRequest()));
      assert.equal(outcome.spans.length, 5);
      assert.equal(server.requests.length, 3);
    } finally {
      await server.close();
    }
  });

  it('polls on while selectors match nothing, up to selectorMatchRetries extra polls', async () => {
    // The API's spans are stable for a while before the worker's arrive.
    const script = [jaeger(3), jaeger(3), jaeger(3), jaeger(3)];
    const server = await scriptedServer((_, n) => script[n] ?? jaeger(8));
    try {
      const request = collectRequest({ selectorMatchRetries: 10, unmatchedSelectors: selectorsMatching(['span[name="import pokemon"]']) });
      const outcome = ok(await new JaegerSource({ url: server.url, headers: {} }).collect(request));
      assert.equal(outcome.spans.length, 8);
    } finally {
      await server.close();
    }
  });

  it('leaves selectors that never match to the assertions once the retries are used up', async () => {
    const server = await scriptedServer(() => jaeger(8));
    try {
      const request = collectRequest({ selectorMatchRetries: 2, unmatchedSelectors: selectorsMatching(['span[name="never there"]']) });
      const outcome = ok(await new JaegerSource({ url: server.url, headers: {} }).collect(request));
      assert.equal(outcome.spans.length, 8);
      assert.equal(server.requests.length, 4, 'stable after two polls, then two extra polls');
    } finally {
      await server.close();
    }
  });

  it("polls past a stable count while a service of the test's last run has not reported: its batch comes seconds later", async () => {
    // The API's 3 spans are stable for four polls (a 5 s export period against 10 ms polls), then the worker's come.
    const script = [jaeger(3), jaeger(3), jaeger(3), jaeger(3), jaeger(3)];
    const server = await scriptedServer((_, n) => script[n] ?? jaeger(8));
    try {
      const progress: CollectProgress[] = [];
      const request = collectRequest({
        exportDelayMs: 5_000,
        expectations: { ...NO_EXPECTATIONS, previous: { services: { 'pokeshop-api': 3, 'pokeshop-worker': 5 } } },
        onProgress: (p) => progress.push(p),
      });
      const outcome = ok(await new JaegerSource({ url: server.url, headers: {} }).collect(request));
      assert.equal(outcome.spans.length, 8);
      assert.deepEqual(outcome.warnings, []);
      assert.deepEqual(progress.find((p) => p.waiting)?.waiting?.reasons, ['spans from pokeshop-worker (seen in the last run)']);
    } finally {
      await server.close();
    }
  });

  it('judges a quiet trace once the export delay has passed without the expected service, with a warning', async () => {
    const server = await scriptedServer(() => jaeger(3));
    try {
      // An export delay long enough for several polls even on a busy machine, where one poll can take 100 ms.
      const request = collectRequest({ exportDelayMs: 1_500, expectations: { ...NO_EXPECTATIONS, previous: { services: { 'pokeshop-worker': 5 } } } });
      const outcome = ok(await new JaegerSource({ url: server.url, headers: {} }).collect(request));
      assert.equal(outcome.spans.length, 3);
      assert.deepEqual(outcome.warnings, ['no span from pokeshop-worker arrived this time (it sent 5 spans in the last run)']);
      assert.ok(server.requests.length > 2, `polled on past "stable twice": ${server.requests.length} polls`);
    } finally {
      await server.close();
    }
  });

  it('sends the configured headers, keeps a path prefix and query parameters, and hides them in its description', async () => {
    const server = await scriptedServer(() => jaeger(8));
    try {
      const source = new JaegerSource({ url: `${server.url}/jaeger/?api_key=s3cret`, headers: { Authorization: 'Bearer t0ken', 'X-Scope-OrgID': 'team-a' } });
      assert.equal(source.description, `Jaeger at ${server.url}/jaeger`);
      ok(await source.collect(collectRequest()));
      const first = server.requests[0]!;
      assert.equal(first.url, `/jaeger/api/traces/${TRACE_ID}?api_key=s3cret`);
      assert.equal(first.headers.authorization, 'Bearer t0ken');
      assert.equal(first.headers['x-scope-orgid'], 'team-a');
    } finally {
      await server.close();
    }
  });

  it('keeps polling through 401 and reports it when time runs out', async () => {
    const server = await scriptedServer(() => ({ status: 401, body: '' }));
    try {
      const outcome = failed(await new JaegerSource({ url: server.url, headers: {} }).collect(collectRequest({ timeoutMs: 300 })));
      assert.equal(outcome.message, `could not read trace 4bf92f… within 300ms: Jaeger at ${server.url} answered 401 Unauthorized`);
      assert.ok(server.requests.length > 1, 'kept polling');
    } finally {
      await server.close();
    }
  });

  it("reports Jaeger's own storage error", async () => {
    const server = await scriptedServer(() => ({ status: 500, body: fixtureText('sources/jaeger-storage-error.json'), contentType: JSON_TYPE }));
    try {
      const outcome = failed(await new JaegerSource({ url: server.url, headers: {} }).collect(collectRequest({ timeoutMs: 300 })));
      assert.match(outcome.message, /answered 500 Internal Server Error: \{"data":null.*failed to query spans: context deadline exceeded/);
    } finally {
      await server.close();
    }
  });

  it("reports a URL that misses the query API (the router's 404)", async () => {
    const server = await scriptedServer(() => ({ status: 404, body: '404 page not found\n', contentType: 'text/plain; charset=utf-8' }));
    try {
      const outcome = failed(await new JaegerSource({ url: `${server.url}/wrong`, headers: {} }).collect(collectRequest({ timeoutMs: 300 })));
      assert.equal(
        outcome.message,
        `could not read trace 4bf92f… within 300ms: Jaeger at ${server.url}/wrong answered 404 page not found — is the URL the query API's base address?`,
      );
    } finally {
      await server.close();
    }
  });

  it('reports a connection refused', async () => {
    const port = await closedPort();
    const outcome = failed(await new JaegerSource({ url: `http://127.0.0.1:${port}`, headers: {} }).collect(collectRequest({ timeoutMs: 60 })));
    assert.equal(
      outcome.message,
      `could not read trace 4bf92f… within 60ms: cannot reach Jaeger at http://127.0.0.1:${port}: connection refused (ECONNREFUSED)`,
    );
  });

  it('reports a backend that never answers', async () => {
    const server = await scriptedServer(() => new Promise<Answer>(() => {}));
    try {
      const outcome = failed(await new JaegerSource({ url: server.url, headers: {} }).collect(collectRequest({ timeoutMs: 80 })));
      // The last request gets what is left of the 80 ms.
      assert.match(outcome.message, /^could not read trace 4bf92f… within 80ms: Jaeger at http:\/\/127\.0\.0\.1:\d+ did not answer within \d+ms$/);
    } finally {
      await server.close();
    }
  });

  it('stops at once on a body that is not JSON (a wrong URL)', async () => {
    const server = await scriptedServer(() => ({ status: 200, body: '<!doctype html><title>Jaeger UI</title>', contentType: 'text/html' }));
    try {
      const outcome = failed(await new JaegerSource({ url: server.url, headers: {} }).collect(collectRequest({ timeoutMs: 60_000 })));
      assert.match(
        outcome.message,
        /^Jaeger at http:\/\/127\.0\.0\.1:\d+ answered with a body that is not JSON \(.* at 1:1\) — is the URL Jaeger's query API\?$/,
      );
      assert.equal(server.requests.length, 1);
    } finally {
      await server.close();
    }
  });

  it('stops at once on JSON that is not a Jaeger trace', async () => {
    const server = await scriptedServer(() => ({ status: 200, body: '{"data": {"spans": 3}}', contentType: JSON_TYPE }));
    try {
      const outcome = failed(await new JaegerSource({ url: server.url, headers: {} }).collect(collectRequest({ timeoutMs: 60_000 })));
      assert.match(outcome.message, /answered with something that is not a Jaeger trace: expected an array of traces, got an object at data$/);
    } finally {
      await server.close();
    }
  });

  it('times out on a trace still growing, saying so', async () => {
    // One more span per poll, then flipping between 7 and 8 spans: never the same count twice in a row.
    const server = await scriptedServer((_, n) => jaeger(n < 7 ? 1 + n : 7 + (n % 2)));
    try {
      const outcome = failed(await new JaegerSource({ url: server.url, headers: {} }).collect(collectRequest({ timeoutMs: 120 })));
      assert.match(
        outcome.message,
        /^trace 4bf92f… was not complete after 120ms: \d+ spans from pokeshop-api, pokeshop-worker; the span count was not yet stable$/,
      );
      assert.ok(outcome.spans.length > 0);
    } finally {
      await server.close();
    }
  });

  it('with nothing found, says where it looked and what to check', async () => {
    const server = await scriptedServer(() => notFound);
    try {
      const outcome = failed(await new JaegerSource({ url: server.url, headers: {} }).collect(collectRequest({ timeoutMs: 300 })));
      assert.equal(
        outcome.message,
        `no spans of trace 4bf92f… arrived at Jaeger at ${server.url} within 300ms — do the services export their spans there, and do they propagate the traceparent header?`,
      );
    } finally {
      await server.close();
    }
  });

  it('stops when cancelled, also in the middle of a request', async () => {
    const controller = new AbortController();
    const server = await scriptedServer(() => {
      controller.abort();
      return new Promise<Answer>(() => {}); // never answers
    });
    try {
      const outcome = failed(
        await new JaegerSource({ url: server.url, headers: {} }).collect(collectRequest({ signal: controller.signal, timeoutMs: 60_000 })),
      );
      assert.equal(outcome.message, 'cancelled');
    } finally {
      await server.close();
    }
  });
});

describe('TempoSource', () => {
  it('asks for protobuf and reads tempopb.Trace bytes after a 404 with an empty body', async () => {
    const bytes = tempoProtobuf();
    const server = await scriptedServer((_, n) => (n === 0 ? { status: 404 } : { status: 200, body: bytes, contentType: 'application/protobuf' }));
    try {
      const outcome = ok(await new TempoSource({ url: server.url, headers: { 'X-Scope-OrgID': 'team-a' } }).collect(collectRequest()));
      assert.equal(outcome.spans.length, 8);
      assert.ok(outcome.spans.every((s) => s.traceId === TRACE_ID));
      assert.equal(server.requests[0]!.url, `/api/traces/${TRACE_ID}`);
      assert.equal(server.requests[0]!.headers.accept, 'application/protobuf');
      assert.equal(server.requests[0]!.headers['x-scope-orgid'], 'team-a');
    } finally {
      await server.close();
    }
  });

  it('reads the v1 JSON answer (`batches`, base64 ids) when the server answers JSON', async () => {
    const server = await scriptedServer(() => ({ status: 200, body: fixtureText('traces/pokeshop.tempo.json'), contentType: JSON_TYPE }));
    try {
      const outcome = ok(await new TempoSource({ url: server.url, headers: {} }).collect(collectRequest()));
      assert.equal(outcome.spans.length, 8);
      assert.ok(outcome.spans.every((s) => s.traceId === TRACE_ID));
    } finally {
      await server.close();
    }
  });

  it('reads the v2 JSON answer (`trace.resourceSpans`)', async () => {
    const server = await scriptedServer(() => ({ status: 200, body: fixtureText('traces/pokeshop.tempo-v2.json'), contentType: JSON_TYPE }));
    try {
      const outcome = ok(await new TempoSource({ url: server.url, headers: {} }).collect(collectRequest()));
      assert.equal(outcome.spans.length, 8);
    } finally {
      await server.close();
    }
  });

  it('reports the last error (a proxy refusing the token) at the timeout', async () => {
    const server = await scriptedServer(() => ({ status: 403, body: 'invalid token\n', contentType: 'text/plain' }));
    try {
      const outcome = failed(await new TempoSource({ url: server.url, headers: {} }).collect(collectRequest({ timeoutMs: 300 })));
      assert.equal(outcome.message, `could not read trace 4bf92f… within 300ms: Tempo at ${server.url} answered 403 Forbidden: invalid token`);
    } finally {
      await server.close();
    }
  });

  it('stops at once on bytes that are not a trace', async () => {
    const server = await scriptedServer(() => ({ status: 200, body: Uint8Array.from([0x0a, 0xff, 0xff, 0xff]), contentType: 'application/protobuf' }));
    try {
      const outcome = failed(await new TempoSource({ url: server.url, headers: {} }).collect(collectRequest({ timeoutMs: 60_000 })));
      assert.match(outcome.message, /^Tempo at .* answered with something that is not a Tempo trace: not an OTLP protobuf/);
    } finally {
      await server.close();
    }
  });
});

describe('FileSource', () => {
  it('reads a saved trace at once, whatever its trace id', async () => {
    const progress: CollectProgress[] = [];
    const outcome = ok(
      await new FileSource(fixturePath('traces/pokeshop.jaeger.json')).collect(
        collectRequest({ traceId: 'ffffffffffffffffffffffffffffffff', onProgress: (p) => progress.push(p) }),
      ),
    );
    assert.equal(outcome.spans.length, 8);
    assert.deepEqual(progress, [{ spans: 8, services: ['pokeshop-api', 'pokeshop-worker'] }]);
  });

  it('says which file could not be read', async () => {
    const outcome = failed(await new FileSource(fixturePath('sources/missing.json')).collect(collectRequest()));
    assert.match(outcome.message, /missing\.json: cannot read trace file: ENOENT/);
  });

  it('refuses a file with no spans', async () => {
    const outcome = failed(await new FileSource(fixturePath('sources/empty.otlp.json')).collect(collectRequest()));
    assert.match(outcome.message, /^the trace file .*empty\.otlp\.json holds no spans$/);
  });

  describe("the Collector's file exporter output: several traces, appended as they are exported", () => {
    const OTHER = '0af7651916cd43dd8448eb211c80319c';
    /** Appends the spans as the Collector's `format: proto` does: a request per batch, after its 4-byte length. */
    const append = (path: string, spans: RawSpan[]): void => appendFileSync(path, lengthPrefixed(encodeProtobufRequests(spans, 2)));
    const collectorFile = (): string => {
      const path = join(mkdtempSync(join(tmpdir(), 'tracelens-collector-')), 'traces.proto');
      append(path, [makeSpan({ name: 'GET /health', traceId: OTHER, id: '1111111111111111' })]);
      append(path, [makeSpan({ name: 'GET /metrics', traceId: 'f'.repeat(32), id: '2222222222222222' })]);
      return path;
    };

    it("waits for the run's trace to be written, and takes only its spans once they have settled", async () => {
      const path = collectorFile();
      const run = [
        makeSpan({ name: 'POST /orders', id: '3333333333333333' }),
        makeSpan({ name: 'INSERT orders', parentId: '3333333333333333', id: '4444444444444444' }),
        makeSpan({ name: 'publish order', parentId: '3333333333333333', id: '5555555555555555' }),
      ];
      const collecting = new FileSource(path).collect(collectRequest({ retryDelayMs: 50, exportDelayMs: 2_000 }));
      await new Promise((resolve) => setTimeout(resolve, 200));
      // Children end first, so their batch comes first; their parent's is the next one, after other traffic.
      append(path, run.slice(1));
      await new Promise((resolve) => setTimeout(resolve, 150));
      append(path, [makeSpan({ name: 'GET /health', traceId: OTHER, id: '6666666666666666' }), run[0]!]);
      const outcome = ok(await collecting);
      assert.deepEqual(outcome.spans.map((s) => s.name).sort(), ['INSERT orders', 'POST /orders', 'publish order']);
    });

    it("names the trace and the file when the run's trace never appears", async () => {
      const outcome = failed(await new FileSource(collectorFile()).collect(collectRequest({ timeoutMs: 300, retryDelayMs: 50 })));
      assert.match(outcome.message, /^no spans of trace 4bf92f… arrived at the trace file .*traces\.proto within 300ms/);
    });
  });

  it("refuses Jaeger's not-found answer saved as a file", async () => {
    const outcome = failed(await new FileSource(fixturePath('sources/jaeger-trace-not-found.json')).collect(collectRequest()));
    assert.match(outcome.message, /jaeger-trace-not-found\.json: not a trace file .*Jaeger reported an error: trace not found \(404\)/);
  });
});
