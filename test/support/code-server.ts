// code-server (the VS Code workbench in a browser, with a Node extension host) for `npm start` and the real-editor
// tests, where desktop VS Code cannot be downloaded. Installed on first use into .cache/code-server/ (git-ignored)
// with the Node it needs, from the npm registry; later calls find the marker file and return at once.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { isInstalled, withoutNpmVariables } from './install-marker';

export const CODE_SERVER_VERSION = '4.139.1';
/** code-server 4.139 needs Node 24; this npm package ships its binary and headers (for native modules). */
export const NODE_VERSION = '24.21.0';
const NODE_PACKAGE = `node-${process.platform}-${process.arch}`;

export const ROOT = join(__dirname, '..', '..');
export const CACHE_DIR = join(ROOT, '.cache', 'code-server');
const NODE_PREFIX = join(CACHE_DIR, 'node');
const APP_PREFIX = join(CACHE_DIR, 'app');
const MARKER = join(CACHE_DIR, 'installed.json');
const NODE_HOME = join(NODE_PREFIX, 'node_modules', NODE_PACKAGE);
const NODE_BIN = join(NODE_HOME, 'bin', 'node');
const ENTRY = join(APP_PREFIX, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const CHROMIUM = '/usr/bin/chromium';

/** Debian packages: Kerberos headers for one of code-server's native modules, and the browser the tests drive. */
const SYSTEM_PACKAGES = {
  'libkrb5-dev': () => spawnSync('dpkg', ['-s', 'libkrb5-dev'], { stdio: 'ignore' }).status === 0,
  chromium: () => existsSync(CHROMIUM),
} as const;
type SystemPackage = keyof typeof SYSTEM_PACKAGES;

/** User settings that keep the workbench quiet: no welcome page, update checks, telemetry, trust prompt or AI panel. */
export const QUIET_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'chat.disableAIFeatures': true,
  'security.workspace.trust.enabled': false,
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'git.enabled': false,
};

function log(message: string): void {
  process.stderr.write(`code-server: ${message}\n`);
}

interface Marker {
  codeServer: string;
  node: string;
  seconds: number;
}

function run(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; what: string; quiet?: boolean }): void {
  const started = Date.now();
  // Output goes to stderr so a caller's stdout (a ready line, a URL) stays clean; quiet steps show theirs on failure only.
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', options.quiet ? 'pipe' : process.stderr, options.quiet ? 'pipe' : process.stderr],
    encoding: 'utf8',
  });
  if (result.error) throw new Error(`${options.what}: could not run ${command}: ${result.error.message}`);
  const output = options.quiet ? `\n${result.stdout}${result.stderr}` : '';
  if (result.status !== 0) throw new Error(`${options.what} failed (${command} ${args.join(' ')} exited ${result.status ?? result.signal})${output}`);
  if (!options.quiet) log(`${options.what}: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/** apt-get installs whichever of these Debian packages are missing (needs root, as on CI and the dev machines). */
function ensureSystemPackages(names: readonly SystemPackage[]): void {
  if (process.platform !== 'linux') return;
  const missing = names.filter((name) => !SYSTEM_PACKAGES[name]());
  if (missing.length === 0) return;
  const command = `apt-get install -y ${missing.join(' ')}`;
  if (spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status !== 0)
    throw new Error(`missing system packages (${missing.join(', ')}) and no apt-get to install them; install them, then run again`);
  if (process.getuid?.() !== 0) throw new Error(`missing system packages; run: sudo ${command}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  log(`installing ${missing.join(', ')} with apt-get`);
  run('apt-get', ['update', '-q'], { env, what: 'apt-get update' });
  run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], { env, what: `apt-get install ${missing.join(' ')}` });
}

/** Debian's Chromium, for the Playwright tests (Playwright's own browser builds cannot be downloaded here). */
export function installBrowser(): void {
  ensureSystemPackages(['chromium']);
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: install Debian's chromium package`);
}

