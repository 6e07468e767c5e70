// Click-to-assert write-back: assertions and outputs added as minimal insertions that keep the file's style.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { addAssertion, addOutput, canonicalSelector, generatedSpecName, loadFile, type EditResult, type TestDef } from '../../../src/core/testfile/index';
import { validateFile } from '../../../src/core/testfile/validate';
import { FIXTURES, yamlFilesUnder } from './helpers';

const ROOT = join(__dirname, '..', '..', '..');

type Ok = Extract<EditResult, { ok: true }>;

function ok(result: EditResult): Ok {
  if (!result.ok) assert.fail(`expected ok, got error: ${result.error}`);
  return result;
}

/** The edits turn the original into `text`, do not overlap, and (unless told) only insert. */
function checkEdits(original: string, result: Ok, insertionsOnly = true): void {
  let out = '';
  let at = 0;
  for (const e of result.edits) {
    assert.ok(e.start >= at, 'edits are sorted and do not overlap');
    assert.ok(e.end >= e.start);
    if (insertionsOnly) assert.equal(e.start, e.end, `edit at ${e.start} replaces text`);
    out += original.slice(at, e.start) + e.newText;
    at = e.end;
  }
  out += original.slice(at);
  assert.equal(out, result.text);
}

/** Reloads the result: no problems at all (YAML, schema, selector, expression), and the Test of that document. */
function reload(text: string, document = 0): TestDef {
  const file = loadFile(text, 'edited.yaml');
  assert.deepEqual(validateFile(file), [], `problems in:\n${text}`);
  const resource = file.resources.find((r) => r.document === document)?.resource;
  assert.equal(resource?.kind, 'Test');
  return resource as TestDef;
}

function assertionsOf(test: TestDef, index: number): string[] {
  return test.specs[index]!.assertions.map((a) => a.value);
}

const lines = (...l: string[]): string => `${l.join('\n')}\n`;

const HEAD = [
  'type: Test',
  'spec:',
  '  id: t1',
  '  name: A test',
  '  trigger:',
  '    type: http',
  '    httpRequest:',
  '      method: GET',
  '      url: http://localhost:8081/pokemon',
];

const UNINDENTED = lines(
  ...HEAD,
  '  specs:',
  '  - selector: span[tracetest.span.type="http" name="GET /pokemon"]',
  '    name: The API answers',
  '    assertions:',
  '    - attr:http.status_code = 200',
  '  - selector: span[tracetest.span.type="database" name="findMany pokeshop.pokemon"]',
  '    name: The database is read',
  '    assertions:',
  '    - attr:db.operation = "findMany"',
);

const INDENTED = lines(
  ...HEAD,
  '  specs:',
  '    - selector: span[tracetest.span.type="http" name="GET /pokemon"]',
  '      name: The API answers',
  '      assertions:',
  '        - attr:http.status_code = 200',
  '  outputs:',
  '    - name: COUNT',
  '      selector: span[tracetest.span.type="http" name="GET /pokemon"]',
  "      value: attr:http.response.body | json_path '$.totalCount'",
);

