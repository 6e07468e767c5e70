// Tracetest's trace linter: the enabled plugins' rules over every span of the trace (the `Tracetest trigger` span
// Tracelens adds is not the system's and is left out), then the scores. One pass over the spans runs every rule.
import { attributeColumn } from '../trace/columns';
import type { Trace } from '../trace/model';
import { pluginInfo, ruleInfo, type AnalyzerConfig, type RuleConfig, type RuleId } from './config';
import type { AnalyzerResult, PluginResult, RuleResult, RuleSpanFailure } from './result';
import { attributeNaming } from './rules/attribute-naming';
import { noApiKeyLeak } from './rules/no-api-key-leak';
import { noEmptyAttributes } from './rules/no-empty-attributes';
import { preferDns } from './rules/prefer-dns';
import { requiredAttributes } from './rules/required-attributes';
import { Memo, type Rule } from './rules/rule';
import { secureHttpsProtocol } from './rules/secure-https-protocol';
import { spanNaming } from './rules/span-naming';

const RULES: Readonly<Record<RuleId, Rule>> = {
  'span-naming': spanNaming,
  'required-attributes': requiredAttributes,
  'attribute-naming': attributeNaming,
  'no-empty-attributes': noEmptyAttributes,
  'prefer-dns': preferDns,
  'secure-https-protocol': secureHttpsProtocol,
  'no-api-key-leak': noApiKeyLeak,
};

/** Traces are not changed once built: a replayed trace judged for many tests is analyzed once per config. */
const analyzed = new WeakMap<Trace, WeakMap<AnalyzerConfig, AnalyzerResult>>();

/** Undefined when the analyzer is disabled. */
export function analyze(trace: Trace, config: AnalyzerConfig): AnalyzerResult | undefined {
  if (!config.enabled) return undefined;
  let byConfig = analyzed.get(trace);
  if (!byConfig) analyzed.set(trace, (byConfig = new WeakMap()));
  let result = byConfig.get(config);
  if (!result) byConfig.set(config, (result = run(trace, config)));
  return result;
}

function run(trace: Trace, config: AnalyzerConfig): AnalyzerResult {
  const plugins = config.plugins.filter((p) => p.enabled);
  const active = plugins.flatMap((p) => p.rules.filter((r) => r.level !== 'disabled'));
  const failures = new Map<RuleConfig, RuleSpanFailure[]>(active.map((r) => [r, []]));
  const rules = active.map((config) => ({ rule: RULES[config.id], found: failures.get(config)! }));
  const memo = new Memo();
  // The test's selectors have usually read this column already: no trip to each span's attribute map.
  const types = attributeColumn(trace, 'tracetest.span.type');
  for (let i = 0; i < trace.spans.length; i++) {
    const span = trace.spans[i]!;
    if (span.isTrigger) continue;
    const type = types[i] ?? 'general';
    for (const { rule, found } of rules) {
      const errors = rule.check(span, type, memo);
      if (errors.length > 0) found.push({ spanId: span.id, errors });
    }
  }
  const results = plugins.map((plugin): PluginResult => {
    const ruleResults = plugin.rules.map((rule): RuleResult => {
      const info = ruleInfo(rule.id);
      const found = failures.get(rule) ?? [];
      return {
        id: rule.id,
        name: info.name,
        description: info.description,
        level: rule.level,
        weight: rule.weight,
        passed: found.length === 0,
        failures: found,
      };
    });
    return { id: plugin.id, name: pluginInfo(plugin.id).name, ...pluginScore(ruleResults), rules: ruleResults };
  });
  const score = results.length === 0 ? 100 : Math.floor(results.reduce((sum, p) => sum + p.score, 0) / results.length);
  return { score, minimumScore: config.minimumScore, passed: results.every((p) => p.passed), plugins: results };
}

/** Only error-level rules count: warnings are reported, disabled rules not run. */
function pluginScore(rules: RuleResult[]): { score: number; passed: boolean } {
  let total = 0;
  let passing = 0;
  for (const rule of rules) {
    if (rule.level !== 'error') continue;
    total += rule.weight;
    if (rule.passed) passing += rule.weight;
  }
  return { score: total > 0 ? Math.floor((100 * passing) / total) : 100, passed: rules.every((r) => r.level !== 'error' || r.passed) };
}
