// Where each result is in its test file, for reports that print `file:line:column`: a spec at its selector, an
// assertion or output at its start, and each at the spot where it breaks when it does not parse or errored. Error
// messages then lose the position relative to their own text ("at 1:18"): the file's line:column replaces it.
import { positionAt, withoutPosition, type SourceError } from '../text-position';
import { offsetOf, type SourceString } from '../testfile/model';
import type { AssertionResult, FilePlace, OutputResult, SpecResult } from './result';

export function placeResults<T extends { specs: SpecResult[]; outputs: OutputResult[]; error?: string }>(result: T, text: string): T {
  const at = (offset: number): FilePlace => {
    const { line, column } = positionAt(text, offset);
    return { line, column };
  };
  const inside = (s: SourceString, index = 0): FilePlace => at(offsetOf(s, index));
  return {
    ...result,
    ...(result.error !== undefined ? { error: withoutPosition(result.error) } : {}),
    specs: result.specs.map((spec) => ({
      ...spec,
      ...(spec.selectorError ? { selectorError: plain(spec.selectorError) } : {}),
      ...inside(spec.source.selector, spec.selectorError?.offset),
      assertions: spec.assertions.map((a) => ({
        ...a,
        results: a.results.map((r) => (r.error ? { ...r, error: plain(r.error) } : r)),
        ...inside(a.source, errorOffset(a)),
      })),
    })),
    outputs: result.outputs.map((o) => ({
      ...o,
      ...(o.error !== undefined ? { error: withoutPosition(o.error) } : {}),
      ...(o.parseError ? inside(o.source[o.parseError.in], o.parseError.error.offset) : at(o.source.range.start)),
    })),
  };
}

function plain(error: SourceError): SourceError {
  return { ...error, message: withoutPosition(error.message) };
}

function errorOffset(a: AssertionResult): number | undefined {
  return a.status === 'errored' ? a.results.find((r) => r.error)?.error?.offset : undefined;
}
