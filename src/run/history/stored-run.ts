// One run as the editor's run history stores it on disk: its result and its trace, as gzipped JSON (the trace as OTLP JSON, which `tracelens run
// --trace` and `--compare` read once unzipped). Every string of the result passes the run's redactor, the test file's
// own text too (the editor keeps that unmasked in memory, to place results; a file on disk keeps no secret).
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { TestRunResult } from '../../core/engine/result';
import type { Redactor } from '../../core/redact/redactor';
import { buildTrace } from '../../core/trace/build';
import { encodeOtlpJson } from '../../core/trace/decode/otlp-encode';
import { decodeOtlpJson } from '../../core/trace/decode/otlp-json';
import type { Trace } from '../../core/trace/model';

const FORMAT = 'tracelens-run/1';

const zip = promisify(gzip);
const unzip = promisify(gunzip);

/** `result.trace`, when set, is already masked (the run store masks it once for every view). */
export async function encodeRun(result: TestRunResult, redactor: Redactor): Promise<Buffer> {
  const { trace, ...rest } = result;
  // Offsets into the file's text say nothing once the text is masked, and are most of a result's bytes.
  const masked = (key: string, value: unknown) => (key === 'valueOffsets' ? undefined : typeof value === 'string' ? redactor.text(value) : value);
  const text = `{"format":${JSON.stringify(FORMAT)},"result":${JSON.stringify(rest, masked)},"trace":${trace ? JSON.stringify(encodeOtlpJson(trace.spans)) : 'null'}}`;
  return zip(text);
}

export async function decodeRun(bytes: Uint8Array): Promise<TestRunResult> {
  const doc = JSON.parse((await unzip(bytes)).toString('utf8')) as { format?: unknown; result?: TestRunResult; trace?: unknown };
  if (doc.format !== FORMAT || typeof doc.result !== 'object' || doc.result === null) throw new Error(`not a stored run (format ${String(doc.format)})`);
  return { ...doc.result, ...(doc.trace ? { trace: decodeTrace(doc.trace) } : {}) };
}

function decodeTrace(doc: unknown): Trace {
  const decoded = decodeOtlpJson(doc);
  if (!decoded.ok) throw new Error(`its trace does not decode: ${decoded.error.message}`);
  return buildTrace(decoded.value.spans);
}
