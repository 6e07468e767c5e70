// The worker (service "pokeshop-worker"): consumes queue.synchronizePokemon, fetches each Pokémon from the
// PokeAPI (an HTTP client span), and stores it (a database span), inside an "import pokemon" span under the
// consumer span that carries on the trace of the request that enqueued it.
import { get } from 'node:http';
import type { RunningService } from '../lib/service-process';
import { Database } from '../shop/database';
import type { ServiceEnvironment } from '../shop/environment';
import { checkImport, type NewPokemon } from '../shop/pokemon';
import { insertPokemon, SYNC_QUEUE } from '../shop/pokemon-service';
import { QueueClient } from '../shop/queue';
import { recordFailure, tracer } from '../shop/tracer';

interface PokeApiPokemon {
  id: number;
  name: string;
  types: { slot: number; type: { name: string } }[];
  sprites: { front_default: string | null };
}

/** GET {pokeApiUrl}/pokemon/{id} with node:http, which the HTTP instrumentation traces. */
function fetchPokemon(pokeApiUrl: string, id: number): Promise<PokeApiPokemon> {
  return new Promise((resolve, reject) => {
    const request = get(`${pokeApiUrl}/pokemon/${id}`, { timeout: 5000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (response.statusCode !== 200) return reject(new Error(`PokeAPI answered ${response.statusCode} for pokemon ${id}: ${text.slice(0, 100)}`));
        try {
          resolve(JSON.parse(text) as PokeApiPokemon);
        } catch {
          reject(new Error(`PokeAPI sent something that is not JSON for pokemon ${id}`));
        }
      });
    });
    request.on('timeout', () => request.destroy(new Error(`PokeAPI did not answer for pokemon ${id}`)));
    request.on('error', reject);
  });
}

function toNewPokemon(found: PokeApiPokemon): NewPokemon {
  const types = [...found.types].sort((a, b) => a.slot - b.slot).map((t) => t.type.name);
  return { name: found.name, type: types.join(','), imageUrl: found.sprites.front_default, isFeatured: false };
}

export async function startWorker(env: ServiceEnvironment, onFatal: (message: string) => void): Promise<RunningService> {
  const db = await Database.connect(env.databaseAddress, env.databaseName);
  const queue = await QueueClient.connect(env.brokerAddress);
  db.onClosed(() => onFatal('lost the database connection'));
  queue.onClosed(() => onFatal('lost the broker connection'));

  const importPokemon = (payload: unknown): Promise<void> =>
    tracer.startActiveSpan('import pokemon', async (span) => {
      try {
        const request = checkImport(payload);
        if (!request.ok) throw new Error(`bad message: ${request.errors.join('; ')}`);
        span.setAttribute('pokemon.id', request.value.id);
        const pokemon = await insertPokemon(db, toNewPokemon(await fetchPokemon(env.pokeApiUrl, request.value.id)));
        span.setAttribute('pokemon.name', pokemon.name);
      } catch (error) {
        recordFailure(span, error);
        throw error;
      } finally {
        span.end();
      }
    });

  await queue.consume(SYNC_QUEUE, importPokemon, { delayMs: env.workerDelayMs });
  return {
    close: async () => {
      await queue.drain();
      queue.close();
      db.close();
    },
  };
}
