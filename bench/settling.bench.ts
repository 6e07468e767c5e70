// When is a trace complete? For each arrival shape (test/support/settling-scenarios.ts: two services, each its own
// process with the real OpenTelemetry JS SDK exporting to the embedded receiver like Java/Go/Python/.NET tickers, the
// JS SDK's stock batches, 100 ms exporters...), 20 runs of a live test: how long each run waits after its trace's last
// span reaches the receiver (median, p95) and how many runs are judged wrong. Measured with the default settings and,
// in the same run, with `--export-delay 0` (judge once the trace is quiet and the selector retries are used up: the
// rule Tracelens had before). Prints a table and writes bench/settling-results.json.
// Run: node --import tsx bench/settling.bench.ts   (about 8 minutes; RUNS=n for fewer runs)
import { writeFileSync } from 'node:fs';
import { machine } from './measure';
import { join } from 'node:path';
import { DEFAULT_TIMING } from '../src/run/timing';
import { runScenario, SCENARIOS, type RunOutcome } from '../test/support/settling-scenarios';

const RUNS = Number(process.env.RUNS ?? 20);
const WORKERS = 5;

interface Figures {
  wrong: number;
  runs: number;
  waitMedianMs: number;
  waitP95Ms: number;
  /** The same for the second half of the runs: after the receiver has learned the services. */
  laterWaitMedianMs: number;
  lateSpans: number;
}

function figures(outcomes: readonly RunOutcome[]): Figures {
  const waits = outcomes.map((o) => o.waitAfterLastSpanMs);
  const later = waits.slice(Math.floor(waits.length / 2));
  return {
    wrong: outcomes.filter((o) => !o.right).length,
    runs: outcomes.length,
    waitMedianMs: quantile(waits, 0.5),
    waitP95Ms: quantile(waits, 0.95),
    laterWaitMedianMs: quantile(later, 0.5),
    lateSpans: outcomes.reduce((sum, o) => sum + o.lateSpans, 0),
  };
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
}

async function main(): Promise<void> {
  const rows: Array<{ shape: string; defaults: Figures; noExportDelay: Figures }> = [];
  for (const scenario of SCENARIOS) {
    const defaults = figures((await runScenario(scenario, { runs: RUNS, workers: WORKERS })).outcomes);
    const noExportDelay = figures((await runScenario(scenario, { runs: RUNS, workers: WORKERS, timing: { exportDelayMs: 0 } })).outcomes);
    rows.push({ shape: scenario.name, defaults, noExportDelay });
    console.log(
      `${scenario.name}\n  default (export delay ${DEFAULT_TIMING.exportDelayMs / 1000} s): wrong ${defaults.wrong}/${defaults.runs}, wait after last span median ${defaults.waitMedianMs} ms, p95 ${defaults.waitP95Ms} ms (second half ${defaults.laterWaitMedianMs} ms)\n  export delay 0:   wrong ${noExportDelay.wrong}/${noExportDelay.runs}, median ${noExportDelay.waitMedianMs} ms, p95 ${noExportDelay.waitP95Ms} ms, late spans reported ${noExportDelay.lateSpans}`,
    );
  }
  writeFileSync(
    join(__dirname, 'settling-results.json'),
    `${JSON.stringify({ date: new Date().toISOString(), machine: machine(), runs: RUNS, workers: WORKERS, exportDelayMs: DEFAULT_TIMING.exportDelayMs, quietMs: DEFAULT_TIMING.quietMs, rows }, null, 2)}\n`,
  );
}

void main();
