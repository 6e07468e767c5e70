// The demo's command line and environment. Flags win over environment variables.
import { parseArgs } from 'node:util';
import { isOtlpProtocol, OTLP_PROTOCOLS, type OtlpProtocol } from './lib/otlp-protocol';

export interface DemoConfig {
  /** 0 = any free port. */
  apiPort: number;
  grpcPort: number;
  /** OTLP base URL the services export to (the HTTP exporters append /v1/traces). */
  otlpEndpoint: string;
  otlpProtocol: OtlpProtocol;
  /** Where the web page exports (always OTLP/HTTP: browsers cannot speak gRPC). */
  webOtlpEndpoint: string;
  /** How long the worker waits before processing a message. */
  workerDelayMs: number;
  /** The services' batch delay (OTEL_BSP_SCHEDULE_DELAY); undefined: the SDK's own default, 5 s. */
  exportDelayMs?: number;
}

export type ConfigResult = { ok: true; config: DemoConfig } | { ok: false; message: string } | { help: true };

export const USAGE = `Usage: node --import tsx demo/main.ts [options]

Starts the Pokéshop demo: an HTTP API, a gRPC API and a queue worker, instrumented with the OpenTelemetry SDK.

Options (environment variable in brackets):
  --http-port <n>       HTTP API port, 0 for any free port (PORT; default 8081)
  --grpc-port <n>       gRPC port, 0 for any free port (GRPC_PORT; default 8082)
  --otlp-endpoint <url> where traces go (OTEL_EXPORTER_OTLP_ENDPOINT; default http://127.0.0.1:4318,
                        or http://127.0.0.1:4317 with --otlp-protocol grpc)
  --otlp-protocol <p>   http/protobuf, http/json or grpc (OTEL_EXPORTER_OTLP_PROTOCOL; default http/protobuf)
  --web-otlp-endpoint <url>
                        where the web page exports over OTLP/HTTP (POKESHOP_WEB_OTLP_ENDPOINT; default the
                        --otlp-endpoint with an HTTP protocol, else http://127.0.0.1:4318)
  --worker-delay <ms>   the worker's delay before processing a message (WORKER_DELAY_MS; default 100)
  --export-delay <ms>   how long the services' OpenTelemetry SDKs batch spans before exporting them
                        (OTEL_BSP_SCHEDULE_DELAY; default: the SDK's own, 5000, as services usually run;
                        100 makes each test's trace arrive within a fraction of a second)
  -h, --help            this text

When ready it prints one line to stdout:
  pokeshop ready: api=http://127.0.0.1:8081 grpc=127.0.0.1:8082
`;

export const DEFAULTS = { apiPort: 8081, grpcPort: 8082, workerDelayMs: 100 } as const;

export function parseConfig(argv: readonly string[], env: NodeJS.ProcessEnv): ConfigResult {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        'http-port': { type: 'string' },
        'grpc-port': { type: 'string' },
        'otlp-endpoint': { type: 'string' },
        'otlp-protocol': { type: 'string' },
        'web-otlp-endpoint': { type: 'string' },
        'worker-delay': { type: 'string' },
        'export-delay': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  if (values['help']) return { help: true };

  const problems: string[] = [];
  const pick = (flag: string, variable: string): { value: string; from: string } | undefined => {
    const fromFlag = values[flag];
    if (typeof fromFlag === 'string') return { value: fromFlag, from: `--${flag}` };
    const fromEnv = env[variable];
    return fromEnv !== undefined && fromEnv !== '' ? { value: fromEnv, from: variable } : undefined;
  };
  const integer = (flag: string, variable: string, fallback: number, max: number): number => {
    const picked = pick(flag, variable);
    if (!picked) return fallback;
    const n = Number(picked.value);
    if (/^\d+$/.test(picked.value.trim()) && n <= max) return n;
    problems.push(`${picked.from} must be a whole number from 0 to ${max}, got "${picked.value}"`);
    return fallback;
  };

  const apiPort = integer('http-port', 'PORT', DEFAULTS.apiPort, 65535);
  const grpcPort = integer('grpc-port', 'GRPC_PORT', DEFAULTS.grpcPort, 65535);
  const workerDelayMs = integer('worker-delay', 'WORKER_DELAY_MS', DEFAULTS.workerDelayMs, 60_000);
  const exportDelayMs = pick('export-delay', 'OTEL_BSP_SCHEDULE_DELAY') ? integer('export-delay', 'OTEL_BSP_SCHEDULE_DELAY', 0, 600_000) : undefined;

  const protocolPick = pick('otlp-protocol', 'OTEL_EXPORTER_OTLP_PROTOCOL');
  let otlpProtocol: OtlpProtocol = 'http/protobuf';
  if (protocolPick) {
    if (isOtlpProtocol(protocolPick.value)) otlpProtocol = protocolPick.value;
    else problems.push(`${protocolPick.from} must be one of ${OTLP_PROTOCOLS.join(', ')}, got "${protocolPick.value}"`);
  }
  const endpointPick = pick('otlp-endpoint', 'OTEL_EXPORTER_OTLP_ENDPOINT');
  const otlpEndpoint = endpointPick?.value ?? (otlpProtocol === 'grpc' ? 'http://127.0.0.1:4317' : 'http://127.0.0.1:4318');
  const webPick = pick('web-otlp-endpoint', 'POKESHOP_WEB_OTLP_ENDPOINT');
  const webOtlpEndpoint = webPick?.value ?? (otlpProtocol === 'grpc' ? 'http://127.0.0.1:4318' : otlpEndpoint);
  for (const picked of [endpointPick, webPick]) {
    if (picked && !/^https?:\/\/[^/\s]+/.test(picked.value)) problems.push(`${picked.from} must be an http(s) URL, got "${picked.value}"`);
  }

  if (problems.length > 0) return { ok: false, message: problems.join('\n') };
  return {
    ok: true,
    config: { apiPort, grpcPort, otlpEndpoint, otlpProtocol, webOtlpEndpoint, workerDelayMs, ...(exportDelayMs !== undefined ? { exportDelayMs } : {}) },
  };
}

/** The line tests and scripts wait for. */
export function readyLine(apiUrl: string, grpcAddress: string): string {
  return `pokeshop ready: api=${apiUrl} grpc=${grpcAddress}`;
}

export const READY_PATTERN = /^pokeshop ready: api=(\S+) grpc=(\S+)$/;
