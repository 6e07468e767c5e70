// The Pokéshop HTTP API (service "pokeshop-api").
import { createServer, type Server } from 'node:http';
import { Database } from '../shop/database';
import type { ServiceEnvironment } from '../shop/environment';
import { PokemonService } from '../shop/pokemon-service';
import { QueueClient } from '../shop/queue';
import type { RunningService } from '../lib/service-process';
import { APP_SCRIPT_PATH, bundleWebApp, pageHtml } from '../web/page';
import { handleGraphql } from './graphql';
import { createRouter, type Reply, type Route } from './router';

function routes(service: PokemonService, web: { html: string; script: string }): Route[] {
  return [
    { method: 'GET', path: '/', handle: () => ({ status: 200, body: web.html, contentType: 'text/html; charset=utf-8' }) },
    { method: 'GET', path: APP_SCRIPT_PATH, handle: () => ({ status: 200, body: web.script, contentType: 'text/javascript; charset=utf-8' }) },
    {
      method: 'POST',
      path: '/pokemon',
      async handle(request) {
        const body = await request.json();
        if (!body.ok) return body.reply;
        const created = await service.create(body.value);
        return created.ok ? { status: 201, body: created.value } : { status: 400, body: { errors: created.errors } };
      },
    },
    {
      method: 'GET',
      path: '/pokemon',
      async handle(request) {
        const page = await service.list(request.query.get('take') ?? undefined, request.query.get('skip') ?? undefined);
        return page.ok ? { status: 200, body: page.value } : { status: 400, body: { errors: page.errors } };
      },
    },
    {
      method: 'POST',
      path: '/pokemon/import',
      async handle(request) {
        const body = await request.json();
        if (!body.ok) return body.reply;
        const queued = await service.import(body.value);
        return queued.ok ? { status: 202, body: { id: queued.value.id } } : { status: 400, body: { errors: queued.errors } };
      },
    },
    {
      method: 'GET',
      path: '/pokemon/:id',
      async handle(request): Promise<Reply> {
        const id = request.params['id'] ?? '';
        if (!/^\d+$/.test(id)) return { status: 400, body: { errors: [`the id must be a positive integer, got "${id}"`] } };
        const pokemon = await service.get(Number(id));
        return pokemon ? { status: 200, body: pokemon } : { status: 404, body: { error: `no pokemon with id ${id}` } };
      },
    },
    {
      method: 'POST',
      path: '/graphql',
      async handle(request) {
        const body = await request.json();
        return body.ok
          ? handleGraphql(service, body.value)
          : { status: body.reply.status, body: { errors: [{ message: (body.reply.body as { error: string }).error }] } };
      },
    },
    { method: 'GET', path: '/health', handle: () => ({ status: 200, body: { status: 'ok' } }) },
  ];
}

export async function startApi(env: ServiceEnvironment, onFatal: (message: string) => void): Promise<RunningService> {
  const [db, queue, script] = await Promise.all([
    Database.connect(env.databaseAddress, env.databaseName),
    QueueClient.connect(env.brokerAddress),
    bundleWebApp(),
  ]);
  db.onClosed(() => onFatal('lost the database connection'));
  queue.onClosed(() => onFatal('lost the broker connection'));

  const router = createRouter(routes(new PokemonService(db, queue), { html: pageHtml(env.webOtlpEndpoint), script }), (error) =>
    process.stderr.write(`pokeshop-api: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`),
  );
  const server: Server = createServer(router);
  server.keepAliveTimeout = 2000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'EADDRINUSE' ? `port ${env.apiPort} is in use: choose another with --http-port (or PORT), 0 for any free port` : error.message,
        ),
      ),
    );
    server.listen(env.apiPort, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    address: `http://127.0.0.1:${port}`,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      db.close();
      queue.close();
    },
  };
}
