// Completion items for a test file at an offset, computed without vscode: keys and values from the schema,
// selector and assertion words, attribute names and values observed in the last trace, snippets.
import { FILTERS, FUNCTIONS, COMPARATORS, SELECTED_SPANS_COUNT } from '../../core/expression/index';
import { OPERATORS, quoteSelectorValue, select } from '../../core/selector/index';
import { KEY_PATH } from '../../core/selector/parser';
import type { Span, Trace } from '../../core/trace/model';
import { contextAt, fileOffset, type LanguageContext } from './context';
import type { DocumentInfo } from './document-info';
import { COMPARATOR_DOCS, PSEUDO_DOCS, REFERENCE_DOCS, SELECTOR_OPERATOR_DOCS, SPAN_KINDS, SPAN_PROPERTY_DOCS } from './keywords';
import { describeSchema, propertiesOf, valuesOf } from './schema-walk';
import { indentSnippet, OUTPUT_SNIPPET, SPEC_SNIPPET, TEMPLATES, TRIGGER_SNIPPETS } from './snippets';
import { attributeStats, preview } from './trace-stats';
import { ITEM, type ScalarText } from './yaml-position';

export type SuggestionKind = 'property' | 'value' | 'attribute' | 'operator' | 'keyword' | 'function' | 'filter' | 'variable' | 'snippet';

export interface Suggestion {
  label: string;
  kind: SuggestionKind;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** Text inserted; `snippet` says it uses snippet syntax. Defaults to the label. */
  insertText?: string;
  snippet?: boolean;
  /** File offsets replaced; defaults to the word at the cursor. */
  range?: { start: number; end: number };
  sortText?: string;
  filterText?: string;
  /** Open the suggestions again after inserting (e.g. after `attr:` or an operator). */
  retrigger?: boolean;
}

/** What completion and hover read besides the text: the trace to draw observed values from, and variables. */
export interface LanguageSources {
  traceFor(info: DocumentInfo): Trace | undefined;
  variables: ReadonlyMap<string, string>;
}

export function computeCompletions(text: string, offset: number, sources: LanguageSources): Suggestion[] {
  const context = contextAt(text, offset);
  if (!context) return [];
  switch (context.kind) {
    case 'key':
      return keySuggestions(context);
    case 'value':
      return valueSuggestions(context);
    case 'selector':
      return selectorSuggestions(context, sources.traceFor(context.info));
    case 'expression':
      return expressionSuggestions(context, sources);
  }
}

const rank = (i: number): string => String(i).padStart(5, '0');

function keySuggestions(context: Extract<LanguageContext, { kind: 'key' }>): Suggestion[] {
  const { yaml, schema, info } = context;
  const range = { start: yaml.start, end: yaml.end };
  const out: Suggestion[] = [];
  const path = yaml.path;
  const under = (...segments: string[]): boolean => path.length === segments.length && segments.every((s, i) => path[i] === s);
  const snippet = (label: string, body: string, detail: string): Suggestion => ({
    label,
    kind: 'snippet',
    detail,
    insertText: indentSnippet(body, yaml.column),
    snippet: true,
    range,
    sortText: `~${label}`,
  });
  if (path.length === 0 && yaml.siblings.length === 0) {
    for (const t of TEMPLATES) out.push(snippet(`Test: ${t.label}`, t.body.trimEnd(), t.description));
  }
  const isTest = info.typeName === 'Test';
  const itemOf = (list: string): boolean => isTest && under('spec', list, ITEM) && yaml.siblings.length === 0;
  const listOf = (list: string): boolean => isTest && under('spec', list);
  if (itemOf('specs')) out.push(snippet('spec', SPEC_SNIPPET, 'A selector and its assertions'));
  if (listOf('specs')) out.push(snippet('- spec', `- ${indentSnippet(SPEC_SNIPPET, 2)}`, 'A selector and its assertions'));
  if (itemOf('outputs')) out.push(snippet('output', OUTPUT_SNIPPET, 'A value from the trace, stored as a variable'));
  if (listOf('outputs')) out.push(snippet('- output', `- ${indentSnippet(OUTPUT_SNIPPET, 2)}`, 'A value from the trace, stored as a variable'));
  if (isTest && under('spec', 'trigger') && !yaml.siblings.includes('type')) {
    for (const [type, s] of Object.entries(TRIGGER_SNIPPETS)) out.push(snippet(`trigger: ${type}`, s.body, s.label));
  }
  if (isTest && under('spec') && !yaml.siblings.includes('trigger')) {
    for (const [type, s] of Object.entries(TRIGGER_SNIPPETS)) out.push(snippet(`trigger: ${type}`, `trigger:\n${indentSnippet(`  ${s.body}`, 2)}`, s.label));
  }
  if (!schema) return out;
  propertiesOf(schema)
    .filter((p) => !yaml.siblings.includes(p.name))
    .forEach((p, i) => {
      const nested = p.types.length > 0 && p.types.every((t) => t === 'object' || t === 'array');
      const list = p.types.length === 1 && p.types[0] === 'array';
      const insertText = nested ? `${p.name}:\n${' '.repeat(yaml.column + 2)}${list ? '- ' : ''}$0` : `${p.name}: $0`;
      out.push({
        label: p.name,
        kind: 'property',
        detail: p.required ? `${p.types.join(' | ')} (required)` : p.types.join(' | '),
        ...(p.description ? { documentation: p.description } : {}),
        insertText,
        snippet: true,
        range,
        sortText: `${p.required ? 0 : 1}${rank(i)}`,
        retrigger: p.values.length > 0 || nested,
      });
    });
  return out;
}

