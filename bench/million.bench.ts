// `npm run bench` (part): one million spans. A Pokéshop-like trace of 1,000,000 spans is saved as `--save-trace`
// writes it, as OTLP JSON and as OTLP protobuf (`--save-trace-format protobuf`), then each file is replayed as
// `tracelens run --trace <file>` does, in a fresh process of its own: read and decode the file, build the trace,
// judge a 10-spec test (selective, then broad specs). One sample per phase (each takes seconds), with the RSS and heap
// after it and the process's peak RSS; the whole replay is also timed through the real CLI in a fresh process. Then
// the embedded receiver (`tracelens receiver`, its own process, told to keep a million spans of a trace) is sent the
// same trace as an SDK sends it, 512-span OTLP/HTTP protobuf requests from one client: the time until every request
// is answered and until the receiver prints the settled trace, and its peak RSS. Writes bench/million-results.json
// with the machine, date and load average. Target: the replay (read + build + selective test) in ≤ 1 s.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateTest } from '../src/core/engine/evaluate';
import { encodeProtobufRequests } from '../test/support/protobuf-requests';
import { buildTrace } from '../src/core/trace/build';
import { saveTraceFile } from '../src/run/save-trace';
import { readTraceFile } from '../src/run/trace-file';
import { machine as machineInfo } from './measure';
import { BROAD_SPECS, generateTrace, loadTest, SELECTIVE_SPECS, testYaml } from './pokeshop-trace';

/** SPANS=… for a quick check of the bench itself (then nothing is written). */
const SPANS = Number(process.env.SPANS ?? 1_000_000);
const SPANS_PER_REQUEST = 512;
const MIB = 2 ** 20;
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

interface Phase {
  phase: string;
  ms: number;
  rssMiB: number;
  heapUsedMiB: number;
  note?: string;
}
const load = () => loadavg().map((l) => Number(l.toFixed(1)));
const peakRssMiB = () => Math.round((process.resourceUsage().maxRSS * 1024) / MIB);

async function timed<T>(phases: Phase[], phase: string, fn: () => T | Promise<T>, note?: (value: T) => string): Promise<T> {
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  const memory = process.memoryUsage();
  phases.push({ phase, ms, rssMiB: Math.round(memory.rss / MIB), heapUsedMiB: Math.round(memory.heapUsed / MIB), ...(note ? { note: note(value) } : {}) });
  console.error(`${phase}: ${ms.toFixed(0)} ms, RSS ${Math.round(memory.rss / MIB)} MiB${note ? ` (${note(value)})` : ''}`);
  return value;
}

/** `--replay <file>`: the replay's phases in this (fresh) process, printed as JSON for the parent. */
async function replay(path: string): Promise<void> {
  const phases: Phase[] = [];
  const file = await timed(
    phases,
    'read + decode the file (run --trace)',
    () => readTraceFile(path),
    (f) => `${f.spans.length} spans`,
  );
  const trace = await timed(phases, 'build the trace', () => buildTrace(file.spans));
  const vars = new Map([['TRACE_ID', trace.traceId]]);
  const selective = loadTest(testYaml('ten-selective-specs', SELECTIVE_SPECS));
  const broad = loadTest(testYaml('ten-broad-specs', BROAD_SPECS));
  await timed(
    phases,
    '10-spec test, selective specs (first on this trace)',
    () => evaluateTest(selective, trace, vars),
    (r) => r.status,
  );
  await timed(
    phases,
    '10-spec test, broad specs (~10% of spans each)',
    () => evaluateTest(broad, trace, vars),
    (r) => r.status,
  );
  process.stdout.write(JSON.stringify({ phases, peakRssMiB: peakRssMiB() }));
}

function replayInFreshProcess(path: string): { phases: Phase[]; peakRssMiB: number } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/million.bench.ts', '--replay', path], {
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.toString()) as { phases: Phase[]; peakRssMiB: number };
}

/** The real CLI in a fresh process, as a user runs it: start-up, reading the test, the replay, the report. */
function cliReplay(dir: string, path: string, format: string): Phase & { peakRssMiB: number } {
  const testFile = join(dir, 'ten-specs.yaml');
  writeFileSync(testFile, testYaml('ten-selective-specs', SELECTIVE_SPECS));
  const rssFile = join(dir, `cli-${format}.rss`);
  // The process's own peak RSS, written as it exits.
  const report = `data:text/javascript,${encodeURIComponent(
    `import { writeFileSync } from 'node:fs'; process.on('exit', () => writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));`,
  )}`;
  const t0 = performance.now();
  let exit = 0;
  try {
    execFileSync(
      process.execPath,
      [
        '--import',
        report,
        'dist/cli.js',
        'run',
        testFile,
        '--trace',
        path,
        '--var',
        `TRACE_ID=${TRACE_ID}`,
        '--reporter',
        'json',
        '--out',
        join(dir, 'report.json'),
      ],
      { stdio: 'ignore' },
    );
  } catch (e) {
    exit = (e as { status?: number }).status ?? -1;
  }
  const ms = performance.now() - t0;
  const peak = Math.round((Number(readFileSync(rssFile, 'utf8')) * 1024) / MIB);
  console.error(`tracelens run --trace (${format}): ${ms.toFixed(0)} ms, exit ${exit}, peak RSS ${peak} MiB`);
  return { phase: `tracelens run --trace ${format} file (whole process, exit ${exit})`, ms, rssMiB: 0, heapUsedMiB: 0, peakRssMiB: peak };
}

