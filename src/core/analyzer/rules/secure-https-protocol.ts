// secure-https-protocol: an HTTP span's scheme and URL, where it records them, are https.
import { ATTR } from '../conventions';
import { PASS, type Rule } from './rule';
import { urlHead } from './urls';

export const secureHttpsProtocol: Rule = {
  id: 'secure-https-protocol',
  check(span, type) {
    if (type !== 'http') return PASS;
    let errors: string[] | undefined;
    for (const name of ATTR.scheme) {
      const value = span.attributes.get(name)?.trim();
      if (value !== undefined && value.toLowerCase() !== 'https') (errors ??= []).push(`${name} is ${value || 'empty'}`);
    }
    for (const name of ATTR.url) {
      // A relative URL (some server instrumentations record only the path) says nothing about the scheme.
      const head = urlHead(span.attributes.get(name) ?? '');
      if (head && head.scheme !== 'https') (errors ??= []).push(`${name} is ${head.scheme} (${head.origin})`);
    }
    return errors ?? PASS;
  },
};
