// The messages between the extension and the trace panel, declared once for both sides, with the runtime checks
// each side runs on what it receives (a webview is a web page: nothing it posts is trusted as typed).
//
// Order: the webview posts `ready` once its script runs; the host posts nothing before that, then `trace` and
// `results`, and later `results` (a re-check, or a run on the same trace), `trace` then `results` (a new trace),
// `focus` (Open Trace at Span), `written` (the answer to an add request) and `running` (a run of the test started or
// ended). A trace with no test (from the Traces view) comes as `trace` then `browse`, and nothing else after them.
// The trace (up to 100k spans) is sent once per trace the page holds: results name the trace they are for.
// After results come `runs` (the test's stored runs, for the run picker) and, while the page compares, `comparison`.
import { ERROR_LEVELS, GATES, PLUGIN_IDS, RULE_IDS } from './core/analyzer/config';
import type { AnalyzerResult, GateResult, PluginResult, RuleResult, RuleSpanFailure } from './core/analyzer/result';
import type { Status } from './core/engine/result';
import type { TraceProblem, TraceProblemCode } from './core/trace/model';
import type { WireTrace } from './core/trace/wire';
import { ID_LENGTH } from './core/trace/wire-ids';
import { SPAN_KINDS, STATUS_CODES } from './core/trace/decode/span-fields';

export type { WireTrace } from './core/trace/wire';

/** The test whose trace the panel shows. */
export interface PanelTest {
  /** Absolute path of the test file: with `key`, what the panel is restored from after a reload. */
  file: string;
  /** The file as the workspace names it, for titles. */
  label: string;
  key: string;
  name: string;
  status: Status;
  error?: string;
  durationMs: number;
}

export interface PanelSpanResult {
  spanId: string;
  status: Status;
  observed: string;
  expected: string;
  message?: string;
}

export interface PanelAssertion {
  text: string;
  /** `=`, `<`, `contains`…; empty when the assertion does not parse. */
  comparator: string;
  status: Status;
  /** 1-based line in the test file. */
  line: number;
  results: PanelSpanResult[];
}

export interface PanelSpec {
  name?: string;
  selector: string;
  status: Status;
  spanIds: string[];
  selectorError?: string;
  line: number;
  assertions: PanelAssertion[];
}

export interface PanelOutput {
  name: string;
  value?: string;
  spanId: string;
  error?: string;
}

/** The analyzer's verdict on the trace: scores, every rule, and the spans each failed on. */
export type PanelAnalyzer = AnalyzerResult;
export type PanelGate = GateResult;

/** The trace the following results are about; the page keeps it (its layout, selection, view) until the next one. */
export interface TraceMessage {
  type: 'trace';
  trace: WireTrace;
}

/** A run's results on the trace the page holds (the last `trace` message's): they replace the previous results. */
export interface ResultsMessage {
  type: 'results';
  /** The trace they are for: the page ignores results for a trace it does not hold. */
  traceId: string;
  test: PanelTest;
  specs: PanelSpec[];
  outputs: PanelOutput[];
  /** Absent when the analyzer is disabled. */
  analyzer?: PanelAnalyzer;
  /** The TestRunner's required gates. */
  gates?: PanelGate[];
  /** The run's variables (outputs included), for checking a new assertion before it is written. */
  variables: Array<[string, string]>;
  /** Span to centre and select (Open Trace at Span, a failed run). */
  focusSpanId?: string;
}

/** No trace to show (restored after a reload, before the test has run again). */
export interface EmptyMessage {
  type: 'empty';
  test?: Pick<PanelTest, 'file' | 'label' | 'key' | 'name'>;
  message: string;
}

export interface FocusMessage {
  type: 'focus';
  spanId: string;
}

export interface WrittenMessage {
  type: 'written';
  requestId: number;
  ok: boolean;
  /** What was done (`added to spec "…" at line 12`) or why nothing was. */
  message: string;
}

/**
 * A run of the panel's test started (`true`) or ended (`false`). The trace on screen stays (it is the previous
 * run's); a `results` or `empty` also ends the state, so the host sends `true` again after one while the run goes on.
 */
export interface RunningMessage {
  type: 'running';
  running: boolean;
  /** Where the run is: `3 spans from api · waiting for spans from worker (seen in the last run)`. */
  progress?: RunProgress;
}

export interface RunProgress {
  text: string;
  /** Date.now() at which the run stops waiting (unless more spans arrive): the page counts down to it. */
  until?: number;
}

/**
 * The trace the last `trace` message sent, shown with no test (a trace the receiver got, from the Traces view): no
 * results and nothing to assert into; the page offers to create a test from it instead.
 */
