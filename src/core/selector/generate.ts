// Click-to-assert (design.md "Click-to-assert"): selector candidates that select exactly one clicked span, and the
// assertion text for one of its attributes.
//
// Candidates are built only from an allow-list of stable, low-cardinality attributes (never ids, timestamps,
// durations or raw URLs), each value checked for id-like content. The search runs on bitsets over span order:
// one bitset per `key="value"` filter (the language's equality tested once per distinct value of the key), then
// intersected. Every candidate is printed with formatSelector and checked
// with `select` before it is offered.
import type { Comparator } from '../expression/ast';
import { formatDuration } from '../expression/durations';
import { valueFromText } from '../expression/values';
import { spanValue } from '../trace/build';
import { attributeColumn } from '../trace/columns';
import type { Span, Trace } from '../trace/model';
import { TRIGGER_SPAN_NAME } from '../trace/model';
import type { FilterNode, SelectorAst, StepNode } from './ast';
import { formatSelector } from './format';
import { matchSelector, valueTest } from './match';
import { parseSelector } from './parser';

export type SelectorStrategy = 'attributes' | 'parent' | 'nth_child';

export interface SelectorCandidate {
  selector: string;
  /** Spans the selector selects in this trace: always 1, since every candidate is checked. */
  count: number;
  strategy: SelectorStrategy;
}

export interface SelectorCandidateOptions {
  /** At most this many candidates (1–3); default 3. */
  max?: number;
}

const SPAN_TYPE = 'tracetest.span.type';
const SPAN_DURATION = 'tracetest.span.duration';

/**
 * Attributes a candidate may use after `tracetest.span.type`, in order of preference. Each group is one
 * concept under its semantic-convention names (newest first); a span contributes the first acceptable one.
 */
const PREFERRED: ReadonlyArray<readonly string[]> = [
  ['name'],
  ['service.name'],
  ['http.route'],
  ['http.request.method', 'http.method'],
  ['db.system.name', 'db.system'],
  ['db.operation.name', 'db.operation'],
  ['db.collection.name', 'db.sql.table'],
  ['db.namespace', 'db.name'],
  ['rpc.system'],
  ['rpc.service'],
  ['rpc.method'],
  ['messaging.system'],
  ['messaging.destination.name', 'messaging.destination'],
  ['messaging.operation.type', 'messaging.operation'],
  ['graphql.operation.name'],
  ['graphql.operation.type'],
  ['faas.trigger'],
  ['kind'],
  ['peer.service'],
  ['server.address', 'net.peer.name'],
];

/** Used only when nothing above makes the span unique: a status can change from one run to the next. */
const LAST_RESORT: ReadonlyArray<readonly string[]> = [['http.response.status_code', 'http.status_code'], ['rpc.grpc.status_code']];
const STATUS_KEYS = new Set(LAST_RESORT.flat());

/** Most attributes added to the span type and name in one candidate. */
const MAX_EXTRA_FILTERS = 3;
/** How far up the parent-scoped search looks. */
const ANCESTOR_LIMIT = 10;
const MAX_NAME_LENGTH = 100;
const MAX_VALUE_LENGTH = 64;

const UUID = /[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}/i;
const DIGIT_RUN = /\d{3,}/;
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * True when `value` of `key` is stable enough to select on: not empty, not long, no control characters, no
 * uuid, no run of 3+ digits, no all-digit segment (`/users/7`), no hex or opaque token (`5fb397be`, base64 ids),
 * and printable in a selector (a value ending in a backslash is not). Status codes are numbers by nature.
 */
