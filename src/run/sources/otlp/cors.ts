// Which web pages may send traces to the receiver. A browser attaches `Origin` to every cross-origin request and
// to every POST, so a request from a page not allowed here is refused before its body is read, whether it came
// with a preflight (JSON, protobuf) or without one (a `text/plain` or form POST).
//
// Allowed: pages served from this machine (`http://localhost:3000`, `http://127.0.0.1:5173`, `http://[::1]:8080`,
// `http://app.localhost`: any port), which is where a browser app under test runs in development; and the origins
// listed (`tracelens.otlp.corsOrigins`, `run --otlp-cors-origin`, `receiver --cors-origin`), exactly or with `*` for
// any run of characters in the host (`https://*.example.com`), or `*` for every origin. Chrome's Private Network
// Access (a public page reaching a loopback address) is only ever granted to loopback origins.

export interface CorsPolicy {
  /** Whether a page of this origin (the Origin header as sent) may send traces. */
  allows(origin: string): boolean;
  /** Whether the origin is a page served from this machine. */
  isLoopback(origin: string): boolean;
}

/** Thrown for a listed origin that is not `scheme://host[:port]` (with `*` wildcards) or `*`. */
export class CorsOriginError extends Error {
  override readonly name = 'CorsOriginError';
}

const ORIGIN_PATTERN = /^(https?):\/\/([a-z0-9*.-]+|\[[0-9a-f:.]+\])(?::(\d{1,5}|\*))?$/;

/** The policy for these listed origins (checked here: a bad entry throws CorsOriginError naming it). */
export function corsPolicy(listed: readonly string[]): CorsPolicy {
  const patterns = listed.map(originMatcher);
  return {
    allows: (origin) => isLoopbackOrigin(origin) || patterns.some((matches) => matches(normalise(origin))),
    isLoopback: isLoopbackOrigin,
  };
}

function originMatcher(entry: string): (origin: string) => boolean {
  const text = entry.trim().toLowerCase().replace(/\/$/, '');
  if (text === '*') return () => true;
  if (text === 'null') return (origin) => origin === 'null';
  const match = ORIGIN_PATTERN.exec(text);
  if (!match) {
    throw new CorsOriginError(
      `CORS origin "${entry}" is not an origin: write scheme://host[:port] (e.g. https://app.example.com, https://*.example.com:8443) or *`,
    );
  }
  const [, scheme, host, port] = match;
  const defaultPort = scheme === 'https' ? '443' : '80';
  const wanted = `${scheme}://${host}${port && port !== defaultPort ? `:${port}` : ''}`;
  if (!wanted.includes('*')) return (origin) => origin === wanted;
  const source = wanted.split('*').map(escapeRegExp).join('[^/:]*');
  const regex = new RegExp(`^${source}$`);
  return (origin) => regex.test(origin);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `https://App.example.com:443` → `https://app.example.com`; anything unparsable stays as it is (and matches nothing). */
function normalise(origin: string): string {
  try {
    const url = new URL(origin);
    return url.origin === 'null' ? origin : url.origin;
  } catch {
    return origin;
  }
}

/** `http(s)://localhost`, `*.localhost`, `127.x.x.x` or `[::1]`, any port. */
export function isLoopbackOrigin(origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  // An origin is scheme://host[:port] and nothing else.
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || url.pathname !== '/' || url.search || url.hash) return false;
  const host = url.hostname;
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
