// A pasted `curl` command → the HTTP request it sends (method, URL, headers, body), read the way bash would split it
// (single and double quotes, $'…', backslashes, backslash-newlines) and the way curl reads its options. What it
// cannot turn into a request (a body from a file, a multipart form, a second command) is an error at its column.
import { sourceError, type Result, type SourceError } from '../text-position';

export interface CurlRequest {
  method: string;
  url: string;
  headers: Array<{ key: string; value: string }>;
  body?: string;
  /** `-u user:password`: the file gets an Authorization variable, never these. */
  user?: string;
  /** `-k`/`--insecure`. */
  insecure: boolean;
}

interface Word {
  text: string;
  /** Offset of the word's first character in the command. */
  at: number;
}

/** Options that take no argument and change nothing the test sends (output, progress, redirects, protocol). */
const IGNORED_FLAGS = new Set([
  '-s',
  '--silent',
  '-S',
  '--show-error',
  '-v',
  '--verbose',
  '-L',
  '--location',
  '--compressed',
  '-i',
  '--include',
  '-f',
  '--fail',
  '--fail-with-body',
  '-N',
  '--no-buffer',
  '-#',
  '--progress-bar',
  '-g',
  '--globoff',
  '--http1.0',
  '--http1.1',
  '--http2',
  '--http2-prior-knowledge',
  '--http3',
  '-0',
  '-q',
  '--disable',
  '--tr-encoding',
  '--no-keepalive',
  '--path-as-is',
  '-j',
  '--junk-session-cookies',
  '--location-trusted',
  '--raw',
  '-4',
  '--ipv4',
  '-6',
  '--ipv6',
  '--tcp-nodelay',
  '--no-progress-meter',
  '-l',
  '--list-only',
  '-Z',
  '--parallel',
]);
/** Options whose argument changes nothing the test sends (where output goes, timeouts, retries, TLS files, proxies). */
const IGNORED_WITH_VALUE = new Set([
  '-o',
  '--output',
  '-w',
  '--write-out',
  '-m',
  '--max-time',
  '--connect-timeout',
  '--retry',
  '--retry-delay',
  '--retry-max-time',
  '-c',
  '--cookie-jar',
  '--cacert',
  '--capath',
  '-E',
  '--cert',
  '--key',
  '--cert-type',
  '--key-type',
  '-x',
  '--proxy',
  '-U',
  '--proxy-user',
  '--resolve',
  '--connect-to',
  '--max-redirs',
  '-D',
  '--dump-header',
  '--limit-rate',
  '-y',
  '--speed-time',
  '-Y',
  '--speed-limit',
  '--interface',
  '--dns-servers',
  '--stderr',
  '--trace',
  '--trace-ascii',
  '--ciphers',
  '--tlsv1.2',
  '--noproxy',
  '--proto',
  '--proto-redir',
  '--unix-socket',
  '--abstract-unix-socket',
]);
const DATA = new Set(['-d', '--data', '--data-ascii', '--data-binary', '--data-raw', '--data-urlencode', '--json']);
/** Short options that take an argument, which may be attached (`-XPOST`, `-H'Accept: x'`). */
const SHORT_WITH_VALUE = new Set(['X', 'H', 'd', 'u', 'A', 'e', 'b', 'o', 'w', 'm', 'c', 'E', 'x', 'U', 'D', 'y', 'Y', 'F', 'T']);