export function isStableSelectorValue(key: string, value: string): boolean {
  if (value === '' || value.endsWith('\\') || CONTROL.test(value)) return false;
  if (STATUS_KEYS.has(key)) return /^\d{1,3}$/.test(value);
  if (value.length > (key === 'name' ? MAX_NAME_LENGTH : MAX_VALUE_LENGTH)) return false;
  if (UUID.test(value) || DIGIT_RUN.test(value)) return false;
  for (const token of value.split(/[^A-Za-z0-9]+/)) {
    if (token === '') continue;
    if (/^\d+$/.test(token)) return false;
    if (token.length >= 8 && /^[0-9a-f]+$/i.test(token) && /\d/.test(token)) return false;
    if (token.length >= 16 && /\d/.test(token) && /[A-Za-z]/.test(token)) return false;
  }
  return true;
}

interface Filter {
  key: string;
  value: string;
}

/** One `span[...]`, with an optional `:nth_child(n)`. */
interface Step {
  filters: Filter[];
  nth?: number;
}

/** What a span offers to selectors: the filters always used, then the optional ones in preference order. */
interface Description {
  base: Filter[];
  extras: Filter[];
  /** Index in `extras` where the last-resort filters start. */
  lastResortFrom: number;
}

export function selectorCandidates(trace: Trace, span: Span, options: SelectorCandidateOptions = {}): SelectorCandidate[] {
  const max = Math.max(1, Math.floor(options.max ?? 3));
  const out: SelectorCandidate[] = [];
  const offer = (steps: Step[], strategy: SelectorStrategy): boolean => {
    if (out.length >= max) return false;
    const selector = formatSelector(toAst(steps));
    if (out.some((c) => c.selector === selector)) return false;
    // The printed text is what gets written to the file: check that text, not the AST it came from.
    const parsed = parseSelector(selector);
    const selected = parsed.ok ? matchSelector(trace, parsed.value) : [];
    if (selected.length !== 1 || selected[0] !== span) return false;
    out.push({ selector, count: selected.length, strategy });
    return true;
  };

  if (
    span.isTrigger &&
    offer(
      [
        {
          filters: [
            { key: SPAN_TYPE, value: 'general' },
            { key: 'name', value: TRIGGER_SPAN_NAME },
          ],
        },
      ],
      'attributes',
    )
  )
    return out;

  const search = searchOf(trace);
  const own = describe(span);
  const baseBits = search.bits(own.base);

  // 1. Attributes only: the minimal sets of extra filters that make the span unique, fewest first.
  const sets = minimalUniqueSets(search, baseBits, own, max);
  for (const set of sets) offer([{ filters: [...own.base, ...set.map((i) => own.extras[i]!)] }], 'attributes');
  const narrow = narrowest(search, own);
  if (sets.length === 0 && narrow.count === 1) offer([{ filters: narrow.filters }], 'attributes');
  if (out.length >= max || count(baseBits) === 1) return out;

  // 2. Parent-scoped: the nearest ancestor whose subtree holds no other span like this one.
  const ownSteps: Filter[][] = [own.base];
  if (narrow.count > 1 && narrow.filters.length > own.base.length) ownSteps.push(narrow.filters);
  let ancestor = span.parent;
  for (let depth = 0; ancestor && !ancestor.isTrigger && depth < ANCESTOR_LIMIT && out.length < max; depth++, ancestor = ancestor.parent) {
    if (parentScoped(search, ancestor, span, ownSteps, offer)) break;
  }

  // 3. Position among the spans the narrowest step selects (language.md §2: nth_child is 1-based in the step's list).
  if (narrow.count > 1) {
    const position = positionIn(narrow.bits, span.index);
    offer([{ filters: narrow.filters, nth: position }], 'nth_child');
  }
  return out;
}

function describe(span: Span): Description {
  const base: Filter[] = [{ key: SPAN_TYPE, value: spanValue(span, SPAN_TYPE) ?? 'general' }];
  const extras: Filter[] = [];
  const pick = (group: readonly string[]): Filter | undefined => {
    for (const key of group) {
      const value = spanValue(span, key);
      if (value !== undefined && isStableSelectorValue(key, value)) return { key, value };
    }
    return undefined;
  };
  for (const group of PREFERRED) {
    const filter = pick(group);
    // The span name, when usable, is in every candidate: it is what a reader recognises in the trace.
    if (filter && filter.key === 'name') base.push(filter);
    else if (filter) extras.push(filter);
  }
  const lastResortFrom = extras.length;
  for (const group of LAST_RESORT) {
    const filter = pick(group);
    if (filter) extras.push(filter);
  }
  return { base, extras, lastResortFrom };
}

