// Spans to OTLP protobuf: an ExportTraceServiceRequest (the same bytes as a TracesData), which decodeOtlpProtobuf
// reads back, about a fifth of the size of the same trace in OTLP JSON. The request is written in pieces of about
// `pieceBytes`: each piece is one or more whole `resource_spans` entries (a group of spans larger than a piece is
// split into several entries with the same resource and scope, as an SDK's successive exports would send them),
// so a message outgrows a piece only by its last span, and no buffer holds the whole trace. Attribute values are text in the
// span model, so they are written as `string_value`, as the OTLP JSON encoder writes them.
import type { Attributes, InstrumentationScope, RawSpan } from '../model';
import { groupSpans } from './otlp-encode';
import { SPAN_KINDS, STATUS_CODES } from './span-fields';

const LEN = 2;
const FIXED64 = 1;
const VARINT = 0;

const KIND_NUMBERS = new Map(SPAN_KINDS.map((kind, i) => [kind, i]));
const STATUS_NUMBERS = new Map(STATUS_CODES.map((code, i) => [code, i]));

/** The request's bytes, piece by piece (each a new array the caller may keep). */
export function* encodeOtlpProtobuf(spans: readonly RawSpan[], { pieceBytes = 1 << 20 } = {}): Generator<Uint8Array> {
  const out = new ProtoWriter(pieceBytes + 64 * 1024);
  for (const group of groupSpans(spans)) {
    for (const { scope, spans: scoped } of group.scopes) {
      let i = 0;
      while (i < scoped.length) {
        const resourceSpans = out.begin(1);
        out.attributesMessage(1, 1, group.resource);
        const scopeSpans = out.begin(2);
        out.scope(scope);
        // At least one span per entry, then as many as fit in the piece.
        do out.span(scoped[i++]!);
        while (i < scoped.length && out.pos < pieceBytes);
        out.end(scopeSpans);
        out.end(resourceSpans);
        if (out.pos >= pieceBytes) yield out.take();
      }
    }
  }
  if (out.pos > 0) yield out.take();
}

const utf8 = new TextEncoder();

