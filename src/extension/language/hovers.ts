// Hover text for a test file at an offset, computed without vscode: what an attribute's values were in the last
// trace, how many spans a selector matched, and short docs for keys and the words of both languages.
import { FILTERS, FUNCTIONS } from '../../core/expression/index';
import { select } from '../../core/selector/index';
import type { Trace } from '../../core/trace/model';
import { selectedSpans, type LanguageSources } from './completions';
import { contextAt, fileOffset, type LanguageContext } from './context';
import { expressionWordAt } from './expression-place';
import { COMPARATOR_DOCS, DURATION_DOC, PSEUDO_DOCS, REFERENCE_DOCS, SELECTOR_OPERATOR_DOCS, SPAN_PROPERTY_DOCS } from './keywords';
import { describeSchema, schemaAt } from './schema-walk';
import { selectorTokenAt } from './selector-place';
import { attributeStats, preview, type AttributeStat } from './trace-stats';

export interface HoverText {
  markdown: string;
  /** File offsets of the word the hover is about. */
  start: number;
  end: number;
}

/** How many distinct values a hover lists. */
export const TOP_VALUES = 8;
const NO_TRACE = '_No trace yet: run the test, or use **Tracelens: Use Trace File for Completion…**._';

export function computeHover(text: string, offset: number, sources: LanguageSources): HoverText | undefined {
  const context = contextAt(text, offset);
  if (!context) return undefined;
  switch (context.kind) {
    case 'key':
      return keyHover(text, context);
    case 'value': {
      const doc = context.schema ? describeSchema(context.schema) : undefined;
      const s = context.yaml.scalar;
      return doc ? { markdown: doc, start: s.start, end: s.end } : undefined;
    }
    case 'selector':
      return selectorHover(context, sources.traceFor(context.info));
    case 'expression':
      return expressionHover(context, sources);
  }
}

function keyHover(text: string, context: Extract<LanguageContext, { kind: 'key' }>): HoverText | undefined {
  const { yaml, info } = context;
  const key = text.slice(yaml.start, yaml.end);
  if (!key) return undefined;
  const node = schemaAt(info.typeName, [...yaml.path, key]);
  const doc = node ? describeSchema(node) : undefined;
  return doc ? { markdown: `**${key}**: ${doc}`, start: yaml.start, end: yaml.end } : undefined;
}

function valuesTable(stat: AttributeStat | undefined, name: string, scope: string): string {
  if (!stat) return `\`${name}\` does not appear on ${scope}.`;
  const lines = stat.values.slice(0, TOP_VALUES).map((v) => `| \`${preview(v.value, 60).replaceAll('|', '\\|').replaceAll('`', "'")}\` | ${v.count} |`);
  const more = stat.values.length > TOP_VALUES ? `\n\n…and ${stat.values.length - TOP_VALUES} more values.` : '';
  return `\`${name}\` on ${stat.spans} of ${scope}:\n\n| value | spans |\n|---|---:|\n${lines.join('\n')}${more}`;
}

function selectorHover(context: Extract<LanguageContext, { kind: 'selector' }>, trace: Trace | undefined): HoverText | undefined {
  const { yaml } = context;
  const scalar = yaml.scalar;
  const token = selectorTokenAt(scalar.text, yaml.cursor);
  const at = (start: number, end: number) => ({ start: fileOffset(scalar, start), end: fileOffset(scalar, end) });
  if (token?.role === 'operator') return { markdown: SELECTOR_OPERATOR_DOCS[token.text] ?? '', ...at(token.start, token.end) };
  if (token?.role === 'pseudo') {
    const doc = PSEUDO_DOCS[token.text];
    return doc ? { markdown: `**:${token.text}**: ${doc.doc}`, ...at(token.start, token.end) } : undefined;
  }
  if (token?.role === 'key') {
    const own = SPAN_PROPERTY_DOCS[token.text];
    const head = own ? `**${token.text}**: ${own}\n\n` : '';
    const body = trace
      ? valuesTable(
          attributeStats(trace, { properties: true }).find((s) => s.name === token.text),
          token.text,
          `the ${trace.spans.length} spans of the last trace`,
        )
      : NO_TRACE;
    return { markdown: head + body, ...at(token.start, token.end) };
  }
  return { markdown: matchSummary(trace, scalar.text), start: scalar.start, end: scalar.end };
}

/** "Matched 2 spans in the last trace: …" for a whole selector. */
export function matchSummary(trace: Trace | undefined, selector: string): string {
  if (!trace) return NO_TRACE;
  const result = select(trace, selector);
  if (!result.ok) return `The selector does not parse: ${result.error.message}`;
  const spans = result.value;
  if (spans.length === 0) return `Matched **no span** of the ${trace.spans.length} in the last trace.`;
  const counts = new Map<string, number>();
  for (const s of spans) counts.set(s.name, (counts.get(s.name) ?? 0) + 1);
  const names = [...counts].slice(0, TOP_VALUES).map(([name, n]) => `- ${name}${n > 1 ? ` ×${n}` : ''}`);
  const more = counts.size > TOP_VALUES ? `\n- …${counts.size - TOP_VALUES} more` : '';
  return `Matched **${spans.length}** of the ${trace.spans.length} spans in the last trace:\n\n${names.join('\n')}${more}`;
}

function expressionHover(context: Extract<LanguageContext, { kind: 'expression' }>, sources: LanguageSources): HoverText | undefined {
  const { yaml, info } = context;
  const scalar = yaml.scalar;
  const word = expressionWordAt(scalar.text, yaml.cursor);
  if (!word) return undefined;
  const range = { start: fileOffset(scalar, word.start), end: fileOffset(scalar, word.end) };
  if (word.role === 'ref') {
    if (word.store === 'attr') {
      const trace = sources.traceFor(info);
      if (!trace) return { markdown: `${REFERENCE_DOCS.attr}\n\n${NO_TRACE}`, ...range };
      const spans = selectedSpans(trace, info.itemSelector);
      const scope = spans
        ? `the ${spans.length} span${spans.length === 1 ? '' : 's'} the selector matched`
        : `the ${trace.spans.length} spans of the last trace`;
      const stat = attributeStats(trace, { properties: false, ...(spans ? { spans } : {}) }).find((s) => s.name === word.name);
      return { markdown: valuesTable(stat, word.name, scope), ...range };
    }
    const value = sources.variables.get(word.name);
    const where =
      value !== undefined
        ? `\`${word.name}\` = \`${preview(value, 80)}\` in the active variable set.`
        : info.outputs.includes(word.name)
          ? `\`${word.name}\` is an output of this test.`
          : `\`${word.name}\` is not defined in the active variable set.`;
    return { markdown: `${where}\n\n${REFERENCE_DOCS[word.store]}`, ...range };
  }
  if (word.role === 'filter' || word.role === 'function') {
    const spec = (word.role === 'filter' ? FILTERS : FUNCTIONS).find((f) => f.name === word.text);
    return spec ? { markdown: `\`${spec.usage}\`\n\n${spec.description}`, ...range } : undefined;
  }
  if (word.role === 'comparator') return { markdown: `\`${word.text}\`: ${COMPARATOR_DOCS[word.text] ?? ''}`, ...range };
  return { markdown: DURATION_DOC, ...range };
}
