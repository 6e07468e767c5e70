// `tracelens load`: achieved against requested rate at 50, 200 and 1000 req/s (and how evenly the arrivals come, per
// 100 ms, next to autocannon's rate limit on the same service), the cost of sampling and checking (the same load with
// sample 0 and 0.1), and the process's memory at 200 req/s over a long run with sample 0.05. Against the traced test
// service (real OpenTelemetry SDK exporting to the real receiver). Writes bench/load-results.json.
// Run: node --import tsx bench/load.bench.ts   (SECONDS=5 per rate, MEMORY_SECONDS=120)
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import type { TestDef } from '../src/core/testfile/model';
import { readTestFile } from '../src/run/files';
import { openLiveSource } from '../src/run/live-source';
import { loadSession, prepareLoadCall } from '../src/run/load/session';
import { DEFAULT_TIMING } from '../src/run/timing';
import { startTracedService } from '../test/support/traced-service';
import { machine } from './measure';

const SECONDS = Number(process.env.SECONDS ?? 5);
const MEMORY_SECONDS = Number(process.env.MEMORY_SECONDS ?? 120);

async function main(): Promise<void> {
  const live = await openLiveSource({ httpPort: 0, grpcPort: null });
  const port = /:(\d+)/.exec(live.source.description)![1];
  const service = await startTracedService(`http://127.0.0.1:${port}`);
  const dir = mkdtempSync(join(tmpdir(), 'tracelens-load-bench-'));
  const path = join(dir, 'hello.yaml');
  writeFileSync(
    path,
    `type: Test\nspec:\n  id: hello\n  trigger:\n    type: http\n    httpRequest:\n      url: ${service.url}/hello\n  specs:\n  - selector: span[name="load greeting"]\n    assertions:\n    - attr:db.system = "sqlite"\n`,
  );
  const test = (await readTestFile(path)).resources[0]!.resource as TestDef;
  const run = {
    test,
    path,
    file: 'hello.yaml',
    name: 'hello',
    variables: new Map<string, string>(),
    processEnv: () => undefined,
    files: { root: dir, allowOutside: false, widen: '' },
    timing: { ...DEFAULT_TIMING, exportDelayMs: 1000 },
    source: live.source,
  };
  const prepared = await prepareLoadCall(run);
  if (!prepared.ok) throw new Error(prepared.error.message);
  const load = (rate: number, seconds: number, sample: number) =>
    loadSession(
      { run, store: live.store!, maxChecks: 200, passRate: 1, shown: (r) => r },
      prepared.call,
      { model: { kind: 'open', rate }, durationMs: seconds * 1000, rampUpMs: 0, maxInFlight: 5000 },
      sample,
    );
  const spread = (times: number[]): number => {
    // The busiest 100 ms against the mean 100 ms: 1 is perfectly even.
    const buckets = new Map<number, number>();
    for (const t of times) buckets.set(Math.floor((t - times[0]!) / 100), (buckets.get(Math.floor((t - times[0]!) / 100)) ?? 0) + 1);
    return Number((Math.max(...buckets.values()) / (times.length / Math.max(1, buckets.size))).toFixed(2));
  };
  const rates = [];
  for (const rate of [50, 200, 1000]) {
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    const times: number[] = [];
    const sub = live.store!.subscribeAll((trace) => {
      if (trace.spans.length === 1) times.push(performance.now());
    });
    const { report, loadMs } = await load(rate, SECONDS, 0.1);
    sub();
    const used = process.cpuUsage(cpu);
    const ac = await autocannon({ url: `${service.url}/hello`, overallRate: rate, connections: rate, duration: SECONDS });
    rates.push({
      requested: rate,
      achieved: Number((report.requests! / (loadMs / 1000)).toFixed(1)),
      busiest100msVsMean: spread(times),
      p95Ms: report.latencyMs!.p95,
      checked: report.traces.checked,
      passRate: report.passRate,
      cpuPercentOfOneCore: Math.round(((used.user + used.system) / 1000 / (performance.now() - t0)) * 100),
      autocannon: { achieved: Number((ac.requests.total / SECONDS).toFixed(1)) },
    });
    console.log(rates.at(-1));
  }
  const overhead = [];
  for (const sample of [0, 0.1]) {
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    const { report } = await load(200, SECONDS, sample);
    const used = process.cpuUsage(cpu);
    overhead.push({
      rate: 200,
      sample,
      cpuPercentOfOneCore: Math.round(((used.user + used.system) / 1000 / (performance.now() - t0)) * 100),
      p95Ms: report.latencyMs!.p95,
      checked: report.traces.checked,
    });
    console.log(overhead.at(-1));
  }
  const memory: { atSecond: number; rssMiB: number; heapMiB: number; storeTraces: number }[] = [];
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    memory.push({
      atSecond: memory.length * 10 + 10,
      rssMiB: Math.round(m.rss / 2 ** 20),
      heapMiB: Math.round(m.heapUsed / 2 ** 20),
      storeTraces: live.store!.size,
    });
  }, 10_000);
  const { report: long, loadMs } = await load(200, MEMORY_SECONDS, 0.05);
  clearInterval(sampler);
  const result = {
    date: new Date().toISOString(),
    machine: machine(),
    loadAverageAtEnd: loadavg().map((l) => Number(l.toFixed(2))),
    secondsPerRate: SECONDS,
    rates,
    overhead,
    memory: {
      rate: 200,
      sample: 0.05,
      seconds: MEMORY_SECONDS,
      achieved: Number((long.requests! / (loadMs / 1000)).toFixed(1)),
      checked: long.traces.checked,
      unresolved: long.traces.unresolved,
      samples: memory,
    },
  };
  console.log(result.memory);
  writeFileSync(join(__dirname, 'load-results.json'), `${JSON.stringify(result, null, 2)}\n`);
  await service.close();
  await live.close();
}

void main();
