// A run's result and trace as they may be shown or written: every string masked by a Redactor. The originals are
// not touched, since assertions (and re-checks) compare the real values; only copies leave the run.
import type { AnalyzerResult, GateResult } from '../analyzer/result';
import type { OutputResult, SpanAssertionResult, SpecResult, TestRunResult } from '../engine/result';
import type { SourceError } from '../text-position';
import type { Attributes, Span, Trace } from '../trace/model';
import type { Redactor } from './redactor';

export interface RedactOptions {
  /**
   * Keep what is text of the test file (name, id, selectors, assertions) as it is: the editor pairs results with the
   * file by that text, and shows them in the file they were read from. Reports written by the CLI mask it too.
   */
  keepSourceText?: boolean;
}

export function redactResult(result: TestRunResult, redactor: Redactor, options: RedactOptions = {}): TestRunResult {
  if (redactor.empty) return result;
  const mask = (s: string) => redactor.text(s);
  const source = options.keepSourceText ? (s: string) => s : mask;
  const error = (e: SourceError): SourceError => ({ ...e, message: mask(e.message) });
  const spanResult = (r: SpanAssertionResult): SpanAssertionResult => ({
    ...r,
    observed: mask(r.observed),
    expected: mask(r.expected),
    ...(r.message !== undefined ? { message: mask(r.message) } : {}),
    ...(r.error ? { error: error(r.error) } : {}),
  });
  const spec = (s: SpecResult): SpecResult => ({
    ...s,
    ...(s.name !== undefined ? { name: source(s.name) } : {}),
    selector: source(s.selector),
    ...(s.selectorError ? { selectorError: error(s.selectorError) } : {}),
    assertions: s.assertions.map((a) => ({ ...a, assertion: source(a.assertion), results: a.results.map(spanResult) })),
  });
  const output = (o: OutputResult): OutputResult => ({
    ...o,
    name: source(o.name),
    ...(o.value !== undefined ? { value: mask(o.value) } : {}),
    ...(o.error !== undefined ? { error: mask(o.error) } : {}),
  });
  return {
    ...result,
    file: source(result.file),
    id: source(result.id),
    name: source(result.name),
    ...(result.suite !== undefined ? { suite: source(result.suite) } : {}),
    ...(result.error !== undefined ? { error: mask(result.error) } : {}),
    specs: result.specs.map(spec),
    outputs: result.outputs.map(output),
    ...(result.analyzer ? { analyzer: redactAnalysis(result.analyzer, mask) } : {}),
    ...(result.gates ? { gates: result.gates.map((g): GateResult => (g.message !== undefined ? { ...g, message: mask(g.message) } : g)) } : {}),
    ...(result.trace ? { trace: redactTrace(result.trace, redactor) } : {}),
  };
}

/** A rule's reasons name what it saw on a span (a host, a URL's scheme): a secret may be part of that. */
function redactAnalysis(analysis: AnalyzerResult, mask: (s: string) => string): AnalyzerResult {
  return {
    ...analysis,
    plugins: analysis.plugins.map((plugin) => ({
      ...plugin,
      rules: plugin.rules.map((rule) => ({ ...rule, failures: rule.failures.map((f) => ({ ...f, errors: f.errors.map(mask) })) })),
    })),
  };
}

/**
 * The trace with every name, attribute key and value, status message, event and link masked. The same trace when
 * nothing in it needed masking (the usual case: no copy of a large trace).
 */
export function redactTrace(trace: Trace, redactor: Redactor): Trace {
  if (redactor.empty) return trace;
  // Spans of one resource or scope share its attribute map: each map is masked once.
  const maps = new Map<Attributes, Attributes>();
  const attributes = (a: Attributes) => {
    let masked = maps.get(a);
    if (!masked) maps.set(a, (masked = redactAttributes(a, redactor)));
    return masked;
  };
  const masked = trace.spans.map((span) => redactSpanFields(span, redactor, attributes));
  const problems = trace.problems.map((p) => {
    const message = redactor.text(p.message);
    return message === p.message ? p : { ...p, message };
  });
  if (masked.every((m) => m === undefined) && problems.every((p, i) => p === trace.problems[i])) return trace;
  // One masked span means new span objects for all of them: parents and children point at each other.
  // A built span reads some fields through getters, which a spread leaves out: those are named.
  const spans: Span[] = trace.spans.map((span, i) => {
    const { traceId, kind, endTime, status, events, links, flat } = span;
    return { ...span, traceId, kind, endTime, status, events, links, flat, ...masked[i], parent: undefined, children: [] };
  });
  const copyOf = (span: Span) => spans[span.index]!;
  trace.spans.forEach((span, i) => {
    const copy = spans[i]!;
    copy.parent = span.parent ? copyOf(span.parent) : undefined;
    copy.children = span.children.map(copyOf);
  });
  return { traceId: trace.traceId, spans, byId: new Map(spans.map((s) => [s.id, s])), root: copyOf(trace.root), problems };
}

type SpanText = Pick<Span, 'name' | 'status' | 'resource' | 'scope' | 'attributes' | 'events' | 'links' | 'flat'>;

/** The span's text fields that masking changed, or undefined when none did (without allocating then). */
function redactSpanFields(span: Span, redactor: Redactor, attributes: (a: Attributes) => Attributes): SpanText | undefined {
  const name = redactor.text(span.name);
  const statusMessage = redactor.text(span.status.message);
  const resource = attributes(span.resource);
  const scopeName = redactor.text(span.scope.name);
  const scopeAttributes = attributes(span.scope.attributes);
  const own = redactAttributes(span.attributes, redactor);
  const events = redactList(span.events, (e) => {
    const eventName = redactor.text(e.name);
    const eventAttributes = redactAttributes(e.attributes, redactor);
    return eventName === e.name && eventAttributes === e.attributes ? e : { ...e, name: eventName, attributes: eventAttributes };
  });
  const links = redactList(span.links, (l) => {
    const linkAttributes = redactAttributes(l.attributes, redactor);
    return linkAttributes === l.attributes ? l : { ...l, attributes: linkAttributes };
  });
  const unchanged =
    name === span.name &&
    statusMessage === span.status.message &&
    resource === span.resource &&
    scopeName === span.scope.name &&
    scopeAttributes === span.scope.attributes &&
    own === span.attributes &&
    events === span.events &&
    links === span.links;
  // The flat view is those attributes plus values derived from the span (its name, ids, times, kind, status): when
  // none of them needed masking, neither does it.
  if (unchanged) return undefined;
  return {
    name,
    status: { ...span.status, message: statusMessage },
    resource,
    scope: { ...span.scope, name: scopeName, attributes: scopeAttributes },
    attributes: own,
    events,
    links,
    flat: redactAttributes(span.flat, redactor),
  };
}

/** The same list when `redact` returned every item as it was. */
function redactList<T>(list: T[], redact: (item: T) => T): T[] {
  let out: T[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const item = redact(list[i]!);
    if (!out && item !== list[i]) out = list.slice(0, i);
    out?.push(item);
  }
  return out ?? list;
}

/** The same map when no key or value needed masking. */
function redactAttributes(attributes: Attributes, redactor: Redactor): Attributes {
  let out: Map<string, string> | undefined;
  let i = 0;
  for (const [key, value] of attributes) {
    const k = redactor.text(key);
    const v = redactor.text(value);
    if (!out && (k !== key || v !== value)) out = new Map([...attributes].slice(0, i));
    out?.set(k, v);
    i++;
  }
  return out ?? attributes;
}
