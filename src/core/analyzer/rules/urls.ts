// Reading hosts and schemes out of URL attributes without the URL class (core runs in the webview and in Node alike,
// and attribute values are often not quite URLs), and showing a URL in a message without its path, query or
// credentials: those may hold tokens.

const URL_HEAD = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^/?#:]*)(:\d+)?/i;

export interface UrlHead {
  scheme: string;
  host: string;
  /** `scheme://host:port`: what a message may show. */
  origin: string;
}

export function urlHead(value: string): UrlHead | undefined {
  const m = URL_HEAD.exec(value.trim());
  if (!m) return undefined;
  const scheme = m[1]!.toLowerCase();
  return { scheme, host: m[2]!, origin: `${scheme}://${m[2]!}${m[3] ?? ''}` };
}

const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4 = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);
const IPV4_INSIDE = new RegExp(`(?<![\\d.])${OCTET}(\\.${OCTET}){3}(?![\\d.])`);

export function isIpv4(host: string): boolean {
  return IPV4.test(host);
}

/** The first IPv4 address written inside a text (a connection string), if any. */
export function ipv4Inside(text: string): string | undefined {
  return IPV4_INSIDE.exec(text)?.[0];
}
