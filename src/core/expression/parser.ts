// Recursive-descent parser for assertions, lone expressions and templates (language.md §3, §4). Unknown filters and
// functions and wrong argument counts are reported here, so the editor flags them before anything runs.
import type { Result } from '../text-position';
import type { AssertionAst, ExprAst, ExprNode, FilterNode, InterpolationPart, ProcessEnvPart, Quote, TemplateAst, TextPart } from './ast';
import type { Attempt, ExpressionError } from './errors';
import { fail, ok, quoted, toExpressionError } from './errors';
import { FILTERS, filterSpec } from './filters';
import { FUNCTIONS, functionSpec } from './functions';
import type { RawInterpolation, Token } from './lexer';
import { MAX_DEPTH, scanInterpolation, tokenize } from './lexer';

export function parseAssertion(text: string): Result<AssertionAst, ExpressionError> {
  const parser = Parser.over(text, 0, text.length, undefined, 0);
  return located(text, parser.assertion());
}

export function parseExpression(text: string): Result<ExprAst, ExpressionError> {
  const parser = Parser.over(text, 0, text.length, undefined, 0);
  const body = parser.whole('expression');
  return located(text, body.ok ? ok<ExprAst>({ kind: 'expression', source: text, body: body.value, offset: 0, length: text.length }) : body);
}

/** A trigger field: literal text with `${expr}` parts; `${NAME}` with a bare name reads the process environment. */
export function parseTemplate(text: string): Result<TemplateAst, ExpressionError> {
  const parts: TemplateAst['parts'] = [];
  let textStart = 0;
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '$' || text[i + 1] !== '{') {
      i++;
      continue;
    }
    if (i > textStart) parts.push({ kind: 'text', value: text.slice(textStart, i), offset: textStart, length: i - textStart });
    const close = scanInterpolation(text, i + 2, text.length, undefined, 1);
    if (!close.ok) return located(text, close);
    const part = templatePart(text, { kind: 'interpolation', start: i + 2, end: close.value, offset: i, length: close.value + 1 - i });
    if (!part.ok) return located(text, part);
    parts.push(part.value);
    i = textStart = close.value + 1;
  }
  if (i > textStart) parts.push({ kind: 'text', value: text.slice(textStart, i), offset: textStart, length: i - textStart });
  return { ok: true, value: { kind: 'template', source: text, parts, offset: 0, length: text.length } };
}

function templatePart(text: string, raw: RawInterpolation): Attempt<InterpolationPart | ProcessEnvPart> {
  const bare = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(text.slice(raw.start, raw.end));
  if (bare) return ok({ kind: 'process-env', name: bare[1]!, offset: raw.offset, length: raw.length });
  const parsed = Parser.interpolation(text, raw, undefined, 1);
  return parsed.ok ? ok(parsed.value.part) : parsed;
}

function located<T>(text: string, attempt: Attempt<T>): Result<T, ExpressionError> {
  return attempt.ok ? attempt : { ok: false, error: toExpressionError(text, attempt.error) };
}

const KNOWN_FILTERS = FILTERS.map((f) => f.name).join(', ');
const KNOWN_FUNCTIONS = FUNCTIONS.map((f) => f.name).join(', ');

class Parser {
  private pos = 0;
  /** Brackets currently open in this parser (parentheses, arrays, call arguments). */
  private open = 0;
  /** Depth of every composite node, so arithmetic chains (built iteratively) cannot grow deeper than MAX_DEPTH. */
  private readonly depths = new Map<ExprNode, number>();

  private constructor(
    private readonly text: string,
    private readonly tokens: Token[],
    private readonly nesting: number,
  ) {}

  static over(text: string, start: number, end: number, escapedQuote: Quote | undefined, nesting: number): Parser {
    return new Parser(text, tokenize(text, start, end, escapedQuote, nesting), nesting);
  }

  /** Parses the content of `${...}`; `depth` is the depth of the parsed expression tree. */
  static interpolation(
    text: string,
    raw: RawInterpolation,
    escapedQuote: Quote | undefined,
    nesting: number,
  ): Attempt<{ part: InterpolationPart; depth: number }> {
    if (nesting > MAX_DEPTH) return tooDeep(raw);
    const parser = Parser.over(text, raw.start, raw.end, escapedQuote, nesting);
    if (parser.peek().type === 'eof') return fail('parse', 'empty `${}`: put an expression inside', raw.offset, raw.length);
    const expr = parser.whole('interpolation');
    if (!expr.ok) return expr;
    return ok({ part: { kind: 'interpolation', expr: expr.value, offset: raw.offset, length: raw.length }, depth: parser.depthOf(expr.value) });
  }

  assertion(): Attempt<AssertionAst> {
    const left = this.expression();
    if (!left.ok) return left;
    const c = this.next();
    if (c.type !== 'comparator') {
      const hint = c.type === 'op' && left.value.kind === 'filtered' ? ' (put a filtered value in parentheses to do arithmetic on it)' : '';
      return this.unexpected(c, 'expected a comparator (=, !=, <, <=, >, >=, contains, not-contains)', hint);
    }
    const right = this.expression();
    if (!right.ok) return right;
    const end = this.next();
    if (end.type !== 'eof') return this.unexpected(end, 'expected the end of the assertion');
    return ok({
      kind: 'assertion',
      source: this.text,
      left: left.value,
      comparator: c.text,
      comparatorOffset: c.offset,
      comparatorLength: c.length,
      right: right.value,
      offset: 0,
      length: this.text.length,
    });
  }

