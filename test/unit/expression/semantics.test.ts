// language.md §3: typing, comparators, durations and arithmetic, one statement per test.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseAssertion } from '../../../src/core/expression/index';
import { context, errors, fails, holds, outcome, shown, spanWith } from './support';

const vars = (entries: Record<string, string>) => context({ variables: new Map(Object.entries(entries)) });

describe('typing from text', () => {
  test('number is ^\\d+(\\.\\d+)?$', () => {
    assert.equal(shown('"42" | type'), 'number');
    assert.equal(shown('"4.25" | type'), 'number');
    assert.equal(shown('"4." | type'), 'string');
    assert.equal(shown('"-4" | type'), 'string');
  });

  test('a number with a unit is a duration', () => {
    assert.equal(shown('"25ms" | type'), 'duration');
    assert.equal(shown('1.5s | type'), 'duration');
    assert.equal(shown('"3h" | type'), 'duration');
  });

  test('a JSON object, or array of objects, is JSON', () => {
    assert.equal(shown('\'{"a": 1}\' | type'), 'json');
    assert.equal(shown('\'[{"a": 1}, {"a": 2}]\' | type'), 'json');
  });

  test('other JSON arrays and array literals are arrays', () => {
    assert.equal(shown('\'[1, "x"]\' | type'), 'array');
    assert.equal(shown('[1, 2] | type'), 'array');
  });

  test('anything else is a string', () => {
    assert.equal(shown('"pikachu" | type'), 'string');
    assert.equal(shown("'{not json' | type"), 'string');
  });

  test('attribute values are typed from their text', () => {
    const ctx = context({ span: spanWith({ code: 200, took: '25ms', body: '{"id": 1}', tags: '["a","b"]', name2: 'x' }) });
    assert.equal(shown('attr:code | type', ctx), 'number');
    assert.equal(shown('attr:took | type', ctx), 'duration');
    assert.equal(shown('attr:body | type', ctx), 'json');
    assert.equal(shown('attr:tags | type', ctx), 'array');
    assert.equal(shown('attr:name2 | type', ctx), 'string');
  });

  test('variable values are typed from their text', () => {
    const ctx = vars({ N: '7', D: '2s', J: '{"a":1}' });
    assert.equal(shown('var:N | type', ctx), 'number');
    assert.equal(shown('var:D | type', ctx), 'duration');
    assert.equal(shown('env:J | type', ctx), 'json');
  });
});

describe('= and !=', () => {
  test('numbers compare numerically', () => {
    holds('1.50 = 1.5');
    holds('007 = 7');
    fails('1 = 2');
    holds('1 != 2');
  });

  test('"200" = 200 holds: text is compared after removing the quotes', () => {
    holds('"200" = 200');
    holds('\'pikachu\' = "pikachu"');
    fails('"Pikachu" = "pikachu"');
  });

  test('arrays compare item by item', () => {
    holds('[1, 2, 3] = [1, 2, 3]');
    fails('[1, 2, 3] = [3, 2, 1]');
    fails('[1, 2, 3] = [1, 2]');
    holds('[] = []');
  });

  test('a JSON array text equals the array it spells', () => {
    holds('[1, "a"] = \'[1, "a"]\'');
  });

  test('a large integer such as a nanosecond timestamp compares exactly', () => {
    holds('1700000000000000001 != 1700000000000000000');
    holds('1700000000000000001 > 1700000000000000000');
  });
});

describe('< <= > >=', () => {
  test('integers and decimals', () => {
    holds('999 < 1000');
    holds('13 > 12');
    holds('1.5 > 1');
    holds('2.25 <= 2.25');
    fails('2.5 >= 3');
  });

  test('durations', () => {
    holds('100ms < 1s');
    holds('2m > 90s');
  });

  test('comparing a non-number is an error naming the value', () => {
    const e = errors('"abc" < 1');
    assert.equal(e.kind, 'type');
    assert.match(e.message, /`abc` is not a number/);
    assert.equal(e.column, 1);
    const right = errors('1 >= "pikachu"');
    assert.match(right.message, /`pikachu`/);
    assert.equal(right.column, 6);
  });

  test('negative and exponent forms of attribute values still compare as numbers', () => {
    holds('attr:t < 0', context({ span: spanWith({ t: -5 }) }));
    holds('attr:small < 0.001', context({ span: spanWith({ small: 1e-7 }) }));
  });
});

