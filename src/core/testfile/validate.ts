// Language checks on top of the schema: every selector, assertion, output value and trigger template must parse.
// Errors point at the exact line and column inside the YAML file.
import { parseAssertion, parseExpression, parseTemplate } from '../expression/index';
import { parseSelector } from '../selector/index';
import { positionAt, withoutPosition } from '../text-position';
import type { Result, SourceError } from '../text-position';
import type { AuthDef, KeyValue, LoadedFile, Problem, ProblemSource, SourceString, TestDef, TriggerDef } from './model';
import { offsetOf } from './model';

/** All problems of a loaded file: YAML and schema problems from loading, then language errors. */
export function validateFile(file: LoadedFile): Problem[] {
  const problems = [...file.problems];
  for (const { resource } of file.resources) {
    if (resource?.kind === 'Test') problems.push(...languageProblems(file.text, resource));
  }
  return problems.sort((a, b) => a.range.start - b.range.start);
}

function languageProblems(text: string, test: TestDef): Problem[] {
  const problems: Problem[] = [];
  const check = (s: SourceString | undefined, source: ProblemSource, what: string, parse: (t: string) => Result<unknown>): void => {
    if (!s) return;
    const parsed = parse(s.value);
    if (!parsed.ok) problems.push(problemAt(text, s, parsed.error, source, what));
  };
  for (const spec of test.specs) {
    check(spec.selector, 'selector', 'selector', parseSelector);
    for (const a of spec.assertions) check(a, 'expression', 'assertion', parseAssertion);
  }
  for (const o of test.outputs) {
    check(o.selector, 'selector', `output "${o.name.value}" selector`, parseSelector);
    check(o.value, 'expression', `output "${o.name.value}" value`, parseExpression);
  }
  for (const t of triggerTemplates(test.trigger)) check(t, 'expression', 'template', parseTemplate);
  return problems;
}

function triggerTemplates(trigger: TriggerDef): Array<SourceString | undefined> {
  const kv = (list: KeyValue[]): SourceString[] => list.flatMap((h) => [h.key, h.value]);
  const auth = (def: AuthDef | undefined): SourceString[] => {
    if (!def) return [];
    if (def.type === 'apiKey') return [def.apiKey.key, def.apiKey.value];
    if (def.type === 'basic') return [def.basic.username, def.basic.password];
    return [def.bearer.token];
  };
  switch (trigger.type) {
    case 'http':
      return [trigger.url, trigger.body, ...kv(trigger.headers), ...auth(trigger.auth)];
    case 'graphql':
      return [trigger.url, trigger.body.query, trigger.body.variables, trigger.body.operationName, ...kv(trigger.headers), ...auth(trigger.auth)];
    case 'grpc':
      return [trigger.address, trigger.method, trigger.request, ...kv(trigger.metadata), ...auth(trigger.auth)];
    case 'kafka':
      return [...trigger.brokerUrls, trigger.topic, trigger.messageKey, trigger.messageValue, ...kv(trigger.headers)];
    case 'playwrightengine':
      // The script is JavaScript, whose own `${…}` template literals are not ours.
      return [trigger.target, trigger.method];
    default:
      return [trigger.id];
  }
}

function problemAt(text: string, s: SourceString, error: SourceError, source: ProblemSource, what: string): Problem {
  const start = offsetOf(s, error.offset);
  const end = s.valueOffsets ? offsetOf(s, error.offset + Math.max(error.length, 1) - 1) + 1 : s.range.end;
  const from = positionAt(text, start);
  const to = positionAt(text, Math.max(end, start));
  return {
    severity: 'error',
    source,
    message: `${what}: ${withoutPosition(error.message)}`,
    range: { start, end: Math.max(end, start) },
    line: from.line,
    column: from.column,
    endLine: to.line,
    endColumn: to.column,
  };
}