/** Installs code-server and its Node into the cache folder unless the marker says they are there. */
export function install(): void {
  if (isInstalled(MARKER, [NODE_BIN, ENTRY], { codeServer: CODE_SERVER_VERSION, node: NODE_VERSION })) return;
  if (process.platform !== 'linux')
    throw new Error(`code-server is installed automatically on Linux only; on ${process.platform} install desktop VS Code (a "code" command) instead`);
  ensureSystemPackages(['libkrb5-dev']);
  const started = Date.now();
  log(`installing code-server ${CODE_SERVER_VERSION} with Node ${NODE_VERSION} into ${CACHE_DIR} (first run only, about 2 minutes)`);
  rmSync(CACHE_DIR, { recursive: true, force: true });
  mkdirSync(NODE_PREFIX, { recursive: true });
  mkdirSync(APP_PREFIX, { recursive: true });
  // Own package.json files, so npm does not walk up into the project's.
  writeFileSync(join(NODE_PREFIX, 'package.json'), '{"private":true}\n');
  writeFileSync(join(APP_PREFIX, 'package.json'), '{"private":true}\n');
  const npmFlags = ['--no-audit', '--no-fund', '--no-save', '--loglevel=error'];
  run('npm', ['install', ...npmFlags, `${NODE_PACKAGE}@${NODE_VERSION}`], { cwd: NODE_PREFIX, what: `npm install ${NODE_PACKAGE}@${NODE_VERSION}` });
  if (!existsSync(NODE_BIN)) throw new Error(`${NODE_PACKAGE}@${NODE_VERSION} installed but ${NODE_BIN} is missing`);
  // code-server's install scripts build native modules and check `node --version`: Node 24 first on PATH, and its
  // headers for node-gyp (the machine's npm config may point node-gyp at another Node's headers).
  const env: NodeJS.ProcessEnv = {
    ...withoutNpmVariables(process.env),
    PATH: `${join(NODE_HOME, 'bin')}${delimiter}${process.env['PATH'] ?? ''}`,
    npm_config_nodedir: NODE_HOME,
  };
  run('npm', ['install', ...npmFlags, '--omit=dev', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: APP_PREFIX,
    env,
    what: `npm install code-server@${CODE_SERVER_VERSION}`,
  });
  if (!existsSync(ENTRY)) throw new Error(`code-server installed but ${ENTRY} is missing`);
  const seconds = Math.round((Date.now() - started) / 1000);
  const marker: Marker = { codeServer: CODE_SERVER_VERSION, node: NODE_VERSION, seconds };
  writeFileSync(MARKER, `${JSON.stringify(marker, null, 2)}\n`);
  log(`installed in ${seconds} s`);
}

export interface EditorDirs {
  /** Where extensions are installed (`--extensions-dir`). */
  extensionsDir: string;
  /** Settings, state and logs (`--user-data-dir`). */
  userDataDir: string;
}

export interface StartOptions extends EditorDirs {
  /** 0 (default): any free port. */
  port?: number;
  /** The folder the printed URL opens. */
  workspace: string;
  /** Lets the URL carry extensionDevelopmentPath / extensionTestsPath (extension-host tests). */
  smokeTestDriver?: boolean;
  /** Workspace Trust on: folders open in Restricted Mode until trusted (no startup prompt). Default off. */
  workspaceTrust?: boolean;
  /** User settings on top of QUIET_SETTINGS. */
  settings?: Record<string, unknown>;
  /** Extra environment for code-server and so for the extension host. */
  env?: NodeJS.ProcessEnv;
  /** Where code-server's own output goes; default: dropped. */
  onOutput?: (text: string) => void;
}

export interface CodeServer {
  /** Opens the workspace: `http://127.0.0.1:<port>/?folder=<workspace>`. */
  url: string;
  port: number;
  /** The URL of the workbench on a folder, with optional extra query (e.g. `payload`). */
  urlFor(folder: string, query?: Record<string, string>): string;
  /** Resolves when code-server has exited by itself. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** code-server writes into XDG folders (its config, a "coder" data dir): keep those in a throwaway folder. */
function isolatedEnv(stateDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...withoutNpmVariables(process.env),
    ...extra,
    XDG_CONFIG_HOME: join(stateDir, 'config'),
    XDG_DATA_HOME: join(stateDir, 'data'),
    PATH: `${join(NODE_HOME, 'bin')}${delimiter}${process.env['PATH'] ?? ''}`,
  };
}

