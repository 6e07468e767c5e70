// Everything the real-editor tests run against, started once: the packaged extension installed into code-server,
// the Pokéshop demo exporting to the extension's receiver, a workspace copy of the demo tests pointing at it, and
// Chromium. Screenshots and code-server's logs go to .cache/e2e/run/ (git-ignored).
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { installExtension, packageExtension, ROOT, start, type CodeServer } from '../support/code-server';
import { bundleSuite } from '../exthost/bundle';
import { RESULTS_ENV } from '../exthost/results';
import { startDemo, type Demo } from '../support/demo';
import { launchChromium } from './browser';

export const RUN_DIR = join(ROOT, '.cache', 'e2e', 'run');
export const SCREENSHOTS = join(RUN_DIR, 'screenshots');

export interface EditorHarness {
  server: CodeServer;
  browser: Browser;
  demo: Demo;
  /** The editor's OTLP/HTTP receiver, where the demo (and any service a test starts) exports. */
  otlpUrl: string;
  /** The folder the Playwright tests open: a copy of demo/tests with vars.yaml pointing at this demo. */
  workspace: string;
  /** Inputs of runExtensionHostSuite. */
  extensionHost: { workspace: string; suiteBundle: string; resultsFile: string };
  /** What each step took, for the report. */
  timings: Record<string, number>;
  /**
   * Another editor with the same extension on `workspace`, with Workspace Trust on: the folder opens in Restricted
   * Mode. Stopped with the harness.
   */
  startRestrictedEditor(workspace: string, settings: Record<string, unknown>): Promise<CodeServer>;
  stop(): Promise<void>;
}

/** A port free right now, for the receiver: the demo must know it before the extension starts listening on it. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function variableSet(api: string, grpc: string): string {
  return `type: VariableSet
spec:
  id: pokeshop-e2e
  name: Pokéshop demo started by the editor tests
  values:
    - key: POKESHOP_API_URL
      value: ${api}
    - key: POKESHOP_GRPC_ADDRESS
      value: ${grpc}
    - key: POKEMON_ID
      value: "1"
`;
}

export async function startHarness(): Promise<EditorHarness> {
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, step: () => T | Promise<T>): Promise<T> => {
    const started = Date.now();
    try {
      return await step();
    } finally {
      timings[name] = Date.now() - started;
    }
  };
  rmSync(RUN_DIR, { recursive: true, force: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
  const dirs = { extensionsDir: join(RUN_DIR, 'extensions'), userDataDir: join(RUN_DIR, 'user-data') };

  const vsix = await timed('package', () => packageExtension(join(RUN_DIR, 'tracelens.vsix')));
  await timed('install extension', () => installExtension(vsix, dirs));
  const suiteBundle = await timed('bundle extension-host suite', () => bundleSuite(join(RUN_DIR, 'exthost-suite.js')));

  const otlpPort = await freePort();
  const demo = await timed('demo start', () => startDemo(`http://127.0.0.1:${otlpPort}`));
  const stops: (() => Promise<unknown>)[] = [() => demo.stop()];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
  };
  try {
    const workspace = join(RUN_DIR, 'workspace');
    cpSync(join(ROOT, 'demo', 'tests'), workspace, { recursive: true });
    writeFileSync(join(workspace, 'vars.yaml'), variableSet(demo.api, demo.grpc));
    const exthostWorkspace = join(RUN_DIR, 'exthost-workspace');
    cpSync(join(ROOT, 'demo', 'tests'), exthostWorkspace, { recursive: true });
    const resultsFile = join(RUN_DIR, 'exthost-results.json');

    let log = '';
    const server = await timed('code-server start', () =>
      start({
        workspace,
        ...dirs,
        smokeTestDriver: true,
        env: { [RESULTS_ENV]: resultsFile },
        onOutput: (text) => (log += text),
        settings: {
          'tracelens.otlp.httpPort': otlpPort,
          'tracelens.otlp.grpcPort': 0,
          'tracelens.variableSet': 'vars.yaml',
          // Failures open their message (the expected/observed diff) next to the failing line.
          'testing.automaticallyOpenPeekView': 'failureInVisibleDocument',
          'editor.minimap.enabled': false,
          'editor.stickyScroll.enabled': false,
          // Terminals drawn as DOM text, which the tests read (Test Results' output, the trace viewer's terminal).
          'terminal.integrated.gpuAcceleration': 'off',
          'window.zoomLevel': 0,
        },
      }),
    );
    stops.push(async () => {
      await server.stop();
      writeFileSync(join(RUN_DIR, 'code-server.log'), log);
    });
    const browser = await timed('chromium start', () => launchChromium());
    stops.push(() => browser.close());
    const startRestrictedEditor = async (folder: string, editorSettings: Record<string, unknown>): Promise<CodeServer> => {
      const restricted = await start({
        workspace: folder,
        extensionsDir: dirs.extensionsDir,
        userDataDir: join(RUN_DIR, 'restricted-user-data'),
        workspaceTrust: true,
        settings: editorSettings,
      });
      stops.push(() => restricted.stop());
      return restricted;
    };
    return {
      server,
      browser,
      demo,
      otlpUrl: `http://127.0.0.1:${otlpPort}`,
      workspace,
      extensionHost: { workspace: exthostWorkspace, suiteBundle, resultsFile },
      timings,
      startRestrictedEditor,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * How long each activation of the extension took in this run's editors (activate(), as the extension logs it in its
 * output channel, one line per extension host), for the report.
 */
export function activationTimes(): number[] {
  const logs = join(RUN_DIR, 'user-data', 'logs');
  const files = readdirSync(logs, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('Tracelens.log'));
  return files.flatMap((f) => [...readFileSync(join(logs, f), 'utf8').matchAll(/\] activated in ([\d.]+) ms/g)].map((m) => Number(m[1])));
}
