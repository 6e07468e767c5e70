// The one-line result summary shown above a test after it ran: `3/4 specs passed · 412 ms · 27 spans`.
import type { TestRunResult } from '../../core/engine/result';
import { resultDuration } from '../../run/reporters/result-lines';

export function resultSummary(result: TestRunResult): string {
  const parts: string[] = [];
  if (result.status === 'errored' && result.specs.length === 0) {
    const reason = (result.error ?? 'errored').split('\n', 1)[0]!;
    parts.push(`errored: ${reason.length > 80 ? `${reason.slice(0, 79)}…` : reason}`);
  } else {
    const passed = result.specs.filter((s) => s.status === 'passed').length;
    parts.push(`${passed}/${result.specs.length} specs passed`);
  }
  parts.push(resultDuration(result.durationMs));
  if (result.trace) parts.push(`${result.trace.spans.length} span${result.trace.spans.length === 1 ? '' : 's'}`);
  return parts.join(' · ');
}
