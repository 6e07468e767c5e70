// How long a run waits for its trace: built-in defaults, then the default PollingProfile, then the test's own
// profile, then command-line flags / editor settings (later wins).
import type { PollingProfileDef, TestDef } from '../core/testfile/model';

export interface Timing {
  /** Give up on the trace after this long (also the trigger's own timeout). */
  timeoutMs: number;
  /** Push sources: no new span for this long means the trace has settled. */
  quietMs: number;
  /** Pull sources: delay between polls. */
  retryDelayMs: number;
  /** Extra windows/polls while a spec selector still matches nothing. */
  selectorMatchRetries: number;
  /**
   * What the run still expects (a span for a selector, a service of the last run...) is waited for until nothing has
   * arrived for this long: the SDKs' default 5 s batch delay plus the way to the receiver.
   */
  exportDelayMs: number;
}

export const DEFAULT_TIMING: Timing = { timeoutMs: 30_000, quietMs: 300, retryDelayMs: 1_000, selectorMatchRetries: 3, exportDelayMs: 5_500 };

function fromProfile(p: PollingProfileDef): Partial<Timing> {
  return {
    ...(p.timeoutMs !== undefined ? { timeoutMs: p.timeoutMs } : {}),
    ...(p.retryDelayMs !== undefined ? { retryDelayMs: p.retryDelayMs } : {}),
    ...(p.selectorMatchRetries !== undefined ? { selectorMatchRetries: p.selectorMatchRetries } : {}),
    ...(p.exportDelayMs !== undefined ? { exportDelayMs: p.exportDelayMs } : {}),
  };
}

/** A test naming a profile that does not exist gets an error instead of silently using the defaults. */
export function timingFor(
  test: TestDef,
  profiles: readonly PollingProfileDef[],
  overrides: Partial<Timing>,
): { ok: true; value: Timing } | { ok: false; error: string } {
  const byDefault = profiles.find((p) => p.default);
  let named: PollingProfileDef | undefined;
  if (test.pollingProfile) {
    named = profiles.find((p) => p.id?.value === test.pollingProfile!.value);
    if (!named) {
      const known = profiles.flatMap((p) => (p.id ? [p.id.value] : []));
      return {
        ok: false,
        error: `pollingProfile "${test.pollingProfile.value}" not found${known.length ? ` (known: ${known.join(', ')})` : ' (no PollingProfile among the files given)'}`,
      };
    }
  }
  return {
    ok: true,
    value: { ...DEFAULT_TIMING, ...(byDefault ? fromProfile(byDefault) : {}), ...(named ? fromProfile(named) : {}), ...overrides },
  };
}
