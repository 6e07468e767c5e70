// language.md §3: functions, with injected random and clock so their shape and format are checked exactly.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { context, errors, holds, parseErrorOf, seededRandom, shown } from './support';

const NOW = new Date(Date.UTC(2024, 1, 29, 7, 5, 9, 42));
const fixed = (seed = 1) => context({ random: seededRandom(seed), now: () => NOW });

function luhnValid(number: string): boolean {
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let d = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

describe('functions', () => {
  test('uuid() is a version 4 UUID, reproducible with an injected random source', () => {
    const a = shown('uuid()', fixed(7));
    assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(shown('uuid()', fixed(7)), a);
    assert.notEqual(shown('uuid()', fixed(8)), a);
  });

  test('uuid() without an injected source uses crypto.randomUUID', () => {
    assert.match(shown('uuid()'), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    holds('uuid() != uuid()');
  });

  test('firstName(), lastName() and fullName() are capitalised words', () => {
    assert.match(shown('firstName()', fixed()), /^[A-Z][a-z]+$/);
    assert.match(shown('lastName()', fixed()), /^[A-Z][a-z]+$/);
    assert.match(shown('fullName()', fixed()), /^[A-Z][a-z]+ [A-Z][a-z]+$/);
    holds('firstName() | length > 0');
  });

  test('the random source picks the words', () => {
    const names = new Set(Array.from({ length: 20 }, (_, i) => shown('firstName()', fixed(i))));
    assert.ok(names.size > 5, `expected variety, got ${[...names].join(', ')}`);
  });

  test('email() is an address at an example domain', () => {
    assert.match(shown('email()', fixed()), /^[a-z]+\.[a-z]+@(example\.(com|org|net)|test\.example)$/);
  });

  test('phone() is 10 digits not starting with 0 or 1', () => {
    assert.match(shown('phone()', fixed()), /^[2-9]\d{9}$/);
  });

  test('creditCard() is 16 digits and passes the Luhn check', () => {
    for (let seed = 0; seed < 50; seed++) {
      const card = shown('creditCard()', fixed(seed));
      assert.match(card, /^4\d{15}$/);
      assert.ok(luhnValid(card), `${card} fails the Luhn check`);
    }
  });

  test('creditCardCvv() is 3 digits', () => {
    assert.match(shown('creditCardCvv()', fixed()), /^\d{3}$/);
  });

  test('creditCardExpDate() is MM/YY in the next five years', () => {
    for (let seed = 0; seed < 20; seed++) {
      const m = /^(\d{2})\/(\d{2})$/.exec(shown('creditCardExpDate()', fixed(seed)));
      assert.ok(m);
      assert.ok(Number(m[1]) >= 1 && Number(m[1]) <= 12);
      assert.ok(Number(m[2]) >= 25 && Number(m[2]) <= 29);
    }
  });

  test('randomInt(min, max) stays within both bounds, inclusive', () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 200; seed++) seen.add(shown('randomInt(3, 5)', fixed(seed)));
    assert.deepEqual([...seen].sort(), ['3', '4', '5']);
    holds('randomInt(0, 10) <= 10');
    holds('randomInt(10, 20) >= 10');
  });

  test('randomInt needs whole numbers and min <= max', () => {
    assert.match(errors("randomInt(1, 'x') = 1").message, /whole numbers, got `x`/);
    assert.equal(errors("randomInt(1, 'x') = 1").column, 14);
    assert.match(errors('randomInt(5, 1) = 1').message, /min <= max/);
  });

  test('date() defaults to YYYY-MM-DD, in UTC', () => {
    assert.equal(shown('date()', fixed()), '2024-02-29');
  });

  test('date(format) formats with YYYY YY MM DD HH mm ss SSS', () => {
    assert.equal(shown("date('DD/MM/YY')", fixed()), '29/02/24');
    assert.equal(shown("date('YYYY-MM-DD HH:mm:ss.SSS')", fixed()), '2024-02-29 07:05:09.042');
  });

  test('dateTime() defaults to RFC 3339', () => {
    assert.equal(shown('dateTime()', fixed()), '2024-02-29T07:05:09Z');
  });

  test('dateTime(format) takes a format too', () => {
    assert.equal(shown("dateTime('HH:mm')", fixed()), '07:05');
  });

  test('an unknown function is an error naming it, at its name', () => {
    const e = parseErrorOf('attr:x = randomString()');
    assert.equal(e.kind, 'unknown-function');
    assert.match(e.message, /unknown function `randomString`/);
    assert.equal(e.column, 10);
    assert.equal(e.length, 12);
  });

  test('a wrong number of arguments is a parse error', () => {
    assert.match(parseErrorOf('randomInt(1) = 1').message, /randomInt\(min, max\) takes 2 arguments, got 1/);
    assert.match(parseErrorOf('uuid(1) = 1').message, /takes 0 arguments, got 1/);
  });
});