function commonFlags(dirs: EditorDirs): string[] {
  return ['--user-data-dir', dirs.userDataDir, '--extensions-dir', dirs.extensionsDir];
}

function writeUserSettings(userDataDir: string, settings: Record<string, unknown>): void {
  const dir = join(userDataDir, 'User');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'settings.json');
  let current: Record<string, unknown> = {};
  try {
    current = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    // First start, or a file the user broke: ours wins.
  }
  writeFileSync(file, `${JSON.stringify({ ...current, ...QUIET_SETTINGS, ...settings }, null, 2)}\n`);
}

/** Installs a .vsix into the given extensions folder (replacing an installed copy of the same version). */
export function installExtension(vsixPath: string, dirs: EditorDirs): void {
  install();
  const stateDir = mkdtempSync(join(tmpdir(), 'tracelens-code-server-'));
  try {
    mkdirSync(dirs.extensionsDir, { recursive: true });
    const result = spawnSync(NODE_BIN, [ENTRY, ...commonFlags(dirs), '--force', '--install-extension', vsixPath], {
      env: isolatedEnv(stateDir),
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`installing ${vsixPath} failed (exit ${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`);
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}

const LISTENING = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/;
const START_TIMEOUT_MS = 60_000;

/** Starts code-server on 127.0.0.1 without auth, in its own process group; resolves once it listens. */
export async function start(options: StartOptions): Promise<CodeServer> {
  install();
  const stateDir = mkdtempSync(join(tmpdir(), 'tracelens-code-server-'));
  const config = join(stateDir, 'config.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${options.port ?? 0}\nauth: none\ncert: false\n`);
  mkdirSync(options.extensionsDir, { recursive: true });
  const trust = options.workspaceTrust ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' } : {};
  writeUserSettings(options.userDataDir, { ...trust, ...options.settings });
  const args = [
    ENTRY,
    '--config',
    config,
    ...commonFlags(options),
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...(options.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
  ];
  // detached: its own process group, so stop() ends the server and every child it started (extension host, ptys).
  const child: ChildProcess = spawn(NODE_BIN, args, { env: isolatedEnv(stateDir, options.env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stopGroup = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
      const killer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // Gone meanwhile.
        }
      }, 5000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(stateDir, { recursive: true, force: true });
  };
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start within ${START_TIMEOUT_MS / 1000} s:\n${output}`)), START_TIMEOUT_MS);
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      output += text;
      options.onOutput?.(text);
      const match = LISTENING.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (${code}) before it listened:\n${output}`));
    });
  }).catch(async (error: unknown) => {
    await stopGroup();
    throw error;
  });
  const base = `http://127.0.0.1:${port}`;
  const urlFor = (folder: string, query: Record<string, string> = {}): string => `${base}/?${new URLSearchParams({ folder, ...query }).toString()}`;
  return { url: urlFor(options.workspace), port, urlFor, exited, stop: stopGroup };
}

/** `node scripts/build.mjs`: dist/extension.js and dist/cli.js. */
export function buildExtension(): void {
  run(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, what: 'build', quiet: true });
}

/**
 * Builds the extension and packages it as a .vsix. `--no-rewrite-relative-links`: the README's relative links stay
 * as they are (there is no repository URL to point them at), which is what a local install wants. The bundles
 * carry every dependency but playwright-core, which .vscodeignore lets in from node_modules.
 */
export function packageExtension(outFile: string): string {
  buildExtension();
  mkdirSync(dirname(outFile), { recursive: true }); // vsce does not create it
  const vsce = join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  run(process.execPath, [vsce, 'package', '--no-rewrite-relative-links', '--allow-missing-repository', '--out', outFile], {
    cwd: ROOT,
    what: 'vsce package',
    quiet: true,
  });
  return outFile;
}
