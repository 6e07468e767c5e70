// The life of one service process under the supervisor (demo/main.ts): start, say "ready" (or why it failed) over
// the IPC channel, and on SIGTERM, SIGINT, a stop message or the supervisor going away, close and flush spans.
import type { Telemetry } from '../telemetry';

export interface RunningService {
  /** Where it listens, for the supervisor's ready line; absent for the worker. */
  address?: string;
  close(): Promise<void>;
}

/** Messages from a service to the supervisor. */
export type ServiceReport = { type: 'ready'; address?: string } | { type: 'failed'; message: string };

const CLOSE_TIMEOUT_MS = 5000;

let stopProcess: ((code: number) => Promise<void>) | undefined;

export function runService(name: string, telemetry: Telemetry, start: () => Promise<RunningService>): void {
  let running: RunningService | undefined;
  let stopping = false;

  const report = (message: ServiceReport): void => {
    if (process.send && process.connected) process.send(message);
    else if (message.type === 'ready') process.stderr.write(`${name} ready${message.address ? ` at ${message.address}` : ''}\n`);
  };

  const stop = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    // Bounded: a hung close or an unreachable collector must not keep the process alive.
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref());
    await Promise.race([
      (async () => {
        await running?.close().catch((error: unknown) => process.stderr.write(`${name}: error while closing: ${describe(error)}\n`));
        await telemetry.shutdown();
      })(),
      deadline,
    ]);
    if (process.connected) process.disconnect();
    process.exit(code);
  };

  stopProcess = stop;
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));
  process.on('disconnect', () => void stop(0));
  process.on('message', (message: unknown) => {
    if (typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'stop') void stop(0);
  });

  start().then(
    (service) => {
      running = service;
      if (stopping) void service.close();
      else report({ type: 'ready', ...(service.address ? { address: service.address } : {}) });
    },
    (error: unknown) => {
      const message = describe(error);
      // Under the supervisor, it says why; run alone, the service says it itself.
      if (process.send && process.connected) report({ type: 'failed', message });
      else process.stderr.write(`${name}: ${message}\n`);
      void stop(1);
    },
  );
}

/** For a fatal runtime problem after start (e.g. the broker connection is gone): report it and stop. */
export function failService(name: string, message: string): void {
  process.stderr.write(`${name}: ${message}\n`);
  if (stopProcess) void stopProcess(1);
  else process.exit(1);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
