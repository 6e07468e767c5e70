// The tracer for the Pokéshop's own spans (validation, queue, database client, GraphQL).
import { trace } from '@opentelemetry/api';

export const tracer = trace.getTracer('pokeshop', '1.0.0');

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
