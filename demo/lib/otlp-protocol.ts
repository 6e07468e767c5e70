// The OTLP protocols the services can export with (OTEL_EXPORTER_OTLP_PROTOCOL values).
export type OtlpProtocol = 'http/protobuf' | 'http/json' | 'grpc';

export const OTLP_PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json', 'grpc'];

export function isOtlpProtocol(value: string): value is OtlpProtocol {
  return (OTLP_PROTOCOLS as readonly string[]).includes(value);
}