  /** One expression that must use up every token. */
  whole(what: 'expression' | 'interpolation'): Attempt<ExprNode> {
    const expr = this.expression();
    if (!expr.ok) return expr;
    const end = this.next();
    if (end.type !== 'eof') return this.unexpected(end, what === 'expression' ? 'expected the end of the expression' : 'expected `}` to end the interpolation');
    return expr;
  }

  private peek(): Token {
    return this.tokens[this.pos]!;
  }

  private next(): Token {
    const t = this.tokens[this.pos]!;
    if (t.type !== 'eof' && t.type !== 'invalid') this.pos++;
    return t;
  }

  private unexpected(t: Token, expectation: string, hint = ''): Attempt<never> {
    if (t.type === 'invalid') return { ok: false, error: t.problem };
    const found = t.type === 'eof' ? 'the end' : quoted(this.text.slice(t.offset, t.offset + t.length));
    return fail('parse', `${expectation}, found ${found}${hint}`, t.offset, t.length);
  }

  private depthOf(node: ExprNode): number {
    return this.depths.get(node) ?? 1;
  }

  /** Records a composite node's depth; too deep is an error rather than a risk to the stack when evaluating. */
  private composite<T extends ExprNode>(node: T, children: ExprNode[], innerDepth = 0): Attempt<T> {
    const depth = 1 + children.reduce((max, c) => Math.max(max, this.depthOf(c)), innerDepth);
    if (depth > MAX_DEPTH) return tooDeep(node);
    this.depths.set(node, depth);
    return ok(node);
  }

  private expression(): Attempt<ExprNode> {
    const input = this.additive();
    if (!input.ok || !this.isPunct(this.peek(), '|')) return input;
    const filters: FilterNode[] = [];
    while (this.isPunct(this.peek(), '|')) {
      const filter = this.filter();
      if (!filter.ok) return filter;
      filters.push(filter.value);
    }
    const last = filters[filters.length - 1]!;
    const offset = input.value.offset;
    return this.composite({ kind: 'filtered', input: input.value, filters, offset, length: last.offset + last.length - offset }, [
      input.value,
      ...filters.flatMap((f) => f.args),
    ]);
  }

  private additive(): Attempt<ExprNode> {
    return this.chain(['+', '-'], () => this.multiplicative());
  }

  private multiplicative(): Attempt<ExprNode> {
    return this.chain(['*', '/'], () => this.term());
  }

  private chain(ops: string[], operand: () => Attempt<ExprNode>): Attempt<ExprNode> {
    let left = operand();
    while (left.ok) {
      const t = this.peek();
      if (t.type !== 'op' || !ops.includes(t.text)) break;
      this.next();
      const right = operand();
      if (!right.ok) return right;
      const offset = left.value.offset;
      left = this.composite(
        {
          kind: 'binary',
          op: t.text,
          opOffset: t.offset,
          left: left.value,
          right: right.value,
          offset,
          length: right.value.offset + right.value.length - offset,
        },
        [left.value, right.value],
      );
    }
    return left;
  }

  private isPunct(t: Token, text: string): boolean {
    return t.type === 'punct' && t.text === text;
  }

  private startsTerm(t: Token): boolean {
    return ['number', 'duration', 'string', 'ref', 'ident'].includes(t.type) || this.isPunct(t, '(') || this.isPunct(t, '[');
  }

  private term(): Attempt<ExprNode> {
    const t = this.next();
    switch (t.type) {
      case 'number':
        return ok({ kind: 'number', text: t.text, offset: t.offset, length: t.length });
      case 'op': {
        // A negative number literal (`attr:temperature > -5`); there is no general unary minus.
        const n = this.peek();
        if (t.text === '-' && n.type === 'number') {
          this.next();
          return ok({ kind: 'number', text: `-${n.text}`, offset: t.offset, length: n.offset + n.length - t.offset });
        }
        return this.unexpected(t, 'expected a value');
      }
      case 'duration':
        return ok({ kind: 'duration', amount: t.amount, unit: t.unit, offset: t.offset, length: t.length });
      case 'ref':
        return ok(
          t.store === 'attr'
            ? { kind: 'attr', name: t.name, nameOffset: t.nameOffset, offset: t.offset, length: t.length }
            : { kind: 'var', store: t.store, name: t.name, nameOffset: t.nameOffset, offset: t.offset, length: t.length },
        );
      case 'string':
        return this.string(t);
      case 'ident':
        return this.call(t);
      case 'punct':
        if (t.text === '(') return this.group(t);
        if (t.text === '[') return this.array(t);
        return this.unexpected(t, 'expected a value');
      default:
        return this.unexpected(t, 'expected a value');
    }
  }