/**
 * Index sets of `own.extras` that, with the base filters, select only the span: by size, then preference order,
 * none a superset of another. Last-resort filters are considered only when nothing else works.
 */
function minimalUniqueSets(search: Search, baseBits: Uint32Array, own: Description, limit: number): number[][] {
  const found: number[][] = [];
  const tryPass = (size: number, lastResort: boolean): void => {
    for (let k = 0; k <= Math.min(MAX_EXTRA_FILTERS, size) && found.length < limit; k++) {
      for (const combo of combinations(size, k)) {
        if (lastResort && !combo.some((i) => i >= own.lastResortFrom)) continue;
        if (found.some((f) => f.every((i) => combo.includes(i)))) continue;
        const bits = combo.reduce((acc, i) => and(acc, search.bits([own.extras[i]!])), baseBits);
        if (count(bits) === 1) {
          found.push(combo);
          if (found.length >= limit) return;
        }
      }
    }
  };
  tryPass(own.lastResortFrom, false);
  if (found.length === 0) tryPass(own.extras.length, true);
  return found;
}

/** Lexicographic k-subsets of 0..n-1. */
function* combinations(n: number, k: number): Generator<number[]> {
  const combo = Array.from({ length: k }, (_, i) => i);
  if (k > n) return;
  for (;;) {
    yield combo.slice();
    let i = k - 1;
    while (i >= 0 && combo[i] === n - k + i) i--;
    if (i < 0) return;
    combo[i]!++;
    for (let j = i + 1; j < k; j++) combo[j] = combo[j - 1]! + 1;
  }
}

interface Narrowed {
  filters: Filter[];
  bits: Uint32Array;
  count: number;
}

/** The base filters plus, greedily in preference order, every extra filter that excludes more spans. */
function narrowest(search: Search, own: Description): Narrowed {
  const filters = own.base.slice();
  let bits = search.bits(filters);
  let n = count(bits);
  for (const extra of own.extras) {
    if (n === 1) break;
    const next = and(bits, search.bits([extra]));
    const m = count(next);
    if (m < n) {
      filters.push(extra);
      bits = next;
      n = m;
    }
  }
  return { filters, bits, count: n };
}

/** Offers `ancestor-step own-step` for the first pair of steps that selects only the span; true when one did. */
function parentScoped(
  search: Search,
  ancestor: Span,
  span: Span,
  ownSteps: Filter[][],
  offer: (steps: Step[], strategy: SelectorStrategy) => boolean,
): boolean {
  const described = describe(ancestor);
  const ancestorSteps: Filter[][] = [described.base];
  const narrow = narrowest(search, described);
  if (narrow.filters.length > described.base.length) ancestorSteps.push(narrow.filters);
  for (const ownStep of ownSteps) {
    const ownBits = search.bits(ownStep);
    for (const ancestorStep of ancestorSteps) {
      const under = and(search.inside(search.bits(ancestorStep)), ownBits);
      if (count(under) !== 1 || !has(under, span.index)) continue;
      if (offer([{ filters: ancestorStep }, { filters: ownStep }], 'parent')) return true;
    }
  }
  return false;
}

function toAst(steps: Step[]): SelectorAst {
  const at = { offset: 0, length: 0 };
  const filterNode = (f: Filter): FilterNode => ({
    kind: 'filter',
    ...at,
    key: { kind: 'key', name: f.key, quoted: false, ...at },
    operator: { kind: 'operator', operator: '=', ...at },
    value: { kind: 'value', type: 'string', text: f.value, ...at },
  });
  const stepNode = (s: Step): StepNode => ({
    kind: 'step',
    ...at,
    filters: s.filters.map(filterNode),
    pseudos: s.nth === undefined ? [] : [{ kind: 'pseudo', name: 'nth_child', n: s.nth, argument: at, ...at }],
  });
  return { kind: 'selector', ...at, chains: [{ kind: 'chain', ...at, steps: steps.map(stepNode) }] };
}

