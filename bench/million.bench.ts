// `npm run bench` (part): one million spans. A Pokéshop-like trace of 1,000,000 spans is saved as `--save-trace`
// writes it, then replayed as `tracelens run --trace <file>` does: read and decode the file, build the trace, judge a
// 10-spec test (selective, then broad specs). One sample per phase (each takes seconds), with the RSS and heap after
// it; the whole replay is also timed through the real CLI in a fresh process. Writes bench/million-results.json
// with the machine, date and load average. Target: the replay (read + build + selective test) in ≤ 1 s.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateTest } from '../src/core/engine/evaluate';
import { buildTrace } from '../src/core/trace/build';
import { saveTraceFile } from '../src/run/save-trace';
import { readTraceFile } from '../src/run/trace-file';
import { machine as machineInfo } from './measure';
import { BROAD_SPECS, generateTrace, loadTest, SELECTIVE_SPECS, testYaml } from './pokeshop-trace';

const SPANS = 1_000_000;
const MIB = 2 ** 20;

interface Phase {
  phase: string;
  ms: number;
  rssMiB: number;
  heapUsedMiB: number;
  note?: string;
}
const phases: Phase[] = [];
const load = () => loadavg().map((l) => Number(l.toFixed(1)));
const loadAtStart = load();

async function timed<T>(phase: string, fn: () => T | Promise<T>, note?: (value: T) => string): Promise<T> {
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  const memory = process.memoryUsage();
  phases.push({ phase, ms, rssMiB: Math.round(memory.rss / MIB), heapUsedMiB: Math.round(memory.heapUsed / MIB), ...(note ? { note: note(value) } : {}) });
  console.log(`${phase}: ${ms.toFixed(0)} ms, RSS ${Math.round(memory.rss / MIB)} MiB${note ? ` (${note(value)})` : ''}`);
  return value;
}

async function replay(dir: string): Promise<void> {
  const generated = await timed('generate 1M spans (setup, not part of a run)', () => generateTrace(SPANS));
  const path = await timed(
    'save as OTLP JSON (--save-trace)',
    () => saveTraceFile(dir, 'million', generated),
    (p) => `${Math.round(statSync(p).size / MIB)} MiB`,
  );
  generated.length = 0;
  const file = await timed(
    'read + decode the file (run --trace)',
    () => readTraceFile(path),
    (f) => `${f.spans.length} spans`,
  );
  const trace = await timed('build the trace', () => buildTrace(file.spans));
  const vars = new Map([['TRACE_ID', trace.traceId]]);
  const selective = loadTest(testYaml('ten-selective-specs', SELECTIVE_SPECS));
  const broad = loadTest(testYaml('ten-broad-specs', BROAD_SPECS));
  await timed(
    '10-spec test, selective specs (first on this trace)',
    () => evaluateTest(selective, trace, vars),
    (r) => r.status,
  );
  await timed(
    '10-spec test, broad specs (~10% of spans each)',
    () => evaluateTest(broad, trace, vars),
    (r) => r.status,
  );

  // The real CLI in a fresh process, as a user runs it: start-up, reading the test, the replay, the report.
  const testFile = join(dir, 'ten-specs.yaml');
  writeFileSync(testFile, testYaml('ten-selective-specs', SELECTIVE_SPECS));
  const t0 = performance.now();
  let exit = 0;
  try {
    execFileSync(
      process.execPath,
      ['dist/cli.js', 'run', testFile, '--trace', path, '--var', `TRACE_ID=${trace.traceId}`, '--reporter', 'json', '--out', join(dir, 'report.json')],
      {
        stdio: 'ignore',
      },
    );
  } catch (e) {
    exit = (e as { status?: number }).status ?? -1;
  }
  phases.push({ phase: `tracelens run --trace (whole process, exit ${exit})`, ms: performance.now() - t0, rssMiB: 0, heapUsedMiB: 0 });
  console.log(`tracelens run --trace: ${(performance.now() - t0).toFixed(0)} ms, exit ${exit}`);
}

const dir = mkdtempSync(join(tmpdir(), 'tracelens-million-'));
void replay(dir)
  .finally(() => rmSync(dir, { recursive: true, force: true }))
  .then(report);

function report(): void {
  const machine = machineInfo();
  const peakRssMiB = Math.round((process.resourceUsage().maxRSS * 1024) / MIB);
  writeFileSync(
    new URL('./million-results.json', import.meta.url),
    `${JSON.stringify({ date: new Date().toISOString(), machine, loadAverage: { start: loadAtStart, end: load() }, spans: SPANS, target: 'read + build + 10-spec test ≤ 1 s', peakRssMiB, phases }, null, 2)}\n`,
  );
  console.log(`peak RSS ${peakRssMiB} MiB; load ${loadAtStart.join(' ')} → ${load().join(' ')}\nwrote bench/million-results.json`);
}
