export { analyze } from './analyze';
export {
  analyzerConfig,
  DEFAULT_GATE_SETTINGS,
  DEFAULT_GATES,
  ERROR_LEVELS,
  GATES,
  gateSettings,
  PLUGIN_IDS,
  PLUGINS,
  requiredGates,
  RULE_IDS,
} from './config';
export type { AnalyzerConfig, ErrorLevel, Gate, GateSettings, PluginId, RuleId } from './config';
export { judge, type Judgement } from './gates';
export type { AnalyzerResult, GateResult, PluginResult, RuleResult, RuleSpanFailure } from './result';
