// Click-to-assert write-back: add an assertion or an output to a Test document as minimal text insertions, so the
// editor can apply them as one undoable WorkspaceEdit. Comments, blank lines, key order, indentation, list style,
// quoting style and line endings of the file are kept; nothing is re-stringified.
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, parseDocument, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { tokenize } from '../expression/lexer';
import { canonicalSelector, parseSelector } from '../selector/index';
import { loadFile } from './load';
import type { LoadedFile, ResourceDef, SourceString, TestDef, TextEdit } from './model';
import { applyEdits } from './text-edits';
import { findPair, resolveNode, type YamlDoc, type YamlNode } from './yaml-nodes';

export type EditResult =
  | {
      ok: true;
      /** Non-overlapping, sorted by offset, into the original text; empty when nothing had to change. */
      edits: TextEdit[];
      /** The text with the edits applied. */
      text: string;
      /** Index (in TestDef.specs) of the spec that holds the assertion. */
      specIndex?: number;
      /** Index (in TestDef.outputs) of the output. */
      outputIndex?: number;
      /** Why nothing changed, e.g. the assertion is already there. */
      note?: string;
    }
  | { ok: false; error: string };

export interface AssertionTarget {
  /** Index of the YAML document (0-based) holding the Test, as in LoadedResource.document. */
  document: number;
  selector: string;
  assertion: string;
  /** Name of the spec when a new one is created; generated from the selector when absent. */
  specName?: string;
}

export interface OutputTarget {
  document: number;
  name: string;
  selector: string;
  value: string;
}

/** Adds `assertion` to the spec with the same selector, or appends a new spec. */
export function addAssertion(text: string, target: AssertionTarget): EditResult {
  const selector = target.selector.trim();
  const assertion = target.assertion.trim();
  if (selector === '') return { ok: false, error: 'the selector is empty' };
  if (assertion === '') return { ok: false, error: 'the assertion is empty' };
  const prepared = prepare(text, target.document);
  if ('error' in prepared) return { ok: false, error: prepared.error };
  const ed = new Editor(prepared);
  const specsPair = findPair(ed.spec, 'specs');
  const canonical = canonicalSelector(selector);
  const specs = ed.specNodes(specsPair);
  if ('error' in specs) return { ok: false, error: specs.error };
  const matches = specs.filter((s) => canonicalSelector(s.selector) === canonical);
  const wanted = normalizeAssertion(assertion);
  for (const m of matches) {
    const existing = prepared.test.specs[m.index]?.assertions ?? [];
    if (existing.some((a) => normalizeAssertion(a.value) === wanted)) {
      return { ok: true, edits: [], text, specIndex: m.index, note: `the assertion is already in spec ${m.index + 1} (${specLabel(prepared.test, m.index)})` };
    }
  }
  const match = matches[0];
  let specIndex: number;
  let expectName: string | undefined;
  if (match) {
    if (match.alias) return { ok: false, error: 'the spec with this selector is an alias (*name); add the assertion where its anchor is defined' };
    const r = ed.appendToList(match.body, 'assertions', { kind: 'scalar', value: assertion, role: 'assertion' }, []);
    if (r) return { ok: false, error: r };
    specIndex = match.index;
  } else {
    const name =
      target.specName?.trim() ||
      uniqueName(
        generatedSpecName(selector),
        prepared.test.specs.map((s) => s.name?.value ?? ''),
      );
    expectName = name;
    const error = ed.appendSpec(specsPair, selector, name, assertion);
    if (error) return { ok: false, error };
    specIndex = prepared.test.specs.length;
  }
  return ed.finish(
    (test) => {
      const spec = test.specs[specIndex];
      if (!spec) return `spec ${specIndex + 1} is missing`;
      if (canonicalSelector(spec.selector.value) !== canonical) return `spec ${specIndex + 1} has selector ${JSON.stringify(spec.selector.value)}`;
      if (spec.assertions[spec.assertions.length - 1]?.value !== assertion) return `spec ${specIndex + 1} does not end with the assertion`;
      if (expectName !== undefined && spec.name?.value !== expectName) return `spec ${specIndex + 1} is not named ${JSON.stringify(expectName)}`;
      if (test.specs.length !== prepared.test.specs.length + (match ? 0 : 1)) return 'the number of specs changed unexpectedly';
      return undefined;
    },
    { specIndex },
  );
}

