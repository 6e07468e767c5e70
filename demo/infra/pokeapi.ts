// A local stand-in for https://pokeapi.co: `GET /api/v2/pokemon/{id or name}` answers with the fields the worker
// reads, in PokeAPI's shape; unknown Pokémon get PokeAPI's plain-text 404. An external API, so not instrumented:
// the worker's HTTP client span is all the trace shows of it.
import { createServer, type Server } from 'node:http';
import { CATALOG, spriteUrl, type CatalogEntry } from './catalog';

export interface PokeApi {
  /** Base URL, e.g. http://127.0.0.1:40123/api/v2 */
  url: string;
  close(): Promise<void>;
}

const byName = new Map<string, CatalogEntry>([...CATALOG.values()].map((entry) => [entry.name, entry]));

export async function startPokeApi(): Promise<PokeApi> {
  const server: Server = createServer((request, response) => {
    const match = /^\/api\/v2\/pokemon\/([^/?]+)\/?(?:\?.*)?$/.exec(request.url ?? '');
    const key = match ? decodeURIComponent(match[1]!).toLowerCase() : '';
    const entry = /^\d+$/.test(key) ? CATALOG.get(Number(key)) : byName.get(key);
    if (request.method !== 'GET' || !entry) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not Found');
      return;
    }
    const body = {
      id: entry.id,
      name: entry.name,
      types: entry.types.map((type, i) => ({ slot: i + 1, type: { name: type, url: `https://pokeapi.co/api/v2/type/${type}/` } })),
      sprites: { front_default: spriteUrl(entry.id) },
    };
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/api/v2`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
