// What a person wants in a terminal: each test as it finishes, each spec with ✓/✗, observed vs expected for
// failures, the error (with a caret under its column) for errors, and a summary line.
import { outputStatus, type AssertionResult, type FilePlace, type SpanAssertionResult, type SpecResult, type TestRunResult } from '../../core/engine/result';
import { describeDifference } from '../../core/compare/diff';
import { summarize } from './json';
import { analyzerLines, traceProblemLines } from './result-lines';
import type { Style } from './style';

/** Spans with more results than this are summarised rather than listed one by one. */
const MAX_SPAN_LINES = 5;
/** The end of a trigger's output (a script's console) shown under a test that did not pass. */
const MAX_OUTPUT_LINES = 20;

/**
 * Where the Playwright trace of the run was saved, and, when the test did not pass, the end of what the trigger
 * printed (a script's console): often the reason.
 */
export function triggerLines(t: TestRunResult): string[] {
  const lines = t.trigger.playwrightTrace ? [`Playwright trace: ${t.trigger.playwrightTrace}`] : [];
  const output = t.status === 'passed' ? [] : (t.trigger.output ?? []);
  if (output.length > 0) {
    const shown = output.slice(-MAX_OUTPUT_LINES);
    lines.push(`console${output.length > shown.length ? ` (last ${shown.length} of ${output.length} lines)` : ''}:`, ...shown.map((l) => `  ${l}`));
  }
  return lines;
}

export function formatTest(t: TestRunResult, style: Style): string {
  const lines: string[] = [];
  const icon = statusIcon(t.status, style);
  const spans = t.trace ? ` · ${t.trace.spans.length} spans` : '';
  const suite = t.suite ? style.dim(`${t.suite} › `) : '';
  lines.push(`${icon} ${suite}${style.bold(t.name)}  ${style.dim(`${t.file} · ${t.durationMs} ms${spans}`)}`);
  if (t.error && t.specs.length === 0) lines.push(`    ${style.red(t.error)}${where(t, t, style)}`);
  for (const line of triggerLines(t)) lines.push(`  ${style.dim(line)}`);
  for (const line of [...(t.warnings ?? []), ...traceProblemLines(t.trace)]) lines.push(`  ${style.yellow(`⚠ ${line}`)}`);
  for (const spec of t.specs) lines.push(...formatSpec(spec, t, style));
  for (const o of t.outputs) {
    const status = outputStatus(o);
    if (status === 'passed') lines.push(`  ${style.dim(`output ${o.name} = ${o.value}`)}`);
    else lines.push(`  ${statusIcon(status, style)} output ${o.name}: ${style.red(o.error ?? '')}${status === 'errored' ? where(t, o, style) : ''}`);
  }
  lines.push(...analyzerLines(t, style));
  lines.push(...sinceLastPassLines(t, style));
  return lines.join('\n');
}

/** Differences listed under a failed test before they are summarised. */
const MAX_DIFFERENCE_LINES = 10;

/** What changed since the test's last pass: often why it fails now. */
function sinceLastPassLines(t: TestRunResult, style: Style): string[] {
  const diffs = t.sinceLastPass;
  if (!diffs) return [];
  if (diffs.length === 0) return [`  ${style.dim('since the last pass: no difference in the trace')}`];
  const shown = diffs.slice(0, MAX_DIFFERENCE_LINES).map((d) => `    ${describeDifference(d)}`);
  if (diffs.length > shown.length) shown.push(`    ${style.dim(`… and ${diffs.length - shown.length} more`)}`);
  return [`  since the last pass:`, ...shown];
}

function formatSpec(spec: SpecResult, t: TestRunResult, style: Style): string[] {
  const title = spec.name ?? spec.selector;
  const count = style.dim(` (${spec.spanIds.length} span${spec.spanIds.length === 1 ? '' : 's'})`);
  const lines = [`  ${statusIcon(spec.status, style)} ${title}${spec.selectorError ? where(t, spec, style) : count}`];
  if (spec.selectorError) {
    lines.push(...caret(spec.selector, spec.selectorError.offset, spec.selectorError.message, '      ', style));
    return lines;
  }
  if (spec.status === 'passed') return lines;
  if (spec.name) lines.push(`      ${style.dim(spec.selector)}`);
  for (const a of spec.assertions) lines.push(...formatAssertion(a, t, style));
  return lines;
}

function formatAssertion(a: AssertionResult, t: TestRunResult, style: Style): string[] {
  const lines = [`    ${statusIcon(a.status, style)} ${a.assertion}${a.status === 'errored' ? where(t, a, style) : ''}`];
  if (a.status === 'passed') return lines;
  const bad = a.results.filter((r) => r.status !== 'passed');
  const parseError = bad.find((r) => r.error && !r.spanId);
  if (parseError?.error) return [...lines, ...caret(a.assertion, parseError.error.offset, parseError.error.message, '      ', style)];
  const shown = bad.slice(0, MAX_SPAN_LINES);
  for (const r of shown) lines.push(`        ${spanLabel(r, t, style)}${detail(r, a.comparator, style)}`);
  if (bad.length > shown.length) lines.push(`        ${style.dim(`… and ${bad.length - shown.length} more span(s)`)}`);
  if (a.results.length > 1) lines.push(`        ${style.dim(`${bad.length} of ${a.results.length} spans did not pass`)}`);
  return lines;
}

function detail(r: SpanAssertionResult, comparator: string, style: Style): string {
  if (r.error) return style.red(r.error.message);
  // Without a span (the selector matched nothing) there is nothing observed: the message says why.
  if (!r.spanId && r.message) return style.red(r.message);
  const relation = comparator && comparator !== '=' ? `${comparator} ` : '';
  return `expected ${style.green(relation + r.expected)}, observed ${style.red(r.observed)}`;
}

function spanLabel(r: SpanAssertionResult, t: TestRunResult, style: Style): string {
  if (!r.spanId) return '';
  const span = t.trace?.byId.get(r.spanId);
  return style.dim(`span ${r.spanId}${span ? ` "${span.name}"` : ''}: `);
}

/** `  file:line:column` of an errored item, for jumping to it from a terminal. */
function where(t: TestRunResult, place: FilePlace, style: Style): string {
  return place.line !== undefined ? `  ${style.dim(`${t.file}:${place.line}:${place.column}`)}` : '';
}

function caret(text: string, offset: number, message: string, indent: string, style: Style): string[] {
  const line = text.split('\n').length > 1 ? text.replace(/\n/g, ' ') : text;
  return [`${indent}${style.dim(line)}`, `${indent}${' '.repeat(Math.max(0, offset))}${style.red(`^ ${message}`)}`];
}

function statusIcon(status: TestRunResult['status'], style: Style): string {
  if (status === 'passed') return style.green('✓');
  if (status === 'failed') return style.red('✗');
  return style.yellow('!');
}

export function formatSummary(results: readonly TestRunResult[], elapsedMs: number, style: Style): string {
  const s = summarize(results);
  const specs = results.flatMap((t) => t.specs);
  const specsPassed = specs.filter((x) => x.status === 'passed').length;
  const parts = [
    s.passed ? style.green(`${s.passed} passed`) : `${s.passed} passed`,
    s.failed ? style.red(`${s.failed} failed`) : `${s.failed} failed`,
    s.errored ? style.yellow(`${s.errored} errored`) : `${s.errored} errored`,
  ];
  return `\n${style.bold('Tests:')} ${parts.join(', ')} ${style.dim(`(${results.length} total · specs ${specsPassed}/${specs.length} passed · ${(elapsedMs / 1000).toFixed(2)} s)`)}`;
}
