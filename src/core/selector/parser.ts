// Selector grammar (language.md §2). A loop over tokens with no recursion, so no input can blow the stack or
// take more than linear time; the first error stops parsing and says what was expected and what was found.
import type { Result } from '../text-position';
import { sourceError } from '../text-position';
import type { ChainNode, FilterNode, KeyNode, Operator, OperatorNode, PseudoNode, SelectorAst, StepNode, ValueNode } from './ast';
import type { Token } from './lexer';
import { tokenize, where } from './lexer';
import { readNumber } from './numbers';

/** `ident ( "." ident )*`, identifiers of letters, digits, `_` and `-`. */
export const KEY_PATH = /^[\p{L}\p{N}_-]+(?:\.[\p{L}\p{N}_-]+)*$/u;

export const NUMBER = /^[+-]?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const POSITIVE_INTEGER = /^\d+$/;
const OPERATOR_LIST = '=, !=, contains, not-contains, <, <=, >, >=';

/** Stops the parse: carries the error out of the nested loops without exceptions. */
class ParseFailure {
  constructor(
    readonly offset: number,
    readonly length: number,
    readonly message: string,
  ) {}
}

export function parseSelector(text: string): Result<SelectorAst> {
  const outcome = new Parser(text).selector();
  if (outcome instanceof ParseFailure) return { ok: false, error: sourceError(text, outcome.offset, outcome.length, outcome.message) };
  return { ok: true, value: outcome };
}

class Parser {
  private readonly tokens: Token[];
  private pos = 0;

  constructor(private readonly text: string) {
    this.tokens = tokenize(text);
  }

  selector(): SelectorAst | ParseFailure {
    const ast: SelectorAst = { kind: 'selector', chains: [], offset: 0, length: this.text.length };
    if (this.peek().type === 'end') return ast;
    for (;;) {
      const chain = this.chain(ast.chains.length > 0);
      if (chain instanceof ParseFailure) return chain;
      ast.chains.push(chain);
      const next = this.peek();
      if (next.type === 'end') return ast;
      if (isPunct(next, ',')) {
        this.pos++;
        continue;
      }
      return this.fail(next, `expected \`span[\`, \`,\`, a pseudo-class or end of selector but found ${this.describe(next)}`);
    }
  }

  private chain(afterComma: boolean): ChainNode | ParseFailure {
    const steps: StepNode[] = [];
    do {
      const step = this.step(steps.length === 0 ? (afterComma ? ' after `,`' : '') : '');
      if (step instanceof ParseFailure) return step;
      steps.push(step);
    } while (isWord(this.peek(), 'span'));
    const first = steps[0]!;
    const last = steps[steps.length - 1]!;
    return { kind: 'chain', steps, offset: first.offset, length: last.offset + last.length - first.offset };
  }

  private step(context: string): StepNode | ParseFailure {
    const start = this.peek();
    if (!isWord(start, 'span')) {
      return this.fail(start, `expected \`span[\`${context} but found ${this.describe(start)}`);
    }
    this.pos++;
    const open = this.peek();
    if (!isPunct(open, '[')) return this.fail(open, `expected \`[\` after \`span\` but found ${this.describe(open)}`);
    this.pos++;

    const filters: FilterNode[] = [];
    let close = this.peek();
    while (!isPunct(close, ']')) {
      let expected = 'an attribute key, `,` or `]`';
      if (filters.length === 0) expected = 'an attribute key or `]`';
      else if (isPunct(close, ',')) {
        this.pos++;
        expected = 'an attribute key after `,`';
      } else if (close.type === 'end') return this.fail(close, 'expected `]` but found end of selector');
      const filter = this.filter(expected);
      if (filter instanceof ParseFailure) return filter;
      filters.push(filter);
      close = this.peek();
    }
    this.pos++;

    const pseudos: PseudoNode[] = [];
    while (isPunct(this.peek(), ':')) {
      const pseudo = this.pseudo();
      if (pseudo instanceof ParseFailure) return pseudo;
      pseudos.push(pseudo);
    }
    const end = pseudos.length > 0 ? pseudos[pseudos.length - 1]! : close;
    return { kind: 'step', filters, pseudos, offset: start.offset, length: end.offset + end.length - start.offset };
  }

  private filter(expected: string): FilterNode | ParseFailure {
    const key = this.key(expected);
    if (key instanceof ParseFailure) return key;
    const operator = this.operator(key);
    if (operator instanceof ParseFailure) return operator;
    const value = this.value(operator);
    if (value instanceof ParseFailure) return value;
    return { kind: 'filter', key, operator, value, offset: key.offset, length: value.offset + value.length - key.offset };
  }

  private key(expected: string): KeyNode | ParseFailure {
    const token = this.peek();
    if (token.type === 'string') {
      this.pos++;
      return { kind: 'key', name: token.text, quoted: true, offset: token.offset, length: token.length };
    }
    if (token.type === 'word') {
      if (!KEY_PATH.test(token.text)) {
        return this.fail(
          token,
          `invalid key \`${clip(token.text)}\``,
          ` (a key is names joined by dots, like http.status_code; quote any other key: "${clip(token.text)}")`,
        );
      }
      this.pos++;
      return { kind: 'key', name: token.text, quoted: false, offset: token.offset, length: token.length };
    }
    return this.fail(token, `expected ${expected} but found ${this.describe(token)}`);
  }

