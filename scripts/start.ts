// `npm start`: builds the extension, starts the Pokéshop demo, and opens the demo folder in an editor with the
// extension loaded — desktop VS Code when a `code` command is on PATH, otherwise code-server (installed on first use)
// at a printed local URL. Ctrl+C stops everything.
//
//   node --import tsx scripts/start.ts [--port <n>] [--export-delay <ms>]
//     --port: code-server's port (default any free port); --export-delay: the demo services' batch delay (default
//     the SDK's own 5 s, as services usually run; 100 for runs judged within a second)
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { parseArgs } from 'node:util';
import { READY_PATTERN } from '../demo/config';
import { buildExtension, install, installExtension, packageExtension, ROOT, start, type CodeServer } from '../test/support/code-server';

const WORKSPACE = join(ROOT, 'demo');
const STATE = join(ROOT, '.cache', 'start');
/** The demo's VariableSet, relative to the workspace: what runs and completion use for `${var:…}`. */
const VARIABLE_SET = 'tests/vars.yaml';

function say(message: string): void {
  process.stderr.write(`start: ${message}\n`);
}

function onPath(command: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

interface RunningDemo {
  child: ChildProcess;
  exited: Promise<number | null>;
  api: string;
}

/** The demo on its default ports (the ones demo/tests/vars.yaml names), its log on this terminal. */
async function startDemo(exportDelay: string | undefined): Promise<RunningDemo> {
  // Its own process group: Ctrl+C reaches only this script, which stops the demo with one SIGTERM (a second signal
  // would make the demo exit at once, without flushing). The IPC channel stops it should this script die first.
  const child = spawn(process.execPath, ['--import', 'tsx', join('demo', 'main.ts'), ...(exportDelay !== undefined ? ['--export-delay', exportDelay] : [])], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    detached: true,
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const api = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      for (const line of stdout.split('\n')) {
        const match = READY_PATTERN.exec(line);
        if (match) resolve(match[1]!);
      }
    });
    void exited.then((code) => reject(new Error(`the demo exited (${code}) before it was ready; is another demo already using ports 8081/8082?`)));
  });
  return { child, exited, api };
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { port: { type: 'string' }, 'export-delay': { type: 'string' } } });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    say(`--port must be a whole number from 0 to 65535, got "${values.port}"`);
    return 2;
  }
  const code = onPath('code');
  // Install first (minutes, once): the demo should not sit waiting meanwhile.
  if (!code) install();

  const demo = await startDemo(values['export-delay']);
  say(`demo ready: ${demo.api}`);
  let server: CodeServer | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      say('stopping');
      await server?.stop();
      if (demo.child.exitCode === null) demo.child.kill('SIGTERM');
      await demo.exited;
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stop());

  try {
    if (code) {
      buildExtension();
      say(`opening ${WORKSPACE} in VS Code with the extension from ${ROOT}`);
      const opened = spawnSync(code, ['--new-window', `--extensionDevelopmentPath=${ROOT}`, WORKSPACE], { stdio: 'inherit' });
      if (opened.status !== 0) throw new Error(`"${code}" exited ${opened.status ?? opened.signal}`);
      say('the demo keeps running for the editor; Ctrl+C stops it');
    } else {
      const dirs = { extensionsDir: join(STATE, 'extensions'), userDataDir: join(STATE, 'user-data') };
      say('packaging the extension');
      installExtension(packageExtension(join(STATE, 'tracelens.vsix')), dirs);
      server = await start({ ...dirs, port, workspace: WORKSPACE, settings: { 'tracelens.variableSet': VARIABLE_SET } });
      void server.exited.then((exitCode) => {
        if (!stopping) say(`code-server exited (${exitCode})`);
        void stop();
      });
      process.stdout.write(
        `\nTracelens in VS Code (code-server), with the demo running:\n\n  ${server.url}\n\nOpen a test in tests/ and click "Run test". Ctrl+C stops the editor and the demo.\n\n`,
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  // Until Ctrl+C (stop() ends the demo) or the demo dies by itself.
  const demoExit = await demo.exited;
  if (stopping) {
    await stopping;
    return 0;
  }
  say(`the demo exited (${demoExit}); stopping the editor`);
  await stop();
  return 1;
}

main().then(
  (exitCode) => process.exit(exitCode),
  (error: unknown) => {
    say(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
