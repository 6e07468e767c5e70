// Test systems whose services export spans the way real OpenTelemetry SDKs do, each service its own process with
// the real JS SDK (main.ts): what the settling tests and the settling benchmark run triggers against.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** How a service's SDK exports its spans. */
export type ExportShape =
  /** Java, Go, Python, .NET: a fixed ticker per process (BatchSpanProcessor's schedule delay), ticking `phaseMs` past
   * each multiple of `periodMs` on the wall clock. */
  | { kind: 'ticker'; periodMs: number; phaseMs: number }
  /** The JS SDK with its stock settings: a batch is exported 5 s after its first span. */
  | { kind: 'sdk-default' }
  /** The JS SDK with `scheduledDelayMillis` (OTEL_BSP_SCHEDULE_DELAY), e.g. 100 in test environments. */
  | { kind: 'batch'; delayMs: number }
  /** Never exports. */
  | { kind: 'none' };

export interface ServiceConfig {
  name: string;
  shape: ExportShape;
  /** OTLP/HTTP base URL of the receiver. */
  otlpUrl: string;
  /** Base URL of the service this one calls (GET /work) or publishes to (POST /consume). */
  downstream?: string;
  /** GET /work also records a span of this name. */
  extraSpan?: string;
  /** How long after answering POST /orders the message is published. */
  asyncDelayMs?: number;
}

export interface ShapedService {
  name: string;
  url: string;
  close(): Promise<void>;
}

const MAIN = join(__dirname, 'main.ts');

export async function startShapedService(config: ServiceConfig): Promise<ShapedService> {
  // The SDK reads OTEL_* variables: the child gets none of the test runner's.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('OTEL_')));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...env, SHAPED_SERVICE: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /ready (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    void exited.then(() => reject(new Error(`service ${config.name} exited before it was ready`)));
  });
  return {
    name: config.name,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A front service calling (or publishing to) a back service, both exporting to `otlpUrl`. */
export async function startShapedSystem(
  otlpUrl: string,
  front: Omit<ServiceConfig, 'otlpUrl' | 'downstream' | 'name'>,
  back: Omit<ServiceConfig, 'otlpUrl' | 'downstream' | 'name'>,
): Promise<{ front: ShapedService; back: ShapedService; close(): Promise<void> }> {
  const backService = await startShapedService({ name: 'back', otlpUrl, ...back });
  const frontService = await startShapedService({ name: 'front', otlpUrl, downstream: backService.url, ...front });
  return {
    front: frontService,
    back: backService,
    close: async () => {
      await Promise.all([frontService.close(), backService.close()]);
    },
  };
}
