// prefer-dns: a client reaches its server by name. Client spans' URL, peer name and database connection string
// must not name an IPv4 address. (Tracetest also read `http.url` on server spans, where it records how the server
// was called rather than what it calls.)
import { ATTR } from '../conventions';
import { PASS, type Rule } from './rule';
import { ipv4Inside, isIpv4, urlHead } from './urls';

export const preferDns: Rule = {
  id: 'prefer-dns',
  check(span) {
    if (span.kind !== 'client') return PASS;
    let errors: string[] | undefined;
    for (const name of ATTR.url) {
      const head = urlHead(span.attributes.get(name) ?? '');
      if (head && isIpv4(head.host)) (errors ??= []).push(`${name} calls an IP address (${head.origin}) instead of a host name`);
    }
    for (const name of ATTR.peerName) {
      const value = span.attributes.get(name)?.trim();
      if (value && isIpv4(value)) (errors ??= []).push(`${name} is an IP address (${value}) instead of a host name`);
    }
    for (const name of ATTR.dbConnectionString) {
      const ip = ipv4Inside(span.attributes.get(name) ?? '');
      if (ip) (errors ??= []).push(`${name} connects to an IP address (${ip}) instead of a host name`);
    }
    return errors ?? PASS;
  },
};