describe('addAssertion: list-form specs', () => {
  it('appends to the spec with the same selector (unindented lists)', () => {
    const r = ok(
      addAssertion(UNINDENTED, { document: 0, selector: 'span[tracetest.span.type="http" name="GET /pokemon"]', assertion: 'attr:http.method = "GET"' }),
    );
    checkEdits(UNINDENTED, r);
    assert.equal(r.specIndex, 0);
    assert.ok(r.text.includes('    - attr:http.status_code = 200\n    - attr:http.method = "GET"\n  - selector:'));
    assert.deepEqual(assertionsOf(reload(r.text), 0), ['attr:http.status_code = 200', 'attr:http.method = "GET"']);
  });

  it('matches selectors canonically (spacing, quoting of keys, order of nothing else)', () => {
    const r = ok(
      addAssertion(UNINDENTED, {
        document: 0,
        selector: '  span[ tracetest.span.type = "database"   name="findMany pokeshop.pokemon" ] ',
        assertion: 'attr:db.system = "postgres"',
      }),
    );
    assert.equal(r.specIndex, 1);
    assert.deepEqual(assertionsOf(reload(r.text), 1), ['attr:db.operation = "findMany"', 'attr:db.system = "postgres"']);
    assert.equal(canonicalSelector('span[ name = "a" ]'), canonicalSelector('span[name="a"]'));
    assert.notEqual(canonicalSelector('span[name="a"]'), canonicalSelector('span[name="b"]'));
    assert.equal(canonicalSelector('  not a [ selector '), 'not a [ selector');
  });

  it('appends a new spec in the unindented style with a generated name', () => {
    const r = ok(
      addAssertion(UNINDENTED, {
        document: 0,
        selector: 'span[tracetest.span.type="general" name="validate request"]',
        assertion: 'attr:validation.is_valid = "true"',
      }),
    );
    checkEdits(UNINDENTED, r);
    assert.equal(r.specIndex, 2);
    assert.ok(
      r.text.endsWith(
        lines(
          '  - selector: span[tracetest.span.type="general" name="validate request"]',
          "    name: 'validate request: general'",
          '    assertions:',
          '    - attr:validation.is_valid = "true"',
        ),
      ),
      r.text,
    );
    const test = reload(r.text);
    assert.equal(test.specs[2]!.name?.value, 'validate request: general');
    assert.deepEqual(assertionsOf(test, 2), ['attr:validation.is_valid = "true"']);
  });

  it('appends in the indented style and keeps the outputs after the specs', () => {
    const r = ok(
      addAssertion(INDENTED, { document: 0, selector: 'span[name="count pokeshop.pokemon"]', assertion: 'attr:db.operation = "count"', specName: 'Counted' }),
    );
    checkEdits(INDENTED, r);
    assert.ok(
      r.text.includes(
        lines(
          '        - attr:http.status_code = 200',
          '    - selector: span[name="count pokeshop.pokemon"]',
          '      name: Counted',
          '      assertions:',
          '        - attr:db.operation = "count"',
          '  outputs:',
        ),
      ),
      r.text,
    );
    const test = reload(r.text);
    assert.equal(test.specs[1]!.name?.value, 'Counted');
    assert.equal(test.outputs.length, 1);
  });

  it('appends to an existing spec in the indented style', () => {
    const r = ok(
      addAssertion(INDENTED, { document: 0, selector: 'span[tracetest.span.type="http" name="GET /pokemon"]', assertion: 'attr:tracetest.span.duration < 1s' }),
    );
    assert.ok(r.text.includes('        - attr:http.status_code = 200\n        - attr:tracetest.span.duration < 1s\n  outputs:'), r.text);
    assert.deepEqual(assertionsOf(reload(r.text), 0), ['attr:http.status_code = 200', 'attr:tracetest.span.duration < 1s']);
  });

  it('follows the indentation width of the file (4 spaces) and the key order of existing specs', () => {
    const text = lines(
      'type: Test',
      'spec:',
      '    trigger:',
      '        type: http',
      '        httpRequest:',
      '            url: http://x',
      '    specs:',
      '        -   name: First',
      '            selector: span[name="a"]',
      '            assertions:',
      '                -   attr:a = 1',
    );
    const r = ok(addAssertion(text, { document: 0, selector: 'span[name="b"]', assertion: 'attr:b = 2', specName: 'Second' }));
    assert.ok(
      r.text.endsWith(lines('        -   name: Second', '            selector: span[name="b"]', '            assertions:', '                - attr:b = 2')),
      r.text,
    );
    reload(r.text);
  });

  it('keeps comments around and inside specs, and blank lines', () => {
    const text = lines(
      '# A commented test',
      'type: Test # kind',
      'spec:',
      '  trigger: # what starts it',
      '    type: http',
      '    httpRequest:',
      '      url: http://x # the url',
      '',
      '  # the specs',
      '  specs:',
      '  # first',
      '  - selector: span[name="a"] # selector comment',
      '    # inside',
      '    assertions: # list',
      '    - attr:a = 1 # trailing',
      '    # after the last assertion',
      '',
      '  # before outputs',
      '  outputs: []',
      '# end of file',
    );
    const existing = ok(addAssertion(text, { document: 0, selector: 'span[name="a"]', assertion: 'attr:b = 2' }));
    checkEdits(text, existing);
    assert.ok(existing.text.includes('    - attr:a = 1 # trailing\n    - attr:b = 2\n    # after the last assertion\n'), existing.text);
    assert.deepEqual(assertionsOf(reload(existing.text), 0), ['attr:a = 1', 'attr:b = 2']);
    const added = ok(addAssertion(text, { document: 0, selector: 'span[name="c"]', assertion: 'attr:c = 3' }));
    checkEdits(text, added);
    assert.ok(added.text.includes('    - attr:a = 1 # trailing\n  - selector: span[name="c"]\n    name: c\n'), added.text);
    for (const comment of [
      '# A commented test',
      '# kind',
      '# what starts it',
      '# the url',
      '# the specs',
      '# first',
      '# selector comment',
      '# inside',
      '# list',
      '# before outputs',
      '# end of file',
    ])
      assert.ok(added.text.includes(comment), comment);
    assert.equal(reload(added.text).specs[1]!.selector.value, 'span[name="c"]');
  });

  it('keeps CRLF line endings', () => {
    const text = UNINDENTED.replace(/\n/g, '\r\n');
    for (const selector of ['span[tracetest.span.type="http" name="GET /pokemon"]', 'span[name="new"]']) {
      const r = ok(addAssertion(text, { document: 0, selector, assertion: 'attr:x = 1' }));
      checkEdits(text, r);
      assert.ok(!/[^\r]\n/.test(r.text), 'every line break is CRLF');
      const test = reload(r.text);
      assert.equal(test.specs[r.specIndex!]!.assertions.at(-1)?.value, 'attr:x = 1');
    }
  });

  it('works when the file does not end with a line break', () => {
    const text = UNINDENTED.slice(0, -1);
    const a = ok(
      addAssertion(text, { document: 0, selector: 'span[name="findMany pokeshop.pokemon" tracetest.span.type="database"]', assertion: 'attr:x = 1' }),
    );
    // Filter order matters to the selector's canonical form, so this is a new spec.
    assert.equal(a.specIndex, 2);
    const b = ok(
      addAssertion(text, { document: 0, selector: 'span[tracetest.span.type="database" name="findMany pokeshop.pokemon"]', assertion: 'attr:x = 1' }),
    );
    assert.equal(b.specIndex, 1);
    assert.ok(b.text.endsWith('    - attr:db.operation = "findMany"\n    - attr:x = 1'), b.text);
    assert.deepEqual(assertionsOf(reload(b.text), 1), ['attr:db.operation = "findMany"', 'attr:x = 1']);
    reload(a.text);
  });

  it('appends inside flow-style assertion lists, empty or not, with flow quoting', () => {
    const text = lines(
      ...HEAD,
      '  specs:',
      '  - selector: span[name="a"]',
      '    assertions: [attr:a = 1, "attr:b = 2"]',
      '  - selector: span[name="b"]',
      '    assertions: []  # nothing yet',
      '  - selector: span[name="c"]',
      '    assertions: [',
      '      attr:c = 1,',
      '    ]',
    );
    const a = ok(addAssertion(text, { document: 0, selector: 'span[name="a"]', assertion: "attr:items | json_path '$[0].id' = 1" }));
    checkEdits(text, a);
    // `[` cannot start or sit in a plain scalar inside a flow list, so this one is quoted.
    assert.ok(a.text.includes(`    assertions: [attr:a = 1, "attr:b = 2", 'attr:items | json_path ''$[0].id'' = 1']\n`), a.text);
    assert.deepEqual(assertionsOf(reload(a.text), 0), ['attr:a = 1', 'attr:b = 2', "attr:items | json_path '$[0].id' = 1"]);
    const b = ok(addAssertion(text, { document: 0, selector: 'span[name="b"]', assertion: 'attr:b = 2' }));
    assert.ok(b.text.includes('    assertions: [attr:b = 2]  # nothing yet'), b.text);
    assert.deepEqual(assertionsOf(reload(b.text), 1), ['attr:b = 2']);
    const c = ok(addAssertion(text, { document: 0, selector: 'span[name="c"]', assertion: 'attr:c = 2' }));
    assert.deepEqual(assertionsOf(reload(c.text), 2), ['attr:c = 1', 'attr:c = 2']);
  });

  it('appends after block-scalar assertions without changing them', () => {
    const text = lines(
      ...HEAD,
      '  specs:',
      '  - selector: span[name="a"]',
      '    assertions:',
      '    - |-',
      '      attr:a = 1',
      '    - >-',
      '      attr:b',
      '      = 2',
      '',
      '  - selector: span[name="b"]',
      '    assertions:',
      '    - |+',
      '      attr:c = 3',
      '',
    );
    const a = ok(addAssertion(text, { document: 0, selector: 'span[name="a"]', assertion: 'attr:x = 1' }));
    checkEdits(text, a);
    assert.deepEqual(assertionsOf(reload(a.text), 0), ['attr:a = 1', 'attr:b = 2', 'attr:x = 1']);
    const b = ok(addAssertion(text, { document: 0, selector: 'span[name="b"]', assertion: 'attr:y = 1' }));
    // The kept trailing line breaks stay part of the `|+` block scalar.
    assert.deepEqual(assertionsOf(reload(text), 1), ['attr:c = 3\n\n']);
    assert.deepEqual(assertionsOf(reload(b.text), 1), ['attr:c = 3\n\n', 'attr:y = 1']);
    const c = ok(addAssertion(text, { document: 0, selector: 'span[name="new"]', assertion: 'attr:z = 1' }));
    assert.equal(assertionsOf(reload(c.text), 1)[0], assertionsOf(reload(text), 1)[0]);
    assert.deepEqual(assertionsOf(reload(c.text), 2), ['attr:z = 1']);
  });

  it('adds to a spec written with `selector: {query: ...}`', () => {
    const text = lines(...HEAD, '  specs:', '  - selector:', '      query: span[name="a"]', '    assertions:', '    - attr:a = 1');
    const r = ok(addAssertion(text, { document: 0, selector: 'span[name="a"]', assertion: 'attr:a != 2' }));
    assert.equal(r.specIndex, 0);
    assert.deepEqual(assertionsOf(reload(r.text), 0), ['attr:a = 1', 'attr:a != 2']);
  });

  it('adds `assertions` content to a flow-map spec', () => {
    const text = lines(...HEAD, '  specs:', `  - {selector: 'span[name="a"]', assertions: [attr:a = 1]}`);
    const a = ok(addAssertion(text, { document: 0, selector: 'span[name="a"]', assertion: 'attr:b = 2' }));
    assert.deepEqual(assertionsOf(reload(a.text), 0), ['attr:a = 1', 'attr:b = 2']);
    const b = ok(addAssertion(text, { document: 0, selector: 'span[name="b"]', assertion: 'attr:b = 2' }));
    assert.deepEqual(assertionsOf(reload(b.text), 1), ['attr:b = 2']);
  });
});

