import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TriggerDef } from '../../../src/core/testfile';
import { runTrigger } from '../../../src/run/triggers/run-trigger';
import { CONTEXT, failure, headerValues, requestFor, response, startServer, triggerFrom, type EchoServer } from './support';

async function withServer<T>(starting: Promise<EchoServer>, body: (s: EchoServer) => Promise<T>): Promise<T> {
  const server = await starting;
  try {
    return await body(server);
  } finally {
    await server.close();
  }
}

const httpTrigger = (url: string, extra = ''): string => `    type: http
    httpRequest:
      method: POST
      url: ${url}
${extra}`;

describe('http trigger: what is sent', () => {
  test('method, URL, headers and body arrive as written', () =>
    withServer(startServer(), async (server) => {
      const trigger = triggerFrom(`    type: http
    httpRequest:
      method: PUT
      url: ${server.url}/pokemon/25?full=true
      headers:
        - key: Content-Type
          value: application/json
        - key: X-Tag
          value: one
        - key: X-Tag
          value: two
      body: '{"name":"pikachu"}'
`);
      const r = response(await runTrigger(requestFor(trigger)));
      assert.equal(r.sent, true);
      const got = server.received[0]!;
      assert.equal(got.method, 'PUT');
      assert.equal(got.url, '/pokemon/25?full=true');
      assert.deepEqual(headerValues(got, 'content-type'), ['application/json']);
      assert.deepEqual(headerValues(got, 'x-tag'), ['one', 'two']);
      assert.equal(got.body, '{"name":"pikachu"}');
    }));

  test('the method defaults to GET and is sent uppercase', () =>
    withServer(startServer(), async (server) => {
      await runTrigger(requestFor(triggerFrom(`    type: http\n    httpRequest:\n      url: ${server.url}/a\n`)));
      // The schema only allows uppercase methods; a trigger built another way is still sent right.
      await runTrigger(requestFor({ ...triggerFrom(`    type: http\n    httpRequest:\n      url: ${server.url}/b\n`), method: 'delete' } as TriggerDef));
      assert.deepEqual(
        server.received.map((r) => `${r.method} ${r.url}`),
        ['GET /a', 'DELETE /b'],
      );
    }));

  test('${var:…}, ${env:…} and ${NAME} are rendered in the URL, headers and body', () =>
    withServer(startServer(), async (server) => {
      const trigger = triggerFrom(`    type: http
    httpRequest:
      method: POST
      url: \${var:BASE_URL}/pokemon/\${env:POKEMON_ID}
      headers:
        - key: X-\${var:HEADER_NAME}
          value: \${SHELL_TOKEN}
        - key: X-Unset
          value: "[\${NOT_IN_ENV}]"
      body: |-
        {"name":"\${var:POKEMON | json_path('$.name')}"}
`);
      const vars = { BASE_URL: server.url, POKEMON_ID: '25', HEADER_NAME: 'Team', POKEMON: '{"name":"pikachu"}' };
      response(await runTrigger(requestFor(trigger, { vars, env: { SHELL_TOKEN: 'from-env' } })));
      const got = server.received[0]!;
      assert.equal(got.url, '/pokemon/25');
      assert.deepEqual(headerValues(got, 'x-team'), ['from-env']);
      assert.deepEqual(headerValues(got, 'x-unset'), ['[]'], 'a bare ${NAME} that is not set renders empty');
      assert.equal(got.body, '{"name":"pikachu"}');
    }));

  test('a missing variable sends nothing and names the variable and the field', () =>
    withServer(startServer(), async (server) => {
      const cases: [string, string][] = [
        [httpTrigger('${var:POKEMON_URL}/pokemon'), 'missing variable POKEMON_URL in trigger.httpRequest.url'],
        [
          httpTrigger(`${server.url}/pokemon`, '      headers:\n        - key: X-Id\n          value: ${env:POKEMON_ID}\n'),
          'missing variable POKEMON_ID in trigger.httpRequest.headers[0].value',
        ],
        [httpTrigger(`${server.url}/pokemon`, '      body: \'{"id": ${var:ID}}\'\n'), 'missing variable ID in trigger.httpRequest.body'],
        [
          httpTrigger(`${server.url}/pokemon`, '      auth:\n        type: bearer\n        bearer:\n          token: ${var:TOKEN}\n'),
          'missing variable TOKEN in trigger.httpRequest.auth.bearer.token',
        ],
        [
          httpTrigger(`${server.url}/pokemon`, '      body: create-pokemon.json\n'),
          'missing variable POKEMON_NAME in trigger.httpRequest.body (file create-pokemon.json)',
        ],
      ];
      for (const [yaml, message] of cases) {
        const error = failure(await runTrigger(requestFor(triggerFrom(yaml))));
        assert.equal(error.message, message);
        assert.equal(error.sent, false);
      }
      assert.equal(server.received.length, 0);
    }));

  test('a broken template is reported with its field, nothing sent', async () => {
    const error = failure(await runTrigger(requestFor(triggerFrom(httpTrigger('http://127.0.0.1:9/${nope(}')))));
    assert.match(error.message, /^trigger\.httpRequest\.url: /);
    assert.equal(error.sent, false);
  });

  test('the body is read from a file next to the test file, then rendered', () =>
    withServer(startServer(), async (server) => {
      const trigger = triggerFrom(httpTrigger(`${server.url}/pokemon`, '      body: create-pokemon.json\n'));
      response(await runTrigger(requestFor(trigger, { vars: { POKEMON_NAME: 'snorlax' } })));
      assert.deepEqual(JSON.parse(server.received[0]!.body), { name: 'snorlax', type: 'electric' });
    }));

  test('a body that only looks like a path is sent as it is', () =>
    withServer(startServer(), async (server) => {
      response(await runTrigger(requestFor(triggerFrom(httpTrigger(`${server.url}/pokemon`, '      body: no-such-file.json\n')))));
      assert.equal(server.received[0]!.body, 'no-such-file.json');
    }));

  test('URLs, methods and headers that cannot be sent give a clear failure, nothing sent', async () => {
    const cases: [string, RegExp][] = [
      [httpTrigger('localhost:8081/pokemon'), /^trigger\.httpRequest\.url: `localhost:8081\/pokemon` is not a URL: add http:\/\//],
      [httpTrigger('ftp://127.0.0.1/x'), /is not an http or https URL/],
      [
        httpTrigger('http://127.0.0.1:9/', '      headers:\n        - key: "Bad Name"\n          value: x\n'),
        /^trigger\.httpRequest\.headers\[0\]\.key: `Bad Name` is not a valid header name/,
      ],
    ];
    for (const [yaml, message] of cases) {
      const error = failure(await runTrigger(requestFor(triggerFrom(yaml))));
      assert.match(error.message, message);
      assert.equal(error.sent, false);
    }
    const badMethod = { ...triggerFrom(httpTrigger('http://127.0.0.1:9/')), method: 'GET POST' } as TriggerDef;
    assert.match(failure(await runTrigger(requestFor(badMethod))).message, /^trigger\.httpRequest\.method: `GET POST` is not an HTTP method/);
  });
});

describe('http trigger: trace context', () => {
  test('traceparent, tracestate, b3 and uber-trace-id carry the run ids', () =>
    withServer(startServer(), async (server) => {
      const r = response(await runTrigger(requestFor(triggerFrom(httpTrigger(`${server.url}/pokemon`)))));
      assert.equal(r.traceId, CONTEXT.traceId);
      const got = server.received[0]!;
      const traceparent = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(headerValues(got, 'traceparent')[0] ?? '');
      assert.ok(traceparent, 'a sampled W3C traceparent');
      assert.deepEqual([traceparent[1], traceparent[2]], [CONTEXT.traceId, CONTEXT.spanId]);
      assert.deepEqual(headerValues(got, 'tracestate'), ['tracelens=1']);
      assert.deepEqual(headerValues(got, 'b3'), [`${CONTEXT.traceId}-${CONTEXT.spanId}-1`]);
      assert.deepEqual(headerValues(got, 'uber-trace-id'), [`${CONTEXT.traceId}:${CONTEXT.spanId}:0:1`]);
    }));

  test('the run context replaces user headers of the same names; other tracestate members are kept', () =>
    withServer(startServer(), async (server) => {
      const headers = `      headers:
        - key: TraceParent
          value: 00-11111111111111111111111111111111-2222222222222222-00
        - key: tracestate
          value: vendor=abc,tracelens=old
        - key: B3
          value: "1"
`;
      response(await runTrigger(requestFor(triggerFrom(httpTrigger(`${server.url}/pokemon`, headers)))));
      const got = server.received[0]!;
      assert.deepEqual(headerValues(got, 'traceparent'), [`00-${CONTEXT.traceId}-${CONTEXT.spanId}-01`]);
      assert.deepEqual(headerValues(got, 'tracestate'), ['tracelens=1,vendor=abc']);
      assert.deepEqual(headerValues(got, 'b3'), [`${CONTEXT.traceId}-${CONTEXT.spanId}-1`]);
    }));
});

describe('http trigger: auth', () => {
  const withAuth = (url: string, auth: string): string => httpTrigger(url, `      auth:\n${auth}`);

  test('basic', () =>
    withServer(startServer(), async (server) => {
      const auth = '        type: basic\n        basic:\n          username: ash\n          password: ${var:PASSWORD}\n';
      response(await runTrigger(requestFor(triggerFrom(withAuth(`${server.url}/x`, auth)), { vars: { PASSWORD: 'pika:chu' } })));
      assert.deepEqual(headerValues(server.received[0]!, 'authorization'), [`Basic ${Buffer.from('ash:pika:chu').toString('base64')}`]);
    }));

  test('bearer replaces an Authorization header written by hand', () =>
    withServer(startServer(), async (server) => {
      const yaml = httpTrigger(
        `${server.url}/x`,
        '      headers:\n        - key: authorization\n          value: old\n      auth:\n        type: bearer\n        bearer:\n          token: t0ken\n',
      );
      response(await runTrigger(requestFor(triggerFrom(yaml))));
      assert.deepEqual(headerValues(server.received[0]!, 'authorization'), ['Bearer t0ken']);
    }));

  test('apiKey in a header', () =>
    withServer(startServer(), async (server) => {
      const auth = '        type: apiKey\n        apiKey:\n          key: X-Api-Key\n          value: secret\n          in: header\n';
      response(await runTrigger(requestFor(triggerFrom(withAuth(`${server.url}/x`, auth)))));
      assert.deepEqual(headerValues(server.received[0]!, 'x-api-key'), ['secret']);
    }));

  test('apiKey in the query, kept out of the recorded URL', () =>
    withServer(startServer(), async (server) => {
      const auth = '        type: apiKey\n        apiKey:\n          key: api_key\n          value: s3cret&x\n          in: query\n';
      const r = response(await runTrigger(requestFor(triggerFrom(withAuth(`${server.url}/x?page=2`, auth)))));
      assert.equal(server.received[0]!.url, '/x?page=2&api_key=s3cret%26x');
      assert.equal(r.attributes.get('tracetest.request.url'), `${server.url}/x?page=2`);
    }));

  test('credentials in the URL become basic auth', () =>
    withServer(startServer(), async (server) => {
      const r = response(await runTrigger(requestFor(triggerFrom(httpTrigger(`http://ash:p%40ss@127.0.0.1:${server.port}/x`)))));
      assert.deepEqual(headerValues(server.received[0]!, 'authorization'), [`Basic ${Buffer.from('ash:p@ss').toString('base64')}`]);
      assert.equal(r.attributes.get('tracetest.request.url'), `http://ash:***@127.0.0.1:${server.port}/x`);
    }));
});

describe('http trigger: the response', () => {
  test('status, headers and body become tracetest.response.* attributes', () =>
    withServer(
      startServer(() => ({ status: 201, headers: { 'Content-Type': 'application/json', 'Set-Cookie': ['a=1', 'b=2'] }, body: '{"id":25}' })),
      async (server) => {
        const r = response(await runTrigger(requestFor(triggerFrom(httpTrigger(`${server.url}/pokemon`)))));
        assert.equal(r.status, 201);
        assert.equal(r.attributes.get('tracetest.response.status'), '201');
        assert.equal(r.attributes.get('tracetest.response.body'), '{"id":25}');
        const headers = JSON.parse(r.attributes.get('tracetest.response.headers')!) as { key: string; value: string }[];
        assert.ok(headers.some((h) => h.key === 'content-type' && h.value === 'application/json'));
        assert.deepEqual(
          headers.filter((h) => h.key === 'set-cookie').map((h) => h.value),
          ['a=1', 'b=2'],
        );
        assert.equal(r.attributes.get('tracetest.request.method'), 'POST');
        assert.ok(r.startTime > 1_600_000_000_000_000_000n && r.startTime <= r.endTime, 'unix nanoseconds around the call');
      },
    ));

  test('a 500 is a response, not a trigger failure', () =>
    withServer(
      startServer(() => ({ status: 500, body: 'boom' })),
      async (server) => {
        const r = response(await runTrigger(requestFor(triggerFrom(httpTrigger(`${server.url}/pokemon`)))));
        assert.equal(r.status, 500);
        assert.equal(r.attributes.get('tracetest.response.body'), 'boom');
      },
    ));

  test('a body above 1 MiB is cut and marked', () =>
    withServer(
      startServer(() => ({ body: 'x'.repeat(1024 * 1024 + 10) })),
      async (server) => {
        const r = response(await runTrigger(requestFor(triggerFrom(httpTrigger(`${server.url}/big`)))));
        assert.equal(r.attributes.get('tracetest.response.body')!.length, 1024 * 1024);
        assert.equal(r.attributes.get('tracelens.response.body_truncated'), 'true');
      },
    ));
});

describe('http trigger: failures', () => {
  test('connection refused', async () => {
    const server = await startServer();
    const port = server.port;
    await server.close();
    const error = failure(await runTrigger(requestFor(triggerFrom(httpTrigger(`http://127.0.0.1:${port}/pokemon`)))));
    assert.equal(error.message, `POST http://127.0.0.1:${port}/pokemon: connection refused (ECONNREFUSED)`);
    assert.equal(error.sent, false);
  });

  test('no response within the timeout', () =>
    withServer(
      startServer(() => ({ hang: true })),
      async (server) => {
        const error = failure(await runTrigger(requestFor(triggerFrom(httpTrigger(`${server.url}/slow`)), { timeoutMs: 200 })));
        assert.equal(error.message, `POST ${server.url}/slow: no response within 200ms`);
        assert.equal(error.sent, true);
        assert.equal(server.received.length, 1);
      },
    ));

  test('cancellation through the AbortSignal', () => {
    const controller = new AbortController();
    return withServer(
      startServer(() => {
        controller.abort();
        return { hang: true };
      }),
      async (server) => {
        const error = failure(await runTrigger(requestFor(triggerFrom(httpTrigger(`${server.url}/slow`)), { signal: controller.signal })));
        assert.equal(error.message, `POST ${server.url}/slow: cancelled`);
      },
    );
  });

  test('an already cancelled run sends nothing', () =>
    withServer(startServer(), async (server) => {
      const error = failure(await runTrigger(requestFor(triggerFrom(httpTrigger(`${server.url}/x`)), { signal: AbortSignal.abort() })));
      assert.match(error.message, /cancelled$/);
      assert.equal(error.sent, false);
      assert.equal(server.received.length, 0);
    }));
});

describe('http trigger: https with a self-signed certificate', () => {
  test('sslVerification false (the default) accepts it', () =>
    withServer(startServer(undefined, true), async (server) => {
      const r = response(await runTrigger(requestFor(triggerFrom(httpTrigger(`${server.url}/secure`)))));
      assert.equal(r.status, 200);
      assert.equal(server.received[0]!.url, '/secure');
    }));

  test('sslVerification true rejects it with a clear message', () =>
    withServer(startServer(undefined, true), async (server) => {
      const error = failure(await runTrigger(requestFor(triggerFrom(httpTrigger(`${server.url}/secure`, '      sslVerification: true\n')))));
      assert.match(error.message, new RegExp(`^POST ${server.url}/secure: the server's TLS certificate was rejected: .*\\(DEPTH_ZERO_SELF_SIGNED_CERT\\)`));
      assert.equal(error.sent, false);
      assert.equal(server.received.length, 0);
    }));
});
