// Numeric comparison of attribute text (`span[x=0.5]` matches `0.50`). Values that a double holds exactly are
// compared as doubles; longer ones (64-bit ids, nanosecond timestamps) and exponents digit by digit, so two
// different 19-digit ids never compare equal.

/** A selector literal read as a number once, before matching. */
export interface NumberLiteral {
  text: string;
  quick: number;
}

export function readNumber(text: string): NumberLiteral | undefined {
  const quick = quickValue(text);
  return quick === undefined ? undefined : { text, quick };
}

/** Sign of `value − literal`, or undefined when `value` is not a number. Allocates nothing on the common path. */
export function compareToNumber(value: string, literal: NumberLiteral): number | undefined {
  const quick = quickValue(value);
  if (quick === undefined) return undefined;
  if (!Number.isNaN(quick) && !Number.isNaN(literal.quick)) return quick < literal.quick ? -1 : quick > literal.quick ? 1 : 0;
  return compareDecimals(toDecimal(value), toDecimal(literal.text));
}

/** Up to 15 significant digits survive a round trip through a double, so such numbers compare exactly as doubles. */
const EXACT_DIGITS = 15;

/**
 * The double value of `[+-]?(\d+(\.\d+)?|\.\d+)([eE][+-]?\d+)?` text when a double holds it exactly, NaN when
 * the text is a number that needs a digit-by-digit comparison, undefined when it is not a number.
 */
function quickValue(text: string): number | undefined {
  const n = text.length;
  let i = 0;
  if (i < n && (text.charCodeAt(i) === 43 || text.charCodeAt(i) === 45)) i++;
  const intStart = i;
  while (i < n && isDigit(text.charCodeAt(i))) i++;
  let digits = i - intStart;
  if (i < n && text.charCodeAt(i) === 46) {
    const fracStart = ++i;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
    if (i === fracStart) return undefined;
    digits += i - fracStart;
  }
  if (digits === 0) return undefined;
  if (i === n) return digits <= EXACT_DIGITS ? Number(text) : Number.NaN;
  if (text.charCodeAt(i) !== 101 && text.charCodeAt(i) !== 69) return undefined;
  i++;
  if (i < n && (text.charCodeAt(i) === 43 || text.charCodeAt(i) === 45)) i++;
  const expStart = i;
  while (i < n && isDigit(text.charCodeAt(i))) i++;
  return i === n && i > expStart ? Number.NaN : undefined;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** value = ±0.digits × 10^exponent; `digits` has no leading or trailing zeros and is empty for zero. */
interface Decimal {
  negative: boolean;
  digits: string;
  exponent: number;
}

const NUMBER_PARTS = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

function toDecimal(text: string): Decimal {
  const [, sign = '', whole = '', fraction = '', exp = '0'] = NUMBER_PARTS.exec(text)!;
  let digits = whole + fraction;
  // Exponents beyond a double's range still order correctly: clamp rather than lose them to Infinity.
  let exponent = whole.length + Math.max(-1e15, Math.min(1e15, Number(exp)));
  let lead = 0;
  while (lead < digits.length && digits.charCodeAt(lead) === 48) lead++;
  let end = digits.length;
  while (end > lead && digits.charCodeAt(end - 1) === 48) end--;
  exponent -= lead;
  digits = digits.slice(lead, end);
  if (digits === '') return { negative: false, digits, exponent: 0 };
  return { negative: sign === '-', digits, exponent };
}

function compareDecimals(a: Decimal, b: Decimal): number {
  const signA = a.digits === '' ? 0 : a.negative ? -1 : 1;
  const signB = b.digits === '' ? 0 : b.negative ? -1 : 1;
  if (signA !== signB) return signA < signB ? -1 : 1;
  if (signA === 0) return 0;
  let magnitude = a.exponent !== b.exponent ? (a.exponent < b.exponent ? -1 : 1) : a.digits < b.digits ? -1 : a.digits > b.digits ? 1 : 0;
  if (signA < 0) magnitude = -magnitude;
  return magnitude;
}