describe('addAssertion: creating specs', () => {
  it('creates `specs` after the trigger when it is missing', () => {
    const text = lines(...HEAD, '  outputs:', '  - name: X', '    selector: span[name="a"]', '    value: attr:a');
    const r = ok(addAssertion(text, { document: 0, selector: 'span[name="a"]', assertion: 'attr:a = 1' }));
    checkEdits(text, r);
    assert.ok(
      r.text.includes(
        '      url: http://localhost:8081/pokemon\n  specs:\n  - selector: span[name="a"]\n    name: a\n    assertions:\n    - attr:a = 1\n  outputs:',
      ),
      r.text,
    );
    assert.deepEqual(assertionsOf(reload(r.text), 0), ['attr:a = 1']);
  });

  it('creates `specs` in the indented style when the file indents its lists', () => {
    const text = lines(...HEAD, '      headers:', '        - key: Accept', '          value: application/json');
    const r = ok(addAssertion(text, { document: 0, selector: 'span[name="a"]', assertion: 'attr:a = 1' }));
    assert.ok(r.text.endsWith('  specs:\n    - selector: span[name="a"]\n      name: a\n      assertions:\n        - attr:a = 1\n'), r.text);
    reload(r.text);
  });

  it('fills `specs: []` and keeps its comment', () => {
    const text = lines(...HEAD, '  specs: [] # none yet', '  outputs: []');
    const r = ok(addAssertion(text, { document: 0, selector: 'span[name="a"]', assertion: 'attr:a = 1' }));
    checkEdits(text, r, false);
    assert.ok(r.text.includes('  specs: # none yet\n  - selector: span[name="a"]\n    name: a\n    assertions:\n    - attr:a = 1\n  outputs: []\n'), r.text);
    assert.deepEqual(assertionsOf(reload(r.text), 0), ['attr:a = 1']);
  });

  it('gives generated names that are short, readable and unique', () => {
    assert.equal(generatedSpecName('span[tracetest.span.type="http" name="POST /pokemon" http.method="POST"]'), 'POST /pokemon: http');
    assert.equal(
      generatedSpecName('span[name="POST /pokemon"] span[tracetest.span.type="database" name="INSERT pokeshop.pokemon"]:first'),
      'INSERT pokeshop.pokemon: database (first)',
    );
    assert.equal(generatedSpecName('span[tracetest.span.type="general"]'), 'general span');
    assert.equal(generatedSpecName('span[service.name="api"]:nth_child(2)'), 'api (#2)');
    assert.ok(generatedSpecName(`span[name="${'x'.repeat(200)}"]`).length <= 60);
    let text = UNINDENTED;
    const names: string[] = [];
    for (const selector of [
      'span[tracetest.span.type="http" name="POST /x"]',
      'span[tracetest.span.type="http" name="POST /x"]:first',
      'span[tracetest.span.type="http" name="POST /x"]:last',
    ]) {
      const r = ok(addAssertion(text, { document: 0, selector, assertion: 'attr:a = 1' }));
      text = r.text;
      names.push(reload(text).specs[r.specIndex!]!.name!.value);
    }
    assert.deepEqual(names, ['POST /x: http', 'POST /x: http (first)', 'POST /x: http (last)']);
    const again = ok(addAssertion(text, { document: 0, selector: 'span[name="POST /x" tracetest.span.type="http"]', assertion: 'attr:a = 1' }));
    assert.equal(reload(again.text).specs.at(-1)!.name!.value, 'POST /x: http (2)');
  });
});

