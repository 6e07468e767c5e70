// `tracelens receiver --out`: each settled trace saved as OTLP JSON (or protobuf) and then let go of, spans that arrive after the
// save added to the trace's file, and saving written span by span.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { decodeOtlpJson, encodeOtlpJson } from '../../../src/core/trace/decode/index';
import { runReceiver } from '../../../src/run/receiver-command';
import { otlpJsonText, type TraceFileFormat } from '../../../src/run/save-trace';
import { TraceStore } from '../../../src/run/sources/otlp/store';
import { readTraceFile } from '../../../src/run/trace-file';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { recordRequest } from './sdk';

interface Running {
  port: number;
  store: TraceStore;
  out: string;
  lines: () => string[];
  /** Resolves once a line matching `pattern` has been printed. */
  printed(pattern: RegExp): Promise<string>;
  stop(): Promise<void>;
}

async function receiverCommand(outFormat?: TraceFileFormat): Promise<Running> {
  const out = mkdtempSync(join(tmpdir(), 'tracelens-receiver-'));
  const store = new TraceStore();
  const stop = new AbortController();
  let text = '';
  const waiters: Array<() => void> = [];
  const io = {
    out: { write: (s: string) => ((text += s), waiters.splice(0).forEach((w) => w())) },
    err: { write: (s: string) => ((text += s), waiters.splice(0).forEach((w) => w())) },
    signal: stop.signal,
  };
  const done = runReceiver({ host: '127.0.0.1', httpPort: 0, grpcPort: 0, outDir: out, ...(outFormat ? { outFormat } : {}), quietMs: 50, store }, io);
  const printed = async (pattern: RegExp): Promise<string> => {
    for (;;) {
      const line = text.split('\n').find((l) => pattern.test(l));
      if (line) return line;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  const port = Number(/http:\/\/127\.0\.0\.1:(\d+)/.exec(await printed(/OTLP receiver listening/))![1]);
  return { port, store, out, lines: () => text.split('\n'), printed, stop: () => (stop.abort(), done) };
}

async function post(port: number, spans: ReadableSpan[]): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${port}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JsonTraceSerializer.serializeRequest(spans)!,
  });
  assert.equal(response.status, 200);
}

describe('tracelens receiver --out', () => {
  it('saves a settled trace and then lets it go', async () => {
    const receiver = await receiverCommand();
    try {
      const recorded = recordRequest('shop', 'saved-then-freed');
      await post(receiver.port, recorded.spans);
      assert.ok(receiver.store.get(recorded.traceId));
      const line = await receiver.printed(new RegExp(`trace ${recorded.traceId}: 3 spans from shop → `));
      assert.ok(line.endsWith(join(receiver.out, `${recorded.traceId}.otlp.json`)));
      assert.equal(receiver.store.get(recorded.traceId), undefined, 'the saved trace is still in memory');
      assert.equal(receiver.store.bytes, 0);
      const saved = await readTraceFile(join(receiver.out, `${recorded.traceId}.otlp.json`));
      assert.deepEqual(saved.spans.map((s) => s.name).sort(), recorded.spans.map((s) => s.name).sort());
    } finally {
      await receiver.stop();
    }
  });

  it('adds spans that arrive after the save to the trace file', async () => {
    const receiver = await receiverCommand();
    try {
      const recorded = recordRequest('shop', 'late-spans');
      const [late, ...early] = recorded.spans; // the SDK finishes the innermost span first
      await post(receiver.port, early);
      await receiver.printed(new RegExp(`trace ${recorded.traceId}: 2 spans`));
      await post(receiver.port, [late!]);
      await receiver.printed(new RegExp(`trace ${recorded.traceId}: 3 spans`));
      const saved = await readTraceFile(join(receiver.out, `${recorded.traceId}.otlp.json`));
      assert.deepEqual(saved.spans.map((s) => s.name).sort(), recorded.spans.map((s) => s.name).sort());
      assert.equal(receiver.store.size, 0);
    } finally {
      await receiver.stop();
    }
  });

  it('--out-format protobuf saves <trace id>.otlp.binpb, and adds late spans to it', async () => {
    const receiver = await receiverCommand('protobuf');
    try {
      const recorded = recordRequest('shop', 'saved-as-protobuf');
      const [late, ...early] = recorded.spans;
      await post(receiver.port, early);
      const line = await receiver.printed(new RegExp(`trace ${recorded.traceId}: 2 spans from shop → `));
      const path = join(receiver.out, `${recorded.traceId}.otlp.binpb`);
      assert.ok(line.endsWith(path), line);
      await post(receiver.port, [late!]);
      await receiver.printed(new RegExp(`trace ${recorded.traceId}: 3 spans`));
      const bytes = readFileSync(path);
      assert.equal(bytes[0], 0x0a, 'an ExportTraceServiceRequest starts with its resource_spans field, not JSON');
      const saved = await readTraceFile(path);
      assert.deepEqual(saved.spans.map((s) => s.name).sort(), recorded.spans.map((s) => s.name).sort());
      assert.ok(!existsSync(join(receiver.out, `${recorded.traceId}.otlp.json`)));
    } finally {
      await receiver.stop();
    }
  });
});

describe('saving a trace', () => {
  it('writes exactly the JSON.stringify text, in pieces no longer than one span', () => {
    const decoded = decodeOtlpJson(
      JSON.parse(
        new TextDecoder().decode(JsonTraceSerializer.serializeRequest([...recordRequest('shop', 'pieces').spans, ...recordRequest('stock', 'pieces').spans])!),
      ),
    );
    assert.ok(decoded.ok);
    const spans = decoded.value.spans;
    const pieces = [...otlpJsonText(spans)];
    assert.equal(pieces.join(''), `${JSON.stringify(encodeOtlpJson(spans), null, 1)}\n`);
    // A span as it sits in the file: six levels deep, a space of indentation per level.
    const spanText = (span: (typeof spans)[number]) =>
      JSON.stringify(encodeOtlpJson([span]).resourceSpans[0]!.scopeSpans[0]!.spans[0], null, 1).replaceAll('\n', `\n${' '.repeat(6)}`);
    const longestSpan = Math.max(...spans.map((s) => spanText(s).length));
    assert.ok(Math.max(...pieces.map((p) => p.length)) <= longestSpan, 'a piece holds more than one span');
    assert.ok(pieces.length > spans.length * 2);
  });
});
