// esbuild options of the Node bundles the extension ships, shared by the build, the test that checks what
// activation loads, and the activation benchmark.
//
// - dist/extension.js: what activation loads (providers, the Testing controller, commands, the status bar).
// - dist/run.js: the run side (src/run/run-bundle.ts), loaded on the first run, receiver start or protobuf trace
//   file: the runner and triggers, the OTLP receiver, remote trace sources, undici, gRPC, protobufjs.
// - dist/load-editor.js: "Run under load…" (src/extension/load/load-editor.ts: the prompts, the load panel's host),
//   loaded on its first use; it requires dist/run.js for the load session itself.
// All are minified (with source maps): the editor parses less at activation and on the first run.
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/** The module the extension imports lazily (src/extension/runtime/load-run.ts), and the file it is at run time. */
const RUN_BUNDLE_SOURCE = /[\\/]run[\\/]run-bundle$/;
export const RUN_BUNDLE_FILE = './run.js';

/** The module the extension imports lazily for "Run under load…", and the file it is at run time. */
const LOAD_EDITOR_SOURCE = /[\\/]load[\\/]load-editor$/;
export const LOAD_EDITOR_FILE = './load-editor.js';

/** In the extension bundle, the run side and the load side are not bundled but required when first imported. */
const runBundleExternal = {
  name: 'run-bundle-external',
  setup(build) {
    build.onResolve({ filter: RUN_BUNDLE_SOURCE }, () => ({ path: RUN_BUNDLE_FILE, external: true }));
    build.onResolve({ filter: LOAD_EDITOR_SOURCE }, () => ({ path: LOAD_EDITOR_FILE, external: true }));
  },
};

/**
 * jsonpath-plus sets properties on its own classes at load, which esbuild must assume are side effects; nothing
 * else depends on them. Declared free of side effects, it stays out of a bundle that does not evaluate `json_path`
 * (activation: only the run bundle evaluates assertions).
 */
const jsonpathWithoutSideEffects = {
  name: 'jsonpath-without-side-effects',
  setup(build) {
    build.onResolve({ filter: /^jsonpath-plus$/ }, async (args) => {
      if (args.pluginData === 'resolved') return undefined;
      const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'resolved' });
      return resolved.errors.length > 0 ? { errors: resolved.errors } : { path: resolved.path, sideEffects: false };
    });
  },
};

export function nodeOptions(overrides = {}) {
  return {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    logLevel: 'warning',
    define: { TRACELENS_VERSION: JSON.stringify(pkg.version) },
    ...overrides,
  };
}

export function extensionOptions(overrides = {}) {
  return nodeOptions({
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode', 'playwright-core'],
    minify: true,
    // `import()` of the run bundle becomes `require`: the run bundle is CommonJS, loaded like the extension itself.
    supported: { 'dynamic-import': false },
    plugins: [runBundleExternal, jsonpathWithoutSideEffects],
    ...overrides,
  });
}

/** The load side: its own entry, with the run bundle left external as in the extension bundle. */
export function loadEditorOptions(overrides = {}) {
  return extensionOptions({ entryPoints: ['src/extension/load/load-editor.ts'], outfile: 'dist/load-editor.js', ...overrides });
}

export function runOptions(overrides = {}) {
  return nodeOptions({ entryPoints: ['src/run/run-bundle.ts'], outfile: 'dist/run.js', external: ['playwright-core'], minify: true, ...overrides });
}

/** The limit on what activation loads (dist/extension.js, minified), in bytes: 500 KB. */
export const ACTIVATION_BUNDLE_LIMIT = 500_000;