export function parseCurl(command: string): Result<CurlRequest> {
  const split = splitWords(command);
  if (!split.ok) return split;
  const words = split.value;
  const fail = (word: Word, message: string, length = word.text.length): Result<CurlRequest> => ({
    ok: false,
    error: sourceError(command, word.at, Math.max(length, 1), message),
  });
  const first = words[0];
  if (!first) return { ok: false, error: sourceError(command, 0, 0, 'expected a curl command, got nothing') };
  if (!/(^|[/\\])curl(\.exe)?$/.test(first.text)) return fail(first, `expected a curl command: it starts with "${first.text}"`);

  let method: string | undefined;
  let url: Word | undefined;
  const headers: Array<{ key: string; value: string }> = [];
  const data: string[] = [];
  let json = false;
  let get = false;
  let head = false;
  let user: string | undefined;
  let insecure = false;
  const setUrl = (word: Word): string | undefined => {
    if (url) return `a second URL "${word.text}": one curl command, one request (the first URL is "${url.text}")`;
    url = word;
    return undefined;
  };

  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    let name = word.text;
    let value: Word | undefined;
    if (!name.startsWith('-') || name === '-') {
      const problem = setUrl(word);
      if (problem) return fail(word, problem);
      continue;
    }
    // `-XPOST`: a short option with its argument attached; `-sSL`: several short flags in one word.
    if (!name.startsWith('--') && name.length > 2) {
      const letters = name.slice(1);
      const withValue = [...letters].findIndex((l) => SHORT_WITH_VALUE.has(l));
      const flags = withValue === -1 ? letters : letters.slice(0, withValue);
      for (const letter of flags)
        if (!IGNORED_FLAGS.has(`-${letter}`) && letter !== 'k' && letter !== 'G' && letter !== 'I')
          return fail(word, `unknown curl option -${letter} in "${name}"`);
      if (flags.includes('k')) insecure = true;
      if (flags.includes('G')) get = true;
      if (flags.includes('I')) head = true;
      if (withValue === -1) continue;
      name = `-${letters[withValue]}`;
      const rest = letters.slice(withValue + 1);
      if (rest) value = { text: rest, at: word.at + withValue + 2 };
    }
    const takes = DATA.has(name) || IGNORED_WITH_VALUE.has(name) || VALUE_OPTIONS.has(name);
    if (takes && !value) {
      value = words[++i];
      if (!value) return fail(word, `${name} needs a value after it`);
    }
    if (IGNORED_FLAGS.has(name) || IGNORED_WITH_VALUE.has(name)) continue;
    switch (name) {
      case '-k':
      case '--insecure':
        insecure = true;
        continue;
      case '-G':
      case '--get':
        get = true;
        continue;
      case '-I':
      case '--head':
        head = true;
        continue;
      case '-X':
      case '--request':
        method = value!.text.toUpperCase();
        continue;
      case '--url': {
        const problem = setUrl(value!);
        if (problem) return fail(value!, problem);
        continue;
      }
      case '-H':
      case '--header': {
        const header = parseHeader(value!.text);
        if (!header) return fail(value!, `a header is "Name: value", got "${value!.text}"`);
        headers.push(header);
        continue;
      }
      case '-A':
      case '--user-agent':
        headers.push({ key: 'User-Agent', value: value!.text });
        continue;
      case '-e':
      case '--referer':
        headers.push({ key: 'Referer', value: value!.text });
        continue;
      case '-b':
      case '--cookie':
        if (!value!.text.includes('=')) return fail(value!, `-b reads cookies from a file ("${value!.text}"): pass them as "name=value" instead`);
        headers.push({ key: 'Cookie', value: value!.text });
        continue;
      case '-u':
      case '--user':
        user = value!.text;
        continue;
      case '-F':
      case '--form':
        return fail(word, 'multipart forms (-F) are not supported: send the body with -d, or write the test by hand');
      case '-T':
      case '--upload-file':
        return fail(word, 'uploading a file (-T) is not supported: put the body in the command with -d');
      default:
        if (DATA.has(name)) {
          const body = dataOf(name, value!);
          if (!body.ok) return fail(value!, body.error, 1);
          data.push(body.value);
          if (name === '--json') json = true;
          continue;
        }
        return fail(word, `unknown curl option ${name}`);
    }
  }
  if (!url) return { ok: false, error: sourceError(command, command.trimEnd().length, 0, 'the curl command has no URL') };

  let target = /^[a-z][a-z0-9+.-]*:\/\//i.test(url.text) ? url.text : `http://${url.text}`;
  let body = data.length > 0 ? data.join(json ? '' : '&') : undefined;
  if (get && body !== undefined) {
    target += `${target.includes('?') ? '&' : '?'}${body}`;
    body = undefined;
  }
  const has = (key: string) => headers.some((h) => h.key.toLowerCase() === key.toLowerCase());
  if (json) {
    if (!has('Content-Type')) headers.push({ key: 'Content-Type', value: 'application/json' });
    if (!has('Accept')) headers.push({ key: 'Accept', value: 'application/json' });
  } else if (body !== undefined && !has('Content-Type')) headers.push({ key: 'Content-Type', value: 'application/x-www-form-urlencoded' });
  return {
    ok: true,
    value: {
      method: method ?? (head ? 'HEAD' : body !== undefined ? 'POST' : 'GET'),
      url: target,
      headers,
      ...(body !== undefined ? { body } : {}),
      ...(user !== undefined ? { user } : {}),
      insecure,
    },
  };
}

const VALUE_OPTIONS = new Set([
  '-X',
  '--request',
  '--url',
  '-H',
  '--header',
  '-A',
  '--user-agent',
  '-e',
  '--referer',
  '-b',
  '--cookie',
  '-u',
  '--user',
  '-F',
  '--form',
  '-T',
  '--upload-file',
]);

/** `Name: value`; `Name;` is curl's way to send a header with an empty value. */
function parseHeader(text: string): { key: string; value: string } | undefined {
  const colon = text.indexOf(':');
  if (colon > 0) return { key: text.slice(0, colon).trim(), value: text.slice(colon + 1).trim() };
  if (/^[^\s;]+;$/.test(text)) return { key: text.slice(0, -1), value: '' };
  return undefined;
}