describe('addAssertion: legacy map-form specs', () => {
  const text = lines(
    ...HEAD,
    '  specs:',
    '    span[tracetest.span.type="http" name="GET /pokemon"]:',
    '      name: The API answers',
    '      assertions:',
    '      - attr:http.status_code = 200',
  );

  it('appends to the matching selector key', () => {
    const r = ok(addAssertion(text, { document: 0, selector: 'span[tracetest.span.type="http"  name="GET /pokemon"]', assertion: 'attr:http.method = "GET"' }));
    checkEdits(text, r);
    assert.deepEqual(assertionsOf(reload(r.text), 0), ['attr:http.status_code = 200', 'attr:http.method = "GET"']);
  });

  it('appends a new spec in map form, quoting the key when YAML needs it', () => {
    const r = ok(addAssertion(text, { document: 0, selector: 'span[name="a: b"]', assertion: 'attr:a = 1' }));
    checkEdits(text, r);
    assert.ok(
      r.text.endsWith(lines(`    'span[name="a: b"]':`, '      name: a', '      assertions:', '      - attr:a = 1').replace('name: a\n', "name: 'a: b'\n")),
      r.text,
    );
    const test = reload(r.text);
    assert.equal(test.specs[1]!.selector.value, 'span[name="a: b"]');
    assert.deepEqual(assertionsOf(test, 1), ['attr:a = 1']);
    const plain = ok(addAssertion(text, { document: 0, selector: 'span[name="b"]', assertion: 'attr:b = 1' }));
    assert.ok(plain.text.includes('\n    span[name="b"]:\n      name: b\n'), plain.text);
    reload(plain.text);
  });
});

