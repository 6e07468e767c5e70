// Starting and stopping the service processes. Each service is its own Node process with its own OpenTelemetry
// SDK and `service.name`, as in a real deployment; they report "ready" (with their address) over the IPC channel.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { ServiceReport } from './lib/service-process';

export type Role = 'api' | 'rpc' | 'worker';

export const SERVICE_NAMES: Record<Role, string> = { api: 'pokeshop-api', rpc: 'pokeshop-rpc', worker: 'pokeshop-worker' };

export interface ServiceHandle {
  name: string;
  /** Resolves with the address the service reported (empty for the worker); rejects if it fails or exits first. */
  ready: Promise<string>;
  /** Resolves with the exit code (or the signal's name) when the process has gone. */
  exited: Promise<number | string>;
  /** Asks the service to close and flush; kills it if it has not exited after `graceMs`. */
  stop(graceMs: number): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;

export function startService(role: Role, env: NodeJS.ProcessEnv): ServiceHandle {
  const name = SERVICE_NAMES[role];
  // Inherits this process's --import tsx; the services' output goes to stderr, keeping stdout for the ready line.
  const child: ChildProcess = fork(join(__dirname, role, 'main.ts'), [], { env, stdio: ['ignore', 2, 2, 'ipc'] });

  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const ready = new Promise<string>((resolve, reject) => {
    let failure = '';
    const timer = setTimeout(() => reject(new Error(`${name} was not ready after ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS);
    timer.unref();
    child.on('message', (message: ServiceReport) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve(message.address ?? '');
      } else if (message.type === 'failed') failure = message.message;
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${name} could not be started: ${error.message}`));
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(failure ? `${name}: ${failure}` : `${name} exited (${code}) before it was ready`));
    });
  });
  ready.catch(() => {});

  return {
    name,
    ready,
    exited,
    async stop(graceMs) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.send({ type: 'stop' }, () => {});
      else child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
