// no-empty-attributes: no attribute of the span (its own, scope or resource ones) has an empty value.
import type { Attributes } from '../../trace/model';
import { quoted, type Rule } from './rule';

export const noEmptyAttributes: Rule = {
  id: 'no-empty-attributes',
  check(span, memo) {
    const errors = memo.of('no-empty-attributes', span.resource, emptyKeys).map((key) => `resource attribute ${quoted(key)} is empty`);
    for (const key of emptyKeys(span.scope.attributes)) errors.push(`scope attribute ${quoted(key)} is empty`);
    for (const key of emptyKeys(span.attributes)) errors.push(`${quoted(key)} is empty`);
    return errors;
  },
};

function emptyKeys(map: Attributes): string[] {
  const keys: string[] = [];
  for (const [key, value] of map) if (value === '') keys.push(key);
  return keys;
}
