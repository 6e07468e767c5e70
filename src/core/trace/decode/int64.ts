// 64-bit integers arrive as decimal strings, JSON numbers, protobufjs Long objects or bigints; kept exact as bigint.

/** Undefined when the value is not an integer. */
export function toBigInt(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : undefined;
  if (typeof value === 'string') return /^\s*-?\d+\s*$/.test(value) ? BigInt(value.trim()) : undefined;
  if (isLongLike(value)) {
    // Long keeps both halves as signed 32-bit numbers; `unsigned` says how to read the top bit.
    const bits = (BigInt(value.high | 0) << 32n) | BigInt(value.low >>> 0);
    return value.unsigned ? BigInt.asUintN(64, bits) : BigInt.asIntN(64, bits);
  }
  return undefined;
}

interface LongLike {
  low: number;
  high: number;
  unsigned?: boolean;
}

function isLongLike(value: unknown): value is LongLike {
  return typeof value === 'object' && value !== null && typeof (value as LongLike).low === 'number' && typeof (value as LongLike).high === 'number';
}
