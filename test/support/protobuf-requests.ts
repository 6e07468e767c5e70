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

/** Requests as the OpenTelemetry Collector's file exporter writes them with `format: proto`: each after its length, 4 bytes big-endian. */
export function lengthPrefixed(requests: readonly Uint8Array[]): Buffer {
  return Buffer.concat(
    requests.flatMap((request) => {
      const length = Buffer.alloc(4);
      length.writeUInt32BE(request.length);
      return [length, request];
    }),
  );
}
