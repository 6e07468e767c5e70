// The CLI and the extension host bundle (vscode stays external), the worker process of `playwrightengine` triggers
// (playwright-core stays external: it is a dependency that ships its own files), and the trace panel's browser bundle.
import { build } from 'esbuild';
import { readFileSync, chmodSync } from 'node:fs';
import { webviewOptions } from './webview-bundle.mjs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  define: { TRACELENS_VERSION: JSON.stringify(pkg.version) },
};

await Promise.all([
  build({ ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['src/run/triggers/playwright/worker.ts'], outfile: 'dist/playwright-worker.js', external: ['playwright-core'] }),
  build(webviewOptions({ entryPoints: ['webview/main.ts'], outfile: 'dist/webview/panel.js' })),
]);
chmodSync('dist/cli.js', 0o755);
if (!watch) console.log(`built dist/cli.js, dist/extension.js, dist/playwright-worker.js and dist/webview/panel.js (tracelens ${pkg.version})`);