export interface BrowseMessage {
  type: 'browse';
  traceId: string;
  /** What the trace is, for the title: its root span's name. */
  title: string;
}

/** A run of the panel's test the page can switch to. */
export interface PanelRun {
  /** The run history's id; `latest` for this window's latest result when the history does not hold it. */
  id: string;
  /** Date.now() when the result arrived. */
  at: number;
  status: Status;
  specs: number;
  failedSpecs: number;
  durationMs: number;
}

/** The test's runs, newest first, and which one the page shows; sent after each `results`. */
export interface RunsMessage {
  type: 'runs';
  runs: PanelRun[];
  shownId: string;
  /** When the shown run did not pass and an earlier one did: that run's time, for "Compare with last pass". */
  lastPassAt?: number;
  /** The page shows the comparison (a `comparison` follows). */
  comparing: boolean;
}

export type PanelDifferenceKind = 'missing' | 'added' | 'count' | 'attributes' | 'duration';

export interface PanelDifference {
  kind: PanelDifferenceKind;
  /** `pokeshop-worker 'import pokemon' missing`. */
  text: string;
  /** Spans of the shown trace it is about (for a missing span, its nearest ancestor still there). */
  spanIds: string[];
}

/** The shown trace against the test's last passing one. */
export interface ComparisonMessage {
  type: 'comparison';
  /** The trace compared: the page ignores a comparison for a trace it does not hold. */
  traceId: string;
  lastPassAt: number;
  differences: PanelDifference[];
  /** Why there is no comparison (the passing run's file does not read). */
  error?: string;
}

export type HostMessage =
  TraceMessage | ResultsMessage | BrowseMessage | EmptyMessage | FocusMessage | WrittenMessage | RunningMessage | RunsMessage | ComparisonMessage;

export interface ReadyMessage {
  type: 'ready';
}

export interface AddAssertionMessage {
  type: 'addAssertion';
  requestId: number;
  spanId: string;
  selector: string;
  assertion: string;
}

export interface AddOutputMessage {
  type: 'addOutput';
  requestId: number;
  spanId: string;
  selector: string;
  name: string;
  value: string;
}

/** Show the test file at a line (a spec or an assertion). */
export interface RevealLineMessage {
  type: 'revealLine';
  line: number;
}

export interface RerunMessage {
  type: 'rerun';
}

/** From a trace shown with no test: write a test from it. */
export interface CreateTestMessage {
  type: 'createTest';
}

/** Show another stored run of the test (a `runs` id). */
export interface ShowRunMessage {
  type: 'showRun';
  id: string;
}

/** Compare the shown run with the last pass, or stop. */
export interface CompareMessage {
  type: 'compare';
  on: boolean;
}

export type WebviewMessage =
  ReadyMessage | AddAssertionMessage | AddOutputMessage | RevealLineMessage | RerunMessage | CreateTestMessage | ShowRunMessage | CompareMessage;

/** What the webview keeps with setState: enough to restore the panel after hide/show and a reload. */
export interface PanelState {
  test?: { file: string; key: string };
  view: 'graph' | 'timeline';
  selectedSpanId?: string;
  selector: string;
  search: string;
  /** d3 zoom transform of the graph. */
  zoom?: { k: number; x: number; y: number };
  /** How far the timeline is scrolled, in pixels. */
  timelineTop?: number;
  criticalPath: boolean;
  /** Aggregated groups of the graph the user expanded (their keys). */
  expanded: string[];
  /** Spans whose subtree the user collapsed in the timeline. */
  collapsed: string[];
  /** Pixels the span side takes when dragged: its width beside the view, its height under it (narrow panels). */
  sideWidth?: number;
  sideHeight?: number;
  /** Share of the timeline's width given to the names when dragged (0–1). */
  labelShare?: number;
  /** The analyzer rule whose failing spans are highlighted. */
  analyzerRule?: string;
}

export const VIEW_TYPE = 'tracelens.trace';

// ---------------------------------------------------------------------------------------------------------------
// Runtime checks. Each returns the message typed, or says what is wrong and where (`spans[3].start: expected a
// decimal string`).

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

class ProtocolError extends Error {}

type Check<T> = (value: unknown, path: string) => T;

const fail = (path: string, expected: string, value: unknown): never => {
  const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
  throw new ProtocolError(`${path || 'message'}: expected ${expected}, got ${got}`);
};

/** Longest string accepted from the webview (selectors, assertions, names). */
const MAX_TEXT = 10_000;

