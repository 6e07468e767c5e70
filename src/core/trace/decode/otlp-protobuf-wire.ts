// A fast path for OTLP protobuf: reads an ExportTraceServiceRequest straight from the wire into RawSpans,
// without protobufjs's intermediate message objects (the receiver's ingest rate depends on it). It takes only
// well-formed payloads with nothing to warn about, and gives up (undefined) on anything else: a truncated or odd
// encoding, a bad id, an unknown kind or status code, an attribute without a key, invalid UTF-8. The protobufjs
// decoder then reads the payload, so its errors and warnings stay the only ones, and a payload read here gives
// exactly the spans that decoder would give (field numbers as in opentelemetry/proto/trace/v1/trace.proto).
import { AttributeTable } from '../attribute-rows';
import type { Attributes, InstrumentationScope, RawSpan, SpanEvent, SpanLink } from '../model';
import { truncateUtf8 } from '../truncate';
import { formatAttributeValue, type AttributeValue } from '../values';
import { NO_EVENTS, NO_LINKS, SPAN_KINDS, STATUS_CODES, statusOf } from './span-fields';

/** Thrown to give up; never escapes this module. */
const GIVE_UP = new Error('not on the fast path');

const VARINT = 0;
const FIXED64 = 1;
const LEN = 2;
const FIXED32 = 5;

// Local copies: imported bindings can be getters in some module systems, and these are read per span.
const KINDS: readonly RawSpan['kind'][] = [...SPAN_KINDS];
const STATUSES: readonly RawSpan['status']['code'][] = [...STATUS_CODES];

const utf8 = new TextDecoder('utf-8', { fatal: true });

const SHORT_STRING = 32;
const STRING_CACHE_SIZE = 4096;
const stringCache: string[] = new Array<string>(STRING_CACHE_SIZE).fill('');

