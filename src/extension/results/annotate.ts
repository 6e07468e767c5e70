// Stored results laid onto the current text of a file: one annotation per assertion (and per broken selector, per
// output that errored or failed, and per test that errored before its specs ran), at the current position of what
// it is about. Decorations,
// diagnostics and the Testing view's messages are all views of this. No vscode import.
import { outputStatus, type OutputResult, type TestRunResult } from '../../core/engine/result';
import { offsetOf, type LoadedFile, type Range, type TestDef } from '../../core/testfile/model';
import type { StoredRun, TestKey } from '../run-store';
import { alignResult } from './align';
import { describeAssertion } from './outcome';
import { entriesOf } from './file-entries';

export interface Annotation {
  kind: 'assertion' | 'selector' | 'output' | 'test';
  key: TestKey;
  /** File offsets in the current text. */
  range: Range;
  status: TestRunResult['status'];
  short: string;
  message: string;
  specIndex?: number;
  assertionIndex?: number;
  /** The span the failure is about, for "Open trace at span". */
  spanId?: string;
  expected?: string;
  observed?: string;
}

export function annotateFile(file: LoadedFile, runs: readonly StoredRun[]): Annotation[] {
  const byKey = new Map(runs.map((r) => [r.key, r.result]));
  const out: Annotation[] = [];
  for (const entry of entriesOf(file)) {
    if (entry.kind !== 'test') continue;
    const result = byKey.get(entry.key);
    if (result) out.push(...annotateTest(entry.test, entry.key, entry.head, result));
  }
  return out;
}

export function annotateTest(test: TestDef, key: TestKey, head: Range, result: TestRunResult): Annotation[] {
  const out: Annotation[] = [];
  if (result.status === 'errored' && result.specs.length === 0) {
    const reason = result.error ?? 'errored';
    out.push({ kind: 'test', key, range: head, status: 'errored', short: `! ${firstLine(reason)}`, message: reason });
    return out;
  }
  for (const spec of alignResult(test, result)) {
    const selectorError = spec.result.selectorError;
    if (selectorError) {
      const start = offsetOf(spec.spec.selector, selectorError.offset);
      out.push({
        kind: 'selector',
        key,
        range: { start, end: Math.max(start + selectorError.length, start + 1) },
        status: 'errored',
        short: `! ${selectorError.message}`,
        message: `selector: ${selectorError.message}`,
        specIndex: spec.index,
      });
      continue;
    }
    for (const a of spec.assertions) {
      const outcome = describeAssertion(a.result, result.trace);
      const range = outcome.errorOffset !== undefined ? errorRange(a.source, outcome.errorOffset, outcome.failing?.error?.length ?? 1) : a.source.range;
      out.push({
        kind: 'assertion',
        key,
        range,
        status: outcome.status,
        short: outcome.short,
        message: outcome.message,
        specIndex: spec.index,
        assertionIndex: a.index,
        ...(outcome.failing?.spanId ? { spanId: outcome.failing.spanId } : {}),
        ...(outcome.status === 'failed' && outcome.failing ? { expected: outcome.failing.expected, observed: outcome.failing.observed } : {}),
      });
    }
  }
  for (const output of result.outputs) {
    const annotation = outputAnnotation(test, key, output);
    if (annotation) out.push(annotation);
  }
  return out;
}

/** An output that did not produce its value, at the output of that name in the current text (if still the same). */
function outputAnnotation(test: TestDef, key: TestKey, o: OutputResult): Annotation | undefined {
  const status = outputStatus(o);
  const current = test.outputs.find((c) => c.name.value === o.name && c.selector.value === o.source.selector.value && c.value.value === o.source.value.value);
  if (status === 'passed' || !current) return undefined;
  const message = `output ${o.name}: ${o.error ?? status}`;
  const range = o.parseError ? errorRange(current[o.parseError.in], o.parseError.error.offset, o.parseError.error.length) : current.value.range;
  return { kind: 'output', key, range, status, short: `${status === 'errored' ? '!' : '✗'} ${o.error ?? status}`, message };
}

function errorRange(source: Parameters<typeof offsetOf>[0], offset: number, length: number): Range {
  const start = offsetOf(source, offset);
  return { start, end: start + Math.max(1, length) };
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0]!;
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}
