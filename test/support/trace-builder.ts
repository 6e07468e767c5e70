// Test-data builder: describe spans by name and parent, get a real Trace through buildTrace().
import { buildTrace } from '../../src/core/trace/build';
import type { RawSpan, SpanKind, Trace, TriggerInfo } from '../../src/core/trace/model';

export interface SpanSpec {
  /** Reference used by children's `parent`; defaults to the span name. */
  ref?: string;
  parent?: string;
  service?: string;
  kind?: SpanKind;
  attrs?: Record<string, string | number | boolean>;
  resource?: Record<string, string>;
  /** Milliseconds after the trace start. */
  startMs?: number;
  durationMs?: number;
  /** Nanoseconds; wins over durationMs. */
  durationNs?: bigint;
  error?: string;
}

export const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const T0 = 1_700_000_000_000_000_000n;

export class TraceBuilder {
  private readonly spans: RawSpan[] = [];
  private readonly refs = new Map<string, string>();
  private next = 1;

  span(name: string, spec: SpanSpec = {}): this {
    const id = (this.next++).toString(16).padStart(16, '0');
    this.refs.set(spec.ref ?? name, id);
    const start = T0 + BigInt(Math.round((spec.startMs ?? this.spans.length) * 1e6));
    const duration = spec.durationNs ?? BigInt(Math.round((spec.durationMs ?? 1) * 1e6));
    const attributes = new Map(Object.entries(spec.attrs ?? {}).map(([k, v]) => [k, String(v)]));
    this.spans.push({
      traceId: TRACE_ID,
      id,
      parentId: spec.parent ? this.idOf(spec.parent) : '',
      name,
      kind: spec.kind ?? 'internal',
      startTime: start,
      endTime: start + duration,
      status: spec.error ? { code: 'STATUS_CODE_ERROR', message: spec.error } : { code: 'STATUS_CODE_UNSET', message: '' },
      resource: new Map(Object.entries({ 'service.name': spec.service ?? 'api', ...spec.resource })),
      scope: { name: 'test', version: '1.0.0', attributes: new Map() },
      attributes,
      events: [],
      links: [],
    });
    return this;
  }

  idOf(ref: string): string {
    const id = this.refs.get(ref);
    if (!id) throw new Error(`no span "${ref}" in the builder`);
    return id;
  }

  raw(): RawSpan[] {
    return this.spans;
  }

  build(trigger?: TriggerInfo): Trace {
    return buildTrace(this.spans, trigger);
  }
}