/** Protobuf wire encoding into one growing buffer. Nested messages reserve one byte for their length, widened on `end` when longer. */
class ProtoWriter {
  pos = 0;
  private bytes: Uint8Array;
  private view: DataView;
  /** The field number `attribute` writes each KeyValue under (forEach's callback takes no extra argument). */
  private attributeField = 0;
  private readonly attribute = (value: string, key: string): void => {
    const keyValue = this.begin(this.attributeField);
    this.string(1, key);
    const anyValue = this.begin(2);
    // A oneof: written even when empty, so the value stays a string.
    this.string(1, value, true);
    this.end(anyValue);
    this.end(keyValue);
  };
  private lastTraceHex = '';
  private lastTraceBytes: Uint8Array = new Uint8Array(16);

  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity);
    this.view = new DataView(this.bytes.buffer);
  }

  /** What was written since the last take, as a new array. */
  take(): Uint8Array {
    const piece = this.bytes.slice(0, this.pos);
    this.pos = 0;
    return piece;
  }

  span(span: RawSpan): void {
    const at = this.begin(2);
    this.traceId(1, span.traceId);
    this.id(2, span.id, 8);
    if (span.parentId) this.id(4, span.parentId, 8);
    this.string(5, span.name);
    const kind = KIND_NUMBERS.get(span.kind) ?? 0;
    if (kind !== 0) {
      this.tag(6, VARINT);
      this.varint(kind);
    }
    this.fixed64(7, span.startTime);
    this.fixed64(8, span.endTime);
    this.attributes(9, span.attributes);
    for (const event of span.events) {
      const e = this.begin(11);
      this.fixed64(1, event.time);
      this.string(2, event.name);
      this.attributes(3, event.attributes);
      this.end(e);
    }
    for (const link of span.links) {
      const l = this.begin(13);
      this.traceId(1, link.traceId);
      this.id(2, link.spanId, 8);
      this.attributes(4, link.attributes);
      this.end(l);
    }
    const code = STATUS_NUMBERS.get(span.status.code) ?? 0;
    if (code !== 0 || span.status.message) {
      const s = this.begin(15);
      this.string(2, span.status.message);
      if (code !== 0) {
        this.tag(3, VARINT);
        this.varint(code);
      }
      this.end(s);
    }
    this.end(at);
  }

  scope(scope: InstrumentationScope): void {
    const at = this.begin(1);
    this.string(1, scope.name);
    this.string(2, scope.version);
    this.attributes(3, scope.attributes);
    this.end(at);
  }

  /** A message holding only attributes (a Resource), written even when it has none. */
  attributesMessage(field: number, attributeField: number, attributes: Attributes): void {
    const at = this.begin(field);
    this.attributes(attributeField, attributes);
    this.end(at);
  }

  attributes(field: number, attributes: Attributes): void {
    if (attributes.size === 0) return;
    this.attributeField = field;
    attributes.forEach(this.attribute);
  }

  /** Starts a length-delimited field; returns where its content starts, for `end`. */
  begin(field: number): number {
    this.tag(field, LEN);
    this.room(1);
    this.pos++;
    return this.pos;
  }

  /** Ends the field `begin` started: its length goes in the reserved byte, the content moving right if it needs more. */
  end(start: number): void {
    const length = this.pos - start;
    if (length < 0x80) {
      this.bytes[start - 1] = length;
      return;
    }
    const extra = varintSize(length) - 1;
    this.room(extra);
    this.bytes.copyWithin(start + extra, start, this.pos);
    this.pos = start - 1;
    this.varint(length);
    this.pos = start + extra + length;
  }

  tag(field: number, wireType: number): void {
    this.varint((field << 3) | wireType);
  }

  varint(value: number): void {
    this.room(5);
    const b = this.bytes;
    while (value >= 0x80) {
      b[this.pos++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    b[this.pos++] = value;
  }

  fixed64(field: number, value: bigint): void {
    this.tag(field, FIXED64);
    this.room(8);
    this.view.setBigUint64(this.pos, BigInt.asUintN(64, value), true);
    this.pos += 8;
  }

  /** A string field; left out when empty unless `always` (proto3 reads a missing string as empty). */
  string(field: number, text: string, always = false): void {
    if (text.length === 0 && !always) return;
    this.tag(field, LEN);
    const n = text.length;
    if (n < 0x80) {
      // Short ASCII, most keys and values: written byte by byte behind a one-byte length.
      this.room(n + 1);
      const b = this.bytes;
      const start = this.pos + 1;
      let i = 0;
      for (; i < n; i++) {
        const c = text.charCodeAt(i);
        if (c >= 0x80) break;
        b[start + i] = c;
      }
      if (i === n) {
        b[this.pos] = n;
        this.pos = start + n;
        return;
      }
    }
    // Any other text: TextEncoder behind a length prefix sized for the longest it can be, narrowed after.
    const most = n * 3;
    const reserve = varintSize(most);
    this.room(reserve + most + 5);
    const start = this.pos + reserve;
    const { written } = utf8.encodeInto(text, this.bytes.subarray(start));
    const size = varintSize(written);
    if (size < reserve) this.bytes.copyWithin(this.pos + size, start, start + written);
    this.varint(written);
    this.pos += written;
  }

  /** A trace id: spans of one trace share it, so its bytes are made once. */
  traceId(field: number, hex: string): void {
    if (hex !== this.lastTraceHex) {
      this.lastTraceBytes = hexBytes(hex, 16);
      this.lastTraceHex = hex;
    }
    this.bytesField(field, this.lastTraceBytes);
  }

  id(field: number, hex: string, size: number): void {
    this.bytesField(field, hexBytes(hex, size));
  }

  bytesField(field: number, value: Uint8Array): void {
    this.tag(field, LEN);
    this.varint(value.length);
    this.room(value.length);
    this.bytes.set(value, this.pos);
    this.pos += value.length;
  }

  /** Makes room for `n` more bytes. */
  private room(n: number): void {
    if (this.pos + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.pos + n));
    grown.set(this.bytes.subarray(0, this.pos));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }
}

function varintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}

const HEX_VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX_VALUES['0123456789abcdef'.charCodeAt(i)] = i;
  HEX_VALUES['0123456789ABCDEF'.charCodeAt(i)] = i;
}

/**
 * An id's bytes from its hex. Ids in the span model are hex of the right length; anything else (a trace id of
 * another size, a character that is not hex) is written as the bytes its pairs of hex digits give, and the
 * decoder then warns about that span as it would about any exporter's odd id.
 */
function hexBytes(hex: string, size: number): Uint8Array {
  const length = hex.length === size * 2 ? size : hex.length >> 1;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const high = HEX_VALUES[hex.charCodeAt(2 * i)] ?? -1;
    const low = HEX_VALUES[hex.charCodeAt(2 * i + 1)] ?? -1;
    out[i] = high < 0 || low < 0 ? 0 : (high << 4) | low;
  }
  return out;
}