function valueSuggestions(context: Extract<LanguageContext, { kind: 'value' }>): Suggestion[] {
  const { schema, yaml } = context;
  if (!schema) return [];
  const range = scalarRange(yaml.scalar);
  const doc = describeSchema(schema);
  return valuesOf(schema).map((value, i) => ({ label: value, kind: 'value', range, sortText: rank(i), ...(doc ? { documentation: doc } : {}) }));
}

function scalarRange(scalar: ScalarText): { start: number; end: number } {
  return { start: scalar.start, end: Math.max(scalar.end, scalar.start) };
}

/** The quote a nested string uses so it does not end the YAML scalar it is written in. */
function innerQuote(scalar: ScalarText): '"' | "'" {
  return scalar.style === 'double' ? "'" : '"';
}

function selectorSuggestions(context: Extract<LanguageContext, { kind: 'selector' }>, trace: Trace | undefined): Suggestion[] {
  const { place, yaml } = context;
  if (!place) return [];
  const range = { start: fileOffset(yaml.scalar, place.start), end: fileOffset(yaml.scalar, place.end) };
  switch (place.role) {
    case 'step':
      return [
        {
          label: 'span[]',
          kind: 'keyword',
          insertText: 'span[$0]',
          snippet: true,
          range,
          documentation: 'A step: the spans whose attributes match every filter inside the brackets. `span[]` selects every span.',
          retrigger: true,
        },
      ];
    case 'key': {
      const stats = trace ? attributeStats(trace, { properties: true }) : [];
      const out: Suggestion[] = stats
        .filter((s) => !place.usedKeys.includes(s.name))
        .map((s, i) => ({
          label: s.name,
          kind: 'attribute' as const,
          detail: `${s.spans} span${s.spans === 1 ? '' : 's'} · e.g. ${preview(s.values[0]?.value ?? '')}`,
          ...(SPAN_PROPERTY_DOCS[s.name] ? { documentation: SPAN_PROPERTY_DOCS[s.name] } : {}),
          insertText: KEY_PATH.test(s.name) ? s.name : quoteSelectorKey(s.name, innerQuote(yaml.scalar)),
          range,
          sortText: rank(i),
        }));
      if (!trace) {
        for (const [name, doc] of Object.entries(SPAN_PROPERTY_DOCS)) out.push({ label: name, kind: 'attribute', documentation: doc, range });
        out.push({ label: 'tracetest.span.type', kind: 'attribute', detail: 'http, database, rpc, messaging, faas, exception, general', range });
      }
      return out;
    }
    case 'operator':
      return OPERATORS.map((op, i) => ({
        label: op,
        kind: 'operator' as const,
        documentation: SELECTOR_OPERATOR_DOCS[op]!,
        insertText: op === 'contains' || op === 'not-contains' ? `${op} ` : op,
        range,
        sortText: rank(i),
        retrigger: true,
      }));
    case 'value': {
      const key = place.key ?? '';
      const quote = place.quote ?? innerQuote(yaml.scalar);
      const stat = trace ? attributeStats(trace, { properties: true }).find((s) => s.name === key) : undefined;
      const values = stat ? stat.values : key === 'kind' ? SPAN_KINDS.map((value) => ({ value, count: 0 })) : [];
      return values.map((v, i) => ({
        label: v.value,
        kind: 'value' as const,
        ...(v.count > 0 ? { detail: `${v.count} span${v.count === 1 ? '' : 's'}` } : {}),
        insertText: quoteWith(v.value, quote),
        filterText: quoteWith(v.value, quote),
        range,
        sortText: rank(i),
      }));
    }
    case 'pseudo':
      return Object.entries(PSEUDO_DOCS).map(([name, p], i) => ({
        label: name,
        kind: 'keyword' as const,
        documentation: p.doc,
        insertText: p.insert,
        snippet: true,
        range,
        sortText: rank(i),
      }));
  }
}

