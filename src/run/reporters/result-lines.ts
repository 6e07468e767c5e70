// Lines about a test's result that every person-facing report shows the same way: the CLI's pretty reporter and
// the editor's Test Results output (through the progress lines).
import type { TestRunResult } from '../../core/engine/result';
import type { Trace } from '../../core/trace/model';
import type { Style } from './style';

/** Spans listed per failed analyzer rule; the rest are counted. */
const MAX_RULE_SPANS = 3;
/** Trace problems listed per test; the rest are counted. */
const MAX_PROBLEM_LINES = 3;

/**
 * What had to be repaired in a test's trace (a parent that never arrived, a repeated id…), as lines: the test was
 * judged on a picture that is not the whole truth, often because the trace was still arriving.
 */
export function traceProblemLines(trace: Trace | undefined): string[] {
  const problems = trace?.problems ?? [];
  const lines = problems.slice(0, MAX_PROBLEM_LINES).map((p) => `trace: ${p.message}`);
  if (problems.length > MAX_PROBLEM_LINES) lines.push(`trace: … and ${problems.length - MAX_PROBLEM_LINES} more problem(s)`);
  return lines;
}

/**
 * The analyzer's score and each rule that failed with the spans it failed on (error-level ✗, warning ⚠), then the
 * required gates that failed.
 */
export function analyzerLines(t: TestRunResult, style: Style): string[] {
  const lines: string[] = [];
  const a = t.analyzer;
  if (a) {
    const rules = a.plugins.flatMap((p) => p.rules);
    const failed = rules.filter((r) => !r.passed);
    const minimum = a.minimumScore > 0 ? ` (minimum ${a.minimumScore})` : '';
    const score = `analyzer score ${a.score}/100${minimum}`;
    lines.push(
      `  ${failed.length === 0 ? style.dim(`${score} · every rule passed`) : `${a.score < a.minimumScore ? style.red(score) : score} ${style.dim(`· ${failed.length} of ${rules.filter((r) => r.level !== 'disabled').length} rules failed`)}`}`,
    );
    for (const rule of failed) {
      const icon = rule.level === 'error' ? style.red('✗') : style.yellow('⚠');
      const spans = `${rule.failures.length} span${rule.failures.length === 1 ? '' : 's'}`;
      lines.push(`    ${icon} ${rule.id} ${style.dim(`(${rule.level === 'warning' ? 'warning, ' : ''}${spans})`)}`);
      for (const f of rule.failures.slice(0, MAX_RULE_SPANS)) {
        const span = t.trace?.byId.get(f.spanId);
        lines.push(`        ${style.dim(`span ${f.spanId}${span ? ` "${span.name}"` : ''}: `)}${f.errors.join('; ')}`);
      }
      if (rule.failures.length > MAX_RULE_SPANS) lines.push(`        ${style.dim(`… and ${rule.failures.length - MAX_RULE_SPANS} more span(s)`)}`);
    }
  }
  for (const gate of t.gates ?? []) if (!gate.passed) lines.push(`  ${style.red('✗')} required gate ${gate.gate}: ${style.red(gate.message ?? 'failed')}`);
  return lines;
}

/** A run's duration for people: `850 ms`, `2.35 s`, `12.4 s`. */
export function resultDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}
