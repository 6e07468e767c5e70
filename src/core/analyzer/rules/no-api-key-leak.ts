// no-api-key-leak: no HTTP span records the Authorization or X-API-Key header of its request or response. Header
// attributes are `http.request.header.<name>` (lower case; before 1.23 with `-` written `_`), their values string
// arrays. A value an instrumentation or a collector redacted is no leak. Messages never repeat the value.
import { PASS, type Rule } from './rule';

const HEADER = /^http\.(request|response)\.header\.(authorization|x[-_]api[-_]key)$/i;
const REDACTED = /^(\*+|x{3,}|\[?redacted\]?|<redacted>)$/i;

export const noApiKeyLeak: Rule = {
  id: 'no-api-key-leak',
  check(span, type) {
    if (type !== 'http') return PASS;
    let errors: string[] | undefined;
    for (const [key, value] of span.attributes) {
      const m = HEADER.exec(key);
      if (m && leaks(value))
        (errors ??= []).push(`${key} records the ${m[1]}'s ${m[2]!.toLowerCase().startsWith('auth') ? 'Authorization' : 'X-API-Key'} header`);
    }
    return errors ?? PASS;
  },
};

function leaks(value: string): boolean {
  let values: unknown[] = [value];
  if (value.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (Array.isArray(parsed)) values = parsed;
    } catch {
      // Not a JSON array: the text itself is the header's value.
    }
  }
  return values.some((v) => typeof v === 'string' && v.trim() !== '' && !REDACTED.test(v.trim()));
}
