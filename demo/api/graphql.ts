// POST /graphql: the same shop operations through a small GraphQL schema (schema.graphql). Each operation runs in
// a span named and attributed per the GraphQL semantic conventions ("query ListPokemon", graphql.operation.type,
// graphql.operation.name, graphql.document).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpanStatusCode } from '@opentelemetry/api';
import { buildSchema, execute, getOperationAST, GraphQLError, parse, validate, type DocumentNode } from 'graphql';
import type { Checked } from '../shop/pokemon';
import type { PokemonService } from '../shop/pokemon-service';
import { tracer } from '../shop/tracer';
import type { Reply } from './router';

const schema = buildSchema(readFileSync(join(__dirname, 'schema.graphql'), 'utf8'));

interface GraphqlBody {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

function unwrap<T>(result: Checked<T>): T {
  if (result.ok) return result.value;
  throw new GraphQLError(result.errors.join('; '), { extensions: { code: 'BAD_USER_INPUT', errors: result.errors } });
}

function rootFor(service: PokemonService) {
  return {
    pokemon: async (args: { take?: number | null; skip?: number | null }) => unwrap(await service.list(args.take, args.skip)),
    pokemonById: (args: { id: number }) => service.get(args.id),
    createPokemon: async (args: { name: string; type: string; imageUrl?: string | null; isFeatured?: boolean | null }) =>
      unwrap(await service.create({ ...args, isFeatured: args.isFeatured ?? false })),
    importPokemon: async (args: { id: number }) => unwrap(await service.import({ id: args.id })),
  };
}

/** Reads `{query, variables?, operationName?}`; a Reply with the reason when the body is not that. */
function readBody(body: unknown): GraphqlBody | Reply {
  const bad = (message: string): Reply => ({ status: 400, body: { errors: [{ message }] } });
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return bad('the body must be {"query": "...", "variables": {...}, "operationName": "..."}');
  const { query, variables, operationName } = body as Record<string, unknown>;
  if (typeof query !== 'string' || query.trim() === '') return bad('"query" must be a non-empty string');
  if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) return bad('"variables" must be an object');
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return bad('"operationName" must be a string');
  return {
    query,
    ...(variables ? { variables: variables as Record<string, unknown> } : {}),
    ...(typeof operationName === 'string' && operationName ? { operationName } : {}),
  };
}

export async function handleGraphql(service: PokemonService, rawBody: unknown): Promise<Reply> {
  const body = readBody(rawBody);
  if ('status' in body) return body;
  let document: DocumentNode;
  try {
    document = parse(body.query);
  } catch (error) {
    return { status: 400, body: { errors: [error instanceof GraphQLError ? error.toJSON() : { message: String(error) }] } };
  }
  const invalid = validate(schema, document);
  if (invalid.length > 0) return { status: 400, body: { errors: invalid.map((e) => e.toJSON()) } };
  const operation = getOperationAST(document, body.operationName);
  if (!operation)
    return {
      status: 400,
      body: {
        errors: [
          { message: body.operationName ? `no operation named "${body.operationName}"` : 'the document has several operations: name one in operationName' },
        ],
      },
    };

  const type = operation.operation;
  const name = operation.name?.value;
  const attributes = { 'graphql.operation.type': type, 'graphql.document': body.query, ...(name ? { 'graphql.operation.name': name } : {}) };
  return tracer.startActiveSpan(name ? `${type} ${name}` : type, { attributes }, async (span) => {
    try {
      const result = await execute({
        schema,
        document,
        rootValue: rootFor(service),
        variableValues: body.variables ?? null,
        operationName: body.operationName ?? null,
      });
      if (result.errors?.length) span.setStatus({ code: SpanStatusCode.ERROR, message: result.errors.map((e) => e.message).join('; ') });
      return { status: 200, body: result };
    } finally {
      span.end();
    }
  });
}
