// `tracelens load`: achieved against requested rate at 50, 200 and 1000 req/s (and how evenly the arrivals come, per
// 100 ms, next to autocannon's rate limit on the same service), the cost of sampling and checking (the same load with
// sample 0 and 0.1), and the memory of the real `tracelens load` command (dist/cli.js, in its own process) at
// 200 req/s over a long run with sample 0.05. The target is the traced test service (real OpenTelemetry SDK
// exporting to the real receiver) in a process of its own (bench/load-service.ts), so it does not take the load
// generator's CPU. Writes bench/load-results.json (rates, overhead) and bench/load-memory-results.json.
// Run after `npm run build`: node --import tsx bench/load.bench.ts
//   (SECONDS=5 per rate, MEMORY_SECONDS=120; PHASES=rates,memory to run only some of rates, overhead, memory)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import type { TestDef } from '../src/core/testfile/model';
import { readTestFile } from '../src/run/files';
import { openLiveSource } from '../src/run/live-source';
import type { LoadReport } from '../src/run/load/report';
import { loadSession, prepareLoadCall } from '../src/run/load/session';
import { DEFAULT_TIMING } from '../src/run/timing';
import { machine } from './measure';

const SECONDS = Number(process.env.SECONDS ?? 5);
const MEMORY_SECONDS = Number(process.env.MEMORY_SECONDS ?? 120);
const PHASES = new Set((process.env.PHASES ?? 'rates,overhead,memory').split(','));
const CLI = join(__dirname, '..', 'dist', 'cli.js');

/** The traced service in a child process exporting to `otlpUrl` (in batches, or each span at once); it closes when its stdin does. */
async function startService(otlpUrl: string, batch: boolean): Promise<{ url: string; close(): Promise<void> }> {
  const args = ['--import', 'tsx', join(__dirname, 'load-service.ts'), otlpUrl, ...(batch ? ['batch'] : [])];
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the bench service exited (${code}) before it listened`)));
  });
  return {
    url,
    close: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}

function testFile(dir: string, serviceUrl: string): string {
  const path = join(dir, 'hello.yaml');
  writeFileSync(
    path,
    `type: Test\nspec:\n  id: hello\n  trigger:\n    type: http\n    httpRequest:\n      url: ${serviceUrl}/hello\n  specs:\n  - selector: span[name="load greeting"]\n    assertions:\n    - attr:db.system = "sqlite"\n`,
  );
  return path;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tracelens-load-bench-'));
  const info = { date: new Date().toISOString(), machine: machine() };
  if (PHASES.has('rates') || PHASES.has('overhead')) {
    const result = { ...info, ...(await inProcess(dir)), loadAverageAtEnd: loadAverage() };
    writeFileSync(join(__dirname, 'load-results.json'), `${JSON.stringify(result, null, 2)}\n`);
  }
  if (PHASES.has('memory')) {
    const result = { ...info, ...(await memory(dir)) };
    console.log(result);
    writeFileSync(join(__dirname, 'load-memory-results.json'), `${JSON.stringify(result, null, 2)}\n`);
  }
}

/** Rates and the cost of checking: the load session in this process, the receiver too. */
async function inProcess(dir: string) {
  const live = await openLiveSource({ httpPort: 0, grpcPort: null });
  const port = /:(\d+)/.exec(live.source.description)![1];
  // Each span exported at once: the arrival of a trace's first span times its request.
  const service = await startService(`http://127.0.0.1:${port}`, false);
  const path = testFile(dir, service.url);
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
  for (const rate of PHASES.has('rates') ? [50, 200, 1000] : []) {
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
  for (const sample of PHASES.has('overhead') ? [0, 0.1] : []) {
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
  await service.close();
  await live.close();
  return { secondsPerRate: SECONDS, rates, overhead };
}

/** `tracelens load` as a user runs it, in its own process: its resident memory every 10 s, and its report. */
async function memory(dir: string) {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const port = await freePort();
  const service = await startService(`http://127.0.0.1:${port}`, true);
  const path = testFile(dir, service.url);
  const out = join(dir, 'report.json');
  const args = ['load', path, '--rate', '200/s', '--duration', `${MEMORY_SECONDS}s`, '--sample', '0.05'];
  const cli = spawn(process.execPath, [CLI, ...args, '--otlp-http-port', String(port), '--otlp-grpc-port', '0', '--reporter', 'json', '--out', out], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const samples: { atSecond: number; rssMiB: number; loadAverage1m: number }[] = [];
  let peakRssMiB = 0;
  const started = performance.now();
  const sampler = setInterval(() => {
    const status = procStatus(cli.pid!);
    if (!status) return;
    peakRssMiB = status.hwmMiB;
    samples.push({ atSecond: Math.round((performance.now() - started) / 1000), rssMiB: status.rssMiB, loadAverage1m: loadAverage()[0]! });
  }, 10_000);
  const code = await new Promise<number | null>((resolve) => cli.once('exit', resolve));
  clearInterval(sampler);
  await service.close();
  const report = JSON.parse(readFileSync(out, 'utf8')) as LoadReport;
  const first = samples[0]?.rssMiB ?? 0;
  return {
    command: `tracelens ${args.join(' ').replace(path, 'hello.yaml')}`,
    exitCode: code,
    // Requests sent over the scheduled duration (the session also waits for the last checks).
    achieved: Number((report.requests! / MEMORY_SECONDS).toFixed(1)),
    sessionSeconds: Math.round(report.durationMs / 1000),
    requests: report.requests,
    errors: report.errors,
    latencyMs: report.latencyMs,
    traces: report.traces,
    passRate: report.passRate,
    rssMiB: { atFirstSample: first, peak: peakRssMiB, atLastSample: samples.at(-1)?.rssMiB ?? 0 },
    samples,
  };
}

/** VmRSS and VmHWM (peak) of a process, from Linux's /proc. */
function procStatus(pid: number): { rssMiB: number; hwmMiB: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
    return { rssMiB: Math.round(kib('VmRSS') / 1024), hwmMiB: Math.round(kib('VmHWM') / 1024) };
  } catch {
    return undefined;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function loadAverage(): number[] {
  return loadavg().map((l) => Number(l.toFixed(2)));
}

void main();
