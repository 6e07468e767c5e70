import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { parseCurl, splitWords } from '../../../src/core/generate/curl';
import { testFromCurl } from '../../../src/core/generate/curl-test';

const request = (command: string) => {
  const parsed = parseCurl(command);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message);
  return parsed.value;
};
const error = (command: string) => {
  const parsed = parseCurl(command);
  assert.ok(!parsed.ok, 'expected an error');
  return parsed.error;
};

describe('splitting a command as bash does', () => {
  const words = (command: string) => {
    const split = splitWords(command);
    assert.ok(split.ok);
    return split.value.map((w) => w.text);
  };

  test('quotes, escapes and backslash-newlines', () => {
    assert.deepEqual(words(`curl 'a b' "c \\"d\\" \\$e \\x" f\\ g`), ['curl', 'a b', 'c "d" $e \\x', 'f g']);
    assert.deepEqual(words('curl \\\n  -X POST \\\r\n  http://h'), ['curl', '-X', 'POST', 'http://h']);
    assert.deepEqual(words(`curl 'it'"'"'s' x'y'"z"`), ['curl', "it's", 'xyz']);
    // A multi-line command pasted into a one-line box keeps a backslash where each line broke.
    assert.deepEqual(words(`curl 'http://h' \\  -H 'A: b' \\ -d x`), ['curl', 'http://h', '-H', 'A: b', '-d', 'x']);
  });

  test("$'…' quotes (browsers' Copy as cURL) decode their escapes", () => {
    assert.deepEqual(words(String.raw`curl $'{"a":"it\'s\n\u00e9\x41"}'`), ['curl', `{"a":"it's\n\u00e9A"}`]);
  });

  test('an unclosed quote is an error at its column', () => {
    const split = splitWords(`curl -d 'abc`);
    assert.ok(!split.ok);
    assert.equal(split.error.column, 9);
    assert.match(split.error.message, /single quote is never closed/);
    const double = splitWords(`curl\n  -H "x`);
    assert.ok(!double.ok);
    assert.deepEqual([double.error.line, double.error.column], [2, 6]);
  });

  test('pipes and second commands are refused where they are', () => {
    const split = splitWords('curl http://h | jq .');
    assert.ok(!split.ok);
    assert.equal(split.error.column, 15);
    assert.match(split.error.message, /shell syntax/);
    // Quoted, they are text.
    assert.deepEqual(words(`curl 'a|b;c'`), ['curl', 'a|b;c']);
  });
});

describe('parseCurl', () => {
  test('a plain GET', () => {
    assert.deepEqual(request('curl https://api.example.com/items?page=2'), {
      method: 'GET',
      url: 'https://api.example.com/items?page=2',
      headers: [],
      insecure: false,
    });
  });

  test('method, headers and a JSON body, in any order, with --url', () => {
    const r = request(`curl -X put -H 'Content-Type: application/json' --url http://localhost:8080/items/1 --header "Accept: */*" --data-raw '{"a":1}'`);
    assert.equal(r.method, 'PUT');
    assert.equal(r.url, 'http://localhost:8080/items/1');
    assert.deepEqual(r.headers, [
      { key: 'Content-Type', value: 'application/json' },
      { key: 'Accept', value: '*/*' },
    ]);
    assert.equal(r.body, '{"a":1}');
  });

  test('-d makes a POST with a form body; several -d join with &', () => {
    const r = request('curl localhost:3000/login -d user=ann -d "pass=x y"');
    assert.equal(r.method, 'POST');
    assert.equal(r.url, 'http://localhost:3000/login');
    assert.equal(r.body, 'user=ann&pass=x y');
    assert.deepEqual(r.headers, [{ key: 'Content-Type', value: 'application/x-www-form-urlencoded' }]);
  });

  test('--json sets the JSON headers unless given; --data-binary keeps newlines, -d drops them', () => {
    const json = request(`curl --json '{"q":1}' http://h/search`);
    assert.equal(json.method, 'POST');
    assert.deepEqual(
      json.headers.map((h) => h.key),
      ['Content-Type', 'Accept'],
    );
    assert.equal(request(`curl --data-binary $'a\\nb' http://h`).body, 'a\nb');
    assert.equal(request(`curl -d $'a\\nb' http://h`).body, 'ab');
  });

  test('attached short options and grouped flags', () => {
    const r = request(`curl -sSL -XDELETE -H'X-Trace: 1' -k http://h/x`);
    assert.equal(r.method, 'DELETE');
    assert.deepEqual(r.headers, [{ key: 'X-Trace', value: '1' }]);
    assert.equal(r.insecure, true);
  });

  test('-u, -A, -e, -b, -G, -I', () => {
    const r = request(`curl -u ann:secret -A agent/1 -e http://ref -b 'sid=1' http://h`);
    assert.equal(r.user, 'ann:secret');
    assert.deepEqual(r.headers, [
      { key: 'User-Agent', value: 'agent/1' },
      { key: 'Referer', value: 'http://ref' },
      { key: 'Cookie', value: 'sid=1' },
    ]);
    const get = request('curl -G -d q=tea -d n=2 http://h/search?x=1');
    assert.deepEqual([get.method, get.url, get.body], ['GET', 'http://h/search?x=1&q=tea&n=2', undefined]);
    assert.equal(request('curl -I http://h').method, 'HEAD');
  });

  test('--data-urlencode encodes the content', () => {
    assert.equal(request(`curl --data-urlencode 'q=a b&c' http://h`).body, 'q=a%20b%26c');
  });

  test('bad input says what and where', () => {
    assert.match(error('wget http://h').message, /expected a curl command: it starts with "wget"/);
    const unknown = error('curl --frobnicate http://h');
    assert.equal(unknown.message, 'unknown curl option --frobnicate');
    assert.equal(unknown.column, 6);
    assert.match(error('curl http://h -d @body.json').message, /reads the body from a file/);
    assert.equal(error('curl http://h -d @body.json').column, 18);
    assert.match(error('curl -F file=@a http://h').message, /multipart forms/);
    assert.match(error('curl -H NoColon http://h').message, /a header is "Name: value"/);
    assert.match(error('curl http://a http://b').message, /a second URL "http:\/\/b"/);
    assert.equal(error('curl -X').message, '-X needs a value after it');
    assert.equal(error('curl -s').message, 'the curl command has no URL');
    assert.equal(error('').message, 'expected a curl command, got nothing');
  });
});

