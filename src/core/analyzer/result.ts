// What the analyzer says about one trace, and what the required gates say about one test.
import type { ErrorLevel, Gate, PluginId, RuleId } from './config';

/** One span a rule failed on, with why (one sentence per problem; never an attribute's secret value). */
export interface RuleSpanFailure {
  spanId: string;
  errors: readonly string[];
}

export interface RuleResult {
  id: RuleId;
  name: string;
  description: string;
  level: ErrorLevel;
  weight: number;
  /** A disabled rule is not run and passes. */
  passed: boolean;
  /** The spans it failed on, in span order. */
  failures: RuleSpanFailure[];
}

export interface PluginResult {
  id: PluginId;
  name: string;
  /** 0-100: the share of the weight of its error-level rules that passed (100 when it has none). */
  score: number;
  /** No error-level rule failed. */
  passed: boolean;
  rules: RuleResult[];
}

export interface AnalyzerResult {
  /** 0-100: the integer mean of the enabled plugins' scores (100 when none is enabled). */
  score: number;
  minimumScore: number;
  /** No error-level rule of an enabled plugin failed. */
  passed: boolean;
  plugins: PluginResult[];
}

export interface GateResult {
  gate: Gate;
  passed: boolean;
  /** Why it failed, or why it was not judged (the analyzer is disabled). */
  message?: string;
}
