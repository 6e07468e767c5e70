// Prints a selector in canonical form: the click-to-assert generator writes ASTs back into test files, and
// parsing the printed text selects the same spans.
import type { FilterNode, PseudoNode, SelectorAst, StepNode, ValueNode } from './ast';
import { KEY_PATH, NUMBER, parseSelector } from './parser';

/** `span[tracetest.span.type="http" name="POST /pokemon"]`, chains joined by `, `; the empty selector is `''`. */
export function formatSelector(ast: SelectorAst): string {
  return ast.chains.map((chain) => chain.steps.map(formatStep).join(' ')).join(', ');
}

/**
 * A double-quoted selector string whose content reads back as `value`: only `"` needs a backslash, every other
 * backslash is kept as written. A value ending in a backslash cannot be written (the backslash would escape
 * the closing quote), so generators must not offer one.
 */
export function quoteSelectorValue(value: string): string {
  return `"${value.replaceAll('"', '\\"')}"`;
}

function formatStep(step: StepNode): string {
  return `span[${step.filters.map(formatFilter).join(' ')}]${step.pseudos.map(formatPseudo).join('')}`;
}

function formatFilter(filter: FilterNode): string {
  const key = KEY_PATH.test(filter.key.name) ? filter.key.name : quoteSelectorValue(filter.key.name);
  const operator = filter.operator.operator;
  const value = formatValue(filter.value);
  return operator === 'contains' || operator === 'not-contains' ? `${key} ${operator} ${value}` : `${key}${operator}${value}`;
}

function formatValue(value: ValueNode): string {
  const bare = value.type === 'number' ? NUMBER.test(value.text) : value.type === 'boolean' && (value.text === 'true' || value.text === 'false');
  return bare ? value.text : quoteSelectorValue(value.text);
}

function formatPseudo(pseudo: PseudoNode): string {
  return pseudo.name === 'nth_child' ? `:nth_child(${pseudo.n})` : `:${pseudo.name}`;
}

/** Selectors compare by their canonical form (formatSelector of the parse); unparsable ones by trimmed text. */
export function canonicalSelector(selector: string): string {
  const parsed = parseSelector(selector.trim());
  return parsed.ok ? formatSelector(parsed.value) : selector.trim();
}
