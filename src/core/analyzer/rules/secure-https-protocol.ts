// secure-https-protocol: an HTTP span's scheme and URL, where it records them, are https.
import { ATTR, readAll, spanType } from '../conventions';
import type { Rule } from './rule';
import { urlHead } from './urls';

export const secureHttpsProtocol: Rule = {
  id: 'secure-https-protocol',
  check(span) {
    if (spanType(span) !== 'http') return [];
    const errors: string[] = [];
    for (const [name, value] of readAll(span, ATTR.scheme)) {
      if (value.trim().toLowerCase() !== 'https') errors.push(`${name} is ${value.trim() || 'empty'}`);
    }
    for (const [name, value] of readAll(span, ATTR.url)) {
      const head = urlHead(value);
      // A relative URL (some server instrumentations record only the path) says nothing about the scheme.
      if (head && head.scheme !== 'https') errors.push(`${name} is ${head.scheme} (${head.origin})`);
    }
    return errors;
  },
};
