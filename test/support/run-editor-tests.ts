// The browser and real-editor tests in one command: installs code-server and Chromium on first use (a few minutes,
// once per machine), runs the trace panel's tests in Chromium (test/webview: the built bundle with acquireVsCodeApi
// stubbed), then test/e2e (which builds and packages the extension, starts the demo and code-server once, runs the
// extension-host suite inside it and drives the workbench in Chromium). Exits non-zero on any failure.
//
//   node --import tsx test/support/run-editor-tests.ts
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { install, installBrowser, ROOT } from './code-server';

function main(): number {
  const started = Date.now();
  try {
    install();
    installBrowser();
  } catch (error) {
    process.stderr.write(`e2e: could not install the editor: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  process.stderr.write(`e2e: editor ready (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  const run = (files: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], { cwd: ROOT, stdio: 'inherit' }).status ?? 1;
  const webview = run(
    readdirSync(join(ROOT, 'test', 'webview'))
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => join('test', 'webview', f)),
  );
  const editor = run([join('test', 'e2e', 'editor.e2e.ts')]);
  return webview || editor;
}

process.exit(main());
