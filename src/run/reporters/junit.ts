// JUnit XML as CI systems read it: one <testsuite> per spec, one <testcase> per assertion,
// <failure> for a mismatch and <error> for an error (the shape Tracetest produced); outputs in a <testsuite> of
// their own, then one <testsuite> per test for the analyzer, its score and each rule a <testcase>. An error's
// message starts with file:line:column when it is about one place in the file.
import type { AnalyzerResult, GateResult } from '../../core/analyzer/index';
import { outputStatus, type AssertionResult, type FilePlace, type OutputResult, type SpecResult, type TestRunResult } from '../../core/engine/result';

export function junitReport(results: readonly TestRunResult[], name = 'tracelens'): string {
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  const suites: string[] = [];
  for (const t of results) {
    const testLabel = t.suite ? `${t.suite} › ${t.name}` : t.name;
    if (t.specs.length === 0) {
      // A test that errored before any spec ran (trigger, trace, suite step) still has to show up in CI.
      tests++;
      const status = t.status === 'errored' ? '\n      ' + element('error', { type: 'error', message: at(t.file, t) + (t.error ?? 'errored') }) + '\n    ' : '';
      if (t.status === 'errored') errors++;
      suites.push(
        `  <testsuite ${attrs({ name: testLabel, tests: 1, failures: 0, errors: t.status === 'errored' ? 1 : 0, skipped: 0, time: seconds(t.durationMs) })}>\n` +
          `    <testcase ${attrs({ name: t.name, classname: testLabel, file: t.file })}>${status}</testcase>\n  </testsuite>`,
      );
      continue;
    }
    for (const spec of t.specs) {
      const cases = spec.assertions.map((a) => testcase(a, spec, testLabel, t.file));
      const f = spec.assertions.filter((a) => a.status === 'failed').length;
      const e = spec.assertions.filter((a) => a.status === 'errored').length;
      tests += cases.length;
      failures += f;
      errors += e;
      suites.push(
        `  <testsuite ${attrs({ name: `${testLabel} › ${spec.name ?? spec.selector}`, tests: cases.length, failures: f, errors: e, skipped: 0 })}>\n` +
          cases.join('') +
          '  </testsuite>',
      );
    }
    if (t.outputs.length > 0) {
      const statuses = t.outputs.map(outputStatus);
      const f = statuses.filter((x) => x === 'failed').length;
      const e = statuses.filter((x) => x === 'errored').length;
      tests += t.outputs.length;
      failures += f;
      errors += e;
      suites.push(
        `  <testsuite ${attrs({ name: `${testLabel} › outputs`, tests: t.outputs.length, failures: f, errors: e, skipped: 0 })}>\n` +
          t.outputs.map((o) => outputCase(o, testLabel, t.file)).join('') +
          '  </testsuite>',
      );
    }
    if (t.analyzer) {
      const suite = analyzerSuite(t.analyzer, t.gates ?? [], testLabel, t.file);
      tests += suite.tests;
      failures += suite.failures;
      skipped += suite.skipped;
      suites.push(suite.xml);
    }
  }
  const time = seconds(results.reduce((sum, t) => sum + t.durationMs, 0));
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites ${attrs({ name, tests, failures, errors, skipped, time })}>\n` +
    suites.map((s) => s + '\n').join('') +
    '</testsuites>\n'
  );
}

function testcase(a: AssertionResult, spec: SpecResult, classname: string, file: string): string {
  // A broken selector errors every assertion of its spec: the place to fix is the selector.
  const place = spec.selectorError ? spec : a;
  const head = `    <testcase ${attrs({ name: a.assertion, classname, file, ...line(place) })}`;
  if (a.status === 'passed') return `${head}></testcase>\n`;
  const bad = a.results.filter((r) => r.status !== 'passed');
  const detail = bad
    .map(
      (r) =>
        `${r.spanId ? `span ${r.spanId}: ` : ''}${r.error?.message ?? (r.spanId ? `expected ${a.comparator && a.comparator !== '=' ? `${a.comparator} ` : ''}${r.expected}, observed ${r.observed}` : (r.message ?? ''))}`,
    )
    .join('\n');
  const child =
    a.status === 'errored'
      ? element(
          'error',
          { type: 'error', message: at(file, place) + (bad.find((r) => r.status === 'errored')?.error?.message ?? bad[0]?.message ?? 'errored') },
          detail,
        )
      : element('failure', { type: a.assertion, message: bad.map((r) => (r.spanId ? r.observed : (r.message ?? ''))).join(', ') }, detail);
  return `${head}>\n      ${child}\n    </testcase>\n`;
}

function outputCase(o: OutputResult, classname: string, file: string): string {
  const head = `    <testcase ${attrs({ name: `output ${o.name}`, classname, file, ...line(o) })}`;
  const status = outputStatus(o);
  if (status === 'passed') return `${head}></testcase>\n`;
  const child =
    status === 'errored'
      ? element('error', { type: 'error', message: at(file, o) + (o.error ?? '') })
      : element('failure', { type: `output ${o.name}`, message: o.error ?? '' });
  return `${head}>\n      ${child}\n    </testcase>\n`;
}

/** `file:line:column: ` when the result knows its place in the file. */
function at(file: string, place: FilePlace): string {
  return place.line !== undefined ? `${file}:${place.line}:${place.column}: ` : '';
}

function line(place: FilePlace): Record<string, number> {
  return place.line !== undefined ? { line: place.line } : {};
}

/**
 * The score and each rule as a testcase. A <failure> only where a required gate failed because of it, so CI counts
 * what failed the test; a rule that failed without failing the test (a warning, or analyzer-rules not required) says
 * so in <system-out>. Disabled rules are <skipped>.
 */
function analyzerSuite(
  a: AnalyzerResult,
  gates: readonly GateResult[],
  label: string,
  file: string,
): { xml: string; tests: number; failures: number; skipped: number } {
  const classname = `${label} › analyzer`;
  const failedGate = (gate: GateResult['gate']) => gates.find((g) => g.gate === gate && !g.passed);
  const cases: string[] = [];
  let failures = 0;
  let skipped = 0;
  const scoreGate = failedGate('analyzer-score');
  if (scoreGate) failures++;
  cases.push(
    `    <testcase ${attrs({ name: `score ${a.score}/100 (minimum ${a.minimumScore})`, classname, file })}>` +
      (scoreGate ? `\n      ${element('failure', { type: 'analyzer-score', message: scoreGate.message ?? 'failed' })}\n    ` : '') +
      '</testcase>\n',
  );
  const rulesGate = failedGate('analyzer-rules');
  for (const plugin of a.plugins) {
    for (const rule of plugin.rules) {
      const head = `    <testcase ${attrs({ name: `${plugin.id}: ${rule.id}`, classname, file })}`;
      const detail = rule.failures.map((f) => `span ${f.spanId}: ${f.errors.join('; ')}`).join('\n');
      const summary = `${rule.failures.length} span${rule.failures.length === 1 ? '' : 's'}`;
      if (rule.level === 'disabled') {
        skipped++;
        cases.push(`${head}>\n      ${element('skipped', { message: 'disabled' })}\n    </testcase>\n`);
      } else if (rule.passed) cases.push(`${head}></testcase>\n`);
      else if (rule.level === 'error' && rulesGate) {
        failures++;
        cases.push(`${head}>\n      ${element('failure', { type: 'analyzer-rules', message: summary }, detail)}\n    </testcase>\n`);
      } else {
        const why = rule.level === 'warning' ? 'warning level' : 'the analyzer-rules gate is not required';
        cases.push(`${head}>\n      ${element('system-out', {}, `failed on ${summary} (not failing the test: ${why})\n${detail}`)}\n    </testcase>\n`);
      }
    }
  }
  const xml =
    `  <testsuite ${attrs({ name: classname, tests: cases.length, failures, errors: 0, skipped })}>\n` +
    `    <properties>\n      ${element('property', { name: 'score', value: a.score })}\n      ${element('property', { name: 'minimumScore', value: a.minimumScore })}\n    </properties>\n` +
    cases.join('') +
    '  </testsuite>';
  return { xml, tests: cases.length, failures, skipped };
}

function element(tag: string, attributes: Record<string, string | number>, body = ''): string {
  const open = [tag, attrs(attributes)].filter(Boolean).join(' ');
  return body ? `<${open}>${escapeXml(body, false)}</${tag}>` : `<${open} />`;
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}="${escapeXml(String(v))}"`)
    .join(' ');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** In attributes a newline must be a character reference or parsers fold it to a space. */
export function escapeXml(text: string, attribute = true): string {
  // Characters XML 1.0 cannot carry at all are dropped rather than producing a file CI cannot parse.
  const escaped = text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
  return attribute ? escaped.replace(/\n/g, '&#10;') : escaped;
}