describe('contains and not-contains', () => {
  test('substring for text', () => {
    holds('"Hello World" contains "World"');
    fails('"Hello World" contains "world"');
    holds('"Hello World" not-contains "world"');
  });

  test('membership for an array: [31,35,39] contains 35', () => {
    holds('[31,35,39] contains 35');
    fails('[31,35,39] contains 42');
    holds('[31,35,39] not-contains 42');
  });

  test('membership for an array attribute', () => {
    const ctx = context({ span: spanWith({ tags: '["blue","green"]' }) });
    holds('attr:tags contains "green"', ctx);
    fails('attr:tags contains "gre"', ctx);
  });

  test('JSON on the right is a partial match: every right key present with a matching value', () => {
    const body = '\'{"id": 25, "name": "pikachu", "type": {"main": "electric", "weak": "ground"}}\'';
    holds(`${body} contains '{"name": "pikachu"}'`);
    holds(`${body} contains '{"id": "25"}'`);
    fails(`${body} contains '{"name": "raichu"}'`);
    fails(`${body} contains '{"missing": 1}'`);
  });

  test('partial match is recursive', () => {
    const body = '\'{"type": {"main": "electric", "weak": "ground"}}\'';
    holds(`${body} contains '{"type": {"main": "electric"}}'`);
    fails(`${body} contains '{"type": {"main": "water"}}'`);
  });

  test('a right array of objects must each match some left element', () => {
    const list = '\'[{"id": 1, "name": "a"}, {"id": 2, "name": "b"}, {"id": 3, "name": "c"}]\'';
    holds(`${list} contains '[{"id": 3}, {"name": "a"}]'`);
    fails(`${list} contains '[{"id": 3}, {"id": 4}]'`);
    holds(`'{"items": [{"id": 1}, {"id": 2}]}' contains '{"items": [{"id": 2}]}'`);
  });

  test('a right object matches an element of a left array of objects', () => {
    holds(`'[{"key": "Content-Type", "value": "json"}]' contains '{"key": "Content-Type"}'`);
  });

  test('arrays of scalars inside JSON must be equal', () => {
    holds(`'{"tags": ["a", "b"]}' contains '{"tags": ["a", "b"]}'`);
    fails(`'{"tags": ["a", "b"]}' contains '{"tags": ["a"]}'`);
    fails(`'{"tags": ["a", "b"]}' contains '{"tags": ["b", "a"]}'`);
  });

  test('not-contains negates the partial match', () => {
    holds(`'{"a": 1}' not-contains '{"a": 2}'`);
    fails(`'{"a": 1, "b": 2}' not-contains '{"a": 1}'`);
  });
});

describe('durations', () => {
  test('25187564ns <= 25ms holds: both sides rounded to their display unit', () => {
    const o = holds('25187564ns <= 25ms');
    assert.equal(o.observed, '25ms');
    assert.equal(o.expected, '25ms');
  });

  test('35000000ns <= 25ms does not hold', () => {
    const o = fails('35000000ns <= 25ms');
    assert.equal(o.observed, '35ms');
  });

  test('attr:tracetest.span.duration is a duration shown in its display unit', () => {
    const ctx = context({ span: spanWith({}, { durationNs: 25_187_564n }) });
    assert.equal(shown('attr:tracetest.span.duration | type', ctx), 'duration');
    const o = holds('attr:tracetest.span.duration <= 25ms', ctx);
    assert.equal(o.observed, '25ms');
    holds('attr:tracetest.span.duration = 25ms', ctx);
    fails('attr:tracetest.span.duration < 25ms', ctx);
  });

  test('ns, us and ms display as whole units', () => {
    assert.equal(shown('38ns'), '38ns');
    assert.equal(shown('93000ns'), '93us');
    assert.equal(shown('93400ns'), '93us');
    assert.equal(shown('27356000ns'), '27ms');
  });

  test('s, m and h display with one decimal when not whole', () => {
    assert.equal(shown('1000000000ns'), '1s');
    assert.equal(shown('1200000000ns'), '1.2s');
    assert.equal(shown('1620000000000ns'), '27m');
    assert.equal(shown('1650000000000ns'), '27.5m');
    assert.equal(shown('9000000000000ns'), '2.5h');
    assert.equal(shown('38880000000000000ns'), '10800h');
  });

  test('exact halves round to even, as Go formats them', () => {
    assert.equal(shown('25500000ns'), '26ms');
    assert.equal(shown('24500000ns'), '24ms');
    assert.equal(shown('1250000000ns'), '1.2s');
    assert.equal(shown('1750000000ns'), '1.8s');
  });

  test('rounding applies before comparing: 1.24s = 1.2s, 1.26s != 1.2s', () => {
    holds('1240ms = 1.2s');
    fails('1260ms = 1.2s');
  });

  test('decimal amounts convert exactly, truncating below a nanosecond', () => {
    holds('1.5ms = 1500us');
    holds('120.5ns = 120ns');
  });

  test('a space may separate the number from its unit', () => {
    holds('25 ms = 25ms');
  });

  test('a number next to a duration counts as nanoseconds', () => {
    holds('attr:tracetest.span.duration < 30000000', context({ span: spanWith({}, { durationNs: 25_000_000n }) }));
  });

  test('contains treats a duration as its displayed text', () => {
    holds('"25ms" contains 5');
    holds('2s contains "s"');
  });

  test('an ordering error next to a duration names the other side', () => {
    const e = errors('1ms < "soon"');
    assert.match(e.message, /`soon` is not a number/);
    assert.equal(e.column, 7);
  });

  test('an absurdly large number next to a duration still compares', () => {
    holds('"1e400" > 1h');
    fails('"1e400" < 1h');
  });

  test('a duration variable compares as a duration', () => {
    holds('var:LIMIT > 25ms', vars({ LIMIT: '1s' }));
  });
});

