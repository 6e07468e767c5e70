// The extension-host suite as one CommonJS file: the extension host loads it with require(), without tsx, and
// provides `vscode` itself. mocha stays external: the bundle is written inside the repository, so require('mocha')
// finds the project's node_modules.
import { build } from 'esbuild';
import { join } from 'node:path';

const ENTRY = join(__dirname, 'suite', 'index.ts');

export async function bundleSuite(outFile: string): Promise<string> {
  await build({
    entryPoints: [ENTRY],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return outFile;
}
