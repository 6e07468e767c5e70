// Trace files too large for one JavaScript string (V8 caps strings at 2^29 - 24 characters, ~512 MiB: about 700,000
// spans of OTLP JSON as `--save-trace` writes it). The bytes are scanned once; every array under a `spans` key is cut
// out, leaving a small skeleton (resources, scopes, processes) that is parsed whole, and the spans are then parsed
// and decoded a slice at a time, each slice put back in the skeleton on its own. Neither the text nor the parsed
// document of all the spans is ever held at once.
import type { Result } from '../../text-position';
import { decodeTraceDocument } from './index';
import { parseJsonText } from './json-text';
import type { DecodeError, DetectedDecodeResult } from './types';
import { isRecord } from './types';

/** Spans parsed and decoded at a time: big enough that the skeleton is decoded a few times only. */
const SLICE_SPANS = 50_000;

/** An array under a `spans` key: where each element's text starts and ends (exclusive). */
interface SpansArray {
  starts: number[];
  ends: number[];
}

/** A string no JSON document holds by accident: JSON text cannot carry a raw NUL, only this escape of it. */
const MARKER = '\u0000tracelens-spans:';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const SPANS_KEY = new TextEncoder().encode('"spans"');

/** Like decodeTraceText for UTF-8 bytes of any size; `sliceSpans` is for tests. */
export function decodeLargeTraceJson(bytes: Uint8Array, sliceSpans = SLICE_SPANS): Result<DetectedDecodeResult, DecodeError> {
  const cut = cutSpans(bytes);
  if (typeof cut === 'string') return { ok: false, error: { message: `invalid JSON: ${cut}` } };
  const skeleton = parseJsonText(cut.skeleton);
  if (!skeleton.ok) return { ok: false, error: { message: `invalid JSON: ${skeleton.error.message} (outside the spans)` } };
  const holders = spanHolders(skeleton.value, cut.arrays.length);
  if (holders.length !== cut.arrays.length) return { ok: false, error: { message: 'invalid JSON: a `spans` array outside any object' } };
  const decoder = new TextDecoder();
  const out: DetectedDecodeResult = { spans: [], warnings: [], format: 'otlp' };
  for (const holder of holders) holder.value.spans = [];
  let decodedOnce = false;
  // Rounds in document order: whole arrays together up to the slice size, a larger array in slices of its own.
  for (const round of rounds(cut.arrays, sliceSpans)) {
    for (const { holder, from, to } of round) {
      const array = cut.arrays[holder]!;
      const text = `[${decoder.decode(bytes.subarray(array.starts[from], array.ends[to - 1]))}]`;
      const parsed = parseJsonText(text);
      if (!parsed.ok) return { ok: false, error: { message: `invalid JSON: ${parsed.error.message} in a span near byte ${array.starts[from]}` } };
      holders[holder]!.value.spans = parsed.value;
    }
    const decoded = decodeTraceDocument(skeleton.value);
    decodedOnce = true;
    for (const { holder } of round) holders[holder]!.value.spans = [];
    // In a slice of one large array, `spans[i]` counts from the slice's start.
    const offset = round.length === 1 ? round[0]!.from : 0;
    const located = (text: string) => (offset === 0 ? text : text.replace(/\bspans\[(\d+)\]/g, (_, i: string) => `spans[${Number(i) + offset}]`));
    if (!decoded.ok) return { ok: false, error: { ...decoded.error, ...(decoded.error.path ? { path: located(decoded.error.path) } : {}) } };
    out.format = decoded.value.format;
    for (const span of decoded.value.spans) out.spans.push(span);
    for (const warning of decoded.value.warnings) out.warnings.push(located(warning));
    if (decoded.value.truncated) out.truncated = (out.truncated ?? 0) + decoded.value.truncated;
  }
  // No span at all: the skeleton is the whole document.
  if (!decodedOnce) return decodeTraceDocument(skeleton.value);
  return { ok: true, value: out };
}

interface Slice {
  holder: number;
  from: number;
  to: number;
}

