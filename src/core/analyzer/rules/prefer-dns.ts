// prefer-dns: a client reaches its server by name. Client spans' URL, peer name and database connection string
// must not name an IPv4 address. (Tracetest also read `http.url` on server spans, where it records how the server
// was called rather than what it calls.)
import { ATTR, readAll } from '../conventions';
import type { Rule } from './rule';
import { ipv4Inside, isIpv4, urlHead } from './urls';

export const preferDns: Rule = {
  id: 'prefer-dns',
  check(span) {
    if (span.kind !== 'client') return [];
    const errors: string[] = [];
    for (const [name, value] of readAll(span, ATTR.url)) {
      const head = urlHead(value);
      if (head && isIpv4(head.host)) errors.push(`${name} calls an IP address (${head.origin}) instead of a host name`);
    }
    for (const [name, value] of readAll(span, ATTR.peerName)) {
      if (isIpv4(value.trim())) errors.push(`${name} is an IP address (${value.trim()}) instead of a host name`);
    }
    for (const [name, value] of readAll(span, ATTR.dbConnectionString)) {
      const ip = ipv4Inside(value);
      if (ip) errors.push(`${name} connects to an IP address (${ip}) instead of a host name`);
    }
    return errors;
  },
};
