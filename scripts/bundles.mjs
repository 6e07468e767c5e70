// esbuild options of the Node bundles the extension ships, shared by the build, the test that checks what
// activation loads, and the activation benchmark.
//
// - dist/extension.js: what activation loads (providers, the Testing controller, commands, the status bar).
// - dist/run.js: the run side (src/run/run-bundle.ts), loaded on the first run, receiver start or protobuf trace
//   file: the runner and triggers, the OTLP receiver, remote trace sources, undici, gRPC, protobufjs.
// - dist/documents.js: the YAML parser and the JSON schemas with their validator (src/extension/documents-bundle.ts),
//   required on the first parse of a test file, just after activation.
// - dist/load-editor.js: "Run under load…" (src/extension/load/load-editor.ts: the prompts, the load panel's host),
//   loaded on its first use; it requires dist/run.js for the load session itself.
// All are minified (with source maps): the editor parses less at activation and on the first run.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';

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

/** The documents bundle, and the modules the extension bundle takes from it, by its export holding each. */
export const DOCUMENTS_BUNDLE_FILE = './documents.js';
const DOCUMENTS_BUNDLE_SOURCE = 'src/extension/documents-bundle.ts';
const FROM_DOCUMENTS_BUNDLE = [
  { name: 'yaml', filter: /^yaml$/, resolved: /[\\/]node_modules[\\/]yaml[\\/]/ },
  { name: 'schema', filter: /(^|[\\/])schema$/, resolved: /[\\/]src[\\/]core[\\/]testfile[\\/]schema\.ts$/ },
];

/** The names a module exports: from its source for TypeScript, from the module itself for a package. */
async function exportNames(path) {
  if (!path.endsWith('.ts')) return Object.keys(createRequire(import.meta.url)(path));
  const result = await esbuild({ entryPoints: [path], bundle: false, format: 'esm', write: false, metafile: true, logLevel: 'error' });
  return Object.values(result.metafile.outputs)[0].exports;
}

/**
 * In the extension bundle, each module of FROM_DOCUMENTS_BUNDLE is a stand-in whose exports are getters: the first
 * one read requires the documents bundle, so loading the extension compiles and evaluates none of it. esbuild reads
 * a CommonJS module's exports where they are used, not at import, so this is invisible to the importing code.
 */
const documentsBundleLazy = {
  name: 'documents-bundle-lazy',
  setup(build) {
    for (const { name, filter, resolved: source } of FROM_DOCUMENTS_BUNDLE) {
      build.onResolve({ filter }, async (args) => {
        if (args.pluginData === 'resolved') return undefined;
        const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'resolved' });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        if (!source.test(resolved.path))
          return { path: resolved.path, namespace: resolved.namespace, sideEffects: resolved.sideEffects, external: resolved.external };
        return { path: resolved.path, namespace: 'from-documents-bundle', pluginData: name };
      });
    }
    build.onResolve({ filter: /^\.\/documents\.js$/, namespace: 'from-documents-bundle' }, () => ({ path: DOCUMENTS_BUNDLE_FILE, external: true }));
    build.onLoad({ filter: /.*/, namespace: 'from-documents-bundle' }, async (args) => {
      const getters = (await exportNames(args.path))
        .map((name) => `Object.defineProperty(exports, ${JSON.stringify(name)}, { enumerable: true, get: () => side()[${JSON.stringify(name)}] });`)
        .join('\n');
      const contents = `let loaded;\nconst side = () => (loaded ??= require(${JSON.stringify(DOCUMENTS_BUNDLE_FILE)}))[${JSON.stringify(args.pluginData)}];\n${getters}\n`;
      return { contents, loader: 'js', resolveDir: fileURLToPath(new URL('..', import.meta.url)) };
    });
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
    plugins: [runBundleExternal, documentsBundleLazy, jsonpathWithoutSideEffects],
    ...overrides,
  });
}

/** The load side: its own entry, with the run bundle left external as in the extension bundle. */
export function loadEditorOptions(overrides = {}) {
  return extensionOptions({ entryPoints: ['src/extension/load/load-editor.ts'], outfile: 'dist/load-editor.js', ...overrides });
}

export function documentsOptions(overrides = {}) {
  return nodeOptions({ entryPoints: [DOCUMENTS_BUNDLE_SOURCE], outfile: 'dist/documents.js', minify: true, ...overrides });
}

export function runOptions(overrides = {}) {
  return nodeOptions({ entryPoints: ['src/run/run-bundle.ts'], outfile: 'dist/run.js', external: ['playwright-core'], minify: true, ...overrides });
}

/** The limit on what activation loads (dist/extension.js, minified), in bytes: 250 KB. */
export const ACTIVATION_BUNDLE_LIMIT = 250_000;
