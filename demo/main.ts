// The Pokéshop demo: starts the infrastructure (database, message broker, a local PokeAPI) in this process, then
// the three instrumented services as child processes, and prints one ready line. SIGTERM or SIGINT stops the
// services (which flush their spans), then the infrastructure.
//
//   node --import tsx demo/main.ts [--http-port 8081] [--grpc-port 8082] [--otlp-endpoint http://127.0.0.1:4318]
import { parseConfig, readyLine, USAGE, type DemoConfig } from './config';
import { startBroker } from './infra/broker';
import { startDatabase } from './infra/database-server';
import { startPokeApi } from './infra/pokeapi';
import { ENV } from './shop/environment';
import { startService, type ServiceHandle } from './supervisor';

const STOP_GRACE_MS = 8000;

interface Closable {
  close(): Promise<void>;
}

async function main(): Promise<number> {
  const parsed = parseConfig(process.argv.slice(2), process.env);
  if ('help' in parsed) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!parsed.ok) {
    process.stderr.write(`pokeshop: ${parsed.message}\n\n${USAGE}`);
    return 2;
  }
  const config = parsed.config;

  const infrastructure: Closable[] = [];
  const services: ServiceHandle[] = [];
  let exitCode = 0;
  let stopping: Promise<void> | undefined;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const stop = (reason: string, code: number): Promise<void> => {
    if (stopping) return stopping;
    process.stderr.write(`pokeshop: ${reason}\n`);
    exitCode = code;
    stopping = (async () => {
      await Promise.all(services.map((s) => s.stop(STOP_GRACE_MS)));
      await Promise.all(infrastructure.map((i) => i.close().catch(() => {})));
    })().then(finish);
    return stopping;
  };
  // Started with an IPC channel (by a test, say): the demo does not outlive the process that started it.
  if (process.send) process.on('disconnect', () => void stop('the process that started the demo has gone, stopping', 0));
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) {
        process.stderr.write(`pokeshop: ${signal} again, exiting now\n`);
        process.exit(1);
      }
      void stop(`${signal}, stopping`, 0);
    });
  }

  try {
    // A signal during start-up: whatever started after stop() began is closed at once.
    const track = async <T extends Closable>(started: T): Promise<T> => {
      if (stopping) {
        await started.close();
        throw new Error('stopped during start-up');
      }
      infrastructure.push(started);
      return started;
    };
    const database = await track(await startDatabase());
    const broker = await track(await startBroker());
    const pokeApi = await track(await startPokeApi());

    const env = serviceEnv(config, { databaseAddress: database.address, databaseName: database.name, brokerAddress: broker.address, pokeApiUrl: pokeApi.url });
    services.push(startService('api', env), startService('rpc', env), startService('worker', env));
    const [api, grpc] = await Promise.all(services.map((s) => s.ready));
    // A service that dies later takes the demo down with it: a half-working demo makes confusing test failures.
    for (const service of services) void service.exited.then((code) => stop(`${service.name} exited (${code}); stopping`, 1));
    if (!stopping) {
      const batching = config.exportDelayMs === undefined ? 'batched by the SDK default, every 5 s' : `batched every ${config.exportDelayMs} ms`;
      process.stderr.write(
        `pokeshop: pokeshop-api, pokeshop-rpc and pokeshop-worker export traces to ${config.otlpEndpoint} (${config.otlpProtocol}, ${batching}), the web page at ${api}/ to ${config.webOtlpEndpoint} (http/json)\n`,
      );
      process.stdout.write(`${readyLine(api!, grpc!)}\n`);
    }
  } catch (error) {
    await stop(error instanceof Error ? error.message : String(error), 1);
  }
  await finished;
  return exitCode;
}

function serviceEnv(
  config: DemoConfig,
  infrastructure: { databaseAddress: string; databaseName: string; brokerAddress: string; pokeApiUrl: string },
): NodeJS.ProcessEnv {
  // One endpoint for all services, the one announced: the per-signal variants would silently override it.
  const {
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: _endpoint,
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: _protocol,
    OTEL_BSP_SCHEDULE_DELAY: _delay,
    ...inherited
  } = process.env;
  return {
    ...inherited,
    OTEL_EXPORTER_OTLP_ENDPOINT: config.otlpEndpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: config.otlpProtocol,
    ...(config.exportDelayMs !== undefined ? { OTEL_BSP_SCHEDULE_DELAY: String(config.exportDelayMs) } : {}),
    [ENV.databaseAddress]: infrastructure.databaseAddress,
    [ENV.databaseName]: infrastructure.databaseName,
    [ENV.brokerAddress]: infrastructure.brokerAddress,
    [ENV.pokeApiUrl]: infrastructure.pokeApiUrl,
    [ENV.apiPort]: String(config.apiPort),
    [ENV.grpcPort]: String(config.grpcPort),
    [ENV.workerDelayMs]: String(config.workerDelayMs),
    [ENV.webOtlpEndpoint]: config.webOtlpEndpoint,
  };
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`pokeshop: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