const str: Check<string> = (v, p) => (typeof v === 'string' ? v : fail(p, 'a string', v));
const shortStr: Check<string> = (v, p) => (typeof v === 'string' && v.length <= MAX_TEXT ? v : fail(p, `a string of at most ${MAX_TEXT} characters`, v));
const nonEmpty: Check<string> = (v, p) => (typeof v === 'string' && v.trim() !== '' && v.length <= MAX_TEXT ? v : fail(p, 'a non-empty string', v));
const int: Check<number> = (v, p) => (typeof v === 'number' && Number.isInteger(v) ? v : fail(p, 'an integer', v));
const num: Check<number> = (v, p) => (typeof v === 'number' && Number.isFinite(v) ? v : fail(p, 'a number', v));
const bool: Check<boolean> = (v, p) => (typeof v === 'boolean' ? v : fail(p, 'a boolean', v));
const hexId =
  (digits: number): Check<string> =>
  (v, p) =>
    typeof v === 'string' && v.length === digits && /^[0-9a-f]+$/.test(v) ? v : fail(p, `${digits} lowercase hex digits`, v);
const spanId = hexId(16);
const oneOf =
  <T extends string>(values: readonly T[]): Check<T> =>
  (v, p) =>
    values.includes(v as T) ? (v as T) : fail(p, `one of ${values.join(', ')}`, v);
const opt =
  <T>(check: Check<T>): Check<T | undefined> =>
  (v, p) =>
    v === undefined ? undefined : check(v, p);
const arr =
  <T>(check: Check<T>): Check<T[]> =>
  (v, p) => {
    if (!Array.isArray(v)) return fail(p, 'an array', v);
    const out = new Array<T>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = check(v[i], `${p}[${i}]`);
    return out;
  };
const record = (v: unknown, p: string): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : fail(p, 'an object', v);
const pair: Check<[string, string]> = (v, p) => {
  if (!Array.isArray(v) || v.length !== 2) return fail(p, 'a [key, value] pair', v);
  return [str(v[0], `${p}[0]`), str(v[1], `${p}[1]`)];
};
const join = (p: string, k: string) => (p ? `${p}.${k}` : k);

const STATUSES = ['passed', 'failed', 'errored'] as const;

// The trace is checked in place, without copying it (it can hold a million spans): plain loops over its columns.

const HEX16 = /^[0-9a-f]{16}$/;
const HEX32 = /^[0-9a-f]{32}$/;

/** An array of `length` items (any length when undefined) that each pass `ok`; says which item does not. */
function column(list: unknown, path: string, length: number | undefined, ok: (item: unknown, i: number) => boolean, expected: string): unknown[] {
  if (!Array.isArray(list)) return fail(path, 'an array', list);
  if (length !== undefined && list.length !== length) throw new ProtocolError(`${path}: expected ${length} entries, got ${list.length}`);
  for (let i = 0; i < list.length; i++) if (!ok(list[i], i)) fail(`${path}[${i}]`, expected, list[i]);
  return list;
}

type TypedColumn = Int32Array | Uint32Array | Uint8Array | Float64Array;
type TypedKind = 'Int32Array' | 'Uint32Array' | 'Uint8Array' | 'Float64Array';

/**
 * A typed array of `kind` with `length` entries (any length when undefined) each in [min, max) (integers for a
 * Float64Array). Its tag is read rather than `instanceof`, which would refuse an array made in another frame.
 */
function typedColumn<K extends TypedKind>(
  list: unknown,
  kind: K,
  path: string,
  length: number | undefined,
  limit: number,
  expected: string,
): Extract<TypedColumn, { [Symbol.toStringTag]: K }> {
  if (!ArrayBuffer.isView(list) || (list as TypedColumn)[Symbol.toStringTag] !== kind) return fail(path, `a ${kind}`, list);
  const typed = list as TypedColumn;
  if (length !== undefined && typed.length !== length) throw new ProtocolError(`${path}: expected ${length} entries, got ${typed.length}`);
  const bad =
    kind === 'Float64Array'
      ? firstUnsafe(typed as Float64Array)
      : limit === Infinity
        ? -1
        : kind === 'Uint32Array'
          ? firstAtOrAboveUint32(typed as Uint32Array, limit)
          : kind === 'Uint8Array'
            ? firstAtOrAboveUint8(typed as Uint8Array, limit)
            : firstAtOrAboveInt32(typed as Int32Array, limit);
  if (bad >= 0) fail(`${path}[${bad}]`, expected, typed[bad]);
  return typed as Extract<TypedColumn, { [Symbol.toStringTag]: K }>;
}

