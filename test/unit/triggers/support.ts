// Helpers for trigger tests: triggers written as YAML test files, requests with a fixed trace context, and a local
// HTTP server that records what arrived.
import assert from 'node:assert/strict';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { loadFile, type TestDef, type TriggerDef } from '../../../src/core/testfile';
import type { TraceContext, TriggerFailure, TriggerOutcome, TriggerRequest, TriggerResponse } from '../../../src/run/triggers/types';

export const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'triggers');
/** File references in these tests resolve next to this (not existing) test file. */
export const TEST_FILE = join(FIXTURES, 'trigger.tracelens.yaml');

export const CONTEXT: TraceContext = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' };

/** The trigger of a Test document; `trigger` is the YAML under `spec.trigger`, indented by 4. */
export function triggerFrom(trigger: string): TriggerDef {
  const text = `type: Test\nspec:\n  name: trigger test\n  trigger:\n${trigger.replace(/^\n/, '')}`;
  const loaded = loadFile(text, TEST_FILE);
  assert.deepEqual(
    loaded.problems.filter((p) => p.severity === 'error'),
    [],
    text,
  );
  const test = loaded.resources[0]?.resource as TestDef;
  return test.trigger;
}

export function requestFor(
  trigger: TriggerDef,
  options: Partial<Omit<TriggerRequest, 'trigger'>> & { env?: Record<string, string>; vars?: Record<string, string> } = {},
): TriggerRequest {
  const { env = {}, vars = {}, ...rest } = options;
  return {
    trigger,
    testFile: TEST_FILE,
    files: { root: FIXTURES, allowOutside: false, widen: 'widen the root' },
    variables: new Map(Object.entries(vars)),
    processEnv: (name) => env[name],
    context: CONTEXT,
    timeoutMs: 5000,
    ...rest,
  };
}

export function response(outcome: TriggerOutcome): TriggerResponse {
  if (!outcome.ok) assert.fail(`expected a response, got failure: ${outcome.error.message}`);
  return outcome.value;
}

export function failure(outcome: TriggerOutcome): TriggerFailure {
  if (outcome.ok) assert.fail(`expected a failure, got status ${outcome.value.status}`);
  return outcome.error;
}

export interface Received {
  method: string;
  url: string;
  /** Raw header pairs as they arrived (names in the sender's case). */
  rawHeaders: [string, string][];
  /** Lowercase names; repeated headers joined with ", " as node does. */
  headers: IncomingMessage['headers'];
  body: string;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string | string[]>;
  body?: string;
  /** Never answer (for timeouts and cancellation); the socket is closed when the server closes. */
  hang?: boolean;
}

export interface EchoServer {
  url: string;
  port: number;
  received: Received[];
  close(): Promise<void>;
}

/** Records each request and answers `reply(req)`, by default 200 with the request as JSON. */
export async function startServer(reply: (r: Received) => Reply = echo, tls = false): Promise<EchoServer> {
  const received: Received[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const pairs: [string, string][] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) pairs.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
      const r: Received = {
        method: req.method ?? '',
        url: req.url ?? '',
        rawHeaders: pairs,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(r);
      const answer = reply(r);
      if (answer.hang) return;
      res.writeHead(answer.status ?? 200, answer.headers ?? {});
      res.end(answer.body ?? '');
    });
  };
  const server: Server = tls
    ? createHttpsServer({ key: readFileSync(join(FIXTURES, 'self-signed.key.pem')), cert: readFileSync(join(FIXTURES, 'self-signed.cert.pem')) }, handler)
    : createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function echo(r: Received): Reply {
  return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ method: r.method, url: r.url, body: r.body }) };
}

/** A header's values by case-insensitive name. */
export function headerValues(r: Received, name: string): string[] {
  return r.rawHeaders.filter(([k]) => k.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
}
