// Exact decimal numbers: attribute values such as nanosecond timestamps exceed 2^53, and `0.1 + 0.2 = 0.3` should
// hold. A decimal is coefficient / 10^scale with a BigInt coefficient.

export interface Decimal {
  coefficient: bigint;
  scale: number;
}

/** Numbers as comparisons and arithmetic accept them: typed numbers, plus the sign and exponent doubles print with. */
const NUMERIC = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;
const MAX_EXPONENT = 400;
/** Fractional digits kept by division. */
const DIVISION_DIGITS = 20;

export function parseDecimal(text: string): Decimal | undefined {
  const m = NUMERIC.exec(text);
  if (!m) return undefined;
  const exponent = m[4] ? Number(m[4]) : 0;
  if (Math.abs(exponent) > MAX_EXPONENT) return undefined;
  const fraction = m[3] ?? '';
  let coefficient = BigInt(m[2]! + fraction);
  let scale = fraction.length - exponent;
  if (scale < 0) {
    coefficient *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { coefficient: m[1] ? -coefficient : coefficient, scale };
}

function aligned(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.coefficient * 10n ** BigInt(scale - a.scale), b.coefficient * 10n ** BigInt(scale - b.scale), scale];
}

export function compareDecimals(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const [x, y] = aligned(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function addDecimals(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = aligned(a, b);
  return { coefficient: x + y, scale };
}

export function subtractDecimals(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = aligned(a, b);
  return { coefficient: x - y, scale };
}

export function multiplyDecimals(a: Decimal, b: Decimal): Decimal {
  return { coefficient: a.coefficient * b.coefficient, scale: a.scale + b.scale };
}

/** Truncated to DIVISION_DIGITS fractional digits; undefined when dividing by zero. */
export function divideDecimals(a: Decimal, b: Decimal): Decimal | undefined {
  if (b.coefficient === 0n) return undefined;
  const numerator = a.coefficient * 10n ** BigInt(b.scale + DIVISION_DIGITS);
  const denominator = b.coefficient * 10n ** BigInt(a.scale);
  return { coefficient: numerator / denominator, scale: DIVISION_DIGITS };
}

/** Plain decimal text without trailing fractional zeros: `3.5`, `-4`, `0.3`. */
export function formatDecimal(d: Decimal): string {
  let { coefficient, scale } = d;
  while (scale > 0 && coefficient % 10n === 0n) {
    coefficient /= 10n;
    scale--;
  }
  const negative = coefficient < 0n;
  const digits = (negative ? -coefficient : coefficient).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = scale > 0 ? `.${digits.slice(digits.length - scale)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** Toward zero, like a Go int conversion. */
export function truncateDecimal(d: Decimal): bigint {
  return d.coefficient / 10n ** BigInt(d.scale);
}
