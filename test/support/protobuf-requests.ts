// RawSpans as OTLP/protobuf ExportTraceServiceRequests of a given number of spans each, as an SDK's successive
// exports send them, written by the product's encoder (which is checked against protobufjs in its own tests).
import { encodeOtlpProtobuf } from '../../src/core/trace/decode/otlp-protobuf-encode';
import type { RawSpan } from '../../src/core/trace/model';

export function encodeProtobufRequests(spans: readonly RawSpan[], perRequest: number): Uint8Array[] {
  const requests: Uint8Array[] = [];
  for (let from = 0; from < spans.length; from += perRequest) {
    const pieces = [...encodeOtlpProtobuf(spans.slice(from, from + perRequest))];
    requests.push(pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces));
  }
  return requests;
}
