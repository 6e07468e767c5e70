import type { BuildOptions } from 'esbuild';
export const RUN_BUNDLE_FILE: string;
export const LOAD_EDITOR_FILE: string;
export const ACTIVATION_BUNDLE_LIMIT: number;
export function nodeOptions(overrides?: BuildOptions): BuildOptions;
export function extensionOptions(overrides?: BuildOptions): BuildOptions;
export function runOptions(overrides?: BuildOptions): BuildOptions;
export function loadEditorOptions(overrides?: BuildOptions): BuildOptions;
