// no-empty-attributes: no attribute of the span (its own, scope or resource ones) has an empty value.
import type { Attributes } from '../../trace/model';
import { PASS, quoted, type Rule } from './rule';

export const noEmptyAttributes: Rule = {
  id: 'no-empty-attributes',
  check(span, _type, memo) {
    const resource = memo.ofMap('no-empty-attributes', span.resource, emptyResourceKeys);
    const scope = span.scope.attributes.size > 0 ? emptyKeys(span.scope.attributes, 'scope attribute ') : PASS;
    const own = emptyKeys(span.attributes, '');
    if (scope.length === 0 && own.length === 0) return resource;
    return [...resource, ...scope, ...own];
  },
};

function emptyResourceKeys(map: Attributes): readonly string[] {
  return emptyKeys(map, 'resource attribute ');
}

function emptyKeys(map: Attributes, what: string): readonly string[] {
  let errors: string[] | undefined;
  for (const [key, value] of map) if (value === '') (errors ??= []).push(`${what}${quoted(key)} is empty`);
  return errors ?? PASS;
}
