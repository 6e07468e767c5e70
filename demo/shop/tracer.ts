// The tracer for the Pokéshop's own spans (validation, queue, database client, GraphQL).
import { SpanStatusCode, trace, type Span } from '@opentelemetry/api';

export const tracer = trace.getTracer('pokeshop', '1.0.0');

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Marks a span as failed the way the semantic conventions ask: an exception event and an error status. */
export function recordFailure(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : new Error(errorMessage(error)));
  span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
}