class Wire {
  pos = 0;
  /** Strings cut to maxTextBytes. */
  truncated = 0;
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    /** Longer strings are cut as core/trace/truncate.ts does, without decoding what is left out. */
    private readonly maxTextBytes: number,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** A varint of at most 32 bits (tags, lengths, enums) as a non-negative number. */
  uint32(end: number): number {
    const b = this.bytes;
    let pos = this.pos;
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (pos >= end) throw GIVE_UP;
      const byte = b[pos++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) {
        if (value > 0xffffffff) throw GIVE_UP;
        this.pos = pos;
        return value;
      }
    }
    throw GIVE_UP;
  }

  /** An int64 varint, as protobufjs reads it (two's complement in at most 10 bytes). */
  int64(end: number): bigint {
    const b = this.bytes;
    let pos = this.pos;
    let small = 0;
    // Up to 4 bytes (< 2^28) fits a number exactly: the common case.
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= end) throw GIVE_UP;
      const byte = b[pos++]!;
      small += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) {
        this.pos = pos;
        return BigInt(small);
      }
    }
    let value = BigInt(small);
    for (let shift = 28n; shift < 70n; shift += 7n) {
      if (pos >= end) throw GIVE_UP;
      const byte = b[pos++]!;
      // The 10th byte holds only the 64th bit in a canonical encoding.
      if (shift === 63n && byte > 1) throw GIVE_UP;
      value |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) {
        this.pos = pos;
        return BigInt.asIntN(64, value);
      }
    }
    throw GIVE_UP;
  }

  /** A one-byte varint no greater than `max` (enums and bools as every encoder writes them). */
  small(end: number, max: number): number {
    if (this.pos >= end) throw GIVE_UP;
    const byte = this.bytes[this.pos++]!;
    if (byte > max) throw GIVE_UP;
    return byte;
  }

  uint64(end: number): bigint {
    if (this.pos + 8 > end) throw GIVE_UP;
    const value = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return value;
  }

  double(end: number): number {
    if (this.pos + 8 > end) throw GIVE_UP;
    const value = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return value;
  }

  /** Reads a length prefix; returns where the field's content ends (the content starts at `pos`). */
  len(end: number): number {
    const length = this.uint32(end);
    const contentEnd = this.pos + length;
    if (contentEnd > end) throw GIVE_UP;
    return contentEnd;
  }

  string(end: number): string {
    const stop = this.len(end);
    const b = this.bytes;
    const start = this.pos;
    this.pos = stop;
    const length = stop - start;
    if (length > this.maxTextBytes) {
      this.truncated++;
      return truncateUtf8(b, start, stop, this.maxTextBytes, (kept) => decodeUtf8(kept, 0, kept.length));
    }
    if (length > SHORT_STRING) return decodeUtf8(b, start, stop);
    // Attribute keys and many values repeat from span to span: short ASCII strings are looked up by a hash of
    // their bytes instead of being built again.
    let hash = length;
    for (let i = start; i < stop; i++) {
      const c = b[i]!;
      if (c >= 0x80) return decodeUtf8(b, start, stop);
      hash = (Math.imul(hash, 31) + c) | 0;
    }
    const slot = hash & (STRING_CACHE_SIZE - 1);
    const cached = stringCache[slot]!;
    if (cached.length === length) {
      let same = true;
      for (let i = 0; i < length; i++) {
        if (cached.charCodeAt(i) !== b[start + i]) {
          same = false;
          break;
        }
      }
      if (same) return cached;
    }
    let s = '';
    for (let i = start; i < stop; i++) s += String.fromCharCode(b[i]!);
    stringCache[slot] = s;
    return s;
  }

  /** Reads a bytes field; returns where its content starts (its length is `pos` - start). */
  bytesAt(end: number): number {
    const stop = this.len(end);
    const start = this.pos;
    this.pos = stop;
    return start;
  }

  bytesField(end: number): Uint8Array {
    const stop = this.len(end);
    const value = this.bytes.subarray(this.pos, stop);
    this.pos = stop;
    return value;
  }

  skip(wireType: number, end: number): void {
    switch (wireType) {
      case VARINT:
        this.int64(end);
        return;
      case FIXED64:
        if ((this.pos += 8) > end) throw GIVE_UP;
        return;
      case LEN:
        this.pos = this.len(end);
        return;
      case FIXED32:
        if ((this.pos += 4) > end) throw GIVE_UP;
        return;
      default:
        // Groups (3, 4) and invalid wire types: left to protobufjs.
        throw GIVE_UP;
    }
  }
}

function decodeUtf8(bytes: Uint8Array, start: number, stop: number): string {
  // TextDecoder drops a leading byte order mark, which protobufjs keeps.
  if (bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf) throw GIVE_UP;
  try {
    return utf8.decode(bytes.subarray(start, stop));
  } catch {
    // Invalid UTF-8: protobufjs replaces it in its own way.
    throw GIVE_UP;
  }
}

function expect(wireType: number, expected: number): void {
  if (wireType !== expected) throw GIVE_UP;
}

/** Hex digits' char codes, made into one flat string (not a string of 8 or 16 concatenated pieces, kept by every span). */
const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const SPAN_ID_CODES: number[] = new Array<number>(16).fill(0);
const TRACE_ID_CODES: number[] = new Array<number>(32).fill(0);

function hexId(bytes: Uint8Array, at: number, length: number): string {
  const codes = length === 8 ? SPAN_ID_CODES : length === 16 ? TRACE_ID_CODES : new Array<number>(2 * length).fill(0);
  for (let i = 0; i < length; i++) {
    const b = bytes[at + i]!;
    codes[2 * i] = HEX_CODES[b >> 4]!;
    codes[2 * i + 1] = HEX_CODES[b & 15]!;
  }
  return String.fromCharCode.apply(null, codes);
}

function isZero(bytes: Uint8Array, at: number, length: number): boolean {
  for (let i = at; i < at + length; i++) if (bytes[i] !== 0) return false;
  return true;
}

/** Trace and span ids must be there, of their size, and not all zeros; anything else is the slow path's to warn about. */
function requireId(bytes: Uint8Array, at: number, length: number, size: number): void {
  if (length !== size || isZero(bytes, at, length)) throw GIVE_UP;
}

