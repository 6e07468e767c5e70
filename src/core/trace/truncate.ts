// Text cut to a size limit in UTF-8 bytes (the receiver's cap on attribute values and other span text), marked at its
// end so that the cut shows wherever the value does and survives saving: `<start>…[truncated from 15728640 bytes]`.
// buildTrace reports marked text as a trace problem, so a trace read back from a saved file says so too.

const MARK_END = ' bytes]';
const MARKED = /…\[truncated from (\d+) bytes\]$/;
/** Longer than any mark: the tail searched for one. */
const MARK_TAIL = 64;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function mark(bytes: number): string {
  return `…[truncated from ${bytes} bytes]`;
}

/** UTF-8 bytes of the text (a lone surrogate counts as the 3 bytes of the replacement character it becomes). */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2; // a pair: 4 bytes for 2 code units
      i++;
    } else bytes += 2;
  }
  return bytes;
}

/** Whether the text is over `maxBytes` in UTF-8; cheap for all text shorter than a third of the limit. */
export function isOverLimit(text: string, maxBytes: number): boolean {
  return text.length > maxBytes || (text.length * 3 > maxBytes && utf8Length(text) > maxBytes);
}

/**
 * `text` when it fits in `maxBytes` of UTF-8; otherwise its start and the mark, `maxBytes` at most in all, as a new
 * string (a slice would keep the whole original alive). A character is never split.
 */
export function truncateText(text: string, maxBytes: number): string {
  if (!isOverLimit(text, maxBytes)) return text;
  const tail = mark(utf8Length(text));
  const room = new Uint8Array(Math.max(0, maxBytes - utf8Length(tail)));
  const { written } = encoder.encodeInto(text, room);
  return decoder.decode(room.subarray(0, written)) + tail;
}

/**
 * The text of UTF-8 `bytes[start, stop)` cut to `maxBytes` and marked as truncateText would, decoding only the part
 * kept (with `decode`, which may throw on invalid UTF-8).
 */
export function truncateUtf8(bytes: Uint8Array, start: number, stop: number, maxBytes: number, decode: (kept: Uint8Array) => string): string {
  const tail = mark(stop - start);
  let cut = start + Math.max(0, maxBytes - utf8Length(tail));
  // Back to the first byte of a character.
  while (cut > start && (bytes[cut]! & 0xc0) === 0x80) cut--;
  return decode(bytes.subarray(start, cut)) + tail;
}

/** The UTF-8 size the text had before it was cut; undefined for text that was not cut. */
export function truncatedFrom(text: string): number | undefined {
  // The cheap test first: almost every value fails it at its last character.
  if (text.charCodeAt(text.length - 1) !== 0x5d || !text.endsWith(MARK_END)) return undefined;
  const match = MARKED.exec(text.length > MARK_TAIL ? text.slice(-MARK_TAIL) : text);
  return match ? Number(match[1]) : undefined;
}
