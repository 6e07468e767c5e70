// The CLI, the Artillery plugin (integrations/artillery, a package of its own), the extension's Node bundles (what activation loads, the YAML parser and schemas it loads on the first parse, and the run side it loads on first use; see
// bundles.mjs), the worker process of `playwrightengine` triggers (playwright-core stays external: it is a
// dependency that ships its own files), "Run under load…" (see bundles.mjs), and the browser bundles of the trace
// panel and the load panel. Prints each bundle's size.
import { build } from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';
import { documentsOptions, extensionOptions, loadEditorOptions, nodeOptions, runOptions } from './bundles.mjs';
import { webviewOptions } from './webview-bundle.mjs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const watch = process.argv.includes('--watch');

const bundles = [
  nodeOptions({ entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  nodeOptions({ entryPoints: ['src/artillery/plugin.ts'], outfile: 'integrations/artillery/dist/index.js' }),
  extensionOptions(),
  documentsOptions(),
  runOptions(),
  loadEditorOptions(),
  nodeOptions({ entryPoints: ['src/run/triggers/playwright/worker.ts'], outfile: 'dist/playwright-worker.js', external: ['playwright-core'] }),
  webviewOptions({ entryPoints: ['webview/main.ts'], outfile: 'dist/webview/panel.js' }),
  webviewOptions({ entryPoints: ['webview/load/main.ts'], outfile: 'dist/webview/load.js' }),
];
const results = await Promise.all(bundles.map((options) => build({ ...options, metafile: true })));
chmodSync('dist/cli.js', 0o755);
if (!watch) {
  console.log(`built tracelens ${pkg.version}:`);
  for (const [i, options] of bundles.entries()) {
    const bytes = results[i].metafile.outputs[options.outfile].bytes;
    console.log(`  ${options.outfile.padEnd(36)} ${(bytes / 1000).toFixed(1).padStart(7)} KB${options.minify ? ' (minified)' : ''}`);
  }
}