function* rounds(arrays: readonly SpansArray[], sliceSpans: number): Generator<Slice[]> {
  let round: Slice[] = [];
  let count = 0;
  for (let holder = 0; holder < arrays.length; holder++) {
    const length = arrays[holder]!.starts.length;
    if (length === 0) continue;
    if (length > sliceSpans) {
      if (round.length > 0) yield round;
      round = [];
      count = 0;
      for (let from = 0; from < length; from += sliceSpans) yield [{ holder, from, to: Math.min(length, from + sliceSpans) }];
      continue;
    }
    if (count + length > sliceSpans && round.length > 0) {
      yield round;
      round = [];
      count = 0;
    }
    round.push({ holder, from: 0, to: length });
    count += length;
  }
  if (round.length > 0) yield round;
}

/** The objects whose `spans` the skeleton holds as markers, by marker number. */
function spanHolders(doc: unknown, count: number): { value: Record<string, unknown> }[] {
  const holders: { value: Record<string, unknown> }[] = new Array(count);
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) for (const item of value) visit(item);
    else if (isRecord(value)) {
      for (const [key, item] of Object.entries(value)) {
        if (key === 'spans' && typeof item === 'string' && item.startsWith(MARKER)) holders[Number(item.slice(MARKER.length))] = { value };
        else visit(item);
      }
    }
  };
  visit(doc);
  return holders.filter((h) => h !== undefined);
}

/**
 * One pass over the bytes: the text without the elements of `spans` arrays (each array replaced by a marker string)
 * and where those elements are; or what is wrong, for bytes that are not JSON's structure.
 */
function cutSpans(bytes: Uint8Array): { skeleton: string; arrays: SpansArray[] } | string {
  const decoder = new TextDecoder();
  const pieces: string[] = [];
  const arrays: SpansArray[] = [];
  let copied = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let depth = 0;
  /** Depth of the spans array being cut, or -1; its elements sit at depth + 1. */
  let spansDepth = -1;
  let current: SpansArray | undefined;
  let elementStart = -1;
  /** Where the last string ended, when it may be the key of what follows: `"spans"` then `:` then `[`. */
  let lastStringStart = -1;
  let lastStringEnd = -1;
  let afterSpansKey = false;
  for (let i = copied; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === QUOTE) {
      let end = i + 1;
      for (;;) {
        end = indexOf(bytes, QUOTE, end);
        if (end < 0) return `a string that does not end, from byte ${i}`;
        let slashes = 0;
        while (bytes[end - 1 - slashes] === BACKSLASH) slashes++;
        if (slashes % 2 === 0) break;
        end++;
      }
      if (current && depth === spansDepth + 1) return `a span that is not an object at byte ${i}`;
      lastStringStart = i;
      lastStringEnd = end + 1;
      i = end;
      continue;
    }
    if (b === COLON) {
      afterSpansKey = spansDepth < 0 && lastStringEnd - lastStringStart === SPANS_KEY.length && startsWith(bytes, lastStringStart, SPANS_KEY);
      continue;
    }
    if (b === OPEN_ARRAY || b === OPEN_OBJECT) {
      if (b === OPEN_ARRAY && afterSpansKey) {
        pieces.push(decoder.decode(bytes.subarray(copied, i)), JSON.stringify(`${MARKER}${arrays.length}`));
        arrays.push((current = { starts: [], ends: [] }));
        spansDepth = depth;
      } else if (depth === spansDepth + 1 && current) {
        elementStart = i;
      }
      afterSpansKey = false;
      depth++;
      continue;
    }
    if (b === CLOSE_ARRAY || b === CLOSE_OBJECT) {
      depth--;
      if (depth < 0) return `an unmatched ${String.fromCharCode(b)} at byte ${i}`;
      if (current && depth === spansDepth + 1 && elementStart >= 0) {
        current.starts.push(elementStart);
        current.ends.push(i + 1);
        elementStart = -1;
      } else if (current && depth === spansDepth) {
        current = undefined;
        spansDepth = -1;
        copied = i + 1;
      }
      continue;
    }
    if (b === COMMA) afterSpansKey = false;
    else if (current && depth === spansDepth + 1 && b > 0x20) return `a span that is not an object at byte ${i}`;
  }
  if (depth !== 0) return 'the text ends inside an object or array';
  pieces.push(decoder.decode(bytes.subarray(copied)));
  return { skeleton: pieces.join(''), arrays };
}

function indexOf(bytes: Uint8Array, byte: number, from: number): number {
  return bytes.indexOf(byte, from);
}

function startsWith(bytes: Uint8Array, at: number, prefix: Uint8Array): boolean {
  for (let k = 0; k < prefix.length; k++) if (bytes[at + k] !== prefix[k]) return false;
  return true;
}
