// Text cut to a length limit (the receiver's cap on attribute values and other span text), marked at its end so
// that the cut shows wherever the value does and survives saving: `<start>…[truncated from 15728640 characters]`.
// buildTrace reports marked text as a trace problem, so a trace read back from a saved file says so too.

const MARK_END = ' characters]';
const MARKED = /…\[truncated from (\d+) characters\]$/;
/** Longer than any mark: the tail searched for one. */
const MARK_TAIL = 64;

/** The shortest limit truncateText accepts: room for the mark and some text. */
export const MIN_TEXT_LIMIT = 256;

/**
 * `text` when it has at most `max` characters; otherwise its start and the mark, `max` characters in all, as a new
 * string (a slice would keep the whole original alive). A surrogate pair is never split.
 */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  const mark = `…[truncated from ${text.length} characters]`;
  let cut = Math.max(0, max - mark.length);
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--;
  // JSON.parse builds a fresh flat string; the slice, and with it the original, can then be collected.
  return JSON.parse(JSON.stringify(text.slice(0, cut) + mark)) as string;
}

/** The length the text had before truncateText cut it; undefined for text that was not cut. */
export function truncatedFrom(text: string): number | undefined {
  // The cheap test first: almost every value fails it at its last character.
  if (text.charCodeAt(text.length - 1) !== 0x5d || !text.endsWith(MARK_END)) return undefined;
  const match = MARKED.exec(text.length > MARK_TAIL ? text.slice(-MARK_TAIL) : text);
  return match ? Number(match[1]) : undefined;
}