// The first entry ≥ limit (or not a safe integer), or -1. One loop per kind of array: one loop reading arrays of
// several kinds is slow in Chromium (its element reads see every kind), which made the check several times slower
// there than in Node.

function firstAtOrAboveInt32(list: Int32Array, limit: number): number {
  for (let i = 0; i < list.length; i++) if (list[i]! >= limit) return i;
  return -1;
}

function firstAtOrAboveUint32(list: Uint32Array, limit: number): number {
  for (let i = 0; i < list.length; i++) if (list[i]! >= limit) return i;
  return -1;
}

function firstAtOrAboveUint8(list: Uint8Array, limit: number): number {
  for (let i = 0; i < list.length; i++) if (list[i]! >= limit) return i;
  return -1;
}

function firstUnsafe(list: Float64Array): number {
  for (let i = 0; i < list.length; i++) if (!Number.isSafeInteger(list[i])) return i;
  return -1;
}

const indexBelow = (limit: number) => (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < limit;
const isSafeInteger = (v: unknown) => Number.isSafeInteger(v);

/** key, value, key, value… string indexes (after `skip` leading ones). */
function pairs(list: unknown, path: string, strings: number, skip = 0): void {
  column(list, path, undefined, indexBelow(strings), `a string index below ${strings}`);
  if (((list as unknown[]).length - skip) % 2 !== 0 || (list as unknown[]).length < skip)
    throw new ProtocolError(`${path}: expected ${skip ? `${skip} entries then ` : ''}key, value pairs, got ${(list as unknown[]).length} entries`);
}

const wireTrace: Check<WireTrace> = (v, p) => {
  const o = record(v, p);
  hexId(32)(o.traceId, join(p, 'traceId'));
  if (typeof o.t0 !== 'string' || !/^\d{1,20}$/.test(o.t0)) fail(join(p, 't0'), 'a decimal string', o.t0);
  const S = stringTable(o.strings, o.stringEnds, p);
  const resources = column(o.resources, join(p, 'resources'), undefined, () => true, '');
  resources.forEach((r, i) => pairs(r, `${join(p, 'resources')}[${i}]`, S));
  const scopes = column(o.scopes, join(p, 'scopes'), undefined, () => true, '');
  scopes.forEach((r, i) => pairs(r, `${join(p, 'scopes')}[${i}]`, S, 2));
  const spans = record(o.spans, join(p, 'spans'));
  const at = (k: string) => `${join(p, 'spans')}.${k}`;
  const n = spanIds(spans.ids, at('ids'));
  column(
    spans.parentIds,
    at('parentIds'),
    undefined,
    (x) => Array.isArray(x) && x.length === 2 && indexBelow(n)(x[0]) && (x[1] === '' || (typeof x[1] === 'string' && HEX16.test(x[1]))),
    `a [span index below ${n}, 16 lowercase hex digits or ""] pair`,
  );
  preOrderParents(spans.parents, at('parents'), n);
  const strings = `a string index below ${S}`;
  typedColumn(spans.names, 'Uint32Array', at('names'), n, S, strings);
  typedColumn(spans.kinds, 'Uint8Array', at('kinds'), n, SPAN_KINDS.length, `an index below ${SPAN_KINDS.length}`);
  typedColumn(spans.statuses, 'Uint8Array', at('statuses'), n, STATUS_CODES.length, `an index below ${STATUS_CODES.length}`);
  typedColumn(spans.statusMessages, 'Uint32Array', at('statusMessages'), n, S, strings);
  typedColumn(spans.starts, 'Float64Array', at('starts'), n, Infinity, 'an integer number of nanoseconds');
  typedColumn(spans.ends, 'Float64Array', at('ends'), n, Infinity, 'an integer number of nanoseconds');
  typedColumn(spans.resources, 'Uint32Array', at('resources'), n, resources.length, `an index below ${resources.length}`);
  typedColumn(spans.scopes, 'Uint32Array', at('scopes'), n, scopes.length, `an index below ${scopes.length}`);
  const attributes = typedColumn(spans.attributes, 'Uint32Array', at('attributes'), undefined, S, strings);
  const offsets = typedColumn(spans.attributeOffsets, 'Uint32Array', at('attributeOffsets'), n + 1, Infinity, '');
  for (let i = 0; i <= n; i++) {
    const previous = i === 0 ? 0 : offsets[i - 1]!;
    const ok = (i === 0 ? offsets[0] === 0 : offsets[i]! >= previous && (offsets[i]! - previous) % 2 === 0) && (i < n || offsets[n] === attributes.length);
    if (!ok) fail(`${at('attributeOffsets')}[${i}]`, 'offsets rising by key, value pairs from 0 to the number of attributes', offsets[i]);
  }
  column(o.events, join(p, 'events'), undefined, () => true, '').forEach((e, i) => {
    const q = `${join(p, 'events')}[${i}]`;
    const r = record(e, q);
    if (!indexBelow(n)(r.span)) fail(`${q}.span`, `a span index below ${n}`, r.span);
    if (!indexBelow(S)(r.name)) fail(`${q}.name`, `a string index below ${S}`, r.name);
    if (!isSafeInteger(r.time)) fail(`${q}.time`, 'an integer number of nanoseconds', r.time);
    pairs(r.attributes, `${q}.attributes`, S);
  });
  column(o.links, join(p, 'links'), undefined, () => true, '').forEach((l, i) => {
    const q = `${join(p, 'links')}[${i}]`;
    const r = record(l, q);
    if (!indexBelow(n)(r.span)) fail(`${q}.span`, `a span index below ${n}`, r.span);
    if (typeof r.traceId !== 'string' || !HEX32.test(r.traceId)) fail(`${q}.traceId`, '32 lowercase hex digits', r.traceId);
    if (typeof r.spanId !== 'string' || !HEX16.test(r.spanId)) fail(`${q}.spanId`, '16 lowercase hex digits', r.spanId);
    pairs(r.attributes, `${q}.attributes`, S);
  });
  arr(traceProblem)(o.problems, join(p, 'problems'));
  return o as unknown as WireTrace;
};

/** The packed string table (wire.ts): `ends` rise to the text's length. Its number of strings. */
function stringTable(text: unknown, ends: unknown, p: string): number {
  if (typeof text !== 'string') return fail(join(p, 'strings'), 'a string', text);
  const list = typedColumn(ends, 'Uint32Array', join(p, 'stringEnds'), undefined, Infinity, '');
  let previous = 0;
  for (let i = 0; i < list.length; i++) {
    if (list[i]! < previous || list[i]! > text.length)
      fail(`${join(p, 'stringEnds')}[${i}]`, `string ends rising to ${text.length}, the text's length`, list[i]);
    previous = list[i]!;
  }
  if (previous !== text.length) throw new ProtocolError(`${join(p, 'stringEnds')}: expected the last string to end at ${text.length}, got ${previous}`);
  return list.length;
}

/** The packed span ids (wire.ts): 16 lowercase hex digits per span, checked in one pass. The number of spans. */
function spanIds(ids: unknown, path: string): number {
  if (typeof ids !== 'string') return fail(path, 'a string', ids);
  if (ids.length % ID_LENGTH !== 0) throw new ProtocolError(`${path}: expected 16 lowercase hex digits per span, got ${ids.length} characters`);
  const bad = ids.search(/[^0-9a-f]/);
  if (bad >= 0) fail(`${path}[${Math.floor(bad / ID_LENGTH)}]`, '16 lowercase hex digits', ids);
  return ids.length / ID_LENGTH;
}

/**
 * Each span's parent by index, in pre-order: -1 for the first (the trigger span), then a span still open at that point
 * (the previous span or one of its ancestors), so that every subtree is a run of consecutive spans.
 */
function preOrderParents(list: unknown, path: string, n: number): void {
  const parents = typedColumn(list, 'Int32Array', path, n, Infinity, '');
  const open: number[] = [];
  for (let i = 0; i < n; i++) {
    const parent = parents[i]!;
    while (open.length > 0 && open[open.length - 1] !== parent) open.pop();
    if (i === 0 ? parent !== -1 : open.length === 0)
      fail(`${path}[${i}]`, i === 0 ? '-1 (the trigger span has no parent)' : 'the index of an open earlier span', parent);
    open.push(i);
  }
}

const PROBLEM_CODES = Object.keys({
  empty: true,
  'missing-parent': true,
  'duplicate-span-id': true,
  'multiple-roots': true,
  'mixed-trace-ids': true,
  cycle: true,
  truncated: true,
} satisfies Record<TraceProblemCode, true>) as TraceProblemCode[];

const traceProblem: Check<TraceProblem> = (v, p) => {
  const o = record(v, p);
  const id = opt(spanId)(o.spanId, join(p, 'spanId'));
  return { code: oneOf(PROBLEM_CODES)(o.code, join(p, 'code')), message: str(o.message, join(p, 'message')), ...(id !== undefined ? { spanId: id } : {}) };
};

const panelTest: Check<PanelTest> = (v, p) => {
  const o = record(v, p);
  const error = opt(str)(o.error, join(p, 'error'));
  return {
    file: str(o.file, join(p, 'file')),
    label: str(o.label, join(p, 'label')),
    key: str(o.key, join(p, 'key')),
    name: str(o.name, join(p, 'name')),
    status: oneOf(STATUSES)(o.status, join(p, 'status')),
    ...(error !== undefined ? { error } : {}),
    durationMs: num(o.durationMs, join(p, 'durationMs')),
  };
};

const spanResult: Check<PanelSpanResult> = (v, p) => {
  const o = record(v, p);
  const message = opt(str)(o.message, join(p, 'message'));
  return {
    spanId: o.spanId === '' ? '' : spanId(o.spanId, join(p, 'spanId')),
    status: oneOf(STATUSES)(o.status, join(p, 'status')),
    observed: str(o.observed, join(p, 'observed')),
    expected: str(o.expected, join(p, 'expected')),
    ...(message !== undefined ? { message } : {}),
  };
};

const panelSpec: Check<PanelSpec> = (v, p) => {
  const o = record(v, p);
  const name = opt(str)(o.name, join(p, 'name'));
  const selectorError = opt(str)(o.selectorError, join(p, 'selectorError'));
  return {
    ...(name !== undefined ? { name } : {}),
    selector: str(o.selector, join(p, 'selector')),
    status: oneOf(STATUSES)(o.status, join(p, 'status')),
    spanIds: arr(spanId)(o.spanIds, join(p, 'spanIds')),
    ...(selectorError !== undefined ? { selectorError } : {}),
    line: int(o.line, join(p, 'line')),
    assertions: arr((a, q): PanelAssertion => {
      const r = record(a, q);
      return {
        text: str(r.text, join(q, 'text')),
        comparator: str(r.comparator, join(q, 'comparator')),
        status: oneOf(STATUSES)(r.status, join(q, 'status')),
        line: int(r.line, join(q, 'line')),
        results: arr(spanResult)(r.results, join(q, 'results')),
      };
    })(o.assertions, join(p, 'assertions')),
  };
};

const panelOutput: Check<PanelOutput> = (v, p) => {
  const o = record(v, p);
  const value = opt(str)(o.value, join(p, 'value'));
  const error = opt(str)(o.error, join(p, 'error'));
  return {
    name: str(o.name, join(p, 'name')),
    ...(value !== undefined ? { value } : {}),
    spanId: o.spanId === '' ? '' : spanId(o.spanId, join(p, 'spanId')),
    ...(error !== undefined ? { error } : {}),
  };
};

const score: Check<number> = (v, p) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 100 ? v : fail(p, 'an integer from 0 to 100', v));

