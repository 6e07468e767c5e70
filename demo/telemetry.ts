// OpenTelemetry set-up shared by the Pokéshop services, as a service instrumented with the stock SDK writes it:
// NodeSDK with the HTTP and gRPC auto-instrumentations, traces only, exported over OTLP by the stock batch processor.
// It must run before the service loads `http` or `@grpc/grpc-js`: instrumentation patches modules as they are
// required, so each service's entry file imports its `tracing` module first.
//
// Standard variables: OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT),
// OTEL_EXPORTER_OTLP_PROTOCOL (http/protobuf, the default; http/json; grpc), OTEL_BSP_SCHEDULE_DELAY (ms, the SDK's
// default 5000 when unset: read by the batch processor itself), OTEL_SEMCONV_STABILITY_OPT_IN.
import { diag } from '@opentelemetry/api';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { isOtlpProtocol, OTLP_PROTOCOLS, type OtlpProtocol } from './lib/otlp-protocol';

export interface Telemetry {
  /** Ends the batch processor after exporting what it holds. Never rejects. */
  shutdown(): Promise<void>;
}

export function startTelemetry(serviceName: string): Telemetry {
  // Created before the exporter: the gRPC exporter loads @grpc/grpc-js, which the instrumentation must see first.
  const instrumentations = [
    new HttpInstrumentation({
      // Health checks are noise in a trace view; real services usually drop them too.
      ignoreIncomingRequestHook: (request) => request.url === '/health',
    }),
    new GrpcInstrumentation(),
  ];
  const sdk = new NodeSDK({
    serviceName,
    instrumentations,
    spanProcessors: [new BatchSpanProcessor(createExporter())],
    // Traces only: without these, NodeSDK would also start the OTLP metrics and logs exporters.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  return {
    shutdown: () =>
      sdk.shutdown().catch((error: unknown) => {
        diag.error(`${serviceName}: telemetry shutdown failed`, error);
      }),
  };
}

/** The protocol from the standard variables; an unknown value falls back to the SDK default with a warning. */
export function otlpProtocol(env: NodeJS.ProcessEnv = process.env): OtlpProtocol {
  const value = (env['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'] ?? env['OTEL_EXPORTER_OTLP_PROTOCOL'] ?? 'http/protobuf').trim();
  if (isOtlpProtocol(value)) return value;
  process.stderr.write(`pokeshop: unknown OTLP protocol "${value}", using http/protobuf (expected ${OTLP_PROTOCOLS.join(', ')})\n`);
  return 'http/protobuf';
}

// Each exporter reads the endpoint, headers, compression and timeout from the standard variables itself.
function createExporter(): SpanExporter {
  switch (otlpProtocol()) {
    case 'grpc': {
      const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-grpc') as typeof import('@opentelemetry/exporter-trace-otlp-grpc');
      return new OTLPTraceExporter();
    }
    case 'http/json': {
      const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
      return new OTLPTraceExporter();
    }
    case 'http/protobuf': {
      const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto') as typeof import('@opentelemetry/exporter-trace-otlp-proto');
      return new OTLPTraceExporter();
    }
  }
}
