// A proposed assertion judged against one span before it is written into a test (click-to-assert in the panel
// and in the editor): does it parse, and does it hold for this span now?
import { evaluateAssertion, parseAssertion } from '../expression/index';
import { matchSelector, parseSelector } from '../selector/index';
import type { Span, Trace } from '../trace/model';

export interface AssertionCheck {
  /** The assertion parses (it can be written). */
  ok: boolean;
  passes: boolean;
  message: string;
}

export function checkAssertion(trace: Trace, span: Span, selector: string, text: string, variables: ReadonlyMap<string, string>): AssertionCheck {
  const parsed = parseAssertion(text.trim());
  if (!parsed.ok) return { ok: false, passes: false, message: `✗ ${parsed.error.message}` };
  const selectorAst = parseSelector(selector);
  const selectedCount = selectorAst.ok ? matchSelector(trace, selectorAst.value).length : 1;
  const outcome = evaluateAssertion(parsed.value, { span, selector, selectedCount, variables });
  if (outcome.status === 'passed') return { ok: true, passes: true, message: `✓ passes against this span now (observed ${outcome.observed})` };
  if (outcome.status === 'failed')
    return { ok: true, passes: false, message: `✗ observed ${outcome.observed} (expected ${outcome.expected}): fails against this span now` };
  return { ok: true, passes: false, message: `✗ ${outcome.error?.message ?? outcome.message ?? 'error'}` };
}