function dataOf(option: string, value: Word): Result<string, string> {
  const text = value.text;
  const raw = option === '--data-raw';
  if (!raw && text.startsWith('@'))
    return { ok: false, error: `${option} ${text} reads the body from a file, which a test cannot: paste the body itself (or use --data-raw)` };
  if (option !== '--data-urlencode')
    return { ok: true, value: option === '-d' || option === '--data' || option === '--data-ascii' ? text.replace(/[\r\n]/g, '') : text };
  // --data-urlencode: `content`, `=content` or `name=content`, the content URL-encoded.
  const eq = text.indexOf('=');
  if (eq === -1) return { ok: true, value: encodeURIComponent(text) };
  return { ok: true, value: `${text.slice(0, eq) ? `${text.slice(0, eq)}=` : ''}${encodeURIComponent(text.slice(eq + 1))}` };
}

const ANSI_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  E: '\x1b',
  f: '\f',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
};

/**
 * The command's words as bash splits them: quotes removed, escapes applied, backslash-newlines joined. A pipe, a
 * redirection or a second command is an error: only one curl command is read.
 */
export function splitWords(command: string): Result<Word[], SourceError> {
  const words: Word[] = [];
  let current: string | undefined;
  let at = 0;
  const fail = (offset: number, length: number, message: string): Result<Word[], SourceError> => ({
    ok: false,
    error: sourceError(command, offset, length, message),
  });
  const start = (i: number) => {
    if (current === undefined) {
      current = '';
      at = i;
    }
  };
  let i = 0;
  while (i < command.length) {
    const c = command[i]!;
    if (c === '\\') {
      const next = command[i + 1];
      if (next === '\n' || (next === '\r' && command[i + 2] === '\n')) {
        i += next === '\n' ? 2 : 3;
        continue;
      }
      // A backslash-newline pasted into one line (an input box) leaves a lone backslash before spaces: the same break.
      if (current === undefined && (next === ' ' || next === '\t')) {
        i++;
        continue;
      }
      start(i);
      if (next === undefined) return fail(i, 1, 'the command ends with a backslash');
      current += next;
      i += 2;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (current !== undefined) words.push({ text: current, at });
      current = undefined;
      i++;
      continue;
    }
    if (c === "'") {
      start(i);
      const end = command.indexOf("'", i + 1);
      if (end === -1) return fail(i, 1, 'this single quote is never closed');
      current += command.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (c === '$' && command[i + 1] === "'") {
      start(i);
      const read = ansiQuoted(command, i + 2);
      if (read === undefined) return fail(i, 2, "this $' quote is never closed");
      current += read.text;
      i = read.end + 1;
      continue;
    }
    if (c === '"') {
      start(i);
      let j = i + 1;
      let text = '';
      for (; j < command.length && command[j] !== '"'; j++) {
        const d = command[j]!;
        // Inside double quotes a backslash escapes only $ ` " \ and a newline (which it removes).
        if (d === '\\' && j + 1 < command.length && '$`"\\\n'.includes(command[j + 1]!)) {
          if (command[j + 1] !== '\n') text += command[j + 1];
          j++;
        } else text += d;
      }
      if (j >= command.length) return fail(i, 1, 'this double quote is never closed');
      current += text;
      i = j + 1;
      continue;
    }
    if (current === undefined && c === '#') {
      // A comment runs to the end of its line.
      const end = command.indexOf('\n', i);
      i = end === -1 ? command.length : end;
      continue;
    }
    if ('|;&<>`'.includes(c) || (c === '$' && command[i + 1] === '(')) {
      return fail(i, 1, `"${c}" is shell syntax (a pipe, redirection, second command or substitution): paste one curl command`);
    }
    start(i);
    current += c;
    i++;
  }
  if (current !== undefined) words.push({ text: current, at });
  return { ok: true, value: words };
}

/** The text of a $'…' quote starting at `from` (just after the quote), with its escapes applied; undefined if unclosed. */
function ansiQuoted(command: string, from: number): { text: string; end: number } | undefined {
  let text = '';
  for (let j = from; j < command.length; j++) {
    const d = command[j]!;
    if (d === "'") return { text, end: j };
    if (d !== '\\') {
      text += d;
      continue;
    }
    const e = command[++j];
    if (e === undefined) return undefined;
    const hex = (length: number) => {
      const digits = /^[0-9a-fA-F]+/.exec(command.slice(j + 1, j + 1 + length))?.[0];
      if (!digits) return false;
      text += String.fromCodePoint(parseInt(digits, 16));
      j += digits.length;
      return true;
    };
    if (e === 'x' && hex(2)) continue;
    if (e === 'u' && hex(4)) continue;
    if (e === 'U' && hex(8)) continue;
    const octal = /^[0-7]{1,3}/.exec(command.slice(j))?.[0];
    if (octal) {
      text += String.fromCharCode(parseInt(octal, 8));
      j += octal.length - 1;
      continue;
    }
    text += ANSI_ESCAPES[e] ?? `\\${e}`;
  }
  return undefined;
}
