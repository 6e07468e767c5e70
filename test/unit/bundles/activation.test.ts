// What activation loads: the extension bundle as the build makes it stays under the size limit, leaves the YAML
// parser and the schemas to the documents bundle, required on the first parse, and the run side (runner, receiver,
// network stacks, assertion evaluation) to the run bundle, required on first use.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { build, type Metafile } from 'esbuild';
import {
  ACTIVATION_BUNDLE_LIMIT,
  DOCUMENTS_BUNDLE_FILE,
  documentsOptions,
  extensionOptions,
  LOAD_EDITOR_FILE,
  loadEditorOptions,
  RUN_BUNDLE_FILE,
  runOptions,
} from '../../../scripts/bundles.mjs';

type Output = Metafile['outputs'][string];

async function bundle(options: ReturnType<typeof extensionOptions>): Promise<Output> {
  const result = await build({ ...options, write: false, metafile: true, sourcemap: false, logLevel: 'error' });
  return result.metafile.outputs[options.outfile!]!;
}

/** Inputs of the bundle whose path contains one of `parts`. */
function inputsMatching(output: Output, parts: readonly string[]): string[] {
  return Object.keys(output.inputs).filter((input) => parts.some((part) => input.includes(part)));
}

/** Loaded only when something runs: libraries and modules activation must not pull in. */
const RUN_ONLY = [
  'node_modules/undici/',
  'node_modules/@grpc/',
  'node_modules/@opentelemetry/otlp-transformer/',
  'node_modules/protobufjs/',
  'node_modules/jsonpath-plus/',
  'src/run/runner.ts',
  'src/run/sources/otlp/receiver.ts',
  'src/run/sources/jaeger.ts',
  'src/run/sources/tempo.ts',
  'src/run/triggers/http.ts',
  'src/run/triggers/grpc.ts',
  'src/core/engine/evaluate.ts',
  'src/run/load/engine.ts',
  'src/run/load/series.ts',
];

/** Loaded on the first parse of a test file (the extension bundle holds only stand-ins for them). */
const DOCUMENTS_ONLY = ['node_modules/yaml/', 'node_modules/ajv/', 'node_modules/fast-uri/', 'schemas/', 'src/core/testfile/schema.ts'];
const STAND_IN = 'from-documents-bundle:';

/** In a fresh Node process, `vscode` an empty module: requires `file`, runs `then`, prints the files required. */
function requiredFiles(file: string, then = ''): { loaded: string[]; printed: string } {
  const script = `
const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) { return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest); };
Module._cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: {} };
const exported = require(process.argv[1]);
const printed = (${then || '() => ""'})(exported);
process.stdout.write(JSON.stringify({ loaded: Object.keys(require.cache).map((f) => require('node:path').basename(f)), printed }));
`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script, file], { encoding: 'utf8' })) as { loaded: string[]; printed: string };
}

/** "Run under load…": loaded on its first use. */
const LOAD_EDITOR_ONLY = ['src/extension/load/load-editor.ts', 'src/extension/load/load-panel.ts', 'src/extension/load/load-input.ts'];

describe('activation bundle', () => {
  let activation: Output;
  let run: Output;
  let loadEditor: Output;
  before(async () => {
    [activation, run, loadEditor] = await Promise.all([bundle(extensionOptions()), bundle(runOptions()), bundle(loadEditorOptions())]);
  });

  it(`is at most ${ACTIVATION_BUNDLE_LIMIT / 1000} KB minified`, () => {
    assert.ok(
      activation.bytes <= ACTIVATION_BUNDLE_LIMIT,
      `dist/extension.js is ${(activation.bytes / 1000).toFixed(1)} KB, over the ${ACTIVATION_BUNDLE_LIMIT / 1000} KB activation loads at most`,
    );
  });

  it('does not pull in the runner, the receiver, their network stacks or assertion evaluation', () => {
    assert.deepEqual(inputsMatching(activation, RUN_ONLY), []);
  });

  it('leaves the YAML parser, the schemas and their validator to the documents bundle', async () => {
    assert.deepEqual(
      inputsMatching(activation, DOCUMENTS_ONLY).filter((input) => !input.startsWith(STAND_IN)),
      [],
    );
    const documents = await bundle(documentsOptions());
    for (const part of DOCUMENTS_ONLY) assert.ok(inputsMatching(documents, [part]).length > 0, `${part} is not in the documents bundle`);
    assert.deepEqual(inputsMatching(documents, ['src/extension/', 'src/run/']), ['src/extension/documents-bundle.ts']);
  });

  it('requires the run bundle at run time instead of bundling it', () => {
    const external = activation.imports.filter((i) => i.external).map((i) => i.path);
    assert.ok(external.includes(RUN_BUNDLE_FILE), `expected ${RUN_BUNDLE_FILE} among ${external.join(', ')}`);
    assert.deepEqual(inputsMatching(activation, ['src/run/run-bundle.ts']), []);
  });

  it('requires "Run under load…" on its first use, and that requires the run side', () => {
    assert.deepEqual(inputsMatching(activation, LOAD_EDITOR_ONLY), []);
    assert.ok(activation.imports.some((i) => i.external && i.path === LOAD_EDITOR_FILE));
    for (const part of LOAD_EDITOR_ONLY) assert.ok(inputsMatching(loadEditor, [part]).length > 0, `${part} is not in the load editor bundle`);
    assert.deepEqual(inputsMatching(loadEditor, RUN_ONLY), []);
    assert.ok(loadEditor.imports.some((i) => i.external && i.path === RUN_BUNDLE_FILE));
  });

  describe('built', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracelens-bundles-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const written = { sourcemap: false, logLevel: 'error' } as const;

    it('loads neither the documents bundle nor the run bundle at activation', async () => {
      const file = join(dir, 'extension.js');
      await build(extensionOptions({ ...written, outfile: file }));
      assert.deepEqual(requiredFiles(file).loaded.sort(), ['extension.js', 'vscode']);
    });

    it('requires the documents bundle on the first parse, and the stand-ins hand out its YAML parser and validator', async () => {
      // What the editor does with a test file: parse it with yaml, validate it against its kind's schema.
      const probe = `
        import { parseDocument, isMap } from 'yaml';
        import { validatorFor } from './src/core/testfile/schema';
        export function check(text: string): string {
          const document = parseDocument(text);
          const validate = validatorFor('Test');
          return [isMap(document.contents), validate(document.toJS()), validate.errors?.[0]?.instancePath].join(' ');
        }`;
      const file = join(dir, 'probe.js');
      await Promise.all([
        build(extensionOptions({ ...written, entryPoints: undefined, stdin: { contents: probe, loader: 'ts', resolveDir: process.cwd() }, outfile: file })),
        build(documentsOptions({ ...written, outfile: join(dir, DOCUMENTS_BUNDLE_FILE) })),
      ]);
      assert.ok(!requiredFiles(file).loaded.includes('documents.js'), 'importing the stand-ins loaded the documents bundle');
      const { loaded, printed } = requiredFiles(file, '(probe) => probe.check("type: Test\\nspec:\\n  id: 1\\n")');
      assert.ok(loaded.includes('documents.js'));
      assert.equal(printed, 'true false /spec');
    });
  });

  it('leaves the run side to the run bundle', () => {
    for (const part of RUN_ONLY) assert.ok(inputsMatching(run, [part]).length > 0, `${part} is not in the run bundle`);
    assert.deepEqual(inputsMatching(run, ['node_modules/vscode', 'src/extension/']), []);
  });
});