describe('quoting', () => {
  it('writes values that need quotes so that they read back exactly', () => {
    const cases = [
      'attr:http.response.body | json_path \'$.id\' = "143"',
      'attr:a = "x: y"',
      'attr:a = "b # c"',
      "attr:a = 'it''s'",
      '"quoted" = "quoted"',
      '- attr:a = 1',
      '[attr:a] = 1',
      'attr:a = "line\\nbreak"',
      'attr:a = 1 # not a comment',
    ];
    let text = UNINDENTED;
    for (const assertion of cases) {
      const r = ok(addAssertion(text, { document: 0, selector: 'span[tracetest.span.type="http" name="GET /pokemon"]', assertion }));
      text = r.text;
      const file = loadFile(text, 'q.yaml');
      assert.deepEqual(file.problems, []);
      const test = file.resources[0]!.resource as TestDef;
      assert.equal(test.specs[0]!.assertions.at(-1)?.value, assertion, text);
    }
  });

  it('writes selectors with `"` and `: ` and a multi-line assertion', () => {
    const selector = 'span[tracetest.span.type="general" name="Tracetest trigger: \\"quoted\\""]';
    const r = ok(addAssertion(UNINDENTED, { document: 0, selector, assertion: 'attr:a = """\nmulti\nline"""'.replaceAll('"""', '"') }));
    const test = reload(r.text);
    assert.equal(test.specs[2]!.selector.value, selector);
    assert.equal(test.specs[2]!.assertions[0]!.value, 'attr:a = "\nmulti\nline"');
    assert.ok(r.text.includes(`  - selector: '${selector}'\n`), r.text);
  });

  it('follows the quoting style of the file', () => {
    const single = lines(...HEAD, '  specs:', `  - selector: 'span[name="a"]'`, `    name: 'A'`, '    assertions:', `    - 'attr:a = 1'`);
    const a = ok(addAssertion(single, { document: 0, selector: 'span[name="b"]', assertion: 'attr:it = "it\'s"' }));
    assert.ok(a.text.endsWith(lines(`  - selector: 'span[name="b"]'`, `    name: 'b'`, '    assertions:', `    - 'attr:it = "it''s"'`)), a.text);
    assert.equal(reload(a.text).specs[1]!.assertions[0]!.value, 'attr:it = "it\'s"');
    const double = lines(...HEAD, '  specs:', '  - selector: "span[name=\\"a\\"]"', '    name: "A"', '    assertions:', '    - "attr:a = 1"');
    const b = ok(addAssertion(double, { document: 0, selector: 'span[name="a"]', assertion: 'attr:b = "x"' }));
    assert.ok(b.text.endsWith('    - "attr:a = 1"\n    - "attr:b = \\"x\\""\n'), b.text);
    assert.deepEqual(assertionsOf(reload(b.text), 0), ['attr:a = 1', 'attr:b = "x"']);
    const c = ok(addAssertion(double, { document: 0, selector: 'span[name="c"]', assertion: 'attr:c = 1' }));
    assert.ok(c.text.endsWith(lines('  - selector: "span[name=\\"c\\"]"', '    name: "c"', '    assertions:', '    - "attr:c = 1"')), c.text);
    reload(c.text);
  });
});

