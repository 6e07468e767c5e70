export { analyze } from './analyze';
export { analyzerConfig, DEFAULT_GATE_SETTINGS, DEFAULT_GATES, GATES, gateSettings, PLUGINS, requiredGates } from './config';
export type { AnalyzerConfig, ErrorLevel, Gate, GateSettings, PluginId, RuleId } from './config';
export { judge, type Judgement } from './gates';
export type { AnalyzerResult, GateResult, PluginResult, RuleResult, RuleSpanFailure } from './result';
