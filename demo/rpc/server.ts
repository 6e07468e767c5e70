// The Pokéshop gRPC service (service "pokeshop-rpc"): proto/pokeshop.proto, the same operations as the HTTP API.
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { RunningService } from '../lib/service-process';
import { Database } from '../shop/database';
import type { ServiceEnvironment } from '../shop/environment';
import type { Checked, Pokemon } from '../shop/pokemon';
import { PokemonService } from '../shop/pokemon-service';
import { QueueClient } from '../shop/queue';

export const PROTO_PATH = join(__dirname, '..', 'proto', 'pokeshop.proto');

interface PokeshopPackage {
  pokeshop: { Pokeshop: grpc.ServiceClientConstructor };
}

type Call<Req> = grpc.ServerUnaryCall<Req, unknown>;

/** Proto has no null: an absent optional field stays absent. */
function toMessage(pokemon: Pokemon) {
  return {
    id: pokemon.id,
    name: pokemon.name,
    type: pokemon.type,
    isFeatured: pokemon.isFeatured,
    ...(pokemon.imageUrl ? { imageUrl: pokemon.imageUrl } : {}),
  };
}

/** Turns a handler's outcome into the callback: invalid input → INVALID_ARGUMENT, a failure → INTERNAL. */
function unary<Req, Res>(work: (request: Req) => Promise<Checked<Res>>) {
  return (call: Call<Req>, callback: grpc.sendUnaryData<Res>): void => {
    work(call.request).then(
      (result) => (result.ok ? callback(null, result.value) : callback({ code: grpc.status.INVALID_ARGUMENT, details: result.errors.join('; ') })),
      (error: unknown) => {
        process.stderr.write(`pokeshop-rpc: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        callback({ code: grpc.status.INTERNAL, details: 'internal error' });
      },
    );
  };
}

export async function startRpc(env: ServiceEnvironment, onFatal: (message: string) => void): Promise<RunningService> {
  const db = await Database.connect(env.databaseAddress, env.databaseName);
  const queue = await QueueClient.connect(env.brokerAddress);
  db.onClosed(() => onFatal('lost the database connection'));
  queue.onClosed(() => onFatal('lost the broker connection'));
  const service = new PokemonService(db, queue);

  const definition = protoLoader.loadSync(PROTO_PATH, { keepCase: true, longs: String, enums: String, defaults: false, oneofs: true });
  const { pokeshop } = grpc.loadPackageDefinition(definition) as unknown as PokeshopPackage;
  const server = new grpc.Server();
  server.addService(pokeshop.Pokeshop.service, {
    getPokemonList: unary(async (request: { skip?: number; take?: number }) => {
      const page = await service.list(request.take, request.skip);
      return page.ok ? { ok: true, value: { items: page.value.items.map(toMessage), totalCount: page.value.totalCount } } : page;
    }),
    // proto3 cannot tell an unset bool from false, so isFeatured defaults to false here.
    createPokemon: unary(async (request: { name?: string; type?: string; imageUrl?: string; isFeatured?: boolean }) => {
      const created = await service.create({ ...request, isFeatured: request.isFeatured ?? false });
      return created.ok ? { ok: true, value: toMessage(created.value) } : created;
    }),
    importPokemon: unary(async (request: { id?: number }) => service.import({ id: request.id ?? 0 })),
  });

  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`127.0.0.1:${env.grpcPort}`, grpc.ServerCredentials.createInsecure(), (error, bound) => {
      if (!error) return resolve(bound);
      const inUse = /EADDRINUSE|address already in use/i.test(error.message);
      reject(new Error(inUse ? `port ${env.grpcPort} is in use: choose another with --grpc-port (or GRPC_PORT), 0 for any free port` : error.message));
    });
  });
  return {
    address: `127.0.0.1:${port}`,
    close: async () => {
      // Open client channels can hold a graceful shutdown: in-flight calls get a moment, then connections close.
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 1000);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
      db.close();
      queue.close();
    },
  };
}
