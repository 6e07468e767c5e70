// `traceid` and the trace-id based types (`cypress`, `playwright`, `k6`, `artillery`): nothing is sent; the trace
// to collect is named by `id` when the file has one, else by the run variable TRACE_ID (e.g. `--var TRACE_ID=…`,
// set by the tool that produced the trace).
import type { TraceIdTrigger } from '../../core/testfile/model';
import { Interpolator, triggerSection } from './interpolate';
import { failed, nowNanos } from './outcome';
import type { TriggerOutcome, TriggerRequest } from './types';

export const TRACE_ID_VARIABLE = 'TRACE_ID';

export function runTraceId(request: TriggerRequest, trigger: TraceIdTrigger): TriggerOutcome {
  const field = `${triggerSection(trigger.type)}.id`;
  let raw: string;
  let where: string;
  if (trigger.id) {
    const render = Interpolator.for(request);
    raw = render.text(trigger.id, field);
    if (render.failure) return { ok: false, error: render.failure };
    where = field;
  } else {
    const fromVariable = request.variables.get(TRACE_ID_VARIABLE);
    const article = /^[aeiou]/.test(trigger.type) ? 'an' : 'a';
    if (fromVariable === undefined) return failed(`${article} ${trigger.type} trigger needs the trace id: set variable ${TRACE_ID_VARIABLE}`);
    raw = fromVariable;
    where = `variable ${TRACE_ID_VARIABLE}`;
  }
  const traceId = normalizeTraceId(raw);
  if (traceId === undefined) {
    const why = raw.trim() === '' ? 'the trace id is empty' : `\`${raw.trim()}\` is not a trace id (expected 32 hex digits, or 16 for a Jaeger id)`;
    return failed(`${where}: ${why}`);
  }
  const now = nowNanos();
  return { ok: true, value: { traceId, startTime: now, endTime: now, attributes: new Map(), sent: false } };
}

/** 32 lowercase hex digits; 64-bit (16-digit) Jaeger ids get the leading zeros OTLP uses. All zeros is no id. */
export function normalizeTraceId(text: string): string | undefined {
  const id = text.trim().toLowerCase();
  const full = /^[0-9a-f]{32}$/.test(id) ? id : /^[0-9a-f]{16}$/.test(id) ? id.padStart(32, '0') : undefined;
  return full && /[1-9a-f]/.test(full) ? full : undefined;
}
