// The receiver's replies, encoded as OTLP asks: ExportTraceServiceResponse (with partial_success only when
// spans were rejected or something is worth telling the sender) and google.rpc.Status for failures, each in
// the encoding of the request (binary protobuf or proto3 JSON).
import root from '@opentelemetry/otlp-transformer/build/src/generated/root';
import * as protobuf from 'protobufjs/minimal';

export type OtlpEncoding = 'protobuf' | 'json';

export const CONTENT_TYPES: Record<OtlpEncoding, string> = { protobuf: 'application/x-protobuf', json: 'application/json' };

export interface PartialSuccess {
  rejectedSpans: number;
  errorMessage: string;
}

interface MessageType {
  encode(message: object): { finish(): Uint8Array };
  getTypeUrl(prefix?: string): string;
}

interface TraceServiceV1 {
  TraceService: { prototype: { export: { name: string } } };
  ExportTraceServiceRequest: MessageType;
  ExportTraceServiceResponse: MessageType;
}

const traceV1 = (root as unknown as { opentelemetry: { proto: { collector: { trace: { v1: TraceServiceV1 } } } } }).opentelemetry.proto.collector.trace.v1;

/** `/opentelemetry.proto.collector.trace.v1.TraceService/Export`, read from the generated official definitions. */
export const TRACE_SERVICE_EXPORT_PATH = ((): string => {
  const requestType = traceV1.ExportTraceServiceRequest.getTypeUrl('');
  const pkg = requestType.slice(1, requestType.lastIndexOf('.'));
  return `/${pkg}.TraceService/${traceV1.TraceService.prototype.export.name}`;
})();

const EMPTY = new Uint8Array(0);

/** An ExportTraceServiceResponse; empty (full success) unless `partial` is given. */
export function encodeExportResponse(encoding: OtlpEncoding, partial?: PartialSuccess): Uint8Array | string {
  if (encoding === 'json') {
    // proto3 JSON writes int64 as a decimal string.
    return partial ? JSON.stringify({ partialSuccess: { rejectedSpans: String(partial.rejectedSpans), errorMessage: partial.errorMessage } }) : '{}';
  }
  return partial ? traceV1.ExportTraceServiceResponse.encode({ partialSuccess: partial }).finish() : EMPTY;
}

/** google.rpc.Code values used for HTTP failures (OTLP lets the server omit the code; senders may log it). */
export const RPC_CODES = { INVALID_ARGUMENT: 3, NOT_FOUND: 5, PERMISSION_DENIED: 7, RESOURCE_EXHAUSTED: 8, UNIMPLEMENTED: 12, INTERNAL: 13 } as const;

/** google.rpc.Status {code = 1; message = 2}: not among the generated OTLP messages, and two fields are easy to write. */
export function encodeStatus(encoding: OtlpEncoding, code: number, message: string): Uint8Array | string {
  if (encoding === 'json') return JSON.stringify({ code, message });
  return protobuf.Writer.create().uint32(8).int32(code).uint32(18).string(message).finish();
}
