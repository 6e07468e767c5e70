// Runs the extension-host suite (test/exthost/suite) inside code-server: the workbench accepts
// extensionDevelopmentPath / extensionTestsPath in its URL payload when code-server runs with the smoke-test driver,
// and reports the suite's outcome through `codeAutomationExit`, a function the page calls on the test driver.
import { readFileSync, rmSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import type { CodeServer } from '../support/code-server';
import type { ExtensionHostResult } from './results';

/** How long the whole suite may take inside the editor, workbench start included. */
const SUITE_TIMEOUT_MS = 5 * 60_000;
/** The workbench's first load: far longer than it takes (seconds) when the machine is shared with other suites. */
const PAGE_LOAD_TIMEOUT_MS = 2 * 60_000;

export interface ExtensionHostRun {
  exitCode: number;
  results: ExtensionHostResult[];
  /** The workbench start to the suite's end. */
  durationMs: number;
}

/**
 * `server` must have been started with `smokeTestDriver: true` and `env[RESULTS_ENV] = resultsFile` (the extension
 * host inherits code-server's environment). `suiteBundle` is the esbuild output of test/exthost/suite/index.ts.
 */
export async function runExtensionHostSuite(options: {
  server: CodeServer;
  browser: Browser;
  extensionDir: string;
  suiteBundle: string;
  workspace: string;
  resultsFile: string;
}): Promise<ExtensionHostRun> {
  const { server, browser } = options;
  rmSync(options.resultsFile, { force: true });
  // The authority must be the one the browser uses, or the workbench resolves the paths against another host.
  const remote = (path: string): string => `vscode-remote://127.0.0.1:${server.port}${path}`;
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', remote(options.extensionDir)],
    ['extensionTestsPath', remote(options.suiteBundle)],
  ]);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const started = Date.now();
  try {
    const page = await context.newPage();
    let timer: NodeJS.Timeout | undefined;
    const exitCode = await new Promise<number>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`the extension-host suite did not finish within ${SUITE_TIMEOUT_MS / 1000} s`)), SUITE_TIMEOUT_MS);
      page
        .exposeFunction('codeAutomationExit', (code: number) => resolve(code))
        .then(() => page.goto(server.urlFor(options.workspace, { payload }), { timeout: PAGE_LOAD_TIMEOUT_MS }))
        .catch(reject);
    }).finally(() => clearTimeout(timer));
    return { exitCode, results: readResults(options.resultsFile, exitCode), durationMs: Date.now() - started };
  } finally {
    await context.close();
  }
}

function readResults(file: string, exitCode: number): ExtensionHostResult[] {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ExtensionHostResult[];
  } catch (error) {
    // No results: the suite did not load (a bundling or activation problem); the exit code alone tells.
    throw new Error(
      `the extension-host suite exited ${exitCode} without writing ${file} (${(error as Error).message}); see the extension host log under the user data folder`,
      { cause: error },
    );
  }
}
