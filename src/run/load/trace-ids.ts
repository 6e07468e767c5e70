// The trace ids `tracelens check` judges, from what another load tool wrote: a list (one id or traceparent per line),
// k6's JSON output (`k6 run --out json=…`: one JSON object per line, the id in a Point's `data.tags` or
// `data.metadata` as `trace_id`), or a JSON report (Artillery's, or any) holding ids under keys named like `traceId`.
import { normalizeTraceId } from '../triggers/traceid';

export type TraceIdFormat = 'list' | 'k6' | 'json';

export type TraceIds = { ok: true; ids: string[]; format: TraceIdFormat } | { ok: false; message: string };

const ID_KEY = /^trace[_-]?id$/i;
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/i;

/** Ids in the order first seen, each once; `name` names the file in messages. */
export function parseTraceIds(text: string, name: string): TraceIds {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const first = tryJson(trimmed.split(/\r?\n/, 1)[0]!);
    if (first.ok && isK6Line(first.value)) return fromK6(text, name);
    const whole = tryJson(trimmed);
    return whole.ok ? fromJson(whole.value, name) : { ok: false, message: `${name}: not JSON (${whole.reason})` };
  }
  return fromList(text, name);
}

function fromList(text: string, name: string): TraceIds {
  const ids = new Set<string>();
  const lines = text.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const id = normalizeTraceId(TRACEPARENT.exec(line)?.[1] ?? line);
    if (!id)
      return {
        ok: false,
        message: `${name}:${i + 1}:${raw.indexOf(line) + 1}: \`${line.slice(0, 80)}\` is not a trace id (32 hex digits, 16 for a Jaeger id, or a traceparent)`,
      };
    ids.add(id);
  }
  return done(ids, 'list', name);
}

/** k6 writes `{"type":"Metric"|"Point","data":{…},"metric":"…"}` lines. */
function isK6Line(value: unknown): boolean {
  const line = value as { type?: unknown; metric?: unknown } | null;
  return (line?.type === 'Metric' || line?.type === 'Point') && typeof line.metric === 'string';
}

function fromK6(text: string, name: string): TraceIds {
  const ids = new Set<string>();
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    if (raw.trim() === '') continue;
    const line = tryJson(raw);
    if (!line.ok) return { ok: false, message: `${name}:${i + 1}: not JSON (${line.reason}); expected k6's JSON output, one object per line` };
    const point = line.value as { type?: unknown; data?: { tags?: Record<string, unknown> | null; metadata?: Record<string, unknown> | null } } | null;
    if (point?.type !== 'Point') continue;
    for (const bag of [point.data?.metadata, point.data?.tags]) {
      const value = bag?.['trace_id'];
      const id = typeof value === 'string' ? normalizeTraceId(value) : undefined;
      if (id) ids.add(id);
    }
  }
  return done(ids, 'k6', name);
}

/** Every string under a key named trace_id / traceId / trace-id, anywhere in the document. */
function fromJson(value: unknown, name: string): TraceIds {
  const ids = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        const id = ID_KEY.test(key) && typeof child === 'string' ? normalizeTraceId(child) : undefined;
        if (id) ids.add(id);
        else walk(child);
      }
    }
  };
  walk(value);
  return done(ids, 'json', name);
}

function done(ids: Set<string>, format: TraceIdFormat, name: string): TraceIds {
  if (ids.size > 0) return { ok: true, ids: [...ids], format };
  const where = {
    list: 'no trace ids in it',
    k6: 'no trace ids in this k6 output: tag each request with trace_id (integrations/k6/tracelens.js does)',
    json: 'no trace ids in this JSON: expected values under keys named trace_id or traceId',
  }[format];
  return { ok: false, message: `${name}: ${where}` };
}

function tryJson(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
}