  private operator(key: KeyNode): OperatorNode | ParseFailure {
    const token = this.peek();
    let operator: Operator | undefined;
    if (token.type === 'op') operator = token.text;
    else if (token.type === 'word' && (token.text === 'contains' || token.text === 'not-contains')) operator = token.text;
    if (!operator) {
      return this.fail(token, `expected an operator (${OPERATOR_LIST}) after \`${clip(key.name)}\` but found ${this.describe(token)}`);
    }
    this.pos++;
    return { kind: 'operator', operator, offset: token.offset, length: token.length };
  }

  private value(operator: OperatorNode): ValueNode | ParseFailure {
    const token = this.peek();
    let value: ValueNode | undefined;
    if (token.type === 'string') {
      value = { kind: 'value', type: 'string', text: token.text, offset: token.offset, length: token.length };
    } else if (token.type === 'word' && NUMBER.test(token.text)) {
      value = { kind: 'value', type: 'number', text: token.text, offset: token.offset, length: token.length };
    } else if (token.type === 'word' && (token.text === 'true' || token.text === 'false')) {
      value = { kind: 'value', type: 'boolean', text: token.text, offset: token.offset, length: token.length };
    }
    if (!value) {
      let hint = '';
      if (isOp(token, '=') && operator.operator === '=') hint = ' (use a single `=`)';
      else if (token.type === 'word') hint = ` (quote text: "${clip(token.text)}")`;
      return this.fail(token, `expected a value (a quoted string, a number, true or false) but found ${this.describe(token)}`, hint);
    }
    const ordering = operator.operator === '<' || operator.operator === '<=' || operator.operator === '>' || operator.operator === '>=';
    if (ordering && readNumber(value.text) === undefined) {
      // Never matching anything would hide the mistake; a selector must not silently select nothing.
      return this.fail(token, `\`${operator.operator}\` compares numbers but ${this.describe(token)} is not a number`);
    }
    this.pos++;
    return value;
  }

  private pseudo(): PseudoNode | ParseFailure {
    const colon = this.peek();
    this.pos++;
    const name = this.peek();
    if (name.type !== 'word') {
      return this.fail(name, `expected a pseudo-class (:first, :last or :nth_child(n)) after \`:\` but found ${this.describe(name)}`);
    }
    this.pos++;
    if (name.text === 'first' || name.text === 'last') {
      return { kind: 'pseudo', name: name.text, offset: colon.offset, length: name.offset + name.length - colon.offset };
    }
    if (name.text !== 'nth_child') {
      const length = name.offset + name.length - colon.offset;
      return this.failAt(colon.offset, length, `unknown pseudo-class \`:${clip(name.text)}\``, ' (expected :first, :last or :nth_child(n))');
    }
    const open = this.peek();
    if (!isPunct(open, '(')) return this.fail(open, `expected \`(\` after \`:nth_child\` but found ${this.describe(open)}`);
    this.pos++;
    const argument = this.peek();
    // Positions past any trace select nothing; clamping keeps them printable as digits.
    const n = argument.type === 'word' && POSITIVE_INTEGER.test(argument.text) ? Math.min(Number(argument.text), Number.MAX_SAFE_INTEGER) : 0;
    if (n < 1) return this.fail(argument, `\`:nth_child\` needs a positive integer (1 is the first span) but found ${this.describe(argument)}`);
    this.pos++;
    const close = this.peek();
    if (!isPunct(close, ')')) {
      const written = this.text.slice(argument.offset, argument.offset + argument.length);
      return this.fail(close, `expected \`)\` after \`:nth_child(${written}\` but found ${this.describe(close)}`);
    }
    this.pos++;
    return {
      kind: 'pseudo',
      name: 'nth_child',
      n,
      argument: { offset: argument.offset, length: argument.length },
      offset: colon.offset,
      length: close.offset + 1 - colon.offset,
    };
  }

  private peek(): Token {
    return this.tokens[this.pos]!;
  }

  /** Fails at `token`; an invalid token (bad character, unterminated string) reports its own problem instead. */
  private fail(token: Token, message: string, hint = ''): ParseFailure {
    if (token.type === 'invalid') return new ParseFailure(token.offset, token.length, token.message);
    return this.failAt(token.offset, token.length, message, hint);
  }

  private failAt(offset: number, length: number, message: string, hint = ''): ParseFailure {
    return new ParseFailure(offset, length, `${message} at ${where(this.text, offset)}${hint}`);
  }

  private describe(token: Token): string {
    switch (token.type) {
      case 'end':
        return 'end of selector';
      case 'string':
        return `string ${token.quote}${clip(token.text)}${token.quote}`;
      case 'invalid':
        return `\`${clip(this.text.slice(token.offset, token.offset + token.length))}\``;
      default:
        return `\`${clip(token.text)}\``;
    }
  }
}

function isPunct(token: Token, text: string): boolean {
  return token.type === 'punct' && token.text === text;
}

function isWord(token: Token, text: string): boolean {
  return token.type === 'word' && token.text === text;
}

function isOp(token: Token, text: string): boolean {
  return token.type === 'op' && token.text === text;
}

/** Long words and strings are cut in messages so one bad token cannot flood the problems panel. */
function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}
