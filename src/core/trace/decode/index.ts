// Trace decoders: OTLP JSON and protobuf, Jaeger JSON, Tempo JSON, with format detection; and the OTLP JSON and
// protobuf encoders used to save traces.
export type { DecodeError, DecodeResult, DetectedDecodeResult, TraceFormat } from './types';
export type { OtlpJsonExport } from './otlp-encode';
export { encodeOtlpJson } from './otlp-encode';
export { encodeOtlpProtobuf } from './otlp-protobuf-encode';
export { decodeTraceDocument, decodeTraceText, detectTraceFormat, isJsonTraceFile } from './detect';
export { decodeJaegerJson } from './jaeger-json';
export { decodeOtlpJson } from './otlp-json';
export { decodeOtlpProtobuf, decodeOtlpProtobufFile, protobufCutShort } from './otlp-protobuf';
export { decodeTempoJson } from './tempo-json';
