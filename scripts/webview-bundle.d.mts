import type { BuildOptions } from 'esbuild';
export function webviewOptions(overrides?: BuildOptions): BuildOptions;