describe('arithmetic', () => {
  test('2 + 3 * 4 = 14: the usual precedence', () => {
    holds('2 + 3 * 4 = 14');
    holds('2 * 3 + 4 = 10');
    holds('10 - 4 - 3 = 3');
    holds('24 / 4 / 2 = 3');
  });

  test('parentheses group', () => {
    holds('(2 + 3) * 4 = 20');
  });

  test('decimals are exact', () => {
    holds('0.1 + 0.2 = 0.3');
    holds('10 / 4 = 2.5');
    assert.equal(shown('1 / 3'), '0.33333333333333333333');
  });

  test('durations add up', () => {
    holds('100ms + 200ms = 300ms');
    holds('attr:tracetest.span.duration + 5ms = 30ms', context({ span: spanWith({}, { durationNs: 25_000_000n }) }));
  });

  test('variables and attributes take part', () => {
    holds('var:my_variable = var:other_variable + 1', vars({ my_variable: '42', other_variable: '41' }));
  });

  test('a number and a duration is a type error', () => {
    const e = errors('1ms + 1 = 2');
    assert.equal(e.kind, 'type');
    assert.equal(e.column, 5);
  });

  test('a string operand is a type error naming it', () => {
    const e = errors('2 * "two" = 4');
    assert.equal(e.kind, 'type');
    assert.match(e.message, /`two`/);
    assert.equal(e.column, 5);
  });

  test('division by zero is an error', () => {
    const e = errors('1 / 0 = 1');
    assert.match(e.message, /division by zero/);
    assert.equal(e.column, 5);
  });
});

describe('outcomes', () => {
  test('a failure says what was observed and expected', () => {
    const o = fails('attr:http.status_code = 201', context({ span: spanWith({ 'http.status_code': 200 }) }));
    assert.equal(o.observed, '200');
    assert.equal(o.expected, '201');
    assert.equal(o.message, '`200` is not equal to `201`');
  });

  test('an error keeps the observed left value', () => {
    const o = outcome('attr:code < "abc"', context({ span: spanWith({ code: 200 }) }));
    assert.equal(o.status, 'errored');
    assert.equal(o.observed, '200');
  });

  test('attr:tracetest.selected_spans.count is the number of selected spans', () => {
    holds('attr:tracetest.selected_spans.count = 3', context({ selectedCount: 3 }));
    holds('attr:tracetest.selected_spans.count >= 1', context({ selectedCount: 3 }));
  });

  test('attr:name and attr:kind read the span properties', () => {
    const ctx = context({ span: spanWith({}, { kind: 'server' }, 'import pokemon') });
    holds('attr:name = "import pokemon"', ctx);
    holds('attr:kind = "server"', ctx);
  });
});

describe('negative number literals', () => {
  for (const assertion of ['-1 < 0', '2 - -1 = 3', '3 * -2 = -6', '-1.5 < -1'])
    test(`${assertion} holds`, () => {
      holds(assertion);
    });

  test('compare with negative attribute values', () => {
    holds('var:T > -5', context({ variables: new Map([['T', '-3']]) }));
    fails('var:T < -5', context({ variables: new Map([['T', '-3']]) }));
  });

  test('a minus before anything but a number is still an error at its column', () => {
    const parsed = parseAssertion('attr:x = -attr:y');
    assert.equal(parsed.ok, false);
    assert.equal(parsed.ok ? 0 : parsed.error.column, 10);
  });
});
