// `npm run bench`: what activation costs in code. Builds, side by side, the extension as it ships (dist/extension.js,
// with the YAML parser and schemas in dist/documents.js and the run side in dist/run.js), as the fifth round shipped
// it (the YAML parser and schemas in the activation bundle), and as one bundle (everything activation used to load:
// the run side bundled in, minified, and not minified as it shipped before), then times loading each in a fresh Node
// process: reading, compiling and evaluating the bundle, which is what its size costs at every activation
// (activate() itself is timed in the real editor: `npm run test:editor` logs it). Also times the documents bundle's
// load, paid once on the first parse of a test file, and the run bundle's, paid once on the first run, and splits
// the activation bundle's load into reading, compiling and evaluating.
// Medians of interleaved runs; writes bench/activation-results.json with the machine it ran on.
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { documentsOptions, extensionOptions, runOptions } from '../scripts/bundles.mjs';
import { machine, median } from './measure';

const OUT = join('bench', 'out', 'activation');
const RUNS = 15;

/** `vscode` standing in as an empty module (nothing is called at load). */
const VSCODE_STUB = `
const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) { return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest); };
Module._cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: {} };
`;

/** Loads `file` in a fresh Node process, as the extension host does (require). */
const LOAD = `${VSCODE_STUB}
const started = performance.now();
require(process.argv[1]);
process.stdout.write(String(performance.now() - started));
`;

/** The same load in its three steps: reading the file, compiling it as a CommonJS module, evaluating it. */
const LOAD_PHASES = `${VSCODE_STUB}
const { readFileSync } = require('node:fs');
const { dirname } = require('node:path');
const { compileFunction } = require('node:vm');
const file = process.argv[1];
const t0 = performance.now();
const source = readFileSync(file, 'utf8');
const t1 = performance.now();
const body = compileFunction(source, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: file });
const t2 = performance.now();
const mod = new Module(file, module);
mod.filename = file;
mod.paths = Module._nodeModulePaths(dirname(file));
body.call(mod.exports, mod.exports, (id) => mod.require(id), mod, file, dirname(file));
const t3 = performance.now();
process.stdout.write(JSON.stringify([t1 - t0, t2 - t1, t3 - t2]));
`;

function loadMs(file: string): number {
  return Number(execFileSync(process.execPath, ['-e', LOAD, join(process.cwd(), file)], { encoding: 'utf8' }));
}

function loadPhasesMs(file: string): [number, number, number] {
  return JSON.parse(execFileSync(process.execPath, ['-e', LOAD_PHASES, join(process.cwd(), file)], { encoding: 'utf8' })) as [number, number, number];
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const files = {
    activation: join(OUT, 'extension.js'),
    documents: join(OUT, 'documents.js'),
    run: join(OUT, 'run.js'),
    fifthRound: join(OUT, 'extension-fifth-round.js'),
    single: join(OUT, 'single.js'),
    singleUnminified: join(OUT, 'single-unminified.js'),
  };
  const asShipped = extensionOptions();
  await Promise.all([
    build(extensionOptions({ outfile: files.activation, sourcemap: false, logLevel: 'error' })),
    build(documentsOptions({ outfile: files.documents, sourcemap: false, logLevel: 'error' })),
    build(runOptions({ outfile: files.run, sourcemap: false, logLevel: 'error' })),
    // The YAML parser and schemas bundled in, as the fifth round shipped them.
    build(
      extensionOptions({
        outfile: files.fifthRound,
        sourcemap: false,
        logLevel: 'error',
        plugins: asShipped.plugins!.filter((plugin) => plugin.name !== 'documents-bundle-lazy'),
      }),
    ),
    // The seam bundled in: one file holding everything, as before the split.
    build(extensionOptions({ outfile: files.single, sourcemap: false, logLevel: 'error', plugins: [] })),
    build(extensionOptions({ outfile: files.singleUnminified, sourcemap: false, logLevel: 'error', plugins: [], minify: false })),
  ]);
  const samples: Record<keyof typeof files, number[]> = { activation: [], documents: [], run: [], fifthRound: [], single: [], singleUnminified: [] };
  const phases: Record<'activation' | 'fifthRound', [number, number, number][]> = { activation: [], fifthRound: [] };
  for (let i = 0; i < RUNS; i++) {
    for (const key of Object.keys(files) as (keyof typeof files)[]) samples[key].push(loadMs(files[key]));
    for (const key of Object.keys(phases) as (keyof typeof phases)[]) phases[key].push(loadPhasesMs(files[key]));
  }
  const row = (key: keyof typeof files) => ({ bytes: statSync(files[key]).size, loadMs: Number(median(samples[key]).toFixed(1)) });
  const split = (key: keyof typeof phases) => {
    const [read, compile, evaluate] = [0, 1, 2].map((phase) => Number(median(phases[key].map((p) => p[phase]!)).toFixed(1)));
    return { readMs: read, compileMs: compile, evaluateMs: evaluate };
  };
  const results = {
    activationBundle: { ...row('activation'), ...split('activation'), what: 'dist/extension.js as built: loaded at activation' },
    documentsBundle: { ...row('documents'), what: 'dist/documents.js as built: loaded on the first parse of a test file' },
    runBundle: { ...row('run'), what: 'dist/run.js as built: loaded on the first run, receiver start or trace file' },
    fifthRound: {
      ...row('fifthRound'),
      ...split('fifthRound'),
      what: 'dist/extension.js as the fifth round built it: the YAML parser and schemas in it',
    },
    oneBundleMinified: { ...row('single'), what: 'everything in one bundle, minified (the split undone)' },
    oneBundleAsBefore: { ...row('singleUnminified'), what: 'everything in one bundle, not minified (as activation loaded it before)' },
  };
  const report = {
    date: new Date().toISOString(),
    machine: machine(),
    // The machine is shared: with other jobs running, every figure grows; compare within one run.
    loadAverage: Number(loadavg()[0]!.toFixed(1)),
    runs: RUNS,
    target: { 'activation bundle': '≤ 500 KB minified', 'activation (load + activate)': '≤ 50 ms' },
    results,
    ratios: {
      'load, fifth round / activation bundle': Number((results.fifthRound.loadMs / results.activationBundle.loadMs).toFixed(2)),
      'load, one bundle as before / activation bundle': Number((results.oneBundleAsBefore.loadMs / results.activationBundle.loadMs).toFixed(1)),
      'load, one bundle minified / activation bundle': Number((results.oneBundleMinified.loadMs / results.activationBundle.loadMs).toFixed(1)),
    },
  };
  writeFileSync(join('bench', 'activation-results.json'), `${JSON.stringify(report, null, 2)}\n`);
  for (const [name, r] of Object.entries(results)) {
    const steps = 'compileMs' in r ? ` (read ${r.readMs}, compile ${r.compileMs}, evaluate ${r.evaluateMs})` : '';
    console.log(`${name.padEnd(18)} ${(r.bytes / 1000).toFixed(1).padStart(8)} KB  load ${r.loadMs.toFixed(1).padStart(6)} ms${steps}  (${r.what})`);
  }
  for (const [name, ratio] of Object.entries(report.ratios)) console.log(`${name}: ${ratio}×`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