  /** Guards the parser's own recursion: brackets open here plus the levels of the enclosing strings. */
  private bracketed<T>(opener: Token, body: () => Attempt<T>): Attempt<T> {
    if (this.nesting + this.open >= MAX_DEPTH) return tooDeep(opener);
    this.open++;
    const result = body();
    this.open--;
    return result;
  }

  private group(open: Token): Attempt<ExprNode> {
    return this.bracketed(open, () => {
      const inner = this.expression();
      if (!inner.ok) return inner;
      const close = this.next();
      if (!this.isPunct(close, ')')) return this.unexpected(close, 'expected `)`');
      return this.composite({ kind: 'group', expr: inner.value, offset: open.offset, length: close.offset + 1 - open.offset }, [inner.value]);
    });
  }

  /** Comma-separated expressions up to `closer`; the opener has been consumed. */
  private list(closer: ')' | ']'): Attempt<{ items: ExprNode[]; end: number }> {
    const items: ExprNode[] = [];
    if (this.isPunct(this.peek(), closer)) return ok({ items, end: this.next().offset + 1 });
    for (;;) {
      const item = this.expression();
      if (!item.ok) return item;
      items.push(item.value);
      const t = this.next();
      if (this.isPunct(t, closer)) return ok({ items, end: t.offset + 1 });
      if (!this.isPunct(t, ',')) return this.unexpected(t, `expected \`,\` or \`${closer}\``);
    }
  }

  private array(open: Token): Attempt<ExprNode> {
    return this.bracketed(open, () => {
      const list = this.list(']');
      if (!list.ok) return list;
      const { items, end } = list.value;
      return this.composite({ kind: 'array', items, offset: open.offset, length: end - open.offset }, items);
    });
  }

  private call(name: Token & { type: 'ident' }): Attempt<ExprNode> {
    if (!this.isPunct(this.peek(), '(')) {
      return fail(
        'parse',
        `unexpected word ${quoted(name.text)} (text needs quotes, e.g. '${name.text}'; a function call needs parentheses)`,
        name.offset,
        name.length,
      );
    }
    const spec = functionSpec(name.text);
    if (!spec) return fail('unknown-function', `unknown function ${quoted(name.text)} (known: ${KNOWN_FUNCTIONS})`, name.offset, name.length);
    const open = this.next();
    return this.bracketed(open, () => {
      const list = this.list(')');
      if (!list.ok) return list;
      const { items, end } = list.value;
      const node = { kind: 'call' as const, name: name.text, args: items, offset: name.offset, length: end - name.offset };
      const count = items.length;
      if (count < spec.minArgs || count > spec.maxArgs)
        return fail('parse', `${spec.usage} ${arity(spec.minArgs, spec.maxArgs)}, got ${count}`, node.offset, node.length);
      return this.composite(node, items);
    });
  }

  private filter(): Attempt<FilterNode> {
    const bar = this.next();
    const name = this.next();
    if (name.type !== 'ident') return this.unexpected(name, 'expected a filter name after `|`');
    const spec = filterSpec(name.text);
    if (!spec) return fail('unknown-filter', `unknown filter ${quoted(name.text)} (known: ${KNOWN_FILTERS})`, name.offset, name.length);
    const args: ExprNode[] = [];
    while (this.startsTerm(this.peek())) {
      const arg = this.term();
      if (!arg.ok) return arg;
      args.push(arg.value);
    }
    const last = args[args.length - 1];
    const end = last ? last.offset + last.length : name.offset + name.length;
    const node: FilterNode = { name: name.text, nameOffset: name.offset, args, offset: bar.offset, length: end - bar.offset };
    if (args.length < spec.minArgs || args.length > spec.maxArgs) {
      return fail('parse', `\`${spec.usage}\` ${arity(spec.minArgs, spec.maxArgs)}, got ${args.length}`, node.offset, node.length);
    }
    return ok(node);
  }

  private string(t: Token & { type: 'string' }): Attempt<ExprNode> {
    const parts: Array<TextPart | InterpolationPart> = [];
    let innerDepth = 0;
    for (const raw of t.parts) {
      if (raw.kind === 'text') {
        parts.push(raw);
        continue;
      }
      const parsed = Parser.interpolation(this.text, raw, t.nestedQuote, this.nesting + this.open + 1);
      if (!parsed.ok) return parsed;
      parts.push(parsed.value.part);
      innerDepth = Math.max(innerDepth, parsed.value.depth);
    }
    const node: ExprNode = { kind: 'string', quote: t.quote, parts, offset: t.offset, length: t.length };
    return innerDepth > 0 ? this.composite(node, [], innerDepth) : ok(node);
  }
}

function arity(min: number, max: number): string {
  const n = (k: number): string => (k === 1 ? '1 argument' : `${k} arguments`);
  if (min === max) return `takes ${n(min)}`;
  return `takes ${min} to ${n(max)}`;
}

function tooDeep(at: { offset: number; length: number }): Attempt<never> {
  return fail('parse', `the expression is nested more than ${MAX_DEPTH} levels deep`, at.offset, at.length);
}