/**
 * The spans of an ExportTraceServiceRequest (or Tempo `Trace`), or undefined to leave it to protobufjs. Strings over
 * `maxTextBytes` are cut and marked (the receiver's limit; a 15 MiB attribute is never decoded whole).
 */
export function readExportRequestWire(bytes: Uint8Array, maxTextBytes = Infinity): { spans: RawSpan[]; truncated: number } | undefined {
  try {
    const wire = new Wire(bytes, maxTextBytes);
    const spans: RawSpan[] = [];
    const ids = new IdCache(bytes, new AttributeTable());
    const end = bytes.length;
    while (wire.pos < end) {
      const tag = wire.uint32(end);
      if (tag >>> 3 === 1) {
        expect(tag & 7, LEN);
        const stop = wire.len(end);
        readResourceSpans(wire, stop, spans, ids);
      } else skipUnknown(wire, tag, end);
    }
    return { spans, truncated: wire.truncated };
  } catch {
    return undefined;
  }
}

function skipUnknown(wire: Wire, tag: number, end: number): void {
  if (tag >>> 3 === 0) throw GIVE_UP;
  wire.skip(tag & 7, end);
}

/** Spans of one trace arrive together: the hex of their (16-byte) trace id is made once. Also holds the request's attribute table. */
class IdCache {
  private lastAt = -1;
  private lastHex = '';

  constructor(
    private readonly bytes: Uint8Array,
    /** The request's spans' attributes, a row per span. */
    readonly table: AttributeTable,
  ) {}

  traceId(at: number): string {
    const b = this.bytes;
    const last = this.lastAt;
    if (last >= 0) {
      let i = 0;
      while (i < 16 && b[last + i] === b[at + i]) i++;
      if (i === 16) return this.lastHex;
    }
    this.lastAt = at;
    return (this.lastHex = hexId(b, at, 16));
  }
}

// ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; string schema_url = 3; }
function readResourceSpans(wire: Wire, end: number, spans: RawSpan[], ids: IdCache): void {
  let resourceAt = -1;
  let resourceEnd = 0;
  const groups: number[] = [];
  while (wire.pos < end) {
    const tag = wire.uint32(end);
    const field = tag >>> 3;
    if (field === 1 || field === 2) {
      expect(tag & 7, LEN);
      const stop = wire.len(end);
      if (field === 1) {
        // protobufjs keeps the last of repeated singular messages rather than merging them: not worth copying.
        if (resourceAt >= 0) throw GIVE_UP;
        resourceAt = wire.pos;
        resourceEnd = stop;
      } else groups.push(wire.pos, stop);
      wire.pos = stop;
    } else skipUnknown(wire, tag, end);
  }
  // The resource may come after the spans on the wire; every span needs it.
  let resource: Attributes = new Map<string, string>();
  if (resourceAt >= 0) {
    wire.pos = resourceAt;
    resource = readResource(wire, resourceEnd);
  }
  for (let g = 0; g < groups.length; g += 2) {
    wire.pos = groups[g]!;
    readScopeSpans(wire, groups[g + 1]!, resource, spans, ids);
  }
  wire.pos = end;
}

// Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; repeated EntityRef entity_refs = 3; }
function readResource(wire: Wire, end: number): Attributes {
  const attributes = new Map<string, string>();
  while (wire.pos < end) {
    const tag = wire.uint32(end);
    if (tag >>> 3 === 1) {
      expect(tag & 7, LEN);
      readKeyValue(wire, wire.len(end), attributes);
    } else skipUnknown(wire, tag, end);
  }
  return attributes;
}

// ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; string schema_url = 3; }
function readScopeSpans(wire: Wire, end: number, resource: Attributes, spans: RawSpan[], ids: IdCache): void {
  let scopeAt = -1;
  let scopeEnd = 0;
  const spanAt: number[] = [];
  while (wire.pos < end) {
    const tag = wire.uint32(end);
    const field = tag >>> 3;
    if (field === 1 || field === 2) {
      expect(tag & 7, LEN);
      const stop = wire.len(end);
      if (field === 1) {
        if (scopeAt >= 0) throw GIVE_UP;
        scopeAt = wire.pos;
        scopeEnd = stop;
      } else spanAt.push(wire.pos, stop);
      wire.pos = stop;
    } else skipUnknown(wire, tag, end);
  }
  let scope: InstrumentationScope;
  if (scopeAt >= 0) {
    wire.pos = scopeAt;
    scope = readScope(wire, scopeEnd);
  } else scope = { name: '', version: '', attributes: new Map() };
  for (let s = 0; s < spanAt.length; s += 2) {
    wire.pos = spanAt[s]!;
    spans.push(readSpan(wire, spanAt[s + 1]!, resource, scope, ids));
  }
  wire.pos = end;
}

// InstrumentationScope { string name = 1; string version = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
function readScope(wire: Wire, end: number): InstrumentationScope {
  let name = '';
  let version = '';
  const attributes = new Map<string, string>();
  while (wire.pos < end) {
    const tag = wire.uint32(end);
    switch (tag >>> 3) {
      case 1:
        expect(tag & 7, LEN);
        name = wire.string(end);
        break;
      case 2:
        expect(tag & 7, LEN);
        version = wire.string(end);
        break;
      case 3:
        expect(tag & 7, LEN);
        readKeyValue(wire, wire.len(end), attributes);
        break;
      default:
        skipUnknown(wire, tag, end);
    }
  }
  return { name, version, attributes };
}

// Span { bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; bytes parent_span_id = 4; fixed32 flags = 16;
//   string name = 5; SpanKind kind = 6; fixed64 start_time_unix_nano = 7; fixed64 end_time_unix_nano = 8;
//   repeated KeyValue attributes = 9; uint32 dropped_attributes_count = 10; repeated Event events = 11;
//   uint32 dropped_events_count = 12; repeated Link links = 13; uint32 dropped_links_count = 14; Status status = 15; }
function readSpan(wire: Wire, end: number, resource: Attributes, scope: InstrumentationScope, ids: IdCache): RawSpan {
  const b = wire.bytes;
  let traceAt = 0;
  let traceLength = -1;
  let spanAt = 0;
  let spanLength = -1;
  let parentAt = 0;
  let parentLength = 0;
  let name = '';
  let kind = 0;
  let startTime = 0n;
  let endTime = 0n;
  const table = ids.table;
  let events = NO_EVENTS;
  let links = NO_LINKS;
  let status: RawSpan['status'] | undefined;
  while (wire.pos < end) {
    const tag = wire.uint32(end);
    const wireType = tag & 7;
    switch (tag >>> 3) {
      case 1:
        expect(wireType, LEN);
        traceAt = wire.bytesAt(end);
        traceLength = wire.pos - traceAt;
        break;
      case 2:
        expect(wireType, LEN);
        spanAt = wire.bytesAt(end);
        spanLength = wire.pos - spanAt;
        break;
      case 4:
        expect(wireType, LEN);
        parentAt = wire.bytesAt(end);
        parentLength = wire.pos - parentAt;
        break;
      case 5:
        expect(wireType, LEN);
        name = wire.string(end);
        break;
      case 6:
        expect(wireType, VARINT);
        kind = wire.small(end, KINDS.length - 1);
        break;
      case 7:
        expect(wireType, FIXED64);
        startTime = wire.uint64(end);
        break;
      case 8:
        expect(wireType, FIXED64);
        endTime = wire.uint64(end);
        break;
      case 9:
        expect(wireType, LEN);
        readKeyValue(wire, wire.len(end), table);
        break;
      case 11:
        expect(wireType, LEN);
        if (events === NO_EVENTS) events = [];
        events.push(readEvent(wire, wire.len(end)));
        break;
      case 13:
        expect(wireType, LEN);
        if (links === NO_LINKS) links = [];
        links.push(readLink(wire, wire.len(end), ids));
        break;
      case 15:
        expect(wireType, LEN);
        if (status) throw GIVE_UP;
        status = readStatus(wire, wire.len(end));
        break;
      case 3:
        expect(wireType, LEN);
        wire.skip(LEN, end);
        break;
      case 10:
      case 12:
      case 14:
        expect(wireType, VARINT);
        wire.skip(VARINT, end);
        break;
      case 16:
        expect(wireType, FIXED32);
        wire.skip(FIXED32, end);
        break;
      default:
        skipUnknown(wire, tag, end);
    }
  }
  requireId(b, traceAt, traceLength, 16);
  requireId(b, spanAt, spanLength, 8);
  let parent = '';
  // An empty or all-zero parent id means a root span.
  if (parentLength > 0) {
    if (parentLength !== 8) throw GIVE_UP;
    if (!isZero(b, parentAt, 8)) parent = hexId(b, parentAt, 8);
  }
  return {
    traceId: ids.traceId(traceAt),
    id: hexId(b, spanAt, 8),
    parentId: parent,
    name,
    kind: KINDS[kind]!,
    startTime,
    endTime,
    status: status ?? statusOf('STATUS_CODE_UNSET', ''),
    resource,
    scope,
    attributes: table.endRow(),
    events,
    links,
  };
}