function quoteSelectorKey(name: string, quote: '"' | "'"): string {
  return quote === '"' ? quoteSelectorValue(name) : quoteWith(name, quote);
}

/** A string literal of either language: a backslash before the enclosing quote, every other character as is. */
export function quoteWith(value: string, quote: '"' | "'"): string {
  return `${quote}${value.replaceAll(quote, `\\${quote}`)}${quote}`;
}

function expressionSuggestions(context: Extract<LanguageContext, { kind: 'expression' }>, sources: LanguageSources): Suggestion[] {
  const { place, yaml, info, mode } = context;
  if (!place) return [];
  const range = { start: fileOffset(yaml.scalar, place.start), end: fileOffset(yaml.scalar, place.end) };
  const trace = sources.traceFor(info);
  switch (place.role) {
    case 'ref': {
      if (place.store === 'attr') {
        const spans = trace ? selectedSpans(trace, info.itemSelector) : undefined;
        const stats = trace ? attributeStats(trace, { properties: false, ...(spans ? { spans } : {}) }) : [];
        const out: Suggestion[] = stats.map((s, i) => ({
          label: s.name,
          kind: 'attribute' as const,
          detail: `${s.spans} span${s.spans === 1 ? '' : 's'} · e.g. ${preview(s.values[0]?.value ?? '')}`,
          range,
          sortText: rank(i),
        }));
        if (mode === 'assertion') {
          out.push({ label: SELECTED_SPANS_COUNT, kind: 'attribute', detail: 'number of spans the selector selected', range, sortText: rank(99999) });
        }
        return out;
      }
      const out: Suggestion[] = [...sources.variables].map(([name, value]) => ({
        label: name,
        kind: 'variable' as const,
        detail: preview(value),
        range,
      }));
      for (const name of info.outputs) {
        if (!sources.variables.has(name)) out.push({ label: name, kind: 'variable', detail: 'output of this test', range });
      }
      return out;
    }
    case 'filter':
      return FILTERS.map((f, i) => ({
        label: f.name,
        kind: 'filter' as const,
        detail: f.usage,
        documentation: f.description,
        insertText: filterSnippet(f.name, f.minArgs),
        snippet: true,
        range,
        sortText: rank(i),
      }));
    case 'comparator':
      return COMPARATORS.map((c, i) => ({
        label: c,
        kind: 'operator' as const,
        documentation: COMPARATOR_DOCS[c]!,
        insertText: `${c} `,
        range,
        sortText: rank(i),
        retrigger: true,
      }));
    case 'operand': {
      const out: Suggestion[] = [];
      if (place.comparedAttr && trace) {
        const spans = selectedSpans(trace, info.itemSelector);
        const stat = attributeStats(trace, { properties: false, ...(spans ? { spans } : {}) }).find((s) => s.name === place.comparedAttr);
        const quote = place.inString ?? innerQuote(yaml.scalar);
        stat?.values.slice(0, 50).forEach((v, i) => {
          const text = /^\d+(\.\d+)?$/.test(v.value) && !place.inString ? v.value : quoteWith(v.value, quote);
          out.push({
            label: v.value,
            kind: 'value',
            detail: `${v.count} span${v.count === 1 ? '' : 's'}`,
            insertText: text,
            filterText: text,
            range,
            sortText: rank(i),
          });
        });
      }
      if (place.inString) return out;
      for (const store of ['attr', 'var', 'env'] as const) {
        out.push({ label: `${store}:`, kind: 'keyword', documentation: REFERENCE_DOCS[store], range, sortText: `1${store}`, retrigger: true });
      }
      for (const f of FUNCTIONS) {
        out.push({
          label: f.name,
          kind: 'function',
          detail: f.usage,
          documentation: f.description,
          insertText: functionSnippet(f.usage),
          snippet: true,
          range,
          sortText: `2${f.name}`,
        });
      }
      return out;
    }
  }
}

function filterSnippet(name: string, minArgs: number): string {
  if (minArgs === 0) return name;
  if (name === 'get_index') return `${name} \${1:0}`;
  return `${name} '\${1}'`;
}

/** `randomInt(min, max)` → `randomInt(${1:min}, ${2:max})`; optional arguments are left out. */
function functionSnippet(usage: string): string {
  const m = /^(\w+)\((.*)\)$/.exec(usage);
  if (!m) return usage;
  const args = m[2]!
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a && !a.endsWith('?'));
  return `${m[1]}(${args.map((a, i) => `\${${i + 1}:${a}}`).join(', ')})`;
}

/** The spans the spec's selector selects in `trace`, when it parses and selects some. */
export function selectedSpans(trace: Trace, selector: string | undefined): Span[] | undefined {
  if (selector === undefined) return undefined;
  const result = select(trace, selector);
  return result.ok && result.value.length > 0 ? result.value : undefined;
}
