// What one assertion's result says to a person, in the forms the editor shows it: the short after-text on its
// line (`✓ 201`, `✗ 500 (expected 201)`, `✗ 2 of 3 spans`, `! <error>`) and a full message with expected and
// observed for the diff view. No vscode import.
import type { AssertionResult, SpanAssertionResult, Status } from '../../core/engine/result';
import type { Trace } from '../../core/trace/model';

const MAX_VALUE = 60;

export interface AssertionOutcome {
  status: Status;
  /** After-text for the assertion's line. */
  short: string;
  /** For the Testing view and the Problems view. */
  message: string;
  /** The first span that did not pass: what the diff shows and "Open trace at span" opens. */
  failing?: SpanAssertionResult;
  /** Offset of the error in the assertion text, when the assertion itself is broken. */
  errorOffset?: number;
}

export function describeAssertion(a: AssertionResult, trace?: Trace): AssertionOutcome {
  const bad = a.results.filter((r) => r.status !== 'passed');
  if (a.status === 'passed') {
    const values = new Set(a.results.map((r) => r.observed));
    const spans = a.results.length;
    const short = values.size === 1 ? `✓ ${clip([...values][0]!)}${spans > 1 ? ` (${spans} spans)` : ''}` : `✓ ${spans} spans`;
    return { status: 'passed', short, message: `${a.assertion}: passed` };
  }
  const first = bad.find((r) => r.status === a.status) ?? bad[0];
  if (!first) return { status: a.status, short: a.status === 'failed' ? '✗' : '!', message: `${a.assertion}: ${a.status}` };
  const spanNote = a.results.length > 1 ? ` (${bad.length} of ${a.results.length} spans)` : '';
  const where = spanLabel(first, trace);
  if (a.status === 'errored') {
    const reason = first.error?.message ?? first.message ?? 'errored';
    return {
      status: 'errored',
      short: `! ${clip(reason)}`,
      message: `${a.assertion}: ${where}${reason}${spanNote}`,
      failing: first,
      ...(first.error && !first.spanId ? { errorOffset: first.error.offset } : {}),
    };
  }
  const relation = a.comparator && a.comparator !== '=' ? `${a.comparator} ` : '';
  let short: string;
  if (a.results.length > 1) short = `✗ ${bad.length} of ${a.results.length} spans`;
  else if (!first.spanId && first.message) short = `✗ ${clip(first.message)}`;
  else short = `✗ ${clip(first.observed)} (expected ${relation}${clip(first.expected)})`;
  const detail = !first.spanId && first.message ? first.message : `expected ${relation}${first.expected}, observed ${first.observed}`;
  return { status: 'failed', short, message: `${a.assertion}: ${where}${detail}${spanNote}`, failing: first };
}

function spanLabel(r: SpanAssertionResult, trace: Trace | undefined): string {
  if (!r.spanId) return '';
  const span = trace?.byId.get(r.spanId);
  return `span ${r.spanId}${span ? ` "${span.name}"` : ''}: `;
}

function clip(value: string): string {
  const line = value.replace(/\s*\n\s*/g, ' ');
  if (line === '') return '""';
  return line.length > MAX_VALUE ? `${line.slice(0, MAX_VALUE - 1)}…` : line;
}