// Event { fixed64 time_unix_nano = 1; string name = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
function readEvent(wire: Wire, end: number): SpanEvent {
  let name = '';
  let time = 0n;
  const attributes = new Map<string, string>();
  while (wire.pos < end) {
    const tag = wire.uint32(end);
    switch (tag >>> 3) {
      case 1:
        expect(tag & 7, FIXED64);
        time = wire.uint64(end);
        break;
      case 2:
        expect(tag & 7, LEN);
        name = wire.string(end);
        break;
      case 3:
        expect(tag & 7, LEN);
        readKeyValue(wire, wire.len(end), attributes);
        break;
      case 4:
        expect(tag & 7, VARINT);
        wire.skip(VARINT, end);
        break;
      default:
        skipUnknown(wire, tag, end);
    }
  }
  return { name, time, attributes };
}

// Link { bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; repeated KeyValue attributes = 4;
//   uint32 dropped_attributes_count = 5; fixed32 flags = 6; }
function readLink(wire: Wire, end: number, ids: IdCache): SpanLink {
  let traceAt = 0;
  let traceLength = -1;
  let spanAt = 0;
  let spanLength = -1;
  const attributes = new Map<string, string>();
  while (wire.pos < end) {
    const tag = wire.uint32(end);
    const wireType = tag & 7;
    switch (tag >>> 3) {
      case 1:
        expect(wireType, LEN);
        traceAt = wire.bytesAt(end);
        traceLength = wire.pos - traceAt;
        break;
      case 2:
        expect(wireType, LEN);
        spanAt = wire.bytesAt(end);
        spanLength = wire.pos - spanAt;
        break;
      case 3:
        expect(wireType, LEN);
        wire.skip(LEN, end);
        break;
      case 4:
        expect(wireType, LEN);
        readKeyValue(wire, wire.len(end), attributes);
        break;
      case 5:
        expect(wireType, VARINT);
        wire.skip(VARINT, end);
        break;
      case 6:
        expect(wireType, FIXED32);
        wire.skip(FIXED32, end);
        break;
      default:
        skipUnknown(wire, tag, end);
    }
  }
  const b = wire.bytes;
  requireId(b, traceAt, traceLength, 16);
  requireId(b, spanAt, spanLength, 8);
  return { traceId: ids.traceId(traceAt), spanId: hexId(b, spanAt, 8), attributes };
}

// Status { string message = 2; StatusCode code = 3; }
function readStatus(wire: Wire, end: number): RawSpan['status'] {
  let message = '';
  let code = 0;
  while (wire.pos < end) {
    const tag = wire.uint32(end);
    switch (tag >>> 3) {
      case 2:
        expect(tag & 7, LEN);
        message = wire.string(end);
        break;
      case 3:
        expect(tag & 7, VARINT);
        code = wire.small(end, STATUSES.length - 1);
        break;
      default:
        skipUnknown(wire, tag, end);
    }
  }
  return statusOf(STATUSES[code]!, message);
}

