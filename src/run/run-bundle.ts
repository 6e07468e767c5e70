// What the editor needs only once something runs or is judged: the runner with its triggers, the embedded OTLP
// receiver, the remote trace sources, the trace decoders, and the evaluation of assertions and of the analyzer
// (runs, re-checks, assert-on-span and its edits of the YAML file) and the load session of "Run under load…", with
// the libraries under them (undici, gRPC, protobufjs, jsonpath-plus); what writes tests and traces from the Traces
// view and curl commands; and what the run history needs to write and read runs and to compare a failed run with
// the last pass.
// The build bundles this module on its own (dist/run.js); the extension loads it on first use (loadRunBundle), so
// activation does not load or parse any of it.
export { judge } from '../core/analyzer/index';
export { describeDifference, sinceLastPass } from '../core/compare/diff';
export { checkAssertion } from '../core/engine/check-assertion';
export { evaluateTest } from '../core/engine/evaluate';
export { decodeOtlpProtobufFile, decodeTraceText, isJsonTraceFile } from '../core/trace/decode/index';
export { testFromCurl } from '../core/generate/curl-test';
export { filesFromPostman } from '../core/generate/postman';
export { draftTest, writeTest } from '../core/generate/index';
export { addAssertion, addOutput } from '../core/testfile/edit';
export { writeTraceFile } from './save-trace';
export { listingMessage, parseTraceFilter, TraceList, traceLabel } from './received-traces';
export { recheckResult } from './judge-test';
export { resolveDataStore } from './data-store-setting';
export { RunHistoryStore } from './history/run-history-store';
export { createPullSource } from './live-source';
export { loadSession, prepareLoadCall } from './load/session';
export { FailingTraces, LoadSeries, loadTotals } from './load/series';
export { timingFor } from './timing';
export { redactorFor } from './variables';
export { Runner } from './runner';
export { startReceiver } from './sources/otlp/receiver';
export { ReceiverSource } from './sources/receiver-source';