describe('idempotence', () => {
  it('adding the same assertion twice changes nothing the second time', () => {
    const first = ok(addAssertion(UNINDENTED, { document: 0, selector: 'span[name="new"]', assertion: 'attr:a = 1' }));
    const second = ok(addAssertion(first.text, { document: 0, selector: 'span[name="new"]', assertion: 'attr:a = 1' }));
    assert.deepEqual(second.edits, []);
    assert.equal(second.text, first.text);
    assert.equal(second.specIndex, first.specIndex);
    assert.match(second.note ?? '', /already/);
    const spaced = ok(
      addAssertion(UNINDENTED, { document: 0, selector: 'span[tracetest.span.type="http" name="GET /pokemon"]', assertion: '  attr:http.status_code=200 ' }),
    );
    assert.deepEqual(spaced.edits, []);
    assert.equal(spaced.specIndex, 0);
  });
});

describe('multi-document files', () => {
  const text = lines(
    'type: VariableSet',
    'spec:',
    '  id: vars',
    '  values:',
    '  - key: A',
    '    value: "1"',
    '---',
    ...HEAD,
    '  specs:',
    '  - selector: span[name="a"]',
    '    assertions:',
    '    - attr:a = 1',
    '---',
    ...HEAD.map((l) => l.replace('t1', 't2')),
    '  specs:',
    '  - selector: span[name="a"]',
    '    assertions:',
    '    - attr:a = 1',
  );

  it('only touches the given document', () => {
    for (const document of [1, 2]) {
      const r = ok(addAssertion(text, { document, selector: 'span[name="a"]', assertion: 'attr:b = 2' }));
      checkEdits(text, r);
      assert.deepEqual(assertionsOf(reload(r.text, document), 0), ['attr:a = 1', 'attr:b = 2']);
      assert.deepEqual(assertionsOf(reload(r.text, 3 - document), 0), ['attr:a = 1']);
      const n = ok(addAssertion(text, { document, selector: 'span[name="b"]', assertion: 'attr:b = 2' }));
      assert.equal(reload(n.text, document).specs.length, 2);
      assert.equal(reload(n.text, 3 - document).specs.length, 1);
      const o = ok(addOutput(text, { document, name: 'B', selector: 'span[name="b"]', value: 'attr:b' }));
      assert.equal(reload(o.text, document).outputs[0]!.name.value, 'B');
      assert.equal(reload(o.text, 3 - document).outputs.length, 0);
      if (document === 1)
        assert.ok(o.text.includes('    - attr:a = 1\n  outputs:\n  - name: B\n    selector: span[name="b"]\n    value: attr:b\n---\n'), o.text);
    }
  });

  it('refuses documents that are not Tests, do not exist or have errors', () => {
    const notTest = addAssertion(text, { document: 0, selector: 'span[name="a"]', assertion: 'attr:b = 2' });
    assert.deepEqual(notTest, { ok: false, error: 'YAML document 0 is a VariableSet, not a Test' });
    const missing = addAssertion(text, { document: 7, selector: 'span[name="a"]', assertion: 'attr:b = 2' });
    assert.equal(missing.ok, false);
    assert.match(!missing.ok ? missing.error : '', /no YAML document 7 \(it has 3\)/);
    const broken = addAssertion(`${text}---\ntype: Test\nspec: [unclosed\n`, { document: 3, selector: 'span[name="a"]', assertion: 'attr:b = 2' });
    assert.match(!broken.ok ? broken.error : '', /YAML document 3 has syntax errors/);
    const invalid = addAssertion(lines('type: Test', 'spec:', '  specs: 3'), { document: 0, selector: 'span[name="a"]', assertion: 'attr:b = 2' });
    assert.match(!invalid.ok ? invalid.error : '', /YAML document 0 is not a valid Test \(line \d+: /);
    const empty = addAssertion(UNINDENTED, { document: 0, selector: ' ', assertion: 'attr:b = 2' });
    assert.deepEqual(empty, { ok: false, error: 'the selector is empty' });
  });
});

describe('addOutput', () => {
  it('appends an output in the file style, keeping key order', () => {
    const r = ok(
      addOutput(INDENTED, {
        document: 0,
        name: 'ID',
        selector: 'span[tracetest.span.type="general" name="Tracetest trigger"]',
        value: "attr:tracetest.response.body | json_path '$.id'",
      }),
    );
    checkEdits(INDENTED, r);
    assert.equal(r.outputIndex, 1);
    assert.ok(
      r.text.endsWith(
        lines(
          '    - name: ID',
          '      selector: span[tracetest.span.type="general" name="Tracetest trigger"]',
          "      value: attr:tracetest.response.body | json_path '$.id'",
        ),
      ),
      r.text,
    );
    const test = reload(r.text);
    assert.deepEqual(
      test.outputs.map((o) => o.name.value),
      ['COUNT', 'ID'],
    );
  });

  it('creates `outputs` after the specs, or fills `outputs: []`', () => {
    const r = ok(addOutput(UNINDENTED, { document: 0, name: 'X', selector: 'span[name="a"]', value: 'attr:a' }));
    assert.ok(r.text.endsWith('    - attr:db.operation = "findMany"\n  outputs:\n  - name: X\n    selector: span[name="a"]\n    value: attr:a\n'), r.text);
    assert.equal(reload(r.text).outputs[0]!.value.value, 'attr:a');
    const withEmpty = lines(...HEAD, '  outputs: []', '  specs:', '  - selector: span[name="a"]', '    assertions:', '    - attr:a = 1');
    const e = ok(addOutput(withEmpty, { document: 0, name: 'X', selector: 'span[name="a"]', value: 'attr:a' }));
    assert.ok(e.text.includes('  outputs:\n  - name: X\n    selector: span[name="a"]\n    value: attr:a\n  specs:\n'), e.text);
    reload(e.text);
  });

  it('quotes output values and selectors as needed', () => {
    const r = ok(addOutput(INDENTED, { document: 0, name: 'X', selector: 'span[name="a: b"]', value: 'attr:a | json_path \'$["k: v"]\'' }));
    const o = reload(r.text).outputs[1]!;
    assert.equal(o.selector.value, 'span[name="a: b"]');
    assert.equal(o.value.value, 'attr:a | json_path \'$["k: v"]\'');
  });

  it('does not duplicate an output and refuses a clashing name', () => {
    const same = ok(
      addOutput(INDENTED, {
        document: 0,
        name: 'COUNT',
        selector: 'span[tracetest.span.type="http"  name="GET /pokemon"]',
        value: "attr:http.response.body | json_path '$.totalCount'",
      }),
    );
    assert.deepEqual(same.edits, []);
    assert.equal(same.outputIndex, 0);
    const clash = addOutput(INDENTED, { document: 0, name: 'COUNT', selector: 'span[name="a"]', value: 'attr:a' });
    assert.equal(clash.ok, false);
    assert.match(!clash.ok ? clash.error : '', /an output named COUNT already exists \(line 16\)/);
  });
});

describe('real test files', () => {
  const files = [...yamlFilesUnder(join(FIXTURES, 'tracetest')), ...yamlFilesUnder(join(ROOT, 'demo', 'tests'))].filter((path) => {
    const file = loadFile(readFileSync(path, 'utf8'), path);
    return file.resources.some((r) => r.resource?.kind === 'Test');
  });

  it('finds the Tracetest and demo tests', () => {
    assert.ok(files.length >= 12, `${files.length} test files`);
  });

  for (const path of files) {
    const name = relative(ROOT, path);
    const text = readFileSync(path, 'utf8');
    const before = loadFile(text, path);
    const document = before.resources.find((r) => r.resource?.kind === 'Test')!.document;
    const test = before.resources.find((r) => r.resource?.kind === 'Test')!.resource as TestDef;

    it(`${name}: adds to an existing spec`, () => {
      const last = test.specs.length - 1;
      const first = test.specs[0]!;
      const r = ok(addAssertion(text, { document, selector: first.selector.value, assertion: 'attr:tracetest.span.duration < 5s' }));
      checkEdits(text, r);
      assert.equal(r.specIndex, 0);
      const after = reload(r.text, document);
      assert.deepEqual(assertionsOf(after, 0), [...first.assertions.map((a) => a.value), 'attr:tracetest.span.duration < 5s']);
      assert.equal(after.specs.length, last + 1);
      // The inserted line sits right under the last existing assertion, indented like it.
      const lastAssertion = first.assertions.at(-1)!;
      const lineStart = text.lastIndexOf('\n', lastAssertion.range.start) + 1;
      const prefix = text.slice(lineStart, lastAssertion.range.start);
      assert.equal(r.edits.length, 1);
      assert.equal(r.edits[0]!.newText, `${prefix}attr:tracetest.span.duration < 5s\n`);
      const again = ok(addAssertion(r.text, { document, selector: first.selector.value, assertion: 'attr:tracetest.span.duration < 5s' }));
      assert.deepEqual(again.edits, []);
    });

    it(`${name}: adds a new spec and an output`, () => {
      const selector = 'span[tracetest.span.type="http" name="GET /health"]';
      const r = ok(addAssertion(text, { document, selector, assertion: 'attr:http.response.body | json_path \'$.id\' = "143"' }));
      checkEdits(text, r);
      assert.equal(r.specIndex, test.specs.length);
      const after = reload(r.text, document);
      const spec = after.specs[test.specs.length]!;
      assert.equal(spec.selector.value, selector);
      assert.equal(spec.name?.value, 'GET /health: http');
      assert.deepEqual(assertionsOf(after, test.specs.length), ['attr:http.response.body | json_path \'$.id\' = "143"']);
      // The new spec's `-` lines up with the existing ones.
      const firstSpecLine = text.lastIndexOf('\n', test.specs[0]!.range.start) + 1;
      const dashColumn = text.slice(firstSpecLine).search(/-/);
      assert.ok(r.edits[0]!.newText.startsWith(`${' '.repeat(dashColumn)}- `), r.edits[0]!.newText);
      const o = ok(addOutput(r.text, { document, name: 'NEW_OUTPUT', selector, value: 'attr:http.status_code' }));
      checkEdits(r.text, o);
      const withOutput = reload(o.text, document);
      assert.equal(withOutput.outputs.at(-1)!.name.value, 'NEW_OUTPUT');
      assert.equal(withOutput.specs.length, test.specs.length + 1);
    });
  }
});
