// `npm run bench`: what activation costs in code. Builds, side by side, the extension as it ships (dist/extension.js,
// with the run side in dist/run.js) and as one bundle (everything activation used to load: the run side bundled in,
// minified, and not minified as it shipped before), then times loading each in a fresh Node process: reading,
// compiling and evaluating the bundle, which is what its size costs at every activation (activate() itself is timed
// in the real editor: `npm run test:editor` logs it). Also times the run bundle's load, paid once on the first run.
// Medians of interleaved runs; writes bench/activation-results.json with the machine it ran on.
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { extensionOptions, runOptions } from '../scripts/bundles.mjs';
import { machine, median } from './measure';

const OUT = join('bench', 'out', 'activation');
const RUNS = 15;

/** Loads `file` in a fresh Node process, `vscode` standing in as an empty module (nothing is called at load). */
const LOAD = `
const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) { return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest); };
Module._cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: {} };
const started = performance.now();
require(process.argv[1]);
process.stdout.write(String(performance.now() - started));
`;

function loadMs(file: string): number {
  return Number(execFileSync(process.execPath, ['-e', LOAD, join(process.cwd(), file)], { encoding: 'utf8' }));
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const files = {
    activation: join(OUT, 'extension.js'),
    run: join(OUT, 'run.js'),
    single: join(OUT, 'single.js'),
    singleUnminified: join(OUT, 'single-unminified.js'),
  };
  await Promise.all([
    build(extensionOptions({ outfile: files.activation, sourcemap: false, logLevel: 'error' })),
    build(runOptions({ outfile: files.run, sourcemap: false, logLevel: 'error' })),
    // The seam bundled in: one file holding everything, as before the split.
    build(extensionOptions({ outfile: files.single, sourcemap: false, logLevel: 'error', plugins: [] })),
    build(extensionOptions({ outfile: files.singleUnminified, sourcemap: false, logLevel: 'error', plugins: [], minify: false })),
  ]);
  const samples: Record<keyof typeof files, number[]> = { activation: [], run: [], single: [], singleUnminified: [] };
  for (let i = 0; i < RUNS; i++) for (const key of Object.keys(files) as (keyof typeof files)[]) samples[key].push(loadMs(files[key]));
  const row = (key: keyof typeof files) => ({ bytes: statSync(files[key]).size, loadMs: Number(median(samples[key]).toFixed(1)) });
  const results = {
    activationBundle: { ...row('activation'), what: 'dist/extension.js as built: loaded at activation' },
    runBundle: { ...row('run'), what: 'dist/run.js as built: loaded on the first run, receiver start or trace file' },
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
      'load, one bundle as before / activation bundle': Number((results.oneBundleAsBefore.loadMs / results.activationBundle.loadMs).toFixed(1)),
      'load, one bundle minified / activation bundle': Number((results.oneBundleMinified.loadMs / results.activationBundle.loadMs).toFixed(1)),
    },
  };
  writeFileSync(join('bench', 'activation-results.json'), `${JSON.stringify(report, null, 2)}\n`);
  for (const [name, r] of Object.entries(results))
    console.log(`${name.padEnd(18)} ${(r.bytes / 1000).toFixed(1).padStart(8)} KB  load ${r.loadMs.toFixed(1).padStart(6)} ms  (${r.what})`);
  for (const [name, ratio] of Object.entries(report.ratios)) console.log(`${name}: ${ratio}×`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
