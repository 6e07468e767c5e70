// The trace panel's browser bundle: one IIFE (no module loader in a webview), with elkjs's worker script inlined
// as text so the panel can start it from a blob URL (a webview cannot start a worker from its resource URIs).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** `import source from 'elk-worker-source'` gives the text of elkjs's layout worker. */
const elkWorkerSource = {
  name: 'elk-worker-source',
  setup(build) {
    build.onResolve({ filter: /^elk-worker-source$/ }, () => ({ path: require.resolve('elkjs/lib/elk-worker.min.js'), namespace: 'elk-worker-source' }));
    build.onLoad({ filter: /.*/, namespace: 'elk-worker-source' }, async (args) => ({ contents: await readFile(args.path, 'utf8'), loader: 'text' }));
  },
};

/** esbuild options for a browser entry of the panel (tests bundle single modules with the same options). */
export function webviewOptions(overrides = {}) {
  return {
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: true,
    minify: process.env.TRACELENS_DEV ? false : true,
    logLevel: 'warning',
    plugins: [elkWorkerSource],
    ...overrides,
  };
}
