// Suggested specs for a recorded trace, after Tracetest's snippets ("All HTTP spans: status code is 200", "All
// database spans: processing time < 100ms"): each one passes against the trace it was made from.
import { formatDuration } from '../expression/durations';
import { assertionFor, selectorCandidates } from '../selector/generate';
import { spanValue } from '../trace/build';
import type { Span, Trace } from '../trace/model';

export interface SpecSuggestion {
  selector: string;
  name: string;
  assertions: string[];
  /** Why the spec is there, written above it. */
  comment?: string;
}

const DURATION = 'tracetest.span.duration';
const SPAN_TYPE = 'tracetest.span.type';
/** Attributes worth asserting on an entry span, when it has them (the first key of each group found). */
const ENTRY_ATTRIBUTES: ReadonlyArray<readonly string[]> = [
  ['http.response.status_code', 'http.status_code'],
  ['http.route'],
  ['rpc.grpc.status_code'],
  ['messaging.system'],
  ['messaging.destination.name', 'messaging.destination'],
  ['graphql.operation.name'],
  ['service.name'],
];
const DATABASE_ATTRIBUTES: ReadonlyArray<readonly string[]> = [
  ['db.system.name', 'db.system'],
  ['db.operation.name', 'db.operation'],
  ['db.collection.name', 'db.sql.table'],
];
const STATUS_KEYS = ['http.response.status_code', 'http.status_code'];
/** Observed durations are multiplied by this, then rounded up to 1, 2 or 5 × a power of ten. */
const HEADROOM = 2;
/**
 * And get at least this much on top: a sub-millisecond query is not twice as slow when it is slow, it waits for a
 * busy machine (a CI runner), a garbage collection or a connection, which cost tens of milliseconds whatever its own
 * time (a 5ms span took 53ms on a loaded 2-core runner).
 */
const SLACK_NS = 100_000_000n;
/** Most specs of one kind (entry spans, database operations, consumers): a long trace stays readable. */
const MAX_PER_KIND = 10;

export function suggestSpecs(trace: Trace, top: Span | undefined): SpecSuggestion[] {
  const specs: SpecSuggestion[] = [];
  const spans = trace.spans.filter((s) => !s.isTrigger);
  if (top?.isTrigger) specs.push(...triggerStatus(top));
  const entries = entrySpans(spans);
  for (const span of entries.slice(0, MAX_PER_KIND)) {
    const spec = one(trace, span, isConsumer(span) ? consumed(span) : `${span.name} was handled by ${serviceOf(span)}`, [
      ...attributeAssertions(span, ENTRY_ATTRIBUTES),
      budget(span),
    ]);
    if (spec) specs.push({ ...spec, comment: span === entries[0] ? 'The entry span of each service, with its key attributes.' : undefined });
  }
  specs.push(...broadSpecs(spans));
  const databases = spans.filter((s) => spanValue(s, SPAN_TYPE) === 'database');
  for (const [i, span] of databases.slice(0, MAX_PER_KIND).entries()) {
    const spec = one(trace, span, `Database: ${span.name}`, [...attributeAssertions(span, DATABASE_ATTRIBUTES), budget(span)]);
    if (spec) specs.push({ ...spec, comment: i === 0 ? 'Database operations: each one, with a duration budget.' : undefined });
  }
  // A consumer that starts its service's part of the trace already has its spec among the entry spans.
  for (const span of spans.filter((s) => isConsumer(s) && !entries.includes(s)).slice(0, MAX_PER_KIND)) {
    const spec = one(trace, span, consumed(span), ['attr:tracetest.selected_spans.count = 1']);
    if (spec) specs.push({ ...spec, comment: 'Asynchronous work: the consumer is part of the trace.' });
  }
  return specs;
}

/** A saved Tracelens trace keeps the response on its trigger span. */
function triggerStatus(trigger: Span): SpecSuggestion[] {
  const status = trigger.attributes.get('tracetest.response.status');
  if (status === undefined) return [];
  return [
    {
      selector: 'span[tracetest.span.type="general" name="Tracetest trigger"]',
      name: `The response status is ${status}`,
      assertions: [`attr:tracetest.response.status = ${status}`],
    },
  ];
}

