// Loading and checking Tracelens (Tracetest-compatible) test files.
export * from './model';
export { loadFile } from './load';
export { isResourceFile, isRunnableFile } from './runnable';
export { parseGoDuration } from './durations';
export { createProblem } from './problems';
export { addAssertion, addOutput, generatedSpecName } from './edit';
export { canonicalSelector } from '../selector/format';
export type { AssertionTarget, EditResult, OutputTarget } from './edit';
