// A stored result belongs to the text the test had when it ran. The author keeps editing: this pairs each spec and
// assertion result with the spec / assertion of the CURRENT text — same index when its text is unchanged, else the
// same text elsewhere — and drops results whose assertion no longer exists (stale).
import type { AssertionResult, SpecResult, TestRunResult } from '../../core/engine/result';
import type { SourceString, SpecDef, TestDef } from '../../core/testfile/model';

export interface AlignedAssertion {
  /** In the current text. */
  source: SourceString;
  index: number;
  result: AssertionResult;
}

export interface AlignedSpec {
  /** In the current text. */
  spec: SpecDef;
  index: number;
  result: SpecResult;
  assertions: AlignedAssertion[];
}

export function alignResult(test: TestDef, result: TestRunResult): AlignedSpec[] {
  const usedSpecs = new Set<number>();
  const aligned: AlignedSpec[] = [];
  result.specs.forEach((specResult, i) => {
    const same = (s: SpecDef | undefined) => s !== undefined && s.selector.value === specResult.selector && (s.name?.value ?? undefined) === specResult.name;
    const index = same(test.specs[i]) && !usedSpecs.has(i) ? i : test.specs.findIndex((s, j) => !usedSpecs.has(j) && same(s));
    if (index < 0) return;
    usedSpecs.add(index);
    const spec = test.specs[index]!;
    aligned.push({ spec, index, result: specResult, assertions: alignAssertions(spec.assertions, specResult.assertions) });
  });
  return aligned.sort((a, b) => a.index - b.index);
}

function alignAssertions(current: SourceString[], results: AssertionResult[]): AlignedAssertion[] {
  const used = new Set<number>();
  const out: AlignedAssertion[] = [];
  results.forEach((result, i) => {
    const index = current[i]?.value === result.assertion && !used.has(i) ? i : current.findIndex((a, j) => !used.has(j) && a.value === result.assertion);
    if (index < 0) return;
    used.add(index);
    out.push({ source: current[index]!, index, result });
  });
  return out.sort((a, b) => a.index - b.index);
}
