// A real Artillery for the plugin's tests, installed on first use into .cache/artillery/ (git-ignored) with the Node
// it needs (Artillery 2 wants Node 22.18 or later; the machine's may be older), from the npm registry; later calls
// find the marker file and return at once.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isInstalled, withoutNpmVariables } from './install-marker';

export const ARTILLERY_VERSION = '2.0.34';
/** The Node the editor tests use for code-server (test/support/code-server.ts): one download serves both. */
const NODE_VERSION = '24.21.0';
const NODE_PACKAGE = `node-${process.platform}-${process.arch}`;

const ROOT = join(__dirname, '..', '..');
const CACHE_DIR = join(ROOT, '.cache', 'artillery');
const NODE_PREFIX = join(CACHE_DIR, 'node');
const APP_PREFIX = join(CACHE_DIR, 'app');
const MARKER = join(CACHE_DIR, 'installed.json');
const NODE_BIN = join(NODE_PREFIX, 'node_modules', NODE_PACKAGE, 'bin', 'node');
const ENTRY = join(APP_PREFIX, 'node_modules', 'artillery', 'bin', 'run');
/** Where the plugin is found (ARTILLERY_PLUGIN_PATH): `artillery-plugin-tracelens`, linked to integrations/artillery. */
export const PLUGIN_PATH = join(CACHE_DIR, 'plugins');
export const PLUGIN_PACKAGE = join(ROOT, 'integrations', 'artillery');

interface Marker {
  artillery: string;
  node: string;
  seconds: number;
}

function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...withoutNpmVariables(process.env), ...extra };
}

function npmInstall(cwd: string, spec: string, env: NodeJS.ProcessEnv): void {
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--loglevel=error', '--omit=dev', spec], { cwd, env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`npm install ${spec} failed (exit ${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`);
}

/** Installs Artillery and its Node unless the marker says they are there; returns the seconds it took (0: cached). */
export function installArtillery(): number {
  if (isInstalled(MARKER, [NODE_BIN, ENTRY], { artillery: ARTILLERY_VERSION, node: NODE_VERSION })) return 0;
  const started = Date.now();
  process.stderr.write(`artillery: installing artillery ${ARTILLERY_VERSION} with Node ${NODE_VERSION} into ${CACHE_DIR} (first run only)\n`);
  rmSync(CACHE_DIR, { recursive: true, force: true });
  for (const dir of [NODE_PREFIX, APP_PREFIX]) {
    mkdirSync(dir, { recursive: true });
    // Own package.json files, so npm does not walk up into the project's.
    writeFileSync(join(dir, 'package.json'), '{"private":true}\n');
  }
  npmInstall(NODE_PREFIX, `${NODE_PACKAGE}@${NODE_VERSION}`, cleanEnv());
  // Artillery's Playwright engine would download a browser the plugin's tests never start.
  npmInstall(
    APP_PREFIX,
    `artillery@${ARTILLERY_VERSION}`,
    cleanEnv({ PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', PATH: `${join(NODE_BIN, '..')}:${process.env['PATH'] ?? ''}` }),
  );
  if (!existsSync(ENTRY)) throw new Error(`artillery installed but ${ENTRY} is missing`);
  mkdirSync(PLUGIN_PATH, { recursive: true });
  const seconds = Math.round((Date.now() - started) / 1000);
  writeFileSync(MARKER, `${JSON.stringify({ artillery: ARTILLERY_VERSION, node: NODE_VERSION, seconds } satisfies Marker, null, 2)}\n`);
  process.stderr.write(`artillery: installed in ${seconds} s\n`);
  return seconds;
}

export interface ArtilleryRun {
  code: number | null;
  output: string;
}

/** `artillery <args>` with the plugin found by name (as once installed with npm), its telemetry off. */
export async function runArtillery(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<ArtilleryRun> {
  if (!existsSync(join(PLUGIN_PACKAGE, 'dist', 'index.js'))) throw new Error('integrations/artillery/dist/index.js is missing: run npm run build first');
  const link = join(PLUGIN_PATH, 'artillery-plugin-tracelens');
  mkdirSync(PLUGIN_PATH, { recursive: true });
  if (!existsSync(link)) symlinkSync(PLUGIN_PACKAGE, link, 'dir');
  const child = spawn(NODE_BIN, [ENTRY, ...args], {
    cwd: options.cwd,
    env: cleanEnv({ ARTILLERY_DISABLE_TELEMETRY: 'true', ARTILLERY_PLUGIN_PATH: PLUGIN_PATH, NO_COLOR: '1', ...options.env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, output };
}
