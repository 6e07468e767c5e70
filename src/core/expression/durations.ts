// Durations in nanoseconds, and their display unit. Comparisons round both sides to their display unit first,
// exactly as Tracetest does (language.md §3): ns/us/ms to whole units, s/m/h to one decimal, so that
// `25187564ns <= 25ms` holds (25ms <= 25ms) and `35000000ns <= 25ms` does not.
import type { DurationUnit } from './ast';
import { parseDecimal, truncateDecimal } from './decimal';

export const UNIT_NANOSECONDS: Readonly<Record<DurationUnit, bigint>> = {
  ns: 1n,
  us: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/** A duration's text, as a literal or an attribute/variable value: `25ms`, `1.5 s`. */
const DURATION_TEXT = /^(\d+(?:\.\d+)?) ?(ns|us|ms|s|m|h)$/;

/** Nanoseconds of `amount unit`, truncated toward zero (`120.5ns` is 120ns). */
export function durationNanoseconds(amount: string, unit: DurationUnit): bigint {
  const d = parseDecimal(amount)!;
  return truncateDecimal({ coefficient: d.coefficient * UNIT_NANOSECONDS[unit], scale: d.scale });
}

export function parseDurationText(text: string): bigint | undefined {
  const m = DURATION_TEXT.exec(text);
  return m ? durationNanoseconds(m[1]!, m[2] as DurationUnit) : undefined;
}

/** `38ns`, `93us`, `27ms`, `1.2s`, `27.5m`, `10800h`. */
export function formatDuration(ns: bigint): string {
  if (ns < 0n) return `-${formatDuration(-ns)}`;
  const { amount, unit } = displayed(ns);
  return `${amount}${unit}`;
}

/** The nanoseconds a comparison sees: the duration rounded to its display unit. */
export function roundedNanoseconds(ns: bigint): number {
  if (ns < 0n) return -roundedNanoseconds(-ns);
  const { amount, unit } = displayed(ns);
  // As Tracetest converts the displayed text back: float amount times the unit, truncated.
  return Math.trunc(Number(amount) * Number(UNIT_NANOSECONDS[unit]));
}

function displayed(ns: bigint): { amount: string; unit: DurationUnit } {
  if (ns < 1_000n) return { amount: `${ns}`, unit: 'ns' };
  if (ns < 1_000_000n) return { amount: goFixed(Number(ns) / 1e3, 0), unit: 'us' };
  if (ns < 1_000_000_000n) return { amount: goFixed(Number(ns) / 1e6, 0), unit: 'ms' };
  let amount = Number(ns) / 1e9;
  let unit: DurationUnit = 's';
  if (amount >= 60) [amount, unit] = [amount / 60, 'm'];
  if (amount >= 60) [amount, unit] = [amount / 60, 'h'];
  if (!Number.isFinite(amount)) return { amount: `${ns}`, unit: 'ns' };
  return { amount: goFixed(amount, Number.isInteger(amount) ? 0 : 1), unit };
}

/**
 * `x` with `digits` (0 or 1) decimals the way Go's `%.Nf` prints it: nearest by the exact binary value, and exact
 * ties to even. toFixed agrees except that it breaks exact ties upward.
 */
function goFixed(x: number, digits: 0 | 1): string {
  const scaled = digits === 0 ? x * 2 : x * 20;
  // An exact tie at one decimal is x = j/4 with j odd; x*20 = 5j is then an odd integer, and x*20 is exact.
  const tie = Number.isInteger(scaled) && scaled % 2 === 1 && (digits === 0 || Number.isInteger(x * 4));
  if (!tie) return x.toFixed(digits);
  const factor = digits === 0 ? 1 : 10;
  const low = Math.floor(x * factor);
  const even = low % 2 === 0 ? low : low + 1;
  return digits === 0 ? `${even}` : `${Math.trunc(even / 10)}.${even % 10}`;
}