const searches = new WeakMap<Trace, Search>();

/** One search per trace: its bitsets serve every span clicked in it (spans of one kind share their filters). */
function searchOf(trace: Trace): Search {
  let search = searches.get(trace);
  if (!search) searches.set(trace, (search = new Search(trace)));
  return search;
}

const CANDIDATE_KEYS = [SPAN_TYPE, ...PREFERRED.flat(), ...LAST_RESORT.flat()];

/**
 * Reads the attribute columns the candidates search (columns.ts keeps them for the trace's lifetime) and numbers
 * their values, so that the first span clicked is as quick as the next: the trace panel calls it while idle after
 * showing a trace. Does one key after another while `timeLeft()` is above 0 ms; true once all are done (done keys
 * cost nothing again).
 */
export function prepareSelectorCandidates(trace: Trace, timeLeft: () => number = () => Infinity): boolean {
  const search = searchOf(trace);
  for (const key of CANDIDATE_KEYS) {
    if (timeLeft() <= 0) return false;
    search.valuesOf(key);
  }
  return true;
}

/** Bitsets over span order, one per `key="value"` filter, kept with the trace. */
class Search {
  private readonly cache = new Map<string, Uint32Array>();
  private readonly values = new Map<string, Values>();
  private readonly words: number;

  constructor(private readonly trace: Trace) {
    this.words = (trace.spans.length + 31) >>> 5;
  }

  /** Spans matching every filter. */
  bits(filters: readonly Filter[]): Uint32Array {
    let acc: Uint32Array | undefined;
    for (const f of filters) acc = acc ? and(acc, this.single(f)) : this.single(f);
    return acc ?? new Uint32Array(this.words).fill(0xffffffff);
  }

  /** Spans strictly inside the subtree of some span in `bits`. */
  inside(bits: Uint32Array): Uint32Array {
    const spans = this.trace.spans;
    const out = new Uint32Array(this.words);
    let swept = -1;
    for (let i = 0; i < spans.length; i++) {
      if (!has(bits, i)) continue;
      const end = spans[i]!.subtreeEnd;
      for (let j = Math.max(i, swept) + 1; j <= end; j++) out[j >>> 5]! |= 1 << (j & 31);
      if (end > swept) swept = end;
    }
    return out;
  }

  private single(filter: Filter): Uint32Array {
    const cacheKey = `${filter.key}\u0000${filter.value}`;
    let bits = this.cache.get(cacheKey);
    if (!bits) {
      bits = new Uint32Array(this.words);
      const { numbers, values } = this.valuesOf(filter.key);
      const matching = values.map(valueTest('=', filter.value));
      for (let i = 0; i < numbers.length; i++) if (matching[numbers[i]!]) bits[i >>> 5]! |= 1 << (i & 31);
      this.cache.set(cacheKey, bits);
    }
    return bits;
  }

  /**
   * A key's values, each once, and each span's as its number there (a missing one as the empty text, as the matcher
   * reads it): a filter is then tested once per distinct value rather than once per span.
   */
  valuesOf(key: string): Values {
    let found = this.values.get(key);
    if (!found) {
      const column = attributeColumn(this.trace, key);
      const numbers = new Uint32Array(column.length);
      const values: string[] = [];
      const numberOf = new Map<string, number>();
      // Neighbouring spans often share a value (most keys are missing from most spans): those skip the lookup.
      let previous: string | undefined;
      let n = 0;
      for (let i = 0; i < column.length; i++) {
        const value = column[i] ?? '';
        if (value !== previous) {
          previous = value;
          n = numberOf.get(value) ?? -1;
          if (n < 0) numberOf.set(value, (n = values.push(value) - 1));
        }
        numbers[i] = n;
      }
      this.values.set(key, (found = { numbers, values }));
    }
    return found;
  }
}

