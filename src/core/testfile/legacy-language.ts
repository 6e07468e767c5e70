// Older Tracetest forms inside selectors and assertions (test-format.md): an attribute named without `attr:` on the
// left of an assertion (`http.status_code = 200`), and typographic quotes (“…”) pasted from documents. A text that
// does not parse as written but parses once rewritten is read rewritten, with a warning and the rewrite as a fix.
import { parseAssertion, parseExpression } from '../expression/index';
import { parseSelector } from '../selector/index';
import type { Result } from '../text-position';
import type { Fix, OutputDef, Problem, SourceString, SpecDef, TestDef, TextEdit } from './model';
import { offsetOf } from './model';
import { problemAt, type Locate } from './problems';

type Parse = (text: string) => Result<unknown>;

const TYPOGRAPHIC = /[\u201C\u201D\u201E\u2018\u2019\u201A]/;
const STRAIGHT: Readonly<Record<string, '"' | "'">> = { '\u201C': '"', '\u201D': '"', '\u201E': '"', '\u2018': "'", '\u2019': "'", '\u201A': "'" };
/** A name at the start of an expression that is not `attr:x`, `var:x`, a function call or a keyword. */
const BARE_NAME = /^\s*([A-Za-z_][A-Za-z0-9_.-]*)(?![A-Za-z0-9_.-]|\s*[:(])/;
const KEYWORDS = new Set(['true', 'false', 'contains', 'not-contains']);

export function readLegacyLanguage(text: string, locate: Locate, test: TestDef): { test: TestDef; problems: Problem[] } {
  const reader = new LanguageReader(text, locate);
  const specs = test.specs.map((spec): SpecDef => ({
    ...spec,
    selector: reader.read(spec.selector, 'selector', parseSelector, false),
    assertions: spec.assertions.map((a) => reader.read(a, 'assertion', parseAssertion, true)),
  }));
  const outputs = test.outputs.map((output): OutputDef => ({
    ...output,
    selector: reader.read(output.selector, 'selector', parseSelector, false),
    value: reader.read(output.value, 'output value', parseExpression, true),
  }));
  if (reader.problems.length === 0) return { test, problems: [] };
  return { test: { ...test, specs, outputs }, problems: reader.problems };
}

interface Rewrite {
  source: SourceString;
  problem: (original: SourceString) => Problem;
}

class LanguageReader {
  readonly problems: Problem[] = [];

  constructor(
    private readonly text: string,
    private readonly locate: Locate,
  ) {}

  /** The text as written when it parses (or no rewrite helps), else rewritten, with a warning per rewrite. */
  read(s: SourceString, what: string, parse: Parse, attributes: boolean): SourceString {
    const quotes = TYPOGRAPHIC.test(s.value);
    const bare = attributes ? bareName(s.value) : undefined;
    if ((!quotes && !bare) || parse(s.value).ok) return s;
    const straight = quotes ? this.straighten(s, what) : undefined;
    const attr = bare ? this.prefixAttr(s, bare) : undefined;
    const candidates: Rewrite[][] = [
      straight ? [straight] : [],
      attr ? [attr] : [],
      straight && bare ? [straight, this.prefixAttr(straight.source, bare)] : [],
    ];
    for (const rewrites of candidates) {
      const last = rewrites[rewrites.length - 1];
      if (!last || !parse(last.source.value).ok) continue;
      // Each warning's fix is computed on the text as written, so it applies on its own.
      for (const r of rewrites) this.problems.push(r.problem(s));
      return last.source;
    }
    return s;
  }

  private straighten(s: SourceString, what: string): Rewrite {
    const at: number[] = [];
    for (let i = 0; i < s.value.length; i++) if (STRAIGHT[s.value[i]!]) at.push(i);
    const value = s.value.replace(/[\u201C\u201D\u201E\u2018\u2019\u201A]/g, (c) => STRAIGHT[c]!);
    return {
      source: { ...s, value },
      problem: (original) =>
        this.warning(
          { start: offsetOf(original, at[0]!), end: offsetOf(original, at[at.length - 1]!) + 1 },
          `typographic quotes (“ ” ‘ ’) in ${/^[aeiou]/.test(what) ? 'an' : 'a'} ${what}: read as straight quotes (" ')`,
          { title: 'Replace typographic quotes with straight quotes', edits: this.replaceChars(original, at, value) },
        ),
    };
  }

  private prefixAttr(s: SourceString, bare: { name: string; index: number }): Rewrite {
    const value = `${s.value.slice(0, bare.index)}attr:${s.value.slice(bare.index)}`;
    const offsets = s.valueOffsets;
    const source: SourceString = offsets
      ? { ...s, value, valueOffsets: [...offsets.slice(0, bare.index), ...Array<number>(5).fill(offsets[bare.index]!), ...offsets.slice(bare.index)] }
      : { ...s, value };
    return {
      source,
      problem: (original) => {
        const start = offsetOf(original, bare.index);
        const edits: TextEdit[] = original.valueOffsets
          ? [{ start, end: start, newText: 'attr:' }]
          : [this.rewriteScalar(original, `${original.value.slice(0, bare.index)}attr:${original.value.slice(bare.index)}`)];
        return this.warning(
          { start, end: start + bare.name.length },
          `\`${bare.name}\` names an attribute without \`attr:\` (an older Tracetest form): read as \`attr:${bare.name}\``,
          { title: `Write \`attr:${bare.name}\``, edits },
        );
      },
    };
  }

  /** Each typographic quote replaced where it is written, escaped for the scalar's quoting. */
  private replaceChars(s: SourceString, at: number[], value: string): TextEdit[] {
    const style = this.text[s.range.start];
    const plainStart = style !== '"' && style !== "'" && at.some((i) => offsetOf(s, i) === s.range.start);
    if (!s.valueOffsets || plainStart) return [this.rewriteScalar(s, value)];
    return at.map((i) => {
      const start = offsetOf(s, i);
      const straight = STRAIGHT[s.value[i]!]!;
      const newText = style === straight ? (straight === '"' ? '\\"' : "''") : straight;
      return { start, end: start + 1, newText };
    });
  }

  /** The whole scalar rewritten double-quoted, when its characters cannot be edited in place. */
  private rewriteScalar(s: SourceString, value: string): TextEdit {
    return { start: s.range.start, end: s.range.end, newText: JSON.stringify(value) };
  }

  private warning(range: { start: number; end: number }, message: string, fix: Fix): Problem {
    return { ...problemAt(this.locate, range, message, 'compat', 'warning'), fix };
  }
}

function bareName(value: string): { name: string; index: number } | undefined {
  const match = BARE_NAME.exec(value);
  if (!match || KEYWORDS.has(match[1]!)) return undefined;
  return { name: match[1]!, index: match[0].length - match[1]!.length };
}