const ruleFailure: Check<RuleSpanFailure> = (v, p) => {
  const o = record(v, p);
  return { spanId: spanId(o.spanId, join(p, 'spanId')), errors: arr(str)(o.errors, join(p, 'errors')) };
};

const ruleResult: Check<RuleResult> = (v, p) => {
  const o = record(v, p);
  return {
    id: oneOf(RULE_IDS)(o.id, join(p, 'id')),
    name: str(o.name, join(p, 'name')),
    description: str(o.description, join(p, 'description')),
    level: oneOf(ERROR_LEVELS)(o.level, join(p, 'level')),
    weight: int(o.weight, join(p, 'weight')),
    passed: bool(o.passed, join(p, 'passed')),
    failures: arr(ruleFailure)(o.failures, join(p, 'failures')),
  };
};

const pluginResult: Check<PluginResult> = (v, p) => {
  const o = record(v, p);
  return {
    id: oneOf(PLUGIN_IDS)(o.id, join(p, 'id')),
    name: str(o.name, join(p, 'name')),
    score: score(o.score, join(p, 'score')),
    passed: bool(o.passed, join(p, 'passed')),
    rules: arr(ruleResult)(o.rules, join(p, 'rules')),
  };
};

const panelAnalyzer: Check<PanelAnalyzer> = (v, p) => {
  const o = record(v, p);
  return {
    score: score(o.score, join(p, 'score')),
    minimumScore: score(o.minimumScore, join(p, 'minimumScore')),
    passed: bool(o.passed, join(p, 'passed')),
    plugins: arr(pluginResult)(o.plugins, join(p, 'plugins')),
  };
};

