// What a collect still expects before the trace may be judged, and until when it waits for each thing.
//
// SDKs batch spans (a fixed 5 s ticker per process in Java, Go, Python and .NET; 5 s after a batch's first span in
// JavaScript), so one service's spans can reach the receiver seconds after another's. A quiet window alone would
// judge the trace on the first service's batch. Instead, once the trace is quiet, the run keeps waiting while it has
// a reason to expect more:
//   - a spec or output selector matches nothing yet (the span may be on its way; or the spec claims it is absent,
//     and the claim holds only once it had time to arrive);
//   - a spec counts spans (`tracetest.selected_spans.count`), and a later batch could change the count;
//   - a service that reported in the test's last run has not reported yet, or has sent fewer spans than then;
//   - a span's parent has not arrived.
// Each reason is bounded. Spans of a service the receiver does not know yet are waited for until nothing has arrived
// for the export delay (default 5.5 s: the SDKs' 5 s plus the way to the receiver), and at least that long after the
// trigger's response; spans of services it has seen run after run, for as long after the response as they took then
// (see lateness.ts: much less for 100 ms exporters). Times are this process's monotonic clock only: nothing here
// compares span timestamps with it, so clock skew between hosts cannot shorten a wait.
import { parseAssertion, SELECTED_SPANS_COUNT, someNode } from '../../core/expression/index';
import { parseSelector } from '../../core/selector/index';
import type { TestDef } from '../../core/testfile/model';
import type { RawSpan } from '../../core/trace/model';
import { formatDuration, parentGaps, serviceOf } from './settle';

/** The services of a trace and how many spans each sent: what the next run of the same test expects. */
export interface TraceShape {
  services: Readonly<Record<string, number>>;
}

/** What a test tells the collect to expect, fixed for the whole collect. */
export interface Expectations {
  /** The shape of the test's last judged trace, when it ran before. */
  previous?: TraceShape;
  /** Selectors of specs that assert on `tracetest.selected_spans.count`. */
  countSelectors: readonly string[];
  /** `service.name` values the test's selectors name (`span[service.name="worker"]`), by selector. */
  namedServices: ReadonlyMap<string, readonly string[]>;
  /** How a person knows a selector: `"The worker consumed it"`, the name of its spec or output. */
  labels?: ReadonlyMap<string, string>;
}

export const NO_EXPECTATIONS: Expectations = { countSelectors: [], namedServices: new Map() };

export type WaitKind = 'selector' | 'count' | 'service' | 'spans' | 'parent';

const PRIORITY: Record<WaitKind, number> = { service: 0, selector: 1, count: 2, spans: 3, parent: 4 };

export interface WaitReason {
  kind: WaitKind;
  /** What is awaited, for a person: `spans from pokeshop-worker (seen in the last run)`. */
  text: string;
  /** When the wait for it ends, on the collect's clock (ms). */
  until: number;
  /** Set for a warning once the wait ran out without it (history reasons only: the others show in the results). */
  warning?: string;
  /** The wait was cut short by the collect's timeout (`notAfter`). */
  cut?: boolean;
}

/** When the wait for spans of these services ends, on the collect's clock. */
export type DeadlineFor = (services: ReadonlySet<string>) => number;

export interface Observation {
  spans: readonly RawSpan[];
  triggerSpanId: string;
  /** Spec and output selectors that match nothing in these spans. */
  unmatched: readonly string[];
  /** No wait goes beyond this (the collect's timeout, less a quiet window): the trace is judged before it times out. */
  notAfter: number;
}

