// The same extension-host suite under @vscode/test-electron, the standard harness: it downloads a desktop VS Code
// into .vscode-test/ and runs the suite in it. For machines that can reach the VS Code download servers; where they
// cannot, `npm run test:editor` runs the suite inside code-server instead.
//
//   node --import tsx test/exthost/run-electron.ts [vscode version, default: stable]
import { runTests } from '@vscode/test-electron';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleSuite } from './bundle';
import { RESULTS_ENV, type ExtensionHostResult } from './results';

const ROOT = join(__dirname, '..', '..');

async function main(): Promise<number> {
  const work = mkdtempSync(join(tmpdir(), 'tracelens-exthost-'));
  try {
    const workspace = join(work, 'workspace');
    cpSync(join(ROOT, 'demo', 'tests'), workspace, { recursive: true });
    // Inside the repository, so the bundle's require('mocha') finds node_modules.
    const suite = await bundleSuite(join(ROOT, '.cache', 'exthost', 'suite.js'));
    const resultsFile = join(work, 'results.json');
    const version = process.argv[2];
    let launchError: unknown;
    await runTests({
      ...(version ? { version } : {}),
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: suite,
      extensionTestsEnv: { [RESULTS_ENV]: resultsFile },
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', join(work, 'user-data')],
    }).catch((error: unknown) => (launchError = error)); // A failing suite rejects too: the results file says which tests failed.
    let results: ExtensionHostResult[];
    try {
      results = JSON.parse(readFileSync(resultsFile, 'utf8')) as ExtensionHostResult[];
    } catch {
      const reason = launchError instanceof Error ? launchError.message : String(launchError ?? 'no error reported');
      process.stderr.write(`the extension-host suite wrote no results: VS Code did not start, or the suite did not load (${reason})\n`);
      return 1;
    }
    for (const r of results)
      process.stdout.write(
        `${r.state === 'passed' ? '✓' : r.state === 'failed' ? '✗' : '-'} ${r.title.join(' › ')} (${r.durationMs} ms)\n${r.error ? `${r.error}\n` : ''}`,
      );
    const count = (state: ExtensionHostResult['state']): number => results.filter((r) => r.state === state).length;
    const failed = count('failed');
    process.stdout.write(`${count('passed')} passed, ${failed} failed, ${count('skipped')} skipped\n`);
    return failed > 0 ? 1 : 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
