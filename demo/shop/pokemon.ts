// What a Pokémon is to the shop, and the checks a request must pass. Pure: no I/O, no spans.

export interface Pokemon {
  id: number;
  name: string;
  type: string;
  imageUrl: string | null;
  isFeatured: boolean;
}

export type NewPokemon = Omit<Pokemon, 'id'>;

export interface PokemonPage {
  items: Pokemon[];
  totalCount: number;
}

export interface ImportRequest {
  /** National Pokédex number. */
  id: number;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: string[] };

const MAX_TEXT = 100;
export const MAX_TAKE = 100;
export const DEFAULT_TAKE = 20;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requiredText(body: Record<string, unknown>, key: string, errors: string[]): string {
  const value = body[key];
  if (typeof value !== 'string' || value.trim() === '') errors.push(`${key} is required and must be a non-empty string`);
  else if (value.length > MAX_TEXT) errors.push(`${key} must be at most ${MAX_TEXT} characters`);
  else return value.trim();
  return '';
}

export function checkNewPokemon(body: unknown): Checked<NewPokemon> {
  if (!isRecord(body)) return { ok: false, errors: ['the body must be a JSON object with name, type, imageUrl and isFeatured'] };
  const errors: string[] = [];
  const name = requiredText(body, 'name', errors);
  const type = requiredText(body, 'type', errors);
  const imageUrl = body['imageUrl'];
  if (imageUrl !== undefined && imageUrl !== null && (typeof imageUrl !== 'string' || !/^https?:\/\/\S+$/.test(imageUrl))) {
    errors.push('imageUrl must be an http(s) URL');
  }
  if (typeof body['isFeatured'] !== 'boolean') errors.push('isFeatured is required and must be true or false');
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { name, type, imageUrl: typeof imageUrl === 'string' ? imageUrl : null, isFeatured: body['isFeatured'] as boolean } };
}

export function checkImport(body: unknown): Checked<ImportRequest> {
  const id = isRecord(body) ? body['id'] : undefined;
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 1 || id > 100_000) {
    return { ok: false, errors: ['id is required and must be a Pokédex number (a positive integer)'] };
  }
  return { ok: true, value: { id } };
}

/** `take`/`skip` from a query string or RPC request; absent means the default. */
export function checkPage(take: unknown, skip: unknown): Checked<{ take: number; skip: number }> {
  const errors: string[] = [];
  const read = (value: unknown, key: string, fallback: number, max: number): number => {
    if (value === undefined || value === null || value === '') return fallback;
    const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    if (typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= max) return n;
    errors.push(`${key} must be an integer from 0 to ${max}`);
    return fallback;
  };
  const page = { take: read(take, 'take', DEFAULT_TAKE, MAX_TAKE), skip: read(skip, 'skip', 0, Number.MAX_SAFE_INTEGER) };
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: page };
}

/** A database row (snake_case, SQLite integers for booleans) as the API shows it. */
export function pokemonFromRow(row: Record<string, unknown>): Pokemon {
  return {
    id: Number(row['id']),
    name: String(row['name']),
    type: String(row['type']),
    imageUrl: typeof row['image_url'] === 'string' ? row['image_url'] : null,
    isFeatured: Number(row['is_featured']) === 1,
  };
}
