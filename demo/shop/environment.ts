// What a service process is given by the supervisor, through environment variables as a container would be.
export interface ServiceEnvironment {
  databaseAddress: string;
  databaseName: string;
  brokerAddress: string;
  pokeApiUrl: string;
  apiPort: number;
  grpcPort: number;
  workerDelayMs: number;
  /** Where the web page served by the API exports its spans (OTLP/HTTP: browsers cannot speak gRPC). */
  webOtlpEndpoint: string;
}

export const ENV = {
  databaseAddress: 'POKESHOP_DATABASE_ADDRESS',
  databaseName: 'POKESHOP_DATABASE_NAME',
  brokerAddress: 'POKESHOP_BROKER_ADDRESS',
  pokeApiUrl: 'POKESHOP_POKEAPI_URL',
  apiPort: 'POKESHOP_API_PORT',
  grpcPort: 'POKESHOP_GRPC_PORT',
  workerDelayMs: 'POKESHOP_WORKER_DELAY_MS',
  webOtlpEndpoint: 'POKESHOP_WEB_OTLP_ENDPOINT',
} as const satisfies Record<keyof ServiceEnvironment, string>;

/** Reads the variables; throws one message naming every missing or malformed one. */
export function serviceEnvironment(env: NodeJS.ProcessEnv = process.env): ServiceEnvironment {
  const problems: string[] = [];
  const text = (key: keyof ServiceEnvironment): string => {
    const value = env[ENV[key]];
    if (!value) problems.push(`${ENV[key]} is not set`);
    return value ?? '';
  };
  const number = (key: keyof ServiceEnvironment): number => {
    const value = text(key);
    const n = Number(value);
    if (value && (!Number.isInteger(n) || n < 0)) problems.push(`${ENV[key]} must be a whole number, got "${value}"`);
    return n;
  };
  const result: ServiceEnvironment = {
    databaseAddress: text('databaseAddress'),
    databaseName: text('databaseName'),
    brokerAddress: text('brokerAddress'),
    pokeApiUrl: text('pokeApiUrl'),
    apiPort: number('apiPort'),
    grpcPort: number('grpcPort'),
    workerDelayMs: number('workerDelayMs'),
    webOtlpEndpoint: text('webOtlpEndpoint'),
  };
  if (problems.length > 0) throw new Error(`${problems.join('; ')} (services are started by demo/main.ts, which sets these)`);
  return result;
}