interface Values {
  numbers: Uint32Array;
  values: string[];
}

function and(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! & b[i]!;
  return out;
}

function has(bits: Uint32Array, index: number): boolean {
  return (bits[index >>> 5]! & (1 << (index & 31))) !== 0;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function count(bits: Uint32Array): number {
  let n = 0;
  for (let i = 0; i < bits.length; i++) if (bits[i] !== 0) n += popcount(bits[i]!);
  return n;
}

/** 1-based position of `index` among the set bits. */
function positionIn(bits: Uint32Array, index: number): number {
  let n = 0;
  const word = index >>> 5;
  for (let i = 0; i < word; i++) if (bits[i] !== 0) n += popcount(bits[i]!);
  const below = (index & 31) === 0 ? 0 : bits[word]! & (0xffffffff >>> (32 - (index & 31)));
  return n + popcount(below) + 1;
}

// ---------------------------------------------------------------------------------------------------------------
// Assertions

/** `attr:` names are letters, digits, `_`, `.` and `-` (language.md §3); other keys cannot be referenced. */
const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]+$/;
const NUMBER_TEXT = /^\d+(\.\d+)?$/;
const DURATION_TEXT = /^\d+(\.\d+)?(ns|us|ms|s|m|h)$/;

/** Whether `attr:<key>` can be written for this key. */
export function isAssertableKey(key: string): boolean {
  return ATTRIBUTE_NAME.test(key);
}

/**
 * `attr:<key> <comparator> <observed>`, which passes against `span` with `=`: numbers and durations bare
 * (`tracetest.span.duration` in its display unit, `27ms`), JSON objects and arrays single-quoted, anything else
 * double-quoted. Throws a RangeError when the key cannot be written as `attr:` or the span lacks the attribute.
 */
export function assertionFor(span: Span, key: string, comparator: Comparator = '='): string {
  if (!isAssertableKey(key)) {
    throw new RangeError(`attribute "${key}" cannot be referenced as attr:<name> (names are letters, digits, _ . -)`);
  }
  const observed = spanValue(span, key);
  if (observed === undefined) throw new RangeError(`span "${span.name}" has no attribute "${key}"`);
  return `attr:${key} ${comparator} ${assertionLiteral(key, observed)}`;
}

/** The expression literal for an attribute's observed text. */
export function assertionLiteral(key: string, text: string): string {
  if (key === SPAN_DURATION && /^\d+$/.test(text)) return formatDuration(BigInt(text));
  if (NUMBER_TEXT.test(text) || DURATION_TEXT.test(text)) return text;
  const type = valueFromText(text).type;
  if (type === 'json' || type === 'array') return quoteExpressionString(text, "'");
  return quoteExpressionString(text, '"');
}

/**
 * A quoted expression string whose value is exactly `text` (language.md §3): the quote gets a backslash; `${`,
 * which would start an interpolation, is written `${'$'}{`; a trailing backslash, which would escape the closing
 * quote, is followed by an empty interpolation.
 */
export function quoteExpressionString(text: string, quote: '"' | "'"): string {
  const other = quote === '"' ? "'" : '"';
  // A function replacement: in a replacement string `$'` would mean "the text after the match".
  let body = text.replaceAll(quote, () => `\\${quote}`).replaceAll('${', () => `\${${other}$${other}}{`);
  if (body.endsWith('\\')) body += `\${${other}${other}}`;
  return `${quote}${body}${quote}`;
}

/** `HTTP_STATUS_CODE` from `http.status_code`: the name proposed for an output of that attribute. */
export function outputNameFor(key: string): string {
  const name = key
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
  return /^[0-9]/.test(name) ? `_${name}` : name || 'OUTPUT';
}