const panelGate: Check<PanelGate> = (v, p) => {
  const o = record(v, p);
  const message = opt(str)(o.message, join(p, 'message'));
  return {
    gate: oneOf(GATES)(o.gate, join(p, 'gate')),
    passed: bool(o.passed, join(p, 'passed')),
    ...(message !== undefined ? { message } : {}),
  };
};

const runId: Check<string> = (v, p) => (typeof v === 'string' && /^[0-9a-z-]{1,64}$/.test(v) ? v : fail(p, 'a run id', v));

const panelRun: Check<PanelRun> = (v, p) => {
  const o = record(v, p);
  return {
    id: runId(o.id, join(p, 'id')),
    at: num(o.at, join(p, 'at')),
    status: oneOf(STATUSES)(o.status, join(p, 'status')),
    specs: int(o.specs, join(p, 'specs')),
    failedSpecs: int(o.failedSpecs, join(p, 'failedSpecs')),
    durationMs: num(o.durationMs, join(p, 'durationMs')),
  };
};

const DIFFERENCE_KINDS: readonly PanelDifferenceKind[] = ['missing', 'added', 'count', 'attributes', 'duration'];

const panelDifference: Check<PanelDifference> = (v, p) => {
  const o = record(v, p);
  return { kind: oneOf(DIFFERENCE_KINDS)(o.kind, join(p, 'kind')), text: str(o.text, join(p, 'text')), spanIds: arr(spanId)(o.spanIds, join(p, 'spanIds')) };
};

