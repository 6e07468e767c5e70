import type { Result } from '../text-position';
import type { Span, Trace } from '../trace/model';
import { matchSelector } from './match';
import { parseSelector } from './parser';

/** Parses and matches; a selector that does not parse is an error, never "all spans". */
export function select(trace: Trace, selector: string): Result<Span[]> {
  const parsed = parseSelector(selector);
  return parsed.ok ? { ok: true, value: matchSelector(trace, parsed.value) } : parsed;
}
