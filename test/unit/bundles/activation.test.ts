// What activation loads: the extension bundle as the build makes it stays under the size limit and leaves the run
// side (runner, receiver, network stacks, assertion evaluation) to the run bundle, required on first use.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { build, type Metafile } from 'esbuild';
import { ACTIVATION_BUNDLE_LIMIT, extensionOptions, LOAD_EDITOR_FILE, loadEditorOptions, RUN_BUNDLE_FILE, runOptions } from '../../../scripts/bundles.mjs';

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

  it('leaves the run side to the run bundle', () => {
    for (const part of RUN_ONLY) assert.ok(inputsMatching(run, [part]).length > 0, `${part} is not in the run bundle`);
    assert.deepEqual(inputsMatching(run, ['node_modules/vscode', 'src/extension/']), []);
  });
});
