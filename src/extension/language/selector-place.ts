// Where in a (possibly half-typed) span selector a position is, by replaying the selector grammar over the
// core lexer's tokens: before `span[`, on a key, an operator, a value, a pseudo-class. No vscode import.
import { tokenize, type Token } from '../../core/selector/lexer';

export type SelectorRole = 'step' | 'key' | 'operator' | 'value' | 'pseudo';

export interface SelectorPlace {
  role: SelectorRole;
  /** Text typed so far of the token being completed (a string's content without its quote). */
  partial: string;
  /** [start, end) in the selector text that a completion replaces (a string includes its quotes). */
  start: number;
  end: number;
  /** The key of the filter, for `operator` and `value`. */
  key?: string;
  /** The opening quote already typed, for a `value` inside a string. */
  quote?: '"' | "'";
  /** Keys already used in this `span[...]`. */
  usedKeys: string[];
}

type State = 'start' | 'afterSpan' | 'key' | 'op' | 'value' | 'afterValue' | 'afterStep' | 'pseudo' | 'nthOpen' | 'nthArg' | 'nthClose' | 'dead';

interface Machine {
  state: State;
  key?: string;
  usedKeys: string[];
}

const WORD_END = /[\p{L}\p{N}_.+-]+$/u;
const WORD_START = /^[\p{L}\p{N}_.+-]*/u;

function step(m: Machine, t: Token): void {
  const word = t.type === 'word' ? t.text : undefined;
  const punct = t.type === 'punct' ? t.text : undefined;
  switch (m.state) {
    case 'start':
      m.state = word === 'span' ? 'afterSpan' : 'dead';
      return;
    case 'afterSpan':
      m.state = punct === '[' ? 'key' : 'dead';
      if (punct === '[') m.usedKeys = [];
      return;
    case 'key':
    case 'afterValue':
      if (punct === ']') m.state = 'afterStep';
      else if (punct === ',' && m.state === 'afterValue') m.state = 'key';
      else if (t.type === 'word' || t.type === 'string') {
        m.key = t.text;
        m.usedKeys.push(t.text);
        m.state = 'op';
      } else m.state = 'dead';
      return;
    case 'op':
      m.state = t.type === 'op' || word === 'contains' || word === 'not-contains' ? 'value' : 'dead';
      return;
    case 'value':
      m.state = t.type === 'word' || t.type === 'string' ? 'afterValue' : 'dead';
      return;
    case 'afterStep':
      if (punct === ':') m.state = 'pseudo';
      else if (punct === ',') m.state = 'start';
      else if (word === 'span') m.state = 'afterSpan';
      else m.state = 'dead';
      return;
    case 'pseudo':
      m.state = word === 'first' || word === 'last' ? 'afterStep' : word === 'nth_child' ? 'nthOpen' : 'dead';
      return;
    case 'nthOpen':
      m.state = punct === '(' ? 'nthArg' : 'dead';
      return;
    case 'nthArg':
      m.state = t.type === 'word' ? 'nthClose' : 'dead';
      return;
    case 'nthClose':
      m.state = punct === ')' ? 'afterStep' : 'dead';
      return;
    default:
      return;
  }
}

function roleOf(state: State, followsSpace: boolean): SelectorRole | undefined {
  switch (state) {
    case 'start':
      return 'step';
    case 'key':
      return 'key';
    case 'afterValue':
      return followsSpace ? 'key' : undefined;
    case 'op':
      return 'operator';
    case 'value':
      return 'value';
    case 'afterStep':
      return followsSpace ? 'step' : undefined;
    case 'pseudo':
      return 'pseudo';
    default:
      return undefined;
  }
}

/** The place of `index` in `text` for completion. Undefined where nothing can be typed (inside `nth_child(`…). */
export function selectorPlaceAt(text: string, index: number): SelectorPlace | undefined {
  const prefix = text.slice(0, index);
  const tokens = tokenize(prefix);
  const last = tokens[tokens.length - 1]!;
  let complete: typeof tokens;
  let partial = '';
  let start = index;
  let end = index;
  let quote: '"' | "'" | undefined;
  if (last.type === 'invalid' && last.message.startsWith('unterminated string')) {
    // Inside a string: the completion replaces it whole, closing quote included.
    quote = prefix[last.offset] as '"' | "'";
    partial = prefix.slice(last.offset + 1);
    start = last.offset;
    const close = findClosingQuote(text, index, quote);
    end = close < 0 ? lineEnd(text, index) : close + 1;
    complete = tokens.slice(0, -1);
  } else if (last.type === 'invalid') {
    return undefined;
  } else {
    complete = tokens.slice(0, -1); // drop `end`
    const word = WORD_END.exec(prefix)?.[0];
    const lastToken = complete[complete.length - 1];
    if (word && lastToken?.type === 'word' && lastToken.offset + lastToken.length === index) {
      partial = word;
      start = index - word.length;
      end = index + (WORD_START.exec(text.slice(index))?.[0].length ?? 0);
      complete = complete.slice(0, -1);
    }
  }
  const m: Machine = { state: 'start', usedKeys: [] };
  for (const t of complete) {
    step(m, t);
    if (m.state === 'dead') return undefined;
  }
  const before = complete[complete.length - 1];
  const followsSpace = before !== undefined && before.offset + before.length < start;
  let role = roleOf(m.state, followsSpace || partial !== '');
  if (quote && role !== 'value' && role !== 'key') return undefined;
  if (role === 'key' && m.state === 'afterValue' && !followsSpace) role = undefined;
  if (!role) return undefined;
  const place: SelectorPlace = { role, partial, start, end, usedKeys: [...m.usedKeys] };
  if ((role === 'operator' || role === 'value') && m.key !== undefined) place.key = m.key;
  if (quote) place.quote = quote;
  return place;
}

function findClosingQuote(text: string, from: number, quote: string): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\' && text[i + 1] === quote) {
      i++;
      continue;
    }
    if (text[i] === quote) return i;
    if (text[i] === '\n') return -1;
  }
  return -1;
}

function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl;
}

/** What the token under `index` is, for hover: a key (with its name), a value of a key, or a pseudo-class. */
export function selectorTokenAt(text: string, index: number): { role: SelectorRole; text: string; key?: string; start: number; end: number } | undefined {
  const tokens = tokenize(text);
  const m: Machine = { state: 'start', usedKeys: [] };
  for (const t of tokens) {
    if (t.type === 'invalid' || t.type === 'end') return undefined;
    const stateBefore = m.state;
    const keyBefore = m.key;
    step(m, t);
    if (index >= t.offset && index < t.offset + t.length) {
      const span = { text: t.text, start: t.offset, end: t.offset + t.length };
      if ((stateBefore === 'key' || stateBefore === 'afterValue') && (t.type === 'word' || t.type === 'string')) return { role: 'key', ...span };
      if (stateBefore === 'op') return { role: 'operator', ...span, ...(keyBefore !== undefined ? { key: keyBefore } : {}) };
      if (stateBefore === 'value') return { role: 'value', ...span, ...(keyBefore !== undefined ? { key: keyBefore } : {}) };
      if (stateBefore === 'pseudo') return { role: 'pseudo', ...span };
      if (stateBefore === 'start' || stateBefore === 'afterStep') return t.type === 'word' && t.text === 'span' ? { role: 'step', ...span } : undefined;
      return undefined;
    }
    if (m.state === 'dead') return undefined;
  }
  return undefined;
}