describe('testFromCurl', () => {
  interface Doc {
    type: string;
    spec: {
      id: string;
      name: string;
      trigger: {
        type: string;
        httpRequest: { method: string; url: string; headers?: { key: string; value: string }[]; body?: string; sslVerification?: boolean };
      };
      specs: { selector: string; assertions: string[] }[];
    };
  }

  test('an HTTP trigger with credentials as variables, never their values', () => {
    const made = testFromCurl(
      `curl -u ann:s3cret -H 'Authorization: Bearer abc.def' -H 'X-Api-Key: k-123' -H 'Accept: application/json' --json '{"user":"ann","password":"hunter2"}' 'https://shop.test/api/orders?api_key=zzz'`,
    );
    assert.ok(made.ok);
    const { text, variables } = made.value;
    for (const secret of ['s3cret', 'abc.def', 'k-123', 'hunter2', 'zzz']) assert.ok(!text.includes(secret), `${secret} left in the file`);
    const doc = parse(text) as Doc;
    assert.equal(doc.type, 'Test');
    assert.equal(doc.spec.name, 'POST /api/orders');
    const http = doc.spec.trigger.httpRequest;
    assert.equal(http.url, 'https://shop.test/api/orders?api_key=${var:API_KEY}');
    assert.deepEqual(http.headers, [
      { key: 'Authorization', value: '${var:AUTHORIZATION}' },
      { key: 'X-Api-Key', value: '${var:X_API_KEY}' },
      { key: 'Accept', value: 'application/json' },
      { key: 'Content-Type', value: 'application/json' },
    ]);
    assert.deepEqual(JSON.parse(http.body!), { user: 'ann', password: '${var:PASSWORD}' });
    assert.equal(http.sslVerification, true);
    assert.deepEqual(variables.sort(), ['API_KEY', 'AUTHORIZATION', 'PASSWORD', 'X_API_KEY']);
    assert.match(text, /--secret AUTHORIZATION=/);
  });

  test('-u alone becomes the Authorization variable; -k leaves certificates unchecked', () => {
    const made = testFromCurl('curl -k -u ann:pw https://h/x');
    assert.ok(made.ok);
    const doc = parse(made.value.text) as Doc;
    assert.deepEqual(doc.spec.trigger.httpRequest.headers, [{ key: 'Authorization', value: '${var:AUTHORIZATION}' }]);
    assert.equal(doc.spec.trigger.httpRequest.sslVerification, undefined);
    assert.match(made.value.text, /The -u credentials were left out/);
  });

  test('a parse error comes back as it is', () => {
    const made = testFromCurl(`curl 'http://h`);
    assert.ok(!made.ok);
    assert.equal(made.error.column, 6);
  });
});
