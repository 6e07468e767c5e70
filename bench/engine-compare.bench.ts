// Before/after on a shared machine: this checkout's engine and another checkout's (`--before <dir>`, holding that
// commit's `src/` and `bench/`, e.g. from `git archive <commit> src bench schemas test/support | tar -x -C <dir>` with a
// node_modules link) imported side by side and run interleaved in one process, comparing CPU time
// (process.cpuUsage), which the machine's load moves far less than wall-clock time. Rounds alternate which side
// runs first; the medians and their ratios are printed with the load average.
// Run: node --expose-gc --import tsx bench/engine-compare.bench.ts --before <dir> [--spans 100000] [--rounds 5]
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { encodeOtlpJson } from '../src/core/trace/decode/index';
import { machine, median } from './measure';
import { generateTrace } from './pokeshop-trace';
import { encodeProtobufRequests } from '../test/support/protobuf-requests';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const beforeDir = arg('--before');
if (!beforeDir) throw new Error('usage: engine-compare.bench.ts --before <checkout dir> [--spans N] [--rounds N]');
const SPANS = Number(arg('--spans') ?? 100_000);
const ROUNDS = Number(arg('--rounds') ?? 5);
const SPANS_PER_REQUEST = 512;
const FIRST_QUERY = 'span[tracetest.span.type="database" name="create pokeshop.pokemon" db.operation="create"]';

/* eslint-disable @typescript-eslint/no-explicit-any -- each side's modules are loaded by path, their types differ */
interface Side {
  label: string;
  decodeOtlpJson: (doc: unknown) => any;
  readExportRequestWire: (bytes: Uint8Array, maxTextBytes?: number) => any;
  buildTrace: (raw: any[]) => any;
  matchSelector: (trace: any, selector: any) => any[];
  parseSelector: (text: string) => any;
  evaluateTest: (test: any, trace: any, vars: Map<string, string>) => any;
  TraceStore: new () => { add(spans: any[]): unknown };
  selective: any;
  broad: any;
}

async function side(label: string, dir: string): Promise<Side> {
  const load = (path: string): Promise<any> => import(pathToFileURL(resolve(dir, path)).href);
  const [decode, wire, build, selector, evaluate, store, pokeshop] = await Promise.all([
    load('src/core/trace/decode/index.ts'),
    load('src/core/trace/decode/otlp-protobuf-wire.ts'),
    load('src/core/trace/build.ts'),
    load('src/core/selector/index.ts'),
    load('src/core/engine/evaluate.ts'),
    load('src/run/sources/otlp/store.ts'),
    load('bench/pokeshop-trace.ts'),
  ]);
  return {
    label,
    decodeOtlpJson: decode.decodeOtlpJson,
    readExportRequestWire: wire.readExportRequestWire,
    buildTrace: build.buildTrace,
    matchSelector: selector.matchSelector,
    parseSelector: selector.parseSelector,
    evaluateTest: evaluate.evaluateTest,
    TraceStore: store.TraceStore,
    selective: pokeshop.loadTest(pokeshop.testYaml('ten-selective-specs', pokeshop.SELECTIVE_SPECS)),
    broad: pokeshop.loadTest(pokeshop.testYaml('ten-broad-specs', pokeshop.BROAD_SPECS)),
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

const cpuMs = (fn: () => unknown): number => {
  (globalThis as { gc?: () => void }).gc?.();
  const t0 = process.cpuUsage();
  fn();
  const t = process.cpuUsage(t0);
  return (t.user + t.system) / 1000;
};

/** One round of every case on one side: CPU ms by case. */
function round(s: Side, json: unknown, requests: Uint8Array[]): Record<string, number> {
  const out: Record<string, number> = {};
  let spans: unknown[] = [];
  out['decode OTLP JSON'] = cpuMs(() => (spans = s.decodeOtlpJson(json).value.spans));
  out['buildTrace'] = cpuMs(() => s.buildTrace(spans));
  const query = s.parseSelector(FIRST_QUERY).value;
  let trace = s.buildTrace(spans);
  out['first query on a new trace (3 filters)'] = cpuMs(() => s.matchSelector(trace, query));
  const vars = (): Map<string, string> => new Map([['TRACE_ID', trace.traceId]]);
  trace = s.buildTrace(spans);
  out['10-spec test, selective, first on the trace'] = cpuMs(() => s.evaluateTest(s.selective, trace, vars()));
  trace = s.buildTrace(spans);
  out['10-spec test, broad, first on the trace'] = cpuMs(() => s.evaluateTest(s.broad, trace, vars()));
  // A test's first queries read the few spans of a key one by one; its second run makes the columns of keys read
  // often enough, and from the third on every key it reads has its column.
  out['10-spec test, broad, second on the trace'] = cpuMs(() => s.evaluateTest(s.broad, trace, vars()));
  out['10-spec test, broad, columns built'] = cpuMs(() => s.evaluateTest(s.broad, trace, vars()));
  trace = undefined;
  spans = [];
  out['decode OTLP protobuf (512-span requests)'] = cpuMs(() => {
    for (const bytes of requests) s.readExportRequestWire(bytes, 64 * 1024);
  });
  const store = new s.TraceStore();
  out['decode + store (ingest)'] = cpuMs(() => {
    for (const bytes of requests) store.add(s.readExportRequestWire(bytes, 64 * 1024).spans);
  });
  return out;
}

async function main(): Promise<void> {
  const after = await side('after', '.');
  const before = await side('before', beforeDir!);
  const raw = generateTrace(SPANS);
  const json = encodeOtlpJson(raw);
  const requests = encodeProtobufRequests(raw, SPANS_PER_REQUEST);
  const samples = new Map<string, { before: number[]; after: number[] }>();
  const load: number[] = [loadavg()[0]!];
  for (let r = 0; r < ROUNDS + 1; r++) {
    const order = r % 2 === 0 ? [before, after] : [after, before];
    for (const s of order) {
      const result = round(s, json, requests);
      if (r === 0) continue; // warm-up
      for (const [name, ms] of Object.entries(result)) {
        let entry = samples.get(name);
        if (!entry) samples.set(name, (entry = { before: [], after: [] }));
        entry[s.label as 'before' | 'after'].push(ms);
      }
    }
    load.push(loadavg()[0]!);
  }

  const m = machine();
  console.log(`${SPANS.toLocaleString('en-US')} spans, ${ROUNDS} interleaved rounds, CPU ms medians; ${m.cpu}, ${m.cores} cores, Node ${m.node}`);
  console.log(`load average (1 min) during the run: ${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)}`);
  console.log('| case | before | after | ratio |\n|---|---:|---:|---:|');
  for (const [name, { before: b, after: a }] of samples) {
    console.log(`| ${name} | ${median(b).toFixed(0)} | ${median(a).toFixed(0)} | ${(median(a) / median(b)).toFixed(2)} |`);
  }
  const spansPerSecond = (name: string, which: 'before' | 'after'): string =>
    Math.round((SPANS / median(samples.get(name)![which])) * 1000).toLocaleString('en-US');
  for (const name of ['decode OTLP protobuf (512-span requests)', 'decode + store (ingest)']) {
    console.log(`${name}: ${spansPerSecond(name, 'before')} → ${spansPerSecond(name, 'after')} spans per CPU second`);
  }
}

void main();