// KeyValue { string key = 1; AnyValue value = 2; } into attribute text; a missing key is the slow path's to warn about.
function readKeyValue(wire: Wire, end: number, attributes: Map<string, string> | AttributeTable): void {
  let key: string | undefined;
  let text = '';
  let hasValue = false;
  while (wire.pos < end) {
    const tag = wire.uint32(end);
    switch (tag >>> 3) {
      case 1:
        expect(tag & 7, LEN);
        key = wire.string(end);
        break;
      case 2:
        expect(tag & 7, LEN);
        if (hasValue) throw GIVE_UP;
        hasValue = true;
        text = formatAttributeValue(readAnyValue(wire, wire.len(end)));
        break;
      default:
        skipUnknown(wire, tag, end);
    }
  }
  if (key === undefined) throw GIVE_UP;
  if (attributes instanceof AttributeTable) attributes.add(key, text);
  else attributes.set(key, text);
}

function readEntry(wire: Wire, end: number): { key: string | undefined; value: AttributeValue } {
  let key: string | undefined;
  let value: AttributeValue;
  let hasValue = false;
  while (wire.pos < end) {
    const tag = wire.uint32(end);
    switch (tag >>> 3) {
      case 1:
        expect(tag & 7, LEN);
        key = wire.string(end);
        break;
      case 2:
        expect(tag & 7, LEN);
        if (hasValue) throw GIVE_UP;
        hasValue = true;
        value = readAnyValue(wire, wire.len(end));
        break;
      default:
        skipUnknown(wire, tag, end);
    }
  }
  return { key, value };
}

// AnyValue { oneof value { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4;
//   ArrayValue array_value = 5; KeyValueList kvlist_value = 6; bytes bytes_value = 7; } }
// As anyValueToNative gives it; an AnyValue with two of the oneof set is left to the slow path.
function readAnyValue(wire: Wire, end: number): AttributeValue {
  let value: AttributeValue;
  let set = false;
  while (wire.pos < end) {
    const tag = wire.uint32(end);
    const field = tag >>> 3;
    if (field >= 1 && field <= 7) {
      if (set) throw GIVE_UP;
      set = true;
    }
    switch (field) {
      case 1:
        expect(tag & 7, LEN);
        value = wire.string(end);
        break;
      case 2:
        expect(tag & 7, VARINT);
        value = wire.small(end, 1) === 1;
        break;
      case 3:
        expect(tag & 7, VARINT);
        value = wire.int64(end);
        break;
      case 4:
        expect(tag & 7, FIXED64);
        value = wire.double(end);
        break;
      case 5:
        expect(tag & 7, LEN);
        value = readArray(wire, wire.len(end));
        break;
      case 6:
        expect(tag & 7, LEN);
        value = readKvList(wire, wire.len(end));
        break;
      case 7:
        expect(tag & 7, LEN);
        value = wire.bytesField(end);
        break;
      default:
        skipUnknown(wire, tag, end);
    }
  }
  return value;
}

// ArrayValue { repeated AnyValue values = 1; }
function readArray(wire: Wire, end: number): AttributeValue[] {
  const values: AttributeValue[] = [];
  while (wire.pos < end) {
    const tag = wire.uint32(end);
    if (tag >>> 3 === 1) {
      expect(tag & 7, LEN);
      values.push(readAnyValue(wire, wire.len(end)));
    } else skipUnknown(wire, tag, end);
  }
  return values;
}

// KeyValueList { repeated KeyValue values = 1; } as an object; entries without a key are left out, later keys win.
function readKvList(wire: Wire, end: number): { [key: string]: AttributeValue } {
  const map: { [key: string]: AttributeValue } = {};
  while (wire.pos < end) {
    const tag = wire.uint32(end);
    if (tag >>> 3 === 1) {
      expect(tag & 7, LEN);
      const entry = readEntry(wire, wire.len(end));
      if (entry.key !== undefined) Object.defineProperty(map, entry.key, { value: entry.value, enumerable: true, writable: true, configurable: true });
    } else skipUnknown(wire, tag, end);
  }
  return map;
}
