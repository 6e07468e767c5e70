// The selectors offered for one clicked span, in the panel and in the editor's quick pick: the generated
// candidates (each selects exactly that span), then the test's own spec selectors that select it too. Each says
// how many spans it matches and which spec an assertion written with it joins.
import type { Span, Trace } from '../trace/model';
import { canonicalSelector } from './format';
import { selectorCandidates, type SelectorStrategy } from './generate';
import { matchSelector } from './match';
import { parseSelector } from './parser';

export interface SpecSelector {
  selector: string;
  name?: string;
}

export interface SelectorChoice {
  selector: string;
  strategy: SelectorStrategy | 'existing spec';
  /** Spans it selects in this trace. */
  count: number;
  /** The spec with the same selector (canonically), which a new assertion joins. */
  spec?: SpecSelector;
}

export function selectorChoices(trace: Trace, span: Span, specs: readonly SpecSelector[]): SelectorChoice[] {
  const specFor = (selector: string) => {
    const canonical = canonicalSelector(selector);
    return specs.find((s) => canonicalSelector(s.selector) === canonical);
  };
  const withSpec = (choice: Omit<SelectorChoice, 'spec'>): SelectorChoice => {
    const spec = specFor(choice.selector);
    return spec ? { ...choice, spec } : choice;
  };
  const out = selectorCandidates(trace, span).map((c) => withSpec({ selector: c.selector, strategy: c.strategy, count: c.count }));
  const seen = new Set(out.map((c) => canonicalSelector(c.selector)));
  for (const spec of specs) {
    const canonical = canonicalSelector(spec.selector);
    if (seen.has(canonical)) continue;
    const selected = specMatches(trace, spec.selector);
    if (!selected?.includes(span)) continue;
    seen.add(canonical);
    out.push({ selector: spec.selector, strategy: 'existing spec', count: selected.length, spec });
  }
  return out;
}

const matchesByTrace = new WeakMap<Trace, Map<string, Span[] | undefined>>();

/** The spans a spec's selector selects (undefined when it does not parse), once per trace and selector. */
function specMatches(trace: Trace, selector: string): Span[] | undefined {
  let matches = matchesByTrace.get(trace);
  if (!matches) matchesByTrace.set(trace, (matches = new Map()));
  if (!matches.has(selector)) {
    const parsed = parseSelector(selector);
    matches.set(selector, parsed.ok ? matchSelector(trace, parsed.value) : undefined);
  }
  return matches.get(selector);
}

/** `matches 1 span · adds to spec "the API answered"`. */
export function describeChoice(choice: SelectorChoice): string {
  const matches = `matches ${choice.count} span${choice.count === 1 ? '' : 's'}`;
  if (!choice.spec) return matches;
  return `${matches} · adds to spec ${choice.spec.name !== undefined ? JSON.stringify(choice.spec.name) : choice.spec.selector}`;
}
