// Masking the run's secrets in text that leaves a run. A secret reaches outputs not only as itself but in the forms
// HTTP and JSON give it on the way: percent-encoded in a URL, base64 inside a basic-auth header, escaped inside a
// JSON or HTML body. Each form is searched for literally, all at once with one regular expression, so a string
// without any costs one failed match.

export const MASK = '***';

/**
 * Shorter values are not masked: a two-character secret would turn every report into asterisks, and a value that
 * short is not secret anyway. Callers warn about such values by name.
 */
export const MIN_SECRET_LENGTH = 4;

/** Base64 fragments shorter than this are not searched for: too likely to occur by chance in a large encoded body. */
const MIN_BASE64_CORE = 4;

export interface Redactor {
  /** True when there is nothing to mask: `text` returns its argument. */
  readonly empty: boolean;
  /** `text` with every secret, and every encoded form of one, replaced by MASK. */
  text(text: string): string;
  /** Whether two redactors mask the same values (results masked by one can be reused for the other). */
  sameAs(other: Redactor): boolean;
}

export function isMaskable(value: string): boolean {
  return value.length >= MIN_SECRET_LENGTH;
}

/** A redactor for these secret values; values shorter than MIN_SECRET_LENGTH are left out. */
export function createRedactor(values: Iterable<string>): Redactor {
  const literal = new Set<string>();
  const base64 = new Set<string>();
  for (const value of values) {
    if (!isMaskable(value)) continue;
    for (const form of literalForms(value)) literal.add(form);
    for (const core of base64Cores(value)) base64.add(core);
  }
  for (const l of literal) base64.delete(l);
  return literal.size === 0 ? NO_SECRETS : new PatternRedactor([...literal], [...base64]);
}

const NO_SECRETS: Redactor = {
  empty: true,
  text: (text) => text,
  sameAs: (other) => other.empty,
};

class PatternRedactor implements Redactor {
  readonly empty = false;
  private readonly pattern: RegExp;
  private readonly base64: ReadonlySet<string>;
  private readonly key: string;
  /** Text shorter than the shortest form cannot contain one. */
  private readonly shortest: number;

  constructor(literal: string[], base64: string[]) {
    // Longest first, so that at one position the longest form wins (a secret that contains another is masked whole).
    const all = [...literal, ...base64].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
    this.pattern = new RegExp(all.map(escapeRegExp).join('|'), 'g');
    this.base64 = new Set(base64);
    this.key = all.join('\u0000');
    this.shortest = Math.min(...all.map((f) => f.length));
  }

  text(text: string): string {
    if (text.length < this.shortest) return text;
    const pattern = this.pattern;
    pattern.lastIndex = 0;
    let match = pattern.exec(text);
    if (!match) return text;
    let out = '';
    let done = 0;
    while (match) {
      let start = match.index;
      let end = start + match[0].length;
      if (this.base64.has(match[0])) {
        // The fragment is the middle of an encoded run whose edges mix in the neighbouring bytes (the user name of a
        // basic-auth pair, say): the whole run is masked, so none of the secret's bits stay around it.
        while (start > done && isBase64Char(text.charCodeAt(start - 1))) start--;
        while (end < text.length && isBase64Char(text.charCodeAt(end))) end++;
        while (end < text.length && text.charCodeAt(end) === 61 /* = */) end++;
      }
      out += text.slice(done, start) + MASK;
      done = end;
      pattern.lastIndex = end;
      match = pattern.exec(text);
    }
    return out + text.slice(done);
  }

  sameAs(other: Redactor): boolean {
    return other instanceof PatternRedactor && other.key === this.key;
  }
}

/** The value itself and the forms it takes written into a URL, a form, a JSON string (or one inside another) or HTML. */
function literalForms(value: string): string[] {
  const forms = [
    value,
    percentEncode(value, isUnreservedComponent),
    formEncode(value),
    // What WHATWG URL parsing (Node, browsers) leaves of a value written as-is into a query, a path or user info.
    percentEncode(value, (c) => !inQuerySet(c)),
    percentEncode(value, (c) => !inPathSet(c)),
    percentEncode(value, (c) => !inUserinfoSet(c)),
    jsonEscape(value, false),
    jsonEscape(value, true),
    jsonEscape(value, false).replace(/\//g, '\\/'),
    // A JSON body echoed inside another JSON document (a service answering with the request it got).
    jsonEscape(jsonEscape(value, false), false),
    htmlEscape(value),
  ];
  return [...new Set(forms)];
}

/**
 * The parts of the secret's base64 encoding that do not depend on what surrounds it, for each of the three ways its
 * bytes can line up with base64's 3-byte groups (standard and URL-safe alphabets).
 */
function base64Cores(value: string): string[] {
  const bytes = new TextEncoder().encode(value);
  const cores: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const padded = new Uint8Array(shift + bytes.length);
    padded.set(bytes, shift);
    const encoded = btoa(String.fromCharCode(...padded)).replace(/=+$/, '');
    // Character j carries bits [6j, 6j + 6): keep those made only of the secret's bits [8·shift, 8·(shift + n)).
    const core = encoded.slice(Math.ceil((8 * shift) / 6), Math.floor((8 * (shift + bytes.length)) / 6));
    if (core.length < MIN_BASE64_CORE) continue;
    cores.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...new Set(cores)];
}

function isBase64Char(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47 || c === 45 || c === 95;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const isAlphanumeric = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
/** encodeURIComponent leaves these as they are. */
const isUnreservedComponent = (c: number) => isAlphanumeric(c) || "-_.!~*'()".includes(String.fromCharCode(c));
// The WHATWG URL standard's percent-encode sets (query for special schemes, path, userinfo).
const inQuerySet = (c: number) => c < 0x21 || c > 0x7e || c === 0x22 || c === 0x23 || c === 0x3c || c === 0x3e || c === 0x27;
const inPathSet = (c: number) => (inQuerySet(c) && c !== 0x27) || c === 0x3f || c === 0x60 || c === 0x7b || c === 0x7d;
const inUserinfoSet = (c: number) => inPathSet(c) || '/:;=@[\\]^|'.includes(String.fromCharCode(c));

/** UTF-8 percent-encoding of every code point `keep` does not accept, with upper-case hex as encoders write it. */
function percentEncode(value: string, keep: (c: number) => boolean): string {
  let out = '';
  for (const char of value) {
    const c = char.codePointAt(0)!;
    if (c < 0x80 && keep(c)) out += char;
    else for (const byte of new TextEncoder().encode(char)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** application/x-www-form-urlencoded, as URLSearchParams writes it (apiKey auth in the query is set this way). */
function formEncode(value: string): string {
  return percentEncode(value, (c) => isAlphanumeric(c) || c === 0x2a || c === 0x2d || c === 0x2e || c === 0x5f || c === 0x20).replace(/ /g, '+');
}

/** Inside a JSON string; `ascii` as serializers that escape every non-ASCII character (Python's default) write it. */
function jsonEscape(value: string, ascii: boolean): string {
  const escaped = JSON.stringify(value).slice(1, -1);
  return ascii ? escaped.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : escaped;
}

function htmlEscape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