/** The first span of each service: the root, and every span whose parent belongs to another service. */
function entrySpans(spans: readonly Span[]): Span[] {
  const seen = new Set<string>();
  const out: Span[] = [];
  for (const span of spans) {
    const service = serviceOf(span);
    if (seen.has(service)) continue;
    if (span.parent && !span.parent.isTrigger && serviceOf(span.parent) === service) continue;
    seen.add(service);
    out.push(span);
  }
  return out;
}

/** Specs over every span of a kind: no errors, one status for all HTTP spans, a budget for all database spans. */
function broadSpecs(spans: readonly Span[]): SpecSuggestion[] {
  const out: SpecSuggestion[] = [];
  const errors = spans.filter((s) => s.status.code === 'STATUS_CODE_ERROR').length;
  if (errors > 0) {
    out.push({
      selector: 'span[tracetest.span.status_code="STATUS_CODE_ERROR"]',
      name: `${errors} span${errors === 1 ? ' has' : 's have'} an error status, as recorded`,
      assertions: [`attr:tracetest.selected_spans.count = ${errors}`],
      comment: 'The recorded trace has error spans: keep this spec only if they are expected.',
    });
  } else if (spans.length > 0) {
    out.push({
      selector: 'span[]',
      name: 'No span has an error status',
      assertions: ['attr:tracetest.span.status_code != "STATUS_CODE_ERROR"'],
      comment: 'Across the whole trace.',
    });
  }
  const http = spans.filter((s) => spanValue(s, SPAN_TYPE) === 'http');
  const statusKey = STATUS_KEYS.find((key) => http.length > 0 && http.every((s) => spanValue(s, key) !== undefined));
  if (statusKey) {
    const codes = new Set(http.map((s) => spanValue(s, statusKey)));
    const code = [...codes][0]!;
    if (codes.size === 1)
      out.push({ selector: 'span[tracetest.span.type="http"]', name: `All HTTP spans: status code is ${code}`, assertions: [`attr:${statusKey} = ${code}`] });
  }
  const databases = spans.filter((s) => spanValue(s, SPAN_TYPE) === 'database');
  if (databases.length > 1) {
    out.push({
      selector: 'span[tracetest.span.type="database"]',
      name: `All database spans: processing time < ${durationBudget(maxDuration(databases))}`,
      assertions: [`attr:${DURATION} < ${durationBudget(maxDuration(databases))}`],
    });
  }
  return out;
}

function one(trace: Trace, span: Span, name: string, assertions: string[]): SpecSuggestion | undefined {
  const [candidate] = selectorCandidates(trace, span, { max: 1 });
  return candidate ? { selector: candidate.selector, name, assertions } : undefined;
}

function attributeAssertions(span: Span, groups: ReadonlyArray<readonly string[]>): string[] {
  const out: string[] = [];
  for (const group of groups) {
    const key = group.find((k) => spanValue(span, k) !== undefined);
    if (key) out.push(assertionFor(span, key));
  }
  return out;
}

function budget(span: Span): string {
  return `attr:${DURATION} < ${durationBudget(span.endTime - span.startTime)}`;
}

function maxDuration(spans: readonly Span[]): bigint {
  return spans.reduce((max, s) => (s.endTime - s.startTime > max ? s.endTime - s.startTime : max), 0n);
}

/**
 * Twice the observed duration and at least 100ms more, rounded up to 1, 2 or 5 × a power of ten: `< 200ms` for 0.3ms
 * and for 42ms, `< 1s` for 400ms.
 */
export function durationBudget(observedNs: bigint): string {
  const doubled = observedNs * BigInt(HEADROOM);
  const target = doubled > observedNs + SLACK_NS ? doubled : observedNs + SLACK_NS;
  let step = 1_000_000n; // 1ms
  for (;;) {
    for (const factor of [1n, 2n, 5n]) if (step * factor > target) return formatDuration(step * factor);
    step *= 10n;
  }
}

function isConsumer(span: Span): boolean {
  if (span.kind === 'consumer') return true;
  const operation = spanValue(span, 'messaging.operation.type') ?? spanValue(span, 'messaging.operation');
  return operation === 'process' || operation === 'receive';
}

function consumed(span: Span): string {
  const destination = spanValue(span, 'messaging.destination.name') ?? spanValue(span, 'messaging.destination');
  return `A message${destination ? ` from ${destination}` : ''} was consumed by ${serviceOf(span)}`;
}

function serviceOf(span: Span): string {
  return spanValue(span, 'service.name') ?? 'an unnamed service';
}
