// The redactor: a secret and the forms it takes on the way out (URLs, forms, basic auth, JSON, HTML) are masked;
// everything else is left as it is.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createRedactor, MASK } from '../../../src/core/redact/redactor';

/** Characters that every encoding treats differently: space, @, /, +, a quote, and a non-ASCII letter. */
const SECRET = 's3cr3t p@ss/+"wörd';
const redactor = createRedactor([SECRET]);
const mask = (text: string) => redactor.text(text);

describe('redactor', () => {
  test('masks every occurrence of the value and returns text without one unchanged', () => {
    assert.equal(mask(`a ${SECRET} b ${SECRET}`), `a ${MASK} b ${MASK}`);
    const clean = 'nothing secret here';
    assert.equal(mask(clean), clean);
    assert.equal(redactor.empty, false);
  });

  test('masks the value as URL parsing, encodeURIComponent and form encoding write it', () => {
    const url = new URL(`http://127.0.0.1/path/${SECRET}?token=${SECRET}`);
    assert.ok(!url.href.includes(SECRET), 'the URL is encoded: the raw value alone would not be found');
    assert.equal(mask(url.href), `http://127.0.0.1/path/${MASK}?token=${MASK}`);
    const form = new URL('http://127.0.0.1/');
    form.searchParams.set('api_key', SECRET);
    assert.equal(mask(form.href), `http://127.0.0.1/?api_key=${MASK}`);
    assert.equal(mask(`x=${encodeURIComponent(SECRET)}&y=1`), `x=${MASK}&y=1`);
    const user = new URL('http://127.0.0.1/');
    user.username = SECRET;
    assert.equal(mask(user.href), `http://${MASK}@127.0.0.1/`);
  });

  test('masks a basic-auth credential whatever the user name before the secret, and the base64 of the value alone', () => {
    for (const username of ['', 'u', 'us', 'use', 'someone@example.test']) {
      const header = `Basic ${Buffer.from(`${username}:${SECRET}`).toString('base64')}`;
      assert.equal(mask(header), `Basic ${MASK}`, username);
      assert.equal(mask(`["${header}"]`), `["Basic ${MASK}"]`, 'quotes around it are kept');
    }
    assert.equal(mask(`Basic ${Buffer.from(`${SECRET}:x`).toString('base64')}`), `Basic ${MASK}`, 'the secret as the user name');
    assert.equal(mask(`token=${Buffer.from(SECRET).toString('base64url')}&next=1`), `token=${MASK}&next=1`);
  });

  test('masks the value escaped inside JSON (also as ASCII-only serializers write it) and HTML', () => {
    assert.equal(mask(JSON.stringify({ token: SECRET })), `{"token":"${MASK}"}`);
    const pythonStyle = JSON.stringify({ token: SECRET }).replace(/ö/g, '\\u00f6');
    assert.equal(mask(pythonStyle), `{"token":"${MASK}"}`);
    assert.equal(mask(JSON.stringify({ token: SECRET }).replace(/\//g, '\\/')), `{"token":"${MASK}"}`);
    assert.equal(mask(`<input value="${SECRET.replace(/"/g, '&quot;')}">`), `<input value="${MASK}">`);
    assert.equal(
      mask(JSON.stringify({ echoed: JSON.stringify({ token: SECRET }) })),
      `{"echoed":"{\\"token\\":\\"${MASK}\\"}"}`,
      'a JSON body echoed inside JSON',
    );
  });

  test('the longest secret wins where two overlap, and every secret of several is masked', () => {
    const two = createRedactor(['abcd1234', 'abcd1234xyz', 'other-secret']);
    assert.equal(two.text('abcd1234xyz! abcd1234 other-secret'), `${MASK}! ${MASK} ${MASK}`);
  });

  test('values shorter than four characters, and no values at all, mask nothing', () => {
    const short = createRedactor(['abc', '']);
    assert.equal(short.empty, true);
    assert.equal(short.text('abc'), 'abc');
    assert.equal(createRedactor([]).empty, true);
  });

  test('two redactors of the same values are the same; of other values not', () => {
    assert.ok(createRedactor([SECRET, 'another']).sameAs(createRedactor(['another', SECRET])));
    assert.ok(!createRedactor([SECRET]).sameAs(createRedactor(['another'])));
    assert.ok(createRedactor([]).sameAs(createRedactor(['ab'])));
  });

  test('a base64 body that does not contain the secret is left whole', () => {
    const body = Buffer.from('x'.repeat(300) + 'nothing to hide here').toString('base64');
    assert.equal(mask(body), body);
  });
});
