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
/** AnyValue's string_value (field 1, LEN) and int_value (field 3, VARINT) tags, one byte each. */
const STRING_VALUE_TAG = (1 << 3) | LEN;
const INT_VALUE_TAG = (3 << 3) | VARINT;
/** ScopeSpans' scope (field 1, LEN). */
const SCOPE_TAG = (1 << 3) | LEN;

// Local copies: imported bindings can be getters in some module systems, and these are read per span.
const KINDS: readonly RawSpan['kind'][] = [...SPAN_KINDS];
const STATUSES: readonly RawSpan['status']['code'][] = [...STATUS_CODES];
const UNSET_STATUS = statusOf('STATUS_CODE_UNSET', '');

// Char codes of each byte's two hex digits: an id is made as one string from its char codes, not by concatenation
// (which makes a string per step, and a cons-string tree for the result).
const HEX_DIGITS = '0123456789abcdef';
const HEX_HIGH = Uint16Array.from({ length: 256 }, (_, i) => HEX_DIGITS.charCodeAt(i >> 4));
const HEX_LOW = Uint16Array.from({ length: 256 }, (_, i) => HEX_DIGITS.charCodeAt(i & 15));
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

  /** An int64 varint as decimal text, without a bigint for the common small values. */
  int64Text(end: number): string {
    const b = this.bytes;
    const pos = this.pos;
    let small = 0;
    for (let i = 0, shift = 1; i < 4 && pos + i < end; i++, shift *= 128) {
      const byte = b[pos + i]!;
      small += (byte & 0x7f) * shift;
      if (byte < 0x80) {
        this.pos = pos + i + 1;
        return String(small);
      }
    }
    return String(this.int64(end));
  }

  /** Passes over a varint that int64() would take, without making its value. */
  skipVarint(end: number): void {
    const b = this.bytes;
    let pos = this.pos;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) throw GIVE_UP;
      const byte = b[pos++]!;
      if (i === 9 && byte > 1) throw GIVE_UP;
      if (byte < 0x80) {
        this.pos = pos;
        return;
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
    if (length === 0) return '';
    // Attribute keys and many values repeat from span to span: short ASCII strings are looked up by a hash of
    // their length and five of their bytes (strings that differ elsewhere only share a slot), then compared whole.
    const last = stop - 1;
    let hash = Math.imul(length, 31) + b[start]!;
    hash = Math.imul(hash, 31) + b[start + (length >> 2)]!;
    hash = Math.imul(hash, 31) + b[start + (length >> 1)]!;
    hash = Math.imul(hash, 31) + b[last - (length >> 2)]!;
    hash = Math.imul(hash, 31) + b[last]!;
    const slot = hash & (STRING_CACHE_SIZE - 1);
    const cached = stringCache[slot]!;
    // The cache holds ASCII only, so equal bytes are ASCII too.
    if (cached.length === length) {
      let i = 0;
      while (i < length && cached.charCodeAt(i) === b[start + i]) i++;
      if (i === length) return cached;
    }
    for (let i = start; i < stop; i++) if (b[i]! >= 0x80) return decodeUtf8(b, start, stop);
    const s = String.fromCharCode.apply(null, b.subarray(start, stop) as unknown as number[]);
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
        this.skipVarint(end);
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

/** Lowercase hex of an 8-byte id at `at`. */
function hexId8(b: Uint8Array, at: number): string {
  const b0 = b[at]!,
    b1 = b[at + 1]!,
    b2 = b[at + 2]!,
    b3 = b[at + 3]!,
    b4 = b[at + 4]!,
    b5 = b[at + 5]!,
    b6 = b[at + 6]!,
    b7 = b[at + 7]!;
  const h = HEX_HIGH;
  const l = HEX_LOW;
  return String.fromCharCode(h[b0]!, l[b0]!, h[b1]!, l[b1]!, h[b2]!, l[b2]!, h[b3]!, l[b3]!, h[b4]!, l[b4]!, h[b5]!, l[b5]!, h[b6]!, l[b6]!, h[b7]!, l[b7]!);
}

/** The char codes of a 16-byte id's hex, written here and made into one string. */
const ID16_CHARS = new Uint16Array(32);

/**
 * Lowercase hex of a 16-byte id at `at`, made whole: two halves joined would be a cons string, which the store's
 * map flattens into a third string when it hashes the id.
 */
function hexId16(b: Uint8Array, at: number): string {
  const chars = ID16_CHARS;
  for (let i = 0; i < 16; i++) {
    const byte = b[at + i]!;
    chars[2 * i] = HEX_HIGH[byte]!;
    chars[2 * i + 1] = HEX_LOW[byte]!;
  }
  return String.fromCharCode.apply(null, chars as unknown as number[]);
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
  const table = new AttributeTable({ borrow: true });
  try {
    const wire = new Wire(bytes, maxTextBytes);
    const spans: RawSpan[] = [];
    const ids = new IdCache(bytes, table);
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
  } finally {
    table.seal();
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
    return (this.lastHex = hexId16(b, at));
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
  // SDKs write the scope first: then the spans are read as they come, in one pass.
  if (wire.pos < end && wire.bytes[wire.pos] === SCOPE_TAG) {
    wire.pos++;
    const scope = readScope(wire, wire.len(end));
    while (wire.pos < end) {
      const tag = wire.uint32(end);
      const field = tag >>> 3;
      if (field === 2) {
        expect(tag & 7, LEN);
        spans.push(readSpan(wire, wire.len(end), resource, scope, ids));
      } else if (field === 1) throw GIVE_UP;
      else skipUnknown(wire, tag, end);
    }
    return;
  }
  // Anywhere else, the scope is found first.
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
      // SDKs write these on every span (an empty trace state, zero counts, the flags): passed over without skip()'s switch.
      case 3:
        expect(wireType, LEN);
        wire.pos = wire.len(end);
        break;
      case 10:
      case 12:
      case 14:
        expect(wireType, VARINT);
        wire.skipVarint(end);
        break;
      case 16:
        expect(wireType, FIXED32);
        if ((wire.pos += 4) > end) throw GIVE_UP;
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
    if (!isZero(b, parentAt, 8)) parent = hexId8(b, parentAt);
  }
  return {
    traceId: ids.traceId(traceAt),
    id: hexId8(b, spanAt),
    parentId: parent,
    name,
    kind: KINDS[kind]!,
    startTime,
    endTime,
    status: status ?? UNSET_STATUS,
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
  return { traceId: ids.traceId(traceAt), spanId: hexId8(b, spanAt), attributes };
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
        text = readValueText(wire, wire.len(end));
        break;
      default:
        skipUnknown(wire, tag, end);
    }
  }
  if (key === undefined) throw GIVE_UP;
  if (attributes instanceof AttributeTable) attributes.add(key, text);
  else attributes.set(key, text);
}

/** An AnyValue's attribute text: a lone string or integer (most values) read straight as text, anything else formatted. */
function readValueText(wire: Wire, end: number): string {
  const start = wire.pos;
  const truncated = wire.truncated;
  if (start < end) {
    const tag = wire.bytes[start]!;
    if (tag === STRING_VALUE_TAG) {
      wire.pos = start + 1;
      const text = wire.string(end);
      if (wire.pos === end) return text;
    } else if (tag === INT_VALUE_TAG) {
      wire.pos = start + 1;
      const text = wire.int64Text(end);
      if (wire.pos === end) return text;
    }
    // Something else follows: read again from the start.
    wire.pos = start;
    wire.truncated = truncated;
  }
  return formatAttributeValue(readAnyValue(wire, end));
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
