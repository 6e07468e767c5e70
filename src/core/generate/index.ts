// Tests from what was recorded: a trace (`tracelens generate`, Create Test from Trace) or a curl command.
export * from './generate-test';
export { durationBudget } from './specs';
export type { SpecSuggestion } from './specs';
export { inferTrigger, requestUrl } from './trigger';
export { withBaseUrlVariable } from './base-url';
