// Starts the Pokéshop demo (`demo/main.ts`) as a child process on free ports and waits for its ready line.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { READY_PATTERN } from '../../demo/config';

const ROOT = join(__dirname, '..', '..');

export interface Demo {
  api: string;
  grpc: string;
  child: ChildProcess;
  stderr: () => string;
  /** SIGTERM, then the exit code once the process has gone. */
  stop(): Promise<number | null>;
}

export async function startDemo(otlpEndpoint: string, env: Record<string, string> = {}): Promise<Demo> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'demo/main.ts', '--http-port', '0', '--grpc-port', '0'], {
    cwd: ROOT,
    env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint, ...env },
    // With an IPC channel the demo stops by itself should this test process die before it can stop it.
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = await new Promise<RegExpExecArray>((resolve, reject) => {
    let stdout = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = stdout
        .split('\n')
        .map((line) => READY_PATTERN.exec(line))
        .find(Boolean);
      if (match) resolve(match);
    });
    void exited.then((code) => reject(new Error(`the demo exited (${code}) before it was ready:\n${stderr}`)));
  });
  return {
    api: ready[1]!,
    grpc: ready[2]!,
    child,
    stderr: () => stderr,
    stop: () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
