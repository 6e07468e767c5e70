// The run's trace context and the headers that carry it (W3C, B3 single header, Jaeger). The run's context replaces
// user headers of the same names: the run must find the trace its request starts.
import { randomBytes } from 'node:crypto';
import type { Pair } from './interpolate';
import type { TraceContext } from './types';

/** Our tracestate member (W3C: key = lcalpha [a-z0-9_*-/]*, value = printable ASCII without `,` and `=`). */
const TRACESTATE_KEY = 'tracelens';
const TRACESTATE_MEMBER = `${TRACESTATE_KEY}=1`;
/** W3C allows at most 32 list members. */
const MAX_TRACESTATE_MEMBERS = 32;

export const CONTEXT_HEADERS = ['traceparent', 'tracestate', 'b3', 'uber-trace-id'] as const;

export function newTraceContext(): TraceContext {
  return { traceId: randomHex(16), spanId: randomHex(8) };
}

/** An all-zero id is invalid in every propagation format. */
function randomHex(bytes: number): string {
  for (;;) {
    const id = randomBytes(bytes);
    if (id.some((b) => b !== 0)) return id.toString('hex');
  }
}

/** The headers for `context`, sampled; `userTracestate` members other than ours are kept after ours. */
export function contextHeaders(context: TraceContext, userTracestate: readonly string[] = []): Pair[] {
  const { traceId, spanId } = context;
  return [
    { key: 'traceparent', value: `00-${traceId}-${spanId}-01` },
    { key: 'tracestate', value: mergeTracestate(userTracestate) },
    { key: 'b3', value: `${traceId}-${spanId}-1` },
    { key: 'uber-trace-id', value: `${traceId}:${spanId}:0:1` },
  ];
}

/** User headers without the context ones (names compared case-insensitively), then the run's context headers. */
export function withTraceContext(headers: readonly Pair[], context: TraceContext): Pair[] {
  const isContext = (h: Pair): boolean => (CONTEXT_HEADERS as readonly string[]).includes(h.key.toLowerCase());
  const userTracestate = headers.filter((h) => h.key.toLowerCase() === 'tracestate').map((h) => h.value);
  return [...headers.filter((h) => !isContext(h)), ...contextHeaders(context, userTracestate)];
}

/** W3C: a vendor that updates the state puts its member first and drops its older one. */
function mergeTracestate(values: readonly string[]): string {
  const others = values
    .flatMap((v) => v.split(','))
    .map((m) => m.trim())
    .filter((m) => m !== '' && m.split('=')[0]!.trim() !== TRACESTATE_KEY);
  return [TRACESTATE_MEMBER, ...others].slice(0, MAX_TRACESTATE_MEMBERS).join(',');
}