/** Appends an output `{name, selector, value}`; an output with that name must not exist yet (unless identical). */
export function addOutput(text: string, target: OutputTarget): EditResult {
  const name = target.name.trim();
  const selector = target.selector.trim();
  const value = target.value.trim();
  if (name === '') return { ok: false, error: 'the output name is empty' };
  if (selector === '') return { ok: false, error: 'the selector is empty' };
  if (value === '') return { ok: false, error: 'the output value is empty' };
  const prepared = prepare(text, target.document);
  if ('error' in prepared) return { ok: false, error: prepared.error };
  const { test } = prepared;
  const sameName = test.outputs.findIndex((o) => o.name.value === name);
  if (sameName >= 0) {
    const o = test.outputs[sameName]!;
    if (canonicalSelector(o.selector.value) === canonicalSelector(selector) && normalizeAssertion(o.value.value) === normalizeAssertion(value)) {
      return { ok: true, edits: [], text, outputIndex: sameName, note: `the output ${name} is already defined the same way` };
    }
    return { ok: false, error: `an output named ${name} already exists (line ${lineOf(text, o.range.start)}); choose another name` };
  }
  const ed = new Editor(prepared);
  const item: NewMap = {
    kind: 'map',
    pairs: ed.outputKeyOrder().map((key) => ({
      key,
      value: {
        kind: 'scalar',
        value: key === 'name' ? name : key === 'selector' ? selector : value,
        role: key === 'name' ? 'name' : key === 'selector' ? 'selector' : 'value',
      },
    })),
  };
  const error = ed.appendToList(ed.spec, 'outputs', item, ['specs', 'trigger']);
  if (error) return { ok: false, error };
  const outputIndex = test.outputs.length;
  return ed.finish(
    (after) => {
      const o = after.outputs[outputIndex];
      if (!o || o.name.value !== name || o.selector.value !== selector || o.value.value !== value) return `output ${outputIndex + 1} is not the new output`;
      if (after.outputs.length !== test.outputs.length + 1) return 'the number of outputs changed unexpectedly';
      return undefined;
    },
    { outputIndex },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Preparation: the document must parse cleanly and be a valid Test.

interface Prepared {
  text: string;
  file: LoadedFile;
  doc: YamlDoc;
  docIndex: number;
  test: TestDef;
  spec: YAMLMap.Parsed;
}

function prepare(text: string, docIndex: number): Prepared | { error: string } {
  const parsed = parseAllDocuments(text, { prettyErrors: false });
  const docs = 'empty' in parsed ? [] : parsed;
  const doc = docs[docIndex];
  if (!Number.isInteger(docIndex) || !doc) return { error: `the file has no YAML document ${docIndex} (it has ${docs.length})` };
  if (doc.errors.length > 0) return { error: `YAML document ${docIndex} has syntax errors; fix them first (${doc.errors[0]!.message.split('\n')[0]})` };
  const file = loadFile(text, 'edit.yaml');
  const entry = file.resources.find((r) => r.document === docIndex);
  const resource = entry?.resource;
  if (!resource) {
    const first = file.problems.find((p) => p.severity === 'error' && entry && p.range.start >= entry.range.start && p.range.start <= entry.range.end);
    return { error: `YAML document ${docIndex} is not a valid Test${first ? ` (line ${first.line}: ${first.message})` : ''}` };
  }
  if (resource.kind !== 'Test') return { error: `YAML document ${docIndex} is a ${resource.kind}, not a Test` };
  const root = resolveNode(doc, doc.contents);
  const specPair = isMap(root) ? findPair(root, 'spec') : undefined;
  if (!specPair || isAlias(specPair.value) || !isMap(specPair.value)) return { error: "the Test's `spec` is an alias; edit the anchored map instead" };
  const spec = specPair.value as YAMLMap.Parsed;
  if (spec.flow) return { error: "the Test's `spec` is written in flow style ({...}); write it as a block map to add to it" };
  return { text, file, doc, docIndex, test: resource, spec };
}

// ---------------------------------------------------------------------------------------------------------------
// New values, rendered in the file's style.

type Role = 'selector' | 'assertion' | 'name' | 'value' | 'key';
interface NewScalar {
  kind: 'scalar';
  value: string;
  role: Role;
}
interface NewSeq {
  kind: 'seq';
  items: NewValue[];
}
interface NewMap {
  kind: 'map';
  pairs: Array<{ key: string | NewScalar; value: NewValue }>;
}
type NewValue = NewScalar | NewSeq | NewMap;

type QuoteStyle = 'plain' | 'single' | 'double';
type Context = 'block-value' | 'block-item' | 'block-key' | 'flow' | 'flow-key';

interface Style {
  eol: string;
  /** Indentation of a block map under its key. */
  unit: number;
  /** Column of `-` minus column of the key for a block list under a key (0: `key:\n- a`). */
  seqOffset: number;
  /** Column of a list item's map keys minus the column of its `-`. */
  gap: number;
  quotes: Record<Role, QuoteStyle>;
}

interface SpecNode {
  index: number;
  selector: string;
  body: YAMLMap.Parsed;
  alias: boolean;
}

class Editor {
  readonly edits: TextEdit[] = [];
  readonly text: string;
  readonly spec: YAMLMap.Parsed;
  readonly style: Style;

  constructor(readonly p: Prepared) {
    this.text = p.text;
    this.spec = p.spec;
    this.style = detectStyle(p);
  }

  /** The spec items in TestDef order, with their selector text and body map. */
  specNodes(specsPair: Pair | undefined): SpecNode[] | { error: string } {
    if (!specsPair) return [];
    if (isAlias(specsPair.value)) return { error: '`specs` is an alias (*name); edit the anchored list instead' };
    const specs = specsPair.value;
    const out: SpecNode[] = [];
    if (isMap(specs)) {
      for (const pair of specs.items) {
        const body = resolveNode(this.p.doc, pair.value);
        if (!isScalar(pair.key) || !isMap(body)) continue;
        out.push({ index: out.length, selector: scalarString(pair.key), body, alias: isAlias(pair.value) });
      }
    } else if (isSeq(specs)) {
      for (const raw of specs.items) {
        const body = resolveNode(this.p.doc, raw);
        if (!isMap(body)) continue;
        const sel = resolveNode(this.p.doc, findPair(body, 'selector')?.value);
        const query = isMap(sel) ? resolveNode(this.p.doc, findPair(sel, 'query')?.value) : undefined;
        const selector = isScalar(query) ? scalarString(query) : isScalar(sel) ? scalarString(sel) : '';
        out.push({ index: out.length, selector, body, alias: isAlias(raw) });
      }
    }
    return out;
  }

  /** Key order of new outputs: that of the last existing output with all three keys, else name, selector, value. */
  outputKeyOrder(): string[] {
    return this.keyOrderOf(findPair(this.spec, 'outputs'), ['name', 'selector', 'value']);
  }

  /** The order of `wanted` in the last block-map item of the list that has all of them; else `wanted`. */
  keyOrderOf(pair: Pair | undefined, wanted: string[]): string[] {
    const list = resolveNode(this.p.doc, pair?.value);
    if (!isSeq(list)) return wanted;
    for (let i = list.items.length - 1; i >= 0; i--) {
      const item = resolveNode(this.p.doc, list.items[i]);
      if (!isMap(item)) continue;
      const keys = item.items.map((p) => (isScalar(p.key) ? String(p.key.value) : ''));
      if (wanted.every((k) => keys.includes(k))) return [...wanted].sort((a, b) => keys.indexOf(a) - keys.indexOf(b));
    }
    return wanted;
  }

  /** Appends a new spec (list form, or map form when the file uses it). Returns an error message or undefined. */
  appendSpec(specsPair: Pair | undefined, selector: string, name: string, assertion: string): string | undefined {
    const assertions: NewSeq = { kind: 'seq', items: [{ kind: 'scalar', value: assertion, role: 'assertion' }] };
    const nameValue: NewScalar = { kind: 'scalar', value: name, role: 'name' };
    const specs = specsPair?.value;
    if (isMap(specs) && specs.items.length > 0) {
      // Legacy map form: `<selector>: {name, assertions}`.
      const body: NewMap = {
        kind: 'map',
        pairs: [
          { key: 'name', value: nameValue },
          { key: 'assertions', value: assertions },
        ],
      };
      return this.addPair(specs as YAMLMap.Parsed, { kind: 'scalar', value: selector, role: 'key' }, body);
    }
    const values: Record<string, NewValue> = { selector: { kind: 'scalar', value: selector, role: 'selector' }, name: nameValue, assertions };
    const order = this.keyOrderOf(specsPair, ['selector', 'name', 'assertions']);
    const item: NewMap = { kind: 'map', pairs: order.map((key) => ({ key, value: values[key]! })) };
    return this.appendToList(this.spec, 'specs', item, ['trigger']);
  }

  /**
   * Appends `item` to the list under `key` of `map`; creates the list (after the first existing key of `after`,
   * else at the end of the map) when it is missing, null, or an empty `[]`/`{}` (a block list replaces those
   * unless the item is a scalar going into `[]`).
   */
  appendToList(map: YAMLMap.Parsed, key: string, item: NewValue, after: string[]): string | undefined {
    const pair = findPair(map, key);
    if (!pair) {
      if (map.flow) return this.flowAppend(map, `${key}: ${this.flow({ kind: 'seq', items: [item] })}`);
      const anchor = after.map((k) => findPair(map, k)).find((p): p is Pair => p !== undefined);
      const at = anchor ? this.endOf(nodeOf(anchor)) : this.endOf(map);
      this.insertLines(at, this.pairLines(key, { kind: 'seq', items: [item] }, this.keyColumn(map)));
      return undefined;
    }
    if (isAlias(pair.value)) return `\`${key}\` is an alias (*name); edit the anchored value instead`;
    const value = pair.value;
    if (isSeq(value) && value.items.length > 0) {
      const seq = value as YAMLSeq.Parsed;
      if (seq.flow) return this.flowAppend(seq, this.flow(item));
      const last = seq.items[seq.items.length - 1];
      const dash = this.dashColumn(seq);
      this.insertLines(this.endOf(last), this.itemLines(item, dash));
      return undefined;
    }
    // `[]` stays a flow list for scalars (`assertions: [a]`); a list of maps is written as a block list.
    if (isSeq(value) && value.flow && item.kind === 'scalar') return this.flowAppend(value as YAMLSeq.Parsed, this.flow(item));
    const empty = (isSeq(value) || isMap(value)) && value.items.length === 0;
    const isNull = isScalar(value) && value.value === null;
    if (!empty && !isNull && value !== null) return `\`${key}\` is not a list`;
    if (map.flow) {
      const node = value as YamlNode;
      this.edits.push({ start: node.range[0], end: node.range[1], newText: this.flow({ kind: 'seq', items: [item] }) });
      return undefined;
    }
    // `key: []`, `key: ~`, `key:` → `key:` followed by a block list; a comment after the value stays on the key's line.
    const keyNode = pair.key as Scalar.Parsed;
    const colon = this.text.indexOf(':', keyNode.range[1]);
    if (value && !isEmptyRange(value as YamlNode)) this.edits.push({ start: colon + 1, end: (value as YamlNode).range[1], newText: '' });
    const at = this.endOf(value ?? keyNode);
    const keyCol = this.column(keyNode.range[0]);
    this.insertLines(at, this.itemLines(item, keyCol + this.style.seqOffset));
    return undefined;
  }

  /** Adds `key: value` at the end of a (block or flow) map. */
  private addPair(map: YAMLMap.Parsed, key: NewScalar, value: NewValue): string | undefined {
    if (map.flow) return this.flowAppend(map, `${this.scalar(key, 'flow-key')}: ${this.flow(value)}`);
    const col = this.keyColumn(map);
    const last = map.items[map.items.length - 1]!;
    // A legacy spec body is indented under its selector key by the same amount as the existing ones.
    const lastBody = resolveNode(this.p.doc, last.value);
    const unit = isMap(lastBody) && !lastBody.flow ? this.keyColumn(lastBody) - col : this.style.unit;
    this.insertLines(this.endOf(map), this.pairLines(key, value, col, unit > 0 ? unit : this.style.unit));
    return undefined;
  }

  /** Inserts `, entry` after the last item of a non-empty flow collection, or `entry` into an empty one. */
  private flowAppend(node: YAMLSeq.Parsed | YAMLMap.Parsed, entry: string): string | undefined {
    const close = node.range[1] - 1;
    if (this.text[close] !== ']' && this.text[close] !== '}') return 'cannot find the end of the flow collection';
    if (node.items.length === 0) {
      const open = this.text.lastIndexOf(isSeq(node) ? '[' : '{', close);
      this.edits.push({ start: open + 1, end: open + 1, newText: entry });
      return undefined;
    }
    const last = node.items[node.items.length - 1]!;
    const lastNode = isSeq(node) ? (last as YamlNode) : (((last as Pair).value ?? (last as Pair).key) as YamlNode);
    this.edits.push({ start: lastNode.range[1], end: lastNode.range[1], newText: `, ${entry}` });
    return undefined;
  }

  // --- rendering -------------------------------------------------------------------------------------------------

  private pairLines(key: string | NewScalar, value: NewValue, col: number, unit = this.style.unit): string[] {
    const k = typeof key === 'string' ? key : this.scalar(key, 'block-key');
    const pad = ' '.repeat(col);
    if (value.kind === 'scalar') return [`${pad}${k}: ${this.scalar(value, 'block-value')}`];
    if (value.kind === 'seq') return [`${pad}${k}:`, ...value.items.flatMap((item) => this.itemLines(item, col + this.style.seqOffset))];
    return [`${pad}${k}:`, ...value.pairs.flatMap((p) => this.pairLines(p.key, p.value, col + unit))];
  }

  private itemLines(item: NewValue, dash: number): string[] {
    const pad = ' '.repeat(dash);
    if (item.kind === 'scalar') return [`${pad}- ${this.scalar(item, 'block-item')}`];
    if (item.kind === 'seq') return [`${pad}- ${this.flow(item)}`];
    const gap = Math.max(2, this.style.gap);
    const lines = item.pairs.flatMap((p) => this.pairLines(p.key, p.value, dash + gap));
    lines[0] = `${pad}-${' '.repeat(gap - 1)}${lines[0]!.trimStart()}`;
    return lines;
  }

  private flow(value: NewValue): string {
    if (value.kind === 'scalar') return this.scalar(value, 'flow');
    if (value.kind === 'seq') return `[${value.items.map((v) => this.flow(v)).join(', ')}]`;
    return `{${value.pairs.map((p) => `${typeof p.key === 'string' ? p.key : this.scalar(p.key, 'flow-key')}: ${this.flow(p.value)}`).join(', ')}}`;
  }

  private scalar(s: NewScalar, context: Context): string {
    return quoteScalar(s.value, this.style.quotes[s.role], context);
  }

  // --- positions ---------------------------------------------------------------------------------------------------

  private lineStart(offset: number): number {
    return this.text.lastIndexOf('\n', offset - 1) + 1;
  }

  private column(offset: number): number {
    return offset - this.lineStart(offset);
  }

  private keyColumn(map: YAMLMap.Parsed): number {
    const first = map.items[0]?.key as YamlNode | undefined;
    return this.column(first ? first.range[0] : map.range[0]);
  }

  /** Column of the `-` of a block list's items. */
  private dashColumn(seq: YAMLSeq.Parsed): number {
    if (this.text[seq.range[0]] === '-') return this.column(seq.range[0]);
    for (const item of seq.items) {
      const start = (item as YamlNode | null)?.range?.[0];
      if (start === undefined) continue;
      let i = start - 1;
      while (i >= 0 && this.text[i] === ' ') i--;
      if (this.text[i] === '-') return this.column(i);
    }
    return this.column(seq.range[0]);
  }

  /** Where lines go after a node: the start of the line after its last content (and its trailing comment). */
  private endOf(node: unknown): { offset: number; needsBreak: boolean } {
    if (isMap(node) || isSeq(node)) {
      if (!node.flow && node.items.length > 0) {
        const last = node.items[node.items.length - 1];
        return this.endOf(isMap(node) ? nodeOf(last as Pair) : last);
      }
      return this.nextLine((node as YamlNode).range[1]);
    }
    if (isScalar(node)) {
      const end = (node as Scalar.Parsed).range[1];
      if ((node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') && end > 0 && this.text[end - 1] === '\n') return { offset: end, needsBreak: false };
      return this.nextLine(end);
    }
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return this.nextLine(range ? range[1] : this.text.length);
  }

  private nextLine(offset: number): { offset: number; needsBreak: boolean } {
    const nl = this.text.indexOf('\n', offset);
    return nl < 0 ? { offset: this.text.length, needsBreak: true } : { offset: nl + 1, needsBreak: false };
  }

  private insertLines(at: { offset: number; needsBreak: boolean }, lines: string[]): void {
    const { eol } = this.style;
    const body = lines.join(eol);
    this.edits.push({ start: at.offset, end: at.offset, newText: at.needsBreak ? `${eol}${body}` : `${body}${eol}` });
  }

  // --- result --------------------------------------------------------------------------------------------------

  /** Applies the edits, reloads the result and checks it before handing it out. */
  finish(check: (test: TestDef) => string | undefined, extra: { specIndex?: number; outputIndex?: number }): EditResult {
    const edits = [...this.edits].sort((a, b) => a.start - b.start || a.end - b.end);
    for (let i = 1; i < edits.length; i++) if (edits[i]!.start < edits[i - 1]!.end) return { ok: false, error: 'internal error: overlapping edits' };
    const out = applyEdits(this.text, edits);
    const reloaded = loadFile(out, 'edit.yaml');
    const fail = (why: string): EditResult => ({ ok: false, error: `internal error: the edited file does not read back as intended (${why})` });
    if (reloaded.problems.length > this.p.file.problems.length) return fail(reloaded.problems[0]!.message);
    if (reloaded.resources.length !== this.p.file.resources.length) return fail('the number of documents changed');
    for (let i = 0; i < reloaded.resources.length; i++) {
      const before = this.p.file.resources[i]!;
      const after = reloaded.resources[i]!;
      if (before.document === this.p.docIndex) continue;
      if (plainShape(before.resource) !== plainShape(after.resource)) return fail(`document ${before.document} changed`);
    }
    const test = reloaded.resources.find((r) => r.document === this.p.docIndex)?.resource;
    if (test?.kind !== 'Test') return fail('the document is no longer a Test');
    const why = check(test) ?? unchangedRest(this.p.test, test);
    if (why) return fail(why);
    return { ok: true, edits, text: out, ...extra };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Style detection.

function detectStyle(p: Prepared): Style {
  const { text, doc, test } = p;
  const column = (offset: number): number => offset - (text.lastIndexOf('\n', offset - 1) + 1);
  const firstBreak = text.indexOf('\n');
  const eol = firstBreak > 0 && text[firstBreak - 1] === '\r' ? '\r\n' : '\n';
  const root = resolveNode(doc, doc.contents) as YAMLMap.Parsed;
  const specKey = findPair(root, 'spec')!.key as YamlNode;
  const specFirst = p.spec.items[0]?.key as YamlNode | undefined;
  const unitGuess = specFirst ? column(specFirst.range[0]) - column(specKey.range[0]) : 2;
  const seqOffsets: number[] = [];
  const gaps: number[] = [];
  const visit = (node: unknown, keyCol: number | undefined): void => {
    const n = resolveNodeLocal(node);
    if (isMap(n)) {
      for (const pair of n.items) {
        const key = pair.key as YamlNode | null;
        visit(pair.value, key && isScalar(key) ? column(key.range[0]) : undefined);
      }
    } else if (isSeq(n)) {
      if (!n.flow) {
        const dashAt = dashOffset(text, n);
        if (dashAt !== undefined && keyCol !== undefined) seqOffsets.push(column(dashAt) - keyCol);
        for (const item of n.items) {
          if (isMap(item) && !item.flow && item.items[0] && dashAt !== undefined) {
            const k = item.items[0].key as YamlNode;
            const dash = text.lastIndexOf('-', k.range[0]);
            if (dash >= 0 && /^-[ ]+$/.test(text.slice(dash, k.range[0]))) gaps.push(k.range[0] - dash);
          }
          visit(item, undefined);
        }
      }
    }
  };
  const resolveNodeLocal = (node: unknown): YamlNode | undefined => (isAlias(node) ? undefined : resolveNode(doc, node));
  visit(root, undefined);
  return {
    eol,
    unit: unitGuess > 0 ? unitGuess : 2,
    seqOffset: mostCommon(seqOffsets, 0),
    gap: mostCommon(gaps, 2),
    quotes: {
      selector: quoteStyleOf(text, [...test.specs.map((s) => s.selector), ...test.outputs.map((o) => o.selector)]),
      key: quoteStyleOf(
        text,
        test.specs.map((s) => s.selector),
      ),
      assertion: quoteStyleOf(
        text,
        test.specs.flatMap((s) => s.assertions),
      ),
      name: quoteStyleOf(text, [...test.specs.flatMap((s) => (s.name ? [s.name] : [])), ...test.outputs.map((o) => o.name)]),
      value: quoteStyleOf(text, test.outputs.length > 0 ? test.outputs.map((o) => o.value) : test.specs.flatMap((s) => s.assertions)),
    },
  };
}

function dashOffset(text: string, seq: YAMLSeq.Parsed): number | undefined {
  if (text[seq.range[0]] === '-') return seq.range[0];
  const first = seq.items[0] as YamlNode | undefined;
  if (!first?.range) return undefined;
  let i = first.range[0] - 1;
  while (i >= 0 && text[i] === ' ') i--;
  return text[i] === '-' ? i : undefined;
}

function mostCommon(values: number[], fallback: number): number {
  const counts = new Map<number, number>();
  for (const v of values) if (v >= 0) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = fallback;
  let bestCount = 0;
  for (const [v, c] of counts) if (c > bestCount) [best, bestCount] = [v, c];
  return best;
}

/** The quoting most of the existing scalars of a kind use; plain when unquoted or tied. */
function quoteStyleOf(text: string, strings: SourceString[]): QuoteStyle {
  let single = 0;
  let double = 0;
  let plain = 0;
  for (const s of strings) {
    const c = text[s.range.start];
    if (c === "'") single++;
    else if (c === '"') double++;
    else if (c !== '|' && c !== '>') plain++;
  }
  if (double > single && double > plain) return 'double';
  if (single > double && single > plain) return 'single';
  return 'plain';
}

// ---------------------------------------------------------------------------------------------------------------
// Scalars.

/**
 * The value written as a YAML scalar for the given place: the preferred style if it reads back as exactly this
 * string there, else plain, single-quoted, double-quoted (which can write anything).
 */
function quoteScalar(value: string, preferred: QuoteStyle, context: Context): string {
  const order: QuoteStyle[] = preferred === 'plain' ? ['plain', 'single', 'double'] : preferred === 'single' ? ['single', 'double'] : ['double'];
  for (const style of order) {
    const candidate = style === 'plain' ? value : style === 'single' ? `'${value.replaceAll("'", "''")}'` : JSON.stringify(value);
    if (style === 'single' && /[\n\r\t\p{Cc}]/u.test(value)) continue;
    if (style === 'plain' && /[\n\r\t]/.test(value)) continue;
    if (readsBack(candidate, value, context)) return candidate;
  }
  return JSON.stringify(value);
}

function readsBack(candidate: string, value: string, context: Context): boolean {
  const source =
    context === 'block-value'
      ? `k: ${candidate}\n`
      : context === 'block-item'
        ? `- ${candidate}\n`
        : context === 'block-key'
          ? `${candidate}: x\n`
          : context === 'flow'
            ? `[${candidate}, {k: ${candidate}}]`
            : `{${candidate}: x}`;
  const doc = parseDocument(source, { prettyErrors: false });
  if (doc.errors.length > 0 || doc.warnings.length > 0) return false;
  const read = (node: unknown): boolean => isScalar(node) && node.value === value;
  const c = doc.contents;
  switch (context) {
    case 'block-value':
      return isMap(c) && c.items.length === 1 && read(c.items[0]!.value);
    case 'block-item':
      return isSeq(c) && c.items.length === 1 && read(c.items[0]);
    case 'block-key':
    case 'flow-key':
      return isMap(c) && c.items.length === 1 && read(c.items[0]!.key) && (c.items[0]!.value as Scalar | null)?.value === 'x';
    case 'flow': {
      if (!isSeq(c) || c.items.length !== 2 || !read(c.items[0])) return false;
      const m = c.items[1];
      return isMap(m) && m.items.length === 1 && read(m.items[0]!.value);
    }
  }
}

function scalarString(node: Scalar): string {
  return typeof node.value === 'string' ? node.value : String(node.value ?? '');
}

// ---------------------------------------------------------------------------------------------------------------
// Comparison and names.

/** Assertions compare token by token (spacing ignored); unlexable ones by their trimmed text. */
function normalizeAssertion(assertion: string): string {
  const text = assertion.trim();
  try {
    const tokens = tokenize(text, 0, text.length, undefined, 0);
    if (tokens.some((t) => t.type === 'invalid')) return text;
    return tokens
      .filter((t) => t.type !== 'eof')
      .map((t) => text.slice(t.offset, t.offset + t.length))
      .join(' ');
  } catch {
    return text;
  }
}

const NAME_KEYS = ['name', 'http.route', 'rpc.method', 'messaging.destination.name', 'db.operation', 'db.system', 'service.name'];
const MAX_NAME = 60;

/** `POST /pokemon: http` from `span[tracetest.span.type="http" name="POST /pokemon"]` (the last step counts). */
export function generatedSpecName(selector: string): string {
  const parsed = parseSelector(selector.trim());
  const chain = parsed.ok ? parsed.value.chains[parsed.value.chains.length - 1] : undefined;
  const step = chain?.steps[chain.steps.length - 1];
  if (!step) return shorten(selector.trim() || 'New spec');
  const equal = (key: string): string | undefined => step.filters.find((f) => f.key.name === key && f.operator.operator === '=')?.value.text;
  const subject = NAME_KEYS.map(equal).find((v) => v !== undefined && v.trim() !== '');
  const type = equal('tracetest.span.type');
  let name = subject && type ? `${subject}: ${type}` : (subject ?? (type ? `${type} span` : selector.trim()));
  for (const pseudo of step.pseudos) name += pseudo.name === 'nth_child' ? ` (#${pseudo.n})` : ` (${pseudo.name})`;
  return shorten(name.replace(/\s+/g, ' ').trim() || 'New spec');
}

function shorten(name: string): string {
  return name.length <= MAX_NAME ? name : `${name.slice(0, MAX_NAME - 1).trimEnd()}…`;
}

function uniqueName(base: string, taken: string[]): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base} (${n})`)) return `${base} (${n})`;
}

function specLabel(test: TestDef, index: number): string {
  const spec = test.specs[index]!;
  return spec.name ? JSON.stringify(spec.name.value) : spec.selector.value;
}

function nodeOf(pair: Pair): unknown {
  return pair.value ?? pair.key;
}

function isEmptyRange(node: YamlNode): boolean {
  return node.range[0] === node.range[1];
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** A resource's values without positions, to see that edits left it alone. */
function plainShape(resource: ResourceDef | undefined): string {
  return JSON.stringify(resource ?? null, (key, value: unknown) => (key === 'range' || key === 'valueOffsets' ? undefined : value));
}

/** Everything of the Test except the grown spec/output list stays as it was. */
function unchangedRest(before: TestDef, after: TestDef): string | undefined {
  const strip = (t: TestDef): TestDef => ({
    ...t,
    specs: t.specs.slice(0, before.specs.length).map((s, i) => ({ ...s, assertions: s.assertions.slice(0, before.specs[i]!.assertions.length) })),
    outputs: t.outputs.slice(0, before.outputs.length),
  });
  return plainShape(strip(before)) === plainShape(strip(after)) ? undefined : 'existing specs or outputs changed';
}
