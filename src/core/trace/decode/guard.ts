// Runs one decoder's walk and makes sure it returns a value whatever the input: a thrown exception (e.g. a
// stack overflow on absurdly deep nesting) becomes a DecodeError.
import type { Result } from '../../text-position';
import type { DecodeError, DecodeResult } from './types';

export function runDecoder(read: (out: DecodeResult) => DecodeError | undefined): Result<DecodeResult, DecodeError> {
  try {
    const out: DecodeResult = { spans: [], warnings: [] };
    const error = read(out);
    return error ? { ok: false, error } : { ok: true, value: out };
  } catch (e) {
    return { ok: false, error: { message: `cannot decode the trace: ${e instanceof Error ? e.message : String(e)}` } };
  }
}
