// RawSpans as OTLP/protobuf ExportTraceServiceRequests of a given number of spans, spans of one resource and scope
// grouped as an SDK groups them (field numbers as in opentelemetry/proto). Only what RawSpans of the engine bench
// hold: string attributes, no events or links.
import type { Attributes, RawSpan } from '../../src/core/trace/model';

class Writer {
  private readonly bytes: number[] = [];

  varint(value: number): this {
    while (value > 0x7f) {
      this.bytes.push((value & 0x7f) | 0x80);
      value = Math.floor(value / 128);
    }
    this.bytes.push(value);
    return this;
  }
  tag(field: number, wireType: number): this {
    return this.varint(field * 8 + wireType);
  }
  /** A length-delimited field. */
  field(field: number, content: Uint8Array): this {
    this.tag(field, 2).varint(content.length);
    for (const b of content) this.bytes.push(b);
    return this;
  }
  string(field: number, text: string): this {
    return this.field(field, Buffer.from(text, 'utf8'));
  }
  fixed64(field: number, value: bigint): this {
    this.tag(field, 1);
    for (let i = 0n; i < 8n; i++) this.bytes.push(Number((value >> (i * 8n)) & 0xffn));
    return this;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

const KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const STATUSES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

function keyValues(w: Writer, field: number, attributes: Attributes): void {
  for (const [key, value] of attributes) w.field(field, new Writer().string(1, key).field(2, new Writer().string(1, value).done()).done());
}

function span(s: RawSpan): Uint8Array {
  const w = new Writer().field(1, Buffer.from(s.traceId, 'hex')).field(2, Buffer.from(s.id, 'hex'));
  if (s.parentId) w.field(4, Buffer.from(s.parentId, 'hex'));
  w.string(5, s.name).tag(6, 0).varint(KINDS.indexOf(s.kind)).fixed64(7, s.startTime).fixed64(8, s.endTime);
  keyValues(w, 9, s.attributes);
  const status = new Writer();
  if (s.status.message) status.string(2, s.status.message);
  status.tag(3, 0).varint(STATUSES.indexOf(s.status.code));
  return w.field(15, status.done()).done();
}

export function encodeProtobufRequests(spans: readonly RawSpan[], perRequest: number): Uint8Array[] {
  const requests: Uint8Array[] = [];
  for (let from = 0; from < spans.length; from += perRequest) {
    const request = new Writer();
    const batch = spans.slice(from, from + perRequest);
    for (let i = 0; i < batch.length;) {
      const first = batch[i]!;
      const resource = new Writer();
      keyValues(resource, 1, first.resource);
      const scopeSpans = new Writer().field(1, new Writer().string(1, first.scope.name).string(2, first.scope.version).done());
      // A run of spans with the same service is one ResourceSpans, as an SDK's export has it.
      const service = first.resource.get('service.name');
      for (; i < batch.length && batch[i]!.resource.get('service.name') === service; i++) scopeSpans.field(2, span(batch[i]!));
      request.field(1, new Writer().field(1, resource.done()).field(2, scopeSpans.done()).done());
    }
    requests.push(request.done());
  }
  return requests;
}
