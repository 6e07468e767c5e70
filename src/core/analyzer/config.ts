// The analyzer's plugins and rules with their defaults, and the settings a run judges with: an `Analyzer`
// resource merged over the defaults (what it leaves out keeps its default) and a `TestRunner`'s required gates.
import type { AnalyzerDef, AnalyzerErrorLevel, TestRunnerDef } from '../testfile/model';

export type ErrorLevel = AnalyzerErrorLevel;
export type PluginId = 'standards' | 'common' | 'security';
export type RuleId =
  'span-naming' | 'required-attributes' | 'attribute-naming' | 'no-empty-attributes' | 'prefer-dns' | 'secure-https-protocol' | 'no-api-key-leak';
export type Gate = 'test-specs' | 'analyzer-score' | 'analyzer-rules';

export const GATES: readonly Gate[] = ['test-specs', 'analyzer-score', 'analyzer-rules'];
export const DEFAULT_GATES: readonly Gate[] = ['test-specs'];

export interface RuleInfo {
  id: RuleId;
  name: string;
  /** What passing means, for a person. */
  description: string;
  weight: number;
}

export interface PluginInfo {
  id: PluginId;
  name: string;
  rules: readonly RuleInfo[];
}

/** Tracetest's plugins and rules, in its order, with its default weights. */
export const PLUGINS: readonly PluginInfo[] = [
  {
    id: 'standards',
    name: 'OpenTelemetry semantic conventions',
    rules: [
      {
        id: 'span-naming',
        name: 'Span naming',
        description: 'Span names follow the semantic conventions: a class of operations, not one instance',
        weight: 25,
      },
      {
        id: 'required-attributes',
        name: 'Required attributes',
        description: 'HTTP, database, RPC, messaging and FaaS spans carry the attributes their conventions require',
        weight: 25,
      },
      {
        id: 'attribute-naming',
        name: 'Attribute naming',
        description: 'Attribute keys are lower-case dotted names (namespace.name) and no key is also a namespace',
        weight: 25,
      },
      { id: 'no-empty-attributes', name: 'No empty attributes', description: 'No attribute has an empty value', weight: 25 },
    ],
  },
  {
    id: 'common',
    name: 'Common problems',
    rules: [{ id: 'prefer-dns', name: 'Prefer DNS', description: 'Clients reach servers by name, not by IP address', weight: 100 }],
  },
  {
    id: 'security',
    name: 'Security',
    rules: [
      { id: 'secure-https-protocol', name: 'Secure HTTPS protocol', description: 'HTTP spans use https', weight: 30 },
      { id: 'no-api-key-leak', name: 'No API key leak', description: 'No HTTP span records an Authorization or X-API-Key header', weight: 70 },
    ],
  },
];

export const PLUGIN_IDS: readonly PluginId[] = PLUGINS.map((p) => p.id);
export const RULE_IDS: readonly RuleId[] = PLUGINS.flatMap((p) => p.rules.map((r) => r.id));
export const ERROR_LEVELS: readonly ErrorLevel[] = ['error', 'warning', 'disabled'];

export interface RuleConfig {
  id: RuleId;
  weight: number;
  level: ErrorLevel;
}

export interface PluginConfig {
  id: PluginId;
  enabled: boolean;
  rules: RuleConfig[];
}

export interface AnalyzerConfig {
  enabled: boolean;
  minimumScore: number;
  plugins: PluginConfig[];
}

/** What decides a test's status besides its specs. */
export interface GateSettings {
  analyzer: AnalyzerConfig;
  requiredGates: readonly Gate[];
}

/** Every plugin and rule on, at its default weight and `error` level; minimum score 0. */
export function analyzerConfig(def?: AnalyzerDef): AnalyzerConfig {
  return {
    enabled: def?.enabled ?? true,
    minimumScore: def?.minimumScore ?? 0,
    plugins: PLUGINS.map((plugin) => {
      const given = def?.plugins.find((p) => p.id.value === plugin.id);
      return {
        id: plugin.id,
        enabled: given?.enabled ?? true,
        rules: plugin.rules.map((rule) => {
          const set = given?.rules.find((r) => r.id.value === rule.id);
          return { id: rule.id, weight: set?.weight ?? rule.weight, level: set?.errorLevel ?? 'error' };
        }),
      };
    }),
  };
}

/** The gates a `TestRunner` requires, in its order without repeats; `test-specs` alone without one. */
export function requiredGates(def?: TestRunnerDef): Gate[] {
  if (!def?.requiredGates) return [...DEFAULT_GATES];
  return [...new Set(def.requiredGates.map((g) => g.value).filter((g): g is Gate => (GATES as readonly string[]).includes(g)))];
}

export function gateSettings(analyzer?: AnalyzerDef, testRunner?: TestRunnerDef): GateSettings {
  return { analyzer: analyzerConfig(analyzer), requiredGates: requiredGates(testRunner) };
}

export const DEFAULT_GATE_SETTINGS: GateSettings = gateSettings();

export function pluginInfo(id: PluginId): PluginInfo {
  return PLUGINS.find((p) => p.id === id)!;
}

export function ruleInfo(id: RuleId): RuleInfo {
  for (const plugin of PLUGINS) for (const rule of plugin.rules) if (rule.id === id) return rule;
  throw new Error(`unknown analyzer rule ${id}`);
}
