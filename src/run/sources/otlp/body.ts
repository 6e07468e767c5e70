// Reads a request body up to a size limit and undoes its Content-Encoding, with the limit applied to the
// decompressed size too (a small gzip body can inflate to gigabytes).
import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';

export type BodyOutcome = { ok: true; body: Buffer } | { ok: false; status: 400 | 413 | 415; message: string };

type Inflate = (buffer: Buffer, options: zlib.ZlibOptions) => Promise<Buffer>;

const gunzip = promisify(zlib.gunzip) as Inflate;
const inflate = promisify(zlib.inflate) as Inflate;
const inflateRaw = promisify(zlib.inflateRaw) as Inflate;
const brotli = promisify(zlib.brotliDecompress) as (buffer: Buffer, options: zlib.BrotliOptions) => Promise<Buffer>;

export const SUPPORTED_ENCODINGS = 'gzip, deflate, br or identity';

/** The Content-Encoding the body will be decoded with; undefined when it is not supported. */
export function contentEncodingOf(request: IncomingMessage): 'identity' | 'gzip' | 'deflate' | 'br' | undefined {
  const header = request.headers['content-encoding']?.trim().toLowerCase();
  if (!header || header === 'identity' || header === 'none') return 'identity';
  if (header === 'gzip' || header === 'x-gzip') return 'gzip';
  if (header === 'deflate') return 'deflate';
  if (header === 'br') return 'br';
  return undefined;
}

/** Resolves once the body is read (or the limit is passed, when reading stops and the rest is discarded). */
export async function readBody(request: IncomingMessage, maxBytes: number): Promise<BodyOutcome> {
  const encoding = contentEncodingOf(request);
  if (!encoding) {
    return { ok: false, status: 415, message: `unsupported Content-Encoding "${request.headers['content-encoding']}": use ${SUPPORTED_ENCODINGS}` };
  }
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge(`the body is ${declared} bytes`, maxBytes);

  const raw = await readRaw(request, maxBytes);
  if (!raw.ok) return raw;
  if (encoding === 'identity') return raw;
  try {
    const options = { maxOutputLength: maxBytes };
    if (encoding === 'gzip') return { ok: true, body: await gunzip(raw.body, options) };
    if (encoding === 'br') return { ok: true, body: await brotli(raw.body, options) };
    // "deflate" is meant to be zlib-wrapped, but some clients send raw deflate.
    const rawDeflate = (e: NodeJS.ErrnoException) => (e.code === 'ERR_BUFFER_TOO_LARGE' ? Promise.reject(e) : inflateRaw(raw.body, options));
    return { ok: true, body: await inflate(raw.body, options).catch(rawDeflate) };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      return tooLarge(`the ${encoding} body decompresses to more than ${maxBytes} bytes`, maxBytes);
    return { ok: false, status: 400, message: `cannot decompress the ${encoding} body: ${(e as Error).message}` };
  }
}

function readRaw(request: IncomingMessage, maxBytes: number): Promise<BodyOutcome> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const finish = (outcome: BodyOutcome) => {
      request.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      length += chunk.length;
      if (length > maxBytes) finish(tooLarge(`the body is more than ${maxBytes} bytes`, maxBytes));
      else chunks.push(chunk);
    };
    const onEnd = () => finish({ ok: true, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length) });
    const onError = (e: Error) => finish({ ok: false, status: 400, message: `cannot read the body: ${e.message}` });
    const onClose = () => finish({ ok: false, status: 400, message: 'the body was cut short: the client closed the connection' });
    request.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

function tooLarge(what: string, maxBytes: number): BodyOutcome {
  return {
    ok: false,
    status: 413,
    message: `${what}; this receiver accepts at most ${maxBytes} bytes per request (send smaller batches, e.g. a lower maxExportBatchSize)`,
  };
}
