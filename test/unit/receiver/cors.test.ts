// Which web pages may send traces: preflights and simple requests (no preflight: text/plain and form POSTs, the
// ones a page can make to any address) with the Origins a browser sends, against a real receiver; what is refused
// never reaches the store.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { corsPolicy, CorsOriginError } from '../../../src/run/sources/otlp/cors';
import { startReceiver, type OtlpReceiver } from '../../../src/run/sources/otlp/receiver';
import { recordRequest } from './sdk';

let receiver: OtlpReceiver;
let listed: OtlpReceiver;

before(async () => {
  receiver = await startReceiver({ httpPort: 0, grpcPort: null });
  listed = await startReceiver({
    httpPort: 0,
    grpcPort: null,
    corsOrigins: ['https://app.example.com', 'https://*.staging.example.com', 'http://192.168.1.20:3000'],
  });
});
after(async () => {
  await receiver.close();
  await listed.close();
});

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw request, as a browser would send it (Node's fetch would add or drop headers of its own). */
function send(target: OtlpReceiver, method: string, headers: Record<string, string>, body = ''): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port: target.httpPort, path: '/v1/traces', method, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

function preflight(target: OtlpReceiver, origin: string, privateNetwork = false): Promise<Reply> {
  return send(target, 'OPTIONS', {
    origin,
    'access-control-request-method': 'POST',
    'access-control-request-headers': 'content-type',
    ...(privateNetwork ? { 'access-control-request-private-network': 'true' } : {}),
  });
}

let counter = 0;

/** A JSON export of a new trace, and its trace id. */
function exportBody(): { body: string; traceId: string } {
  const recorded = recordRequest('browser-app', `cors-${++counter}`);
  return { body: new TextDecoder().decode(JsonTraceSerializer.serializeRequest(recorded.spans)!), traceId: recorded.traceId };
}

const LOOPBACK_ORIGINS = [
  'http://localhost:3000',
  'http://localhost:5173',
  'https://localhost',
  'http://127.0.0.1:8080',
  'http://[::1]:4200',
  'http://app.localhost:3000',
];
const FOREIGN_ORIGINS = [
  'https://evil.example',
  'http://localhost.evil.example',
  'http://127.0.0.1.evil.example',
  'http://192.168.1.20:3000',
  'null',
  'file://',
];

describe('CORS by default: pages on this machine only', () => {
  for (const origin of LOOPBACK_ORIGINS) {
    it(`lets ${origin} send: preflight answered for it, export stored`, async () => {
      const answer = await preflight(receiver, origin);
      assert.equal(answer.status, 204);
      assert.equal(answer.headers['access-control-allow-origin'], origin);
      assert.match(String(answer.headers['access-control-allow-methods']), /POST/);
      assert.match(String(answer.headers['access-control-allow-headers']), /content-type/i);
      assert.match(String(answer.headers.vary), /Origin/);

      const { body, traceId } = exportBody();
      const posted = await send(receiver, 'POST', { origin, 'content-type': 'application/json' }, body);
      assert.equal(posted.status, 200);
      assert.equal(posted.headers['access-control-allow-origin'], origin);
      assert.equal(receiver.store.get(traceId)?.spans.length, 3);
    });
  }

  for (const origin of FOREIGN_ORIGINS) {
    it(`refuses ${origin}: no preflight, and neither a JSON, a text/plain nor a form POST is stored`, async () => {
      const answer = await preflight(receiver, origin, true);
      assert.equal(answer.status, 403);
      assert.equal(answer.headers['access-control-allow-origin'], undefined);
      assert.equal(answer.headers['access-control-allow-private-network'], undefined);
      assert.match(answer.body, /may not send traces to this receiver/);

      // What a page can send without a preflight: the body is an export all the same.
      for (const type of ['application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
        const { body, traceId } = exportBody();
        const posted = await send(receiver, 'POST', { origin, 'content-type': type }, body);
        assert.equal(posted.status, 403, `${type} from ${origin}`);
        assert.equal(posted.headers['access-control-allow-origin'], undefined);
        assert.equal(posted.headers.connection, 'close');
        assert.equal(receiver.store.get(traceId), undefined, `${type} from ${origin} was stored`);
      }
    });
  }

  it('takes exports without an Origin (SDKs in services, the collector): no CORS headers', async () => {
    const { body, traceId } = exportBody();
    const posted = await send(receiver, 'POST', { 'content-type': 'application/json' }, body);
    assert.equal(posted.status, 200);
    assert.equal(posted.headers['access-control-allow-origin'], undefined);
    assert.ok(receiver.store.get(traceId));
  });

  it('grants Private Network Access to loopback origins only', async () => {
    const local = await preflight(receiver, 'http://localhost:3000', true);
    assert.equal(local.headers['access-control-allow-private-network'], 'true');
    const plain = await preflight(receiver, 'http://localhost:3000');
    assert.equal(plain.headers['access-control-allow-private-network'], undefined);
  });
});

describe('CORS with listed origins', () => {
  for (const origin of [
    'https://app.example.com',
    'https://APP.example.com:443',
    'https://eu.staging.example.com',
    'http://192.168.1.20:3000',
    'http://localhost:9000',
  ]) {
    it(`lets ${origin} send`, async () => {
      const answer = await preflight(listed, origin);
      assert.equal(answer.status, 204);
      assert.equal(answer.headers['access-control-allow-origin'], origin);
      const { body, traceId } = exportBody();
      assert.equal((await send(listed, 'POST', { origin, 'content-type': 'application/json' }, body)).status, 200);
      assert.ok(listed.store.get(traceId));
    });
  }

  for (const origin of [
    'http://app.example.com',
    'https://app.example.com:8443',
    'https://staging.example.com',
    'https://eu.staging.example.com.evil.example',
    'https://evil.example',
  ]) {
    it(`still refuses ${origin}`, async () => {
      assert.equal((await preflight(listed, origin)).status, 403);
      const { body, traceId } = exportBody();
      assert.equal((await send(listed, 'POST', { origin, 'content-type': 'text/plain' }, body)).status, 403);
      assert.equal(listed.store.get(traceId), undefined);
    });
  }

  it('never grants Private Network Access to a listed origin that is not loopback', async () => {
    const answer = await preflight(listed, 'https://app.example.com', true);
    assert.equal(answer.status, 204);
    assert.equal(answer.headers['access-control-allow-private-network'], undefined);
  });
});

describe('corsPolicy', () => {
  it('reads `*` as every origin and `null` as opaque origins, only when listed', () => {
    assert.equal(corsPolicy(['*']).allows('https://anything.example'), true);
    assert.equal(corsPolicy([]).allows('null'), false);
    assert.equal(corsPolicy(['null']).allows('null'), true);
    assert.equal(corsPolicy(['https://a.example']).allows('https://a.example:443'), true);
    assert.equal(corsPolicy(['https://a.example/']).allows('https://a.example'), true);
  });

  it('refuses entries that are not origins, naming them', () => {
    for (const entry of ['example.com', 'ftp://example.com', 'https://example.com/path', 'https://', 'https://exa mple.com']) {
      assert.throws(
        () => corsPolicy([entry]),
        (e: unknown) => e instanceof CorsOriginError && e.message.includes(`"${entry}"`),
        entry,
      );
    }
  });

  it('makes startReceiver fail before it listens when an entry is bad', async () => {
    await assert.rejects(startReceiver({ httpPort: 0, grpcPort: null, corsOrigins: ['example.com'] }), CorsOriginError);
  });
});
