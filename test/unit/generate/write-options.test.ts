import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { draftTest, withBaseUrlVariable, writeTest } from '../../../src/core/generate/index';
import { decodeTraceText } from '../../../src/core/trace/decode/index';

const DEMO = join(__dirname, '..', '..', 'fixtures', 'traces', 'demo');

function draftOf(file: string) {
  const decoded = decodeTraceText(readFileSync(join(DEMO, file), 'utf8'));
  assert.ok(decoded.ok);
  return draftTest(decoded.value.spans);
}

describe('withBaseUrlVariable', () => {
  const vars = new Map([
    ['API_URL', 'http://127.0.0.1:18481'],
    ['ADMIN_URL', 'http://127.0.0.1:18481/admin/'],
    ['NAME', 'meowth'],
  ]);

  test('the longest base the URL starts with becomes the variable, the rest is kept', () => {
    assert.deepEqual(withBaseUrlVariable('http://127.0.0.1:18481/pokemon?x=1', vars), { url: '${var:API_URL}/pokemon?x=1', variable: 'API_URL' });
    assert.deepEqual(withBaseUrlVariable('http://127.0.0.1:18481/admin/users', vars), { url: '${var:ADMIN_URL}/users', variable: 'ADMIN_URL' });
    assert.deepEqual(withBaseUrlVariable('HTTP://127.0.0.1:18481', vars), { url: '${var:API_URL}', variable: 'API_URL' });
  });

  test('only at a boundary, and only for values that are URLs', () => {
    assert.deepEqual(withBaseUrlVariable('http://127.0.0.1:184810/pokemon', vars), { url: 'http://127.0.0.1:184810/pokemon' });
    assert.deepEqual(withBaseUrlVariable('http://127.0.0.1:18481/administrator', new Map([['A', 'http://127.0.0.1:18481/admin']])), {
      url: 'http://127.0.0.1:18481/administrator',
    });
    assert.deepEqual(withBaseUrlVariable('meowth://x', vars), { url: 'meowth://x' });
  });
});

describe('writeTest with what the editor knows', () => {
  test("an HTTP trigger's URL is written with the VariableSet's variable for its base", () => {
    const generated = writeTest(draftOf('add-pokemon.otlp.json'), undefined, { variables: new Map([['POKESHOP_API_URL', 'http://127.0.0.1:18481/']]) });
    const doc = parse(generated.text) as { spec: { trigger: { httpRequest: { url: string } } } };
    assert.equal(doc.spec.trigger.httpRequest.url, '${var:POKESHOP_API_URL}/pokemon');
    assert.match(generated.text, /at the base URL the VariableSet names POKESHOP_API_URL/);
    assert.deepEqual(generated.variables, [], 'the variable is the VariableSet’s: nothing more to provide');
  });

  test('without a matching variable the recorded URL stays', () => {
    const generated = writeTest(draftOf('add-pokemon.otlp.json'), undefined, { variables: new Map([['OTHER', 'http://example.test']]) });
    assert.match(generated.text, /url: http:\/\/127\.0\.0\.1:18481\/pokemon/);
    assert.match(generated.text, /replace the host with a variable/);
  });

  test('a gRPC trigger gets the picked .proto, and no comment asking for one', () => {
    const generated = writeTest(draftOf('grpc-create-pokemon.otlp.json'), undefined, { protobufFile: '../proto/pokeshop.proto' });
    const doc = parse(generated.text) as { spec: { trigger: { grpc: { protobufFile: string } } } };
    assert.equal(doc.spec.trigger.grpc.protobufFile, '../proto/pokeshop.proto');
    assert.doesNotMatch(generated.text, /does not hold the service's \.proto/);
  });
});
