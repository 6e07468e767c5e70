// The report of `load` and `check` (cli.md "`load` and `check`"): the JSON shape, the final table a person reads,
// and the live line a terminal shows while the load runs.
import type { Style } from '../reporters/style';
import type { LoadStats } from './engine';
import type { CheckTally, SpecTally, TraceCounts, TraceFailure } from './tally';
import type { Percentiles } from './histogram';

export interface LoadReport {
  test: { file: string; id: string; name: string };
  engine: string;
  durationMs: number;
  requests?: number;
  errors?: number;
  statusCodes?: Record<string, number>;
  latencyMs?: Percentiles;
  traces: TraceCounts;
  specs: SpecTally[];
  failures: TraceFailure[];
  passRate: number | null;
  status: 'passed' | 'failed';
}

/** Passed when the share of judged traces that passed reaches `passRate`, and at least one trace was judged. */
export function loadReport(fields: {
  test: LoadReport['test'];
  engine: string;
  durationMs: number;
  load?: LoadStats;
  tally: CheckTally;
  passRate: number;
}): LoadReport {
  const { load, tally } = fields;
  const rate = tally.passRate;
  return {
    test: fields.test,
    engine: fields.engine,
    durationMs: Math.round(fields.durationMs),
    ...(load ? { requests: load.requests, errors: load.errors, statusCodes: load.statusCodes, latencyMs: load.latency.percentiles() } : {}),
    traces: { ...tally.traces },
    specs: tally.specTallies(),
    failures: [...tally.failures],
    passRate: rate,
    status: rate !== null && rate >= fields.passRate ? 'passed' : 'failed',
  };
}

/** `12.0s · 200.1 req/s · p95 15.2 ms · 58 traces checked · pass rate 100%` */
export function liveLine(stats: LoadStats, tally: CheckTally): string {
  const seconds = stats.elapsedMs / 1000;
  const rate = seconds > 0 ? stats.requests / seconds : 0;
  const rateText = tally.passRate === null ? '–' : percent(tally.passRate);
  return `${seconds.toFixed(1)}s · ${rate.toFixed(1)} req/s · p95 ${stats.latency.quantile(0.95).toFixed(1)} ms · ${tally.traces.checked} traces checked · pass rate ${rateText}`;
}

/** `loadMs`: how long the load itself ran (the report's duration also holds the last checks). */
export function formatLoadReport(report: LoadReport, style: Style, notes: readonly string[] = [], loadMs = report.durationMs): string {
  const lines: string[] = [];
  const mark = report.status === 'passed' ? style.green('✓') : style.red('✗');
  lines.push(`${mark} ${style.bold(report.test.name)} ${style.dim(`(${report.test.file})`)}`);
  if (report.requests !== undefined) {
    const seconds = loadMs / 1000;
    const codes =
      Object.entries(report.statusCodes ?? {})
        .map(([code, n]) => `${code}: ${n}`)
        .join(', ') || 'none';
    lines.push(
      `  requests   ${report.requests} in ${seconds.toFixed(1)}s (${(report.requests / Math.max(seconds, 0.001)).toFixed(1)}/s), ${report.errors} error${report.errors === 1 ? '' : 's'}; status ${codes}`,
      `  latency    ${percentileText(report.latencyMs!)}`,
    );
  }
  const t = report.traces;
  lines.push(
    `  traces     ${t.sampled} sampled, ${t.checked} checked: ${style.green(`${t.passed} passed`)}, ${t.failed ? style.red(`${t.failed} failed`) : '0 failed'}, ${t.errored} errored; ${t.unresolved} unresolved`,
  );
  if (report.specs.length > 0) {
    const rows = report.specs.map((s) => [s.name ?? s.selector, String(s.passed), String(s.failed), String(s.errored), percentileText(s.spanDurationMs)]);
    lines.push('', ...table(['spec', 'passed', 'failed', 'errored', 'span duration (ms)'], rows).map((l) => `  ${l}`));
  }
  if (report.failures.length > 0) {
    lines.push(
      '',
      `  failures${report.failures.length > 1 ? ` (${report.failures.length}${report.traces.failed + report.traces.errored > report.failures.length ? ' listed' : ''})` : ''}:`,
    );
    for (const f of report.failures.slice(0, 10)) {
      const what = [f.spec, f.assertion].filter(Boolean).join(' › ');
      lines.push(
        `    ${style.red('✗')} ${f.traceId}  ${what}${what ? ': ' : ''}observed ${f.observed}${f.savedTrace ? style.dim(`  saved ${f.savedTrace}`) : ''}`,
      );
    }
    if (report.failures.length > 10) lines.push(style.dim(`    … ${report.failures.length - 10} more in the JSON report`));
  }
  for (const note of notes) lines.push(style.yellow(`  ${note}`));
  const rate = report.passRate === null ? 'no trace was judged' : `pass rate ${percent(report.passRate)}`;
  lines.push('', `${report.status === 'passed' ? style.green('passed') : style.red('failed')}: ${rate}`);
  return `${lines.join('\n')}\n`;
}

function percentileText(p: Percentiles): string {
  return `p50 ${p.p50}  p95 ${p.p95}  p99 ${p.p99}  max ${p.max}`;
}

function percent(rate: number): string {
  return `${Number((rate * 100).toFixed(2))}%`;
}

/** Columns padded to their widest cell; numbers right-aligned. */
function table(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i > 0 && i < 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)];
}