const hostChecks: { [K in HostMessage['type']]: Check<Extract<HostMessage, { type: K }>> } = {
  trace: (v, p) => ({ type: 'trace', trace: wireTrace(record(v, p).trace, 'trace') }),
  results: (v, p) => {
    const o = record(v, p);
    const focusSpanId = opt(spanId)(o.focusSpanId, 'focusSpanId');
    const analyzer = opt(panelAnalyzer)(o.analyzer, 'analyzer');
    const gates = opt(arr(panelGate))(o.gates, 'gates');
    return {
      type: 'results',
      traceId: hexId(32)(o.traceId, 'traceId'),
      test: panelTest(o.test, 'test'),
      specs: arr(panelSpec)(o.specs, 'specs'),
      outputs: arr(panelOutput)(o.outputs, 'outputs'),
      ...(analyzer ? { analyzer } : {}),
      ...(gates ? { gates } : {}),
      variables: arr(pair)(o.variables, 'variables'),
      ...(focusSpanId ? { focusSpanId } : {}),
    };
  },
  browse: (v, p) => {
    const o = record(v, p);
    return { type: 'browse', traceId: hexId(32)(o.traceId, 'traceId'), title: str(o.title, 'title') };
  },
  empty: (v, p) => {
    const o = record(v, p);
    const test =
      o.test === undefined
        ? undefined
        : (() => {
            const t = record(o.test, 'test');
            return { file: str(t.file, 'test.file'), label: str(t.label, 'test.label'), key: str(t.key, 'test.key'), name: str(t.name, 'test.name') };
          })();
    return { type: 'empty', ...(test ? { test } : {}), message: str(o.message, 'message') };
  },
  focus: (v, p) => ({ type: 'focus', spanId: spanId(record(v, p).spanId, 'spanId') }),
  written: (v, p) => {
    const o = record(v, p);
    return { type: 'written', requestId: int(o.requestId, 'requestId'), ok: bool(o.ok, 'ok'), message: str(o.message, 'message') };
  },
  running: (v, p) => {
    const o = record(v, p);
    const progress = o.progress === undefined ? undefined : record(o.progress, 'progress');
    const until = progress ? opt(num)(progress.until, 'progress.until') : undefined;
    return {
      type: 'running',
      running: bool(o.running, 'running'),
      ...(progress ? { progress: { text: str(progress.text, 'progress.text'), ...(until !== undefined ? { until } : {}) } } : {}),
    };
  },
  runs: (v, p) => {
    const o = record(v, p);
    const lastPassAt = opt(num)(o.lastPassAt, 'lastPassAt');
    return {
      type: 'runs',
      runs: arr(panelRun)(o.runs, 'runs'),
      shownId: runId(o.shownId, 'shownId'),
      ...(lastPassAt !== undefined ? { lastPassAt } : {}),
      comparing: bool(o.comparing, 'comparing'),
    };
  },
  comparison: (v, p) => {
    const o = record(v, p);
    const error = opt(str)(o.error, 'error');
    return {
      type: 'comparison',
      traceId: hexId(32)(o.traceId, 'traceId'),
      lastPassAt: num(o.lastPassAt, 'lastPassAt'),
      differences: arr(panelDifference)(o.differences, 'differences'),
      ...(error !== undefined ? { error } : {}),
    };
  },
};

