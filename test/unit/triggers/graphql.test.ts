import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runTrigger } from '../../../src/run/triggers/run-trigger';
import { CONTEXT, FIXTURES, failure, headerValues, requestFor, response, startServer, triggerFrom } from './support';

const graphql = (url: string, body: string, extra = ''): string => `    type: graphql
    graphql:
      url: ${url}
${extra}      body:
${body}`;

describe('graphql trigger', () => {
  test('POSTs {query, variables, operationName} as JSON with the trace context and auth', async () => {
    const server = await startServer(() => ({ headers: { 'content-type': 'application/json' }, body: '{"data":{"pokemon":[]}}' }));
    try {
      const trigger = triggerFrom(
        graphql(
          `${server.url}/graphql`,
          `        query: "query Find($id: Int!) { pokemon(id: $id) { name } }"
        variables:
          id: 25
          owner: \${var:OWNER}
        operationName: Find
`,
          '      auth:\n        type: bearer\n        bearer:\n          token: abc\n',
        ),
      );
      const r = response(await runTrigger(requestFor(trigger, { vars: { OWNER: 'ash' } })));
      const got = server.received[0]!;
      assert.equal(got.method, 'POST');
      assert.equal(got.url, '/graphql');
      assert.deepEqual(headerValues(got, 'content-type'), ['application/json']);
      assert.deepEqual(headerValues(got, 'authorization'), ['Bearer abc']);
      assert.deepEqual(headerValues(got, 'traceparent'), [`00-${CONTEXT.traceId}-${CONTEXT.spanId}-01`]);
      assert.deepEqual(JSON.parse(got.body), {
        query: 'query Find($id: Int!) { pokemon(id: $id) { name } }',
        variables: { id: 25, owner: 'ash' },
        operationName: 'Find',
      });
      assert.equal(r.status, 200);
      assert.equal(r.attributes.get('tracetest.response.body'), '{"data":{"pokemon":[]}}');
    } finally {
      await server.close();
    }
  });

  test('the query is read from a file and rendered; variables may be JSON text', async () => {
    const server = await startServer();
    try {
      const trigger = triggerFrom(graphql(`${server.url}/graphql`, `        query: list-pokemon.graphql\n        variables: '{"take": 5}'\n`));
      response(await runTrigger(requestFor(trigger, { vars: { OWNER: 'misty' } })));
      const sent = JSON.parse(server.received[0]!.body) as Record<string, unknown>;
      const expected = readFileSync(join(FIXTURES, 'list-pokemon.graphql'), 'utf8').replace('${var:OWNER}', 'misty');
      assert.deepEqual(sent, { query: expected, variables: { take: 5 } });
    } finally {
      await server.close();
    }
  });

  test('bad variables, a missing query or a missing variable fail before sending, naming the field', async () => {
    const server = await startServer();
    try {
      const cases: [string, RegExp][] = [
        [`        query: "{ a }"\n        variables: '{"take": }'\n`, /^trigger\.graphql\.body\.variables: not valid JSON \(/],
        [`        query: "{ a }"\n        variables: '[1, 2]'\n`, /^trigger\.graphql\.body\.variables: must be a JSON object/],
        [`        operationName: Find\n`, /^trigger\.graphql\.body\.query: a GraphQL request needs a query$/],
        [`        query: list-pokemon.graphql\n`, /^missing variable OWNER in trigger\.graphql\.body\.query \(file list-pokemon\.graphql\)$/],
      ];
      for (const [body, message] of cases) {
        const error = failure(await runTrigger(requestFor(triggerFrom(graphql(`${server.url}/graphql`, body)))));
        assert.match(error.message, message);
        assert.equal(error.sent, false);
      }
      assert.equal(server.received.length, 0);
    } finally {
      await server.close();
    }
  });

  test('a user Content-Type is kept', async () => {
    const server = await startServer();
    try {
      const headers = '      headers:\n        - key: content-type\n          value: application/graphql+json\n';
      response(await runTrigger(requestFor(triggerFrom(graphql(`${server.url}/graphql`, `        query: "{ a }"\n`, headers)))));
      assert.deepEqual(headerValues(server.received[0]!, 'content-type'), ['application/graphql+json']);
    } finally {
      await server.close();
    }
  });
});