/** Every reason to keep waiting, each with its deadline; those whose deadline has passed are no longer waited for. */
export function waitReasons(expect: Expectations, seen: Observation, deadlineFor: DeadlineFor): WaitReason[] {
  const counts = new Map<string, number>();
  for (const span of seen.spans) {
    const service = serviceOf(span);
    counts.set(service, (counts.get(service) ?? 0) + 1);
  }
  const known = new Set([...counts.keys(), ...Object.keys(expect.previous?.services ?? {})]);
  const withNamed = (selector: string): ReadonlySet<string> => {
    const named = expect.namedServices.get(selector);
    return named && named.length > 0 ? new Set([...known, ...named]) : known;
  };
  const reasons: WaitReason[] = [];
  const until = (services: ReadonlySet<string>) => Math.min(deadlineFor(services), seen.notAfter);

  const label = (selector: string) => expect.labels?.get(selector) ?? selector;
  for (const selector of seen.unmatched) {
    const named = expect.labels?.get(selector);
    reasons.push({ kind: 'selector', text: named ? `a span for ${named}` : `a span matching ${selector}`, until: until(withNamed(selector)) });
  }
  const unmatched = new Set(seen.unmatched);
  for (const selector of expect.countSelectors) {
    if (unmatched.has(selector)) continue;
    reasons.push({ kind: 'count', text: `every span counted by ${label(selector)}`, until: until(withNamed(selector)) });
  }

  for (const [service, before] of Object.entries(expect.previous?.services ?? {})) {
    const now = counts.get(service) ?? 0;
    if (now >= before) continue;
    if (now === 0) {
      reasons.push({
        kind: 'service',
        text: `spans from ${service} (seen in the last run)`,
        until: until(new Set([service])),
        warning: `no span from ${service} arrived this time (it sent ${plural(before, 'span')} in the last run)`,
      });
    } else {
      reasons.push({
        kind: 'spans',
        text: `${before - now} more span${before - now === 1 ? '' : 's'} from ${service} (${before} in the last run)`,
        until: until(new Set([service])),
        warning: `${service} sent ${plural(now, 'span')} this time, ${before} in the last run`,
      });
    }
  }
  const gaps = parentGaps(seen.spans, seen.triggerSpanId);
  if (gaps.length > 0) {
    const [first] = gaps;
    const child = first!.spans[0]!;
    const text = gaps.length === 1 ? `the parent of "${child.name}" (${serviceOf(child)})` : `the parents of spans in ${gaps.length} places`;
    reasons.push({ kind: 'parent', text, until: until(known) });
  }
  for (const reason of reasons) if (reason.until === seen.notAfter) reason.cut = true;
  // Most telling first: a whole service missing says more than a selector, a count or a few spans.
  return reasons.sort((a, b) => PRIORITY[a.kind] - PRIORITY[b.kind]);
}

/** Warnings for what was still expected when the trace was judged: services of the last run, waits the timeout cut. */
export function expiredWarnings(reasons: readonly WaitReason[], timeoutMs: number): string[] {
  return reasons.flatMap((r) => {
    if (r.cut)
      return [
        `stopped waiting for ${r.text} at the ${formatDuration(timeoutMs)} timeout: the trace was judged as it was (raise the timeout above the export delay)`,
      ];
    return r.warning ? [r.warning] : [];
  });
}

/** `waiting for spans from pokeshop-worker (seen in the last run), up to 5.5s`: the first reasons, the longest wait left. */
export function describeWait(reasons: readonly string[], remainingMs: number): string {
  return `${waitText(reasons)}, up to ${formatDuration(Math.max(0, remainingMs))}`;
}

/** `waiting for spans from pokeshop-worker (seen in the last run)`: the first two reasons. */
export function waitText(reasons: readonly string[]): string {
  const shown = reasons.slice(0, 2);
  const more = reasons.length > 2 ? ` and ${reasons.length - 2} more` : '';
  return `waiting for ${shown.join('; ')}${more}`;
}

/** The shape the next run of the test will expect. */
export function shapeOf(spans: readonly RawSpan[]): TraceShape {
  const services: Record<string, number> = {};
  for (const span of spans) {
    const service = serviceOf(span);
    services[service] = (services[service] ?? 0) + 1;
  }
  return { services };
}

/** What the test's own specs and outputs say to expect (the run adds `previous`). */
export function expectationsOf(test: TestDef): Expectations {
  const countSelectors = new Set<string>();
  for (const spec of test.specs) {
    const counts = spec.assertions.some((a) => {
      const parsed = parseAssertion(a.value);
      return parsed.ok && [parsed.value.left, parsed.value.right].some((side) => someNode(side, (n) => n.kind === 'attr' && n.name === SELECTED_SPANS_COUNT));
    });
    if (counts) countSelectors.add(spec.selector.value);
  }
  const namedServices = new Map<string, string[]>();
  for (const selector of [...test.specs.map((s) => s.selector.value), ...test.outputs.map((o) => o.selector.value)]) {
    const parsed = parseSelector(selector);
    if (!parsed.ok) continue;
    const named = parsed.value.chains.flatMap((chain) =>
      chain.steps.flatMap((step) => step.filters.filter((f) => f.key.name === 'service.name' && f.operator.operator === '=').map((f) => f.value.text)),
    );
    if (named.length > 0) namedServices.set(selector, named);
  }
  // A selector several specs share is named by the first: any of its names tells which spans are meant.
  const labels = new Map<string, string>();
  for (const spec of test.specs) if (spec.name && !labels.has(spec.selector.value)) labels.set(spec.selector.value, `"${spec.name.value}"`);
  for (const output of test.outputs) if (!labels.has(output.selector.value)) labels.set(output.selector.value, `output ${output.name.value}`);
  return { countSelectors: [...countSelectors], namedServices, ...(labels.size > 0 ? { labels } : {}) };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