const webviewChecks: { [K in WebviewMessage['type']]: Check<Extract<WebviewMessage, { type: K }>> } = {
  ready: () => ({ type: 'ready' }),
  addAssertion: (v, p) => {
    const o = record(v, p);
    return {
      type: 'addAssertion',
      requestId: int(o.requestId, 'requestId'),
      spanId: spanId(o.spanId, 'spanId'),
      selector: nonEmpty(o.selector, 'selector'),
      assertion: nonEmpty(o.assertion, 'assertion'),
    };
  },
  addOutput: (v, p) => {
    const o = record(v, p);
    const name = nonEmpty(o.name, 'name');
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name.trim())) fail('name', 'letters, digits and _, not starting with a digit', name);
    return {
      type: 'addOutput',
      requestId: int(o.requestId, 'requestId'),
      spanId: spanId(o.spanId, 'spanId'),
      selector: nonEmpty(o.selector, 'selector'),
      name,
      value: nonEmpty(o.value, 'value'),
    };
  },
  revealLine: (v, p) => {
    const line = int(record(v, p).line, 'line');
    return { type: 'revealLine', line: line >= 1 ? line : fail('line', 'a line number from 1', line) };
  },
  rerun: () => ({ type: 'rerun' }),
  createTest: () => ({ type: 'createTest' }),
  showRun: (v, p) => ({ type: 'showRun', id: runId(record(v, p).id, 'id') }),
  compare: (v, p) => ({ type: 'compare', on: bool(record(v, p).on, 'on') }),
};

function checkMessage<M extends { type: string }>(checks: Record<string, Check<unknown>>, value: unknown): Checked<M> {
  try {
    const type = record(value, '').type;
    const check = typeof type === 'string' && Object.hasOwn(checks, type) ? checks[type] : undefined;
    if (!check) return { ok: false, error: `unknown message type ${JSON.stringify(type)}` };
    return { ok: true, value: check(value, '') as M };
  } catch (error) {
    if (error instanceof ProtocolError) return { ok: false, error: error.message };
    throw error;
  }
}

/** The host's check of what the webview posts. */
export function checkWebviewMessage(value: unknown): Checked<WebviewMessage> {
  return checkMessage<WebviewMessage>(webviewChecks, value);
}

/** The webview's check of what the host posts. */
export function checkHostMessage(value: unknown): Checked<HostMessage> {
  return checkMessage<HostMessage>(hostChecks, value);
}

/** A state read back from `getState` (it may come from an older version of the panel). */
export function checkPanelState(value: unknown): PanelState {
  const fallback: PanelState = { view: 'graph', selector: '', search: '', criticalPath: false, expanded: [], collapsed: [] };
  try {
    const o = record(value, 'state');
    const zoom = o.zoom === undefined ? undefined : record(o.zoom, 'zoom');
    const test = o.test === undefined ? undefined : record(o.test, 'test');
    const selectedSpanId = opt(spanId)(o.selectedSpanId, 'selectedSpanId');
    const timelineTop = opt(int)(o.timelineTop, 'timelineTop');
    const sideWidth = opt(int)(o.sideWidth, 'sideWidth');
    const sideHeight = opt(int)(o.sideHeight, 'sideHeight');
    const labelShare = opt(num)(o.labelShare, 'labelShare');
    const analyzerRule = opt(shortStr)(o.analyzerRule, 'analyzerRule');
    return {
      ...(test ? { test: { file: str(test.file, 'test.file'), key: str(test.key, 'test.key') } } : {}),
      view: oneOf(['graph', 'timeline'] as const)(o.view, 'view'),
      ...(selectedSpanId ? { selectedSpanId } : {}),
      selector: shortStr(o.selector, 'selector'),
      search: shortStr(o.search, 'search'),
      ...(zoom ? { zoom: { k: num(zoom.k, 'zoom.k'), x: num(zoom.x, 'zoom.x'), y: num(zoom.y, 'zoom.y') } } : {}),
      ...(timelineTop !== undefined ? { timelineTop } : {}),
      criticalPath: bool(o.criticalPath, 'criticalPath'),
      expanded: arr(shortStr)(o.expanded, 'expanded'),
      collapsed: o.collapsed === undefined ? [] : arr(spanId)(o.collapsed, 'collapsed'),
      ...(sideWidth !== undefined ? { sideWidth } : {}),
      ...(sideHeight !== undefined ? { sideHeight } : {}),
      ...(labelShare !== undefined && labelShare > 0 && labelShare < 1 ? { labelShare } : {}),
      ...(analyzerRule ? { analyzerRule } : {}),
    };
  } catch (error) {
    if (error instanceof ProtocolError) return fallback;
    throw error;
  }
}
