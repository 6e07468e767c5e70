// The shop's operations, shared by the HTTP API, GraphQL and gRPC: validate (a span of its own, as in the
// original Pokéshop), then read or write the database or enqueue an import for the worker.
import type { Database } from './database';
import {
  checkImport,
  checkNewPokemon,
  checkPage,
  pokemonFromRow,
  type Checked,
  type ImportRequest,
  type NewPokemon,
  type Pokemon,
  type PokemonPage,
} from './pokemon';
import type { QueueClient } from './queue';
import { tracer } from './tracer';

export const SYNC_QUEUE = 'queue.synchronizePokemon';

const COLUMNS = 'id, name, type, image_url, is_featured';

/** Runs a check inside a "validate request" span that records whether the request was valid and why not. */
export function validated<T>(check: () => Checked<T>): Checked<T> {
  return tracer.startActiveSpan('validate request', (span) => {
    const result = check();
    span.setAttribute('validation.is_valid', result.ok);
    // An invalid request is an answer (400), not a failure of the service: the span status stays unset.
    if (!result.ok) span.setAttribute('validation.errors', result.errors);
    span.end();
    return result;
  });
}

export function insertPokemon(db: Database, pokemon: NewPokemon): Promise<Pokemon> {
  return db
    .query({
      operation: 'INSERT',
      table: 'pokemon',
      sql: `INSERT INTO pokemon (name, type, image_url, is_featured) VALUES (?, ?, ?, ?) RETURNING ${COLUMNS}`,
      params: [pokemon.name, pokemon.type, pokemon.imageUrl, pokemon.isFeatured ? 1 : 0],
    })
    .then((rows) => pokemonFromRow(rows[0]!));
}

export class PokemonService {
  constructor(
    private readonly db: Database,
    private readonly queue: QueueClient,
  ) {}

  async create(body: unknown): Promise<Checked<Pokemon>> {
    const checked = validated(() => checkNewPokemon(body));
    if (!checked.ok) return checked;
    return { ok: true, value: await insertPokemon(this.db, checked.value) };
  }

  async list(take: unknown, skip: unknown): Promise<Checked<PokemonPage>> {
    const page = checkPage(take, skip);
    if (!page.ok) return page;
    const count = await this.db.query({ operation: 'SELECT', table: 'pokemon', sql: 'SELECT COUNT(*) AS total FROM pokemon' });
    const rows = await this.db.query({
      operation: 'SELECT',
      table: 'pokemon',
      sql: `SELECT ${COLUMNS} FROM pokemon ORDER BY id LIMIT ? OFFSET ?`,
      params: [page.value.take, page.value.skip],
    });
    return { ok: true, value: { items: rows.map(pokemonFromRow), totalCount: Number(count[0]?.['total'] ?? 0) } };
  }

  async get(id: number): Promise<Pokemon | undefined> {
    const rows = await this.db.query({ operation: 'SELECT', table: 'pokemon', sql: `SELECT ${COLUMNS} FROM pokemon WHERE id = ?`, params: [id] });
    return rows[0] ? pokemonFromRow(rows[0]) : undefined;
  }

  /** Validates and enqueues; the worker fetches the Pokémon and stores it later. */
  async import(body: unknown): Promise<Checked<ImportRequest>> {
    const checked = validated(() => checkImport(body));
    if (!checked.ok) return checked;
    await this.queue.publish(SYNC_QUEUE, checked.value);
    return checked;
  }
}