function memoryOf(pid: number): { rssMiB: number; peakRssMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  return { rssMiB: Math.round(kib('VmRSS') / 1024), peakRssMiB: Math.round(kib('VmHWM') / 1024) };
}

/** `tracelens receiver` keeping a million spans of one trace, sent the requests one after the other by one client. */
async function receive(requests: Uint8Array[]): Promise<Phase[]> {
  const child = spawn(
    process.execPath,
    ['dist/cli.js', 'receiver', '--http-port', '0', '--grpc-port', '0', '--max-spans-per-trace', String(SPANS), '--max-bytes', '2GiB'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(output);
        if (match) resolve(match);
      };
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        check();
      });
      child.once('exit', (code) => reject(new Error(`tracelens receiver exited (${code}): ${output}`)));
      check();
    });
  try {
    const [, url] = await waitFor(/listening: the embedded OTLP receiver \((http:\/\/[^,)]+)/);
    const idle = memoryOf(child.pid!);
    const t0 = performance.now();
    let rejected = 0;
    for (const body of requests) {
      const response = await fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body });
      await response.arrayBuffer();
      if (!response.ok) rejected++;
    }
    const sent = performance.now() - t0;
    const answered = memoryOf(child.pid!);
    const [settledLine] = await waitFor(new RegExp(`trace ${TRACE_ID}: \\d+ spans[^\\n]*`));
    const settled = performance.now() - t0;
    const atEnd = memoryOf(child.pid!);
    const note = `${requests.length} requests, ${rejected} rejected; ${(SPANS / (sent / 1000)).toFixed(0)} spans/s; idle RSS ${idle.rssMiB} MiB, peak ${atEnd.peakRssMiB} MiB`;
    console.error(
      `receiver: every request answered after ${sent.toFixed(0)} ms, RSS ${answered.rssMiB} MiB (${note}); "${settledLine}" after ${settled.toFixed(0)} ms`,
    );
    return [
      {
        phase: 'receiver: 1M spans sent as 512-span OTLP/HTTP protobuf requests, one client, until every one is answered',
        ms: sent,
        rssMiB: answered.rssMiB,
        heapUsedMiB: 0,
        note,
      },
      {
        phase: 'receiver: until it prints the settled trace (its 500 ms quiet window included)',
        ms: settled,
        rssMiB: atEnd.rssMiB,
        heapUsedMiB: 0,
        note: settledLine,
      },
    ];
  } finally {
    child.kill('SIGTERM');
  }
}

async function main(dir: string): Promise<void> {
  const loadAtStart = load();
  const phases: Phase[] = [];
  let generated = await timed(phases, 'generate 1M spans (setup, not part of a run)', () => generateTrace(SPANS));
  const jsonPath = await timed(
    phases,
    'save as OTLP JSON (--save-trace)',
    () => saveTraceFile(dir, 'million', generated),
    (p) => `${Math.round(statSync(p).size / MIB)} MiB`,
  );
  const protobufPath = await timed(
    phases,
    'save as OTLP protobuf (--save-trace-format protobuf)',
    () => saveTraceFile(dir, 'million', generated, 'protobuf'),
    (p) => `${Math.round(statSync(p).size / MIB)} MiB`,
  );
  const requests = await timed(
    phases,
    'encode 512-span requests (setup)',
    () => encodeProtobufRequests(generated, SPANS_PER_REQUEST),
    (r) => `${r.length} requests`,
  );
  generated = [];
  const peakWhileSaving = peakRssMiB();

  const replays: Record<string, { phases: Phase[]; peakRssMiB: number }> = {};
  for (const [format, path] of [
    ['json', jsonPath],
    ['protobuf', protobufPath],
  ] as const) {
    console.error(`replaying the ${format} file in a fresh process:`);
    replays[format] = replayInFreshProcess(path);
  }
  const cli = [cliReplay(dir, jsonPath, 'json'), cliReplay(dir, protobufPath, 'protobuf')];
  const receiver = await receive(requests);

  // A quick check of the bench itself (SPANS=…) prints its figures but keeps the recorded million-span ones.
  if (SPANS !== 1_000_000) return void console.error(`load ${loadAtStart.join(' ')} → ${load().join(' ')}\nnot written: ${SPANS} spans is a quick check`);
  writeFileSync(
    new URL('./million-results.json', import.meta.url),
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        machine: machineInfo(),
        loadAverage: { start: loadAtStart, end: load() },
        spans: SPANS,
        target: 'read + build + 10-spec test ≤ 1 s',
        saving: { phases, peakRssMiB: peakWhileSaving },
        replay: replays,
        cli,
        receiver,
      },
      null,
      2,
    )}\n`,
  );
  console.error(`load ${loadAtStart.join(' ')} → ${load().join(' ')}\nwrote bench/million-results.json`);
}

const replayAt = process.argv.indexOf('--replay');
if (replayAt >= 0) void replay(process.argv[replayAt + 1]!);
else {
  const dir = mkdtempSync(join(tmpdir(), 'tracelens-million-'));
  void main(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}
