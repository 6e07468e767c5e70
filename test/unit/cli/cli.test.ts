import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { main } from '../../../src/cli';
import { decodeTraceText, encodeOtlpJson } from '../../../src/core/trace/decode/index';
import type { RawSpan } from '../../../src/core/trace/model';
import { displayPath as displayed } from '../../../src/run/files';
import { encodeProtobufRequests, lengthPrefixed } from '../../support/protobuf-requests';
import { writeBrokenPokeshopTrace } from '../testing/support';

const ROOT = join(__dirname, '..', '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures');
const TRACETEST = join(FIXTURES, 'tracetest');
const POKESHOP_TRACE = join(FIXTURES, 'traces', 'pokeshop.otlp.json');
const IMPORT_TEST = join(TRACETEST, 'resources', 'tests', 'import-pokemon.yaml');

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[], opts: { tty?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (s: string) => (stdout += s), isTTY: opts.tty ?? false },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    env: opts.env ?? {},
  });
  return { code, stdout, stderr };
}

/** Each test's status and each spec's spans and assertion results, with the trace ids left out. */
function verdict(stdout: string) {
  return (JSON.parse(stdout) as { tests: { status: string; specs: { name: string; spanIds: string[]; assertions: unknown[] }[] }[] }).tests.map((t) => ({
    status: t.status,
    specs: t.specs.map((s) => ({ name: s.name, spanIds: s.spanIds, assertions: s.assertions })),
  }));
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'tracelens-cli-'));
}

describe('tracelens run --trace', () => {
  test('runs a real Tracetest file against a saved trace and prints the JSON report of cli.md', async () => {
    const r = await cli(['run', IMPORT_TEST, '--trace', POKESHOP_TRACE, '--var', 'POKESHOP_API_URL=http://localhost:8081', '--reporter', 'json']);
    assert.equal(r.stderr, '');
    const report = JSON.parse(r.stdout);
    assert.deepEqual(report.summary, { passed: 1, failed: 0, errored: 0 });
    const [t] = report.tests;
    assert.equal(t.id, 'pokeshop-demo-import-pokemon-queue');
    assert.equal(t.name, 'Import a Pokemon using API and MQ Worker');
    assert.equal(t.status, 'passed');
    assert.match(t.traceId, /^[0-9a-f]{32}$/);
    assert.equal(typeof t.durationMs, 'number');
    assert.equal(t.trigger.type, 'traceid');
    assert.equal(t.file, join('test', 'fixtures', 'tracetest', 'resources', 'tests', 'import-pokemon.yaml'), 'relative to the working directory');
    assert.deepEqual(
      t.specs.map((s: { name: string }) => s.name),
      [
        'POST /pokemon/import was called successfuly',
        'The request was validated correctly',
        'A message was enqueued to the worker',
        'A message was read by the worker',
        'A "import pokemon" action was triggered',
      ],
    );
    const first = t.specs[0];
    assert.match(first.spanIds[0], /^[0-9a-f]{16}$/);
    assert.deepEqual(Object.keys(first.assertions[0]).sort(), ['assertion', 'column', 'line', 'results', 'status']);
    assert.deepEqual(
      [first.line, first.column, first.assertions[0].line, first.assertions[0].column],
      [19, 15, 22, 7],
      'where the selector and the assertion are in the file',
    );
    assert.deepEqual(first.assertions[0].results[0], { spanId: first.spanIds[0], observed: '200', expected: '200', passed: true });
    assert.equal(r.code, 0);
  });

  test('a failing assertion exits 1 and reports observed and expected', async () => {
    const dir = tempDir();
    const file = join(dir, 'failing.yaml');
    writeFileSync(file, readFileSync(IMPORT_TEST, 'utf8').replace('attr:http.status_code  =  200', 'attr:http.status_code = 201'));
    const r = await cli(['run', file, '--trace', POKESHOP_TRACE, '--var', 'POKESHOP_API_URL=x', '--reporter', 'json']);
    assert.equal(r.code, 1);
    const report = JSON.parse(r.stdout);
    assert.equal(report.tests[0].status, 'failed');
    const failed = report.tests[0].specs[0].assertions[0];
    assert.equal(failed.status, 'failed');
    assert.equal(failed.results[0].observed, '200');
    assert.equal(failed.results[0].expected, '201');
    assert.equal(failed.results[0].passed, false);
    assert.deepEqual(report.summary, { passed: 0, failed: 1, errored: 0 });
  });

  test('the pretty reporter shows each spec with ✓/✗, observed vs expected, a summary, and colour only on a TTY', async () => {
    const dir = tempDir();
    const file = join(dir, 'failing.yaml');
    writeFileSync(file, readFileSync(IMPORT_TEST, 'utf8').replace('attr:http.status_code  =  200', 'attr:http.status_code = 201'));
    const plain = await cli(['run', file, '--trace', POKESHOP_TRACE, '--var', 'POKESHOP_API_URL=x', '--reporter', 'pretty']);
    assert.equal(plain.code, 1);
    assert.doesNotMatch(plain.stdout, /\u001b\[/);
    assert.match(plain.stdout, /✗ Import a Pokemon using API and MQ Worker/);
    assert.match(plain.stdout, /✗ POST \/pokemon\/import was called successfuly/);
    assert.match(plain.stdout, /✓ The request was validated correctly/);
    assert.match(plain.stdout, /expected 201, observed 200/);
    assert.match(plain.stdout, /✓ attr:http.response.body \| json_path '\$.id' = "143"/);
    assert.match(plain.stdout, /Tests: 0 passed, 1 failed, 0 errored/);
    const tty = await cli(['run', file, '--trace', POKESHOP_TRACE, '--var', 'POKESHOP_API_URL=x'], { tty: true });
    assert.match(tty.stdout, /\u001b\[31m✗/, 'red cross on a terminal (pretty is the default there)');
    const noColor = await cli(['run', file, '--trace', POKESHOP_TRACE, '--var', 'POKESHOP_API_URL=x'], { tty: true, env: { NO_COLOR: '1' } });
    assert.doesNotMatch(noColor.stdout, /\u001b\[/);
  });

  test('JUnit: one testsuite per spec, one testcase per assertion, failure for a mismatch, error for an error', async () => {
    const dir = tempDir();
    const file = join(dir, 'mixed.yaml');
    writeFileSync(
      file,
      `type: Test
spec:
  id: mixed
  name: Mixed results
  trigger:
    type: traceid
    traceid:
      id: \${var:TRACE_ID}
  specs:
  - selector: span[tracetest.span.type = "database"]
    assertions:
    - attr:db.system != "mysql"
    - attr:tracetest.span.duration < attr:no.such.attribute
    - attr:tracetest.span.type = "http"
`,
    );
    const out = join(dir, 'junit.xml');
    const r = await cli(['run', file, '--trace', POKESHOP_TRACE, '--reporter', 'junit', '--out', out]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '', 'with --out nothing goes to stdout');
    const xml = readFileSync(out, 'utf8');
    assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>/);
    assert.match(xml, /<testsuites name="tracelens" tests="11" failures="1" errors="1" skipped="0"/, "3 assertions, the analyzer's score and 7 rules");
    assert.match(xml, /<testsuite name="Mixed results › span\[tracetest.span.type = &quot;database&quot;\]" tests="3" failures="1" errors="1" skipped="0">/);
    assert.match(xml, /<testcase name="attr:db.system != &quot;mysql&quot;" classname="Mixed results" file="[^"]+" line="12"><\/testcase>/);
    assert.match(xml, /<error type="error" message="[^"]*mixed\.yaml:13:38: [^"]*no\.such\.attribute[^"]*"/, 'the error starts with where it is');
    assert.match(
      xml,
      /<failure type="attr:tracetest.span.type = &quot;http&quot;" message="database, database">span [0-9a-f]{16}: expected http, observed database\nspan /,
    );
    assert.equal((xml.match(/<testsuite /g) ?? []).length, 2, 'the spec and the analyzer');
  });

  test('a test suite runs its steps in order and reports each as a test with the suite name', async () => {
    const r = await cli([
      'run',
      join(TRACETEST, 'resources', 'suites', 'pokeshop.yaml'),
      '--trace',
      POKESHOP_TRACE,
      '--vars',
      join(TRACETEST, 'resources', 'config', 'variableset.yaml'),
      '--reporter',
      'json',
    ]);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(
      report.tests.map((t: { suite: string; id: string }) => [t.suite, t.id]),
      [
        ['Pokeshop Demo Test Suite', 'pokeshop-demo-add-pokemon'],
        ['Pokeshop Demo Test Suite', 'pokeshop-demo-import-pokemon-queue'],
        ['Pokeshop Demo Test Suite', 'pokeshop-demo-list-pokemon'],
      ],
    );
    assert.equal(report.tests[1].status, 'passed', 'the import test matches the saved import trace');
  });

  test('suite steps see the outputs of earlier steps', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'produce.yaml'),
      `type: Test
spec:
  id: produce
  name: Produce
  trigger: {type: traceid, traceid: {id: x}}
  outputs:
  - name: IMPORTED_ID
    selector: span[messaging.operation="publish"]
    value: attr:messaging.payload | json_path '$.id'
`,
    );
    writeFileSync(
      join(dir, 'consume.yaml'),
      `type: Test
spec:
  id: consume
  name: Consume
  trigger: {type: traceid, traceid: {id: x}}
  specs:
  - selector: span[name="import pokemon"]
    assertions:
    - var:IMPORTED_ID = 143
`,
    );
    writeFileSync(join(dir, 'suite.yaml'), 'type: TestSuite\nspec:\n  id: s\n  name: Chain\n  steps:\n  - ./produce.yaml\n  - consume\n');
    const r = await cli(['run', join(dir, 'suite.yaml'), join(dir, 'consume.yaml'), '--trace', POKESHOP_TRACE, '--reporter', 'json']);
    const report = JSON.parse(r.stdout);
    const inSuite = report.tests.filter((t: { suite?: string }) => t.suite === 'Chain');
    assert.deepEqual(
      inSuite.map((t: { id: string; status: string }) => [t.id, t.status]),
      [
        ['produce', 'passed'],
        ['consume', 'passed'],
      ],
    );
    const alone = report.tests.find((t: { suite?: string }) => t.suite === undefined);
    assert.equal(alone.status, 'errored', 'run on its own, the variable is missing');
    assert.match(alone.error, /IMPORTED_ID/);
  });

  test('directories are searched recursively for runnable files only', async () => {
    const r = await cli(['run', join(TRACETEST, 'resources'), '--trace', POKESHOP_TRACE, '--var', 'POKESHOP_API_URL=x', '--reporter', 'json']);
    const report = JSON.parse(r.stdout);
    // 3 tests + the suite's 3 steps; the VariableSet, PollingProfile and DataStore files are not run.
    assert.equal(report.tests.length, 6);
  });
});

describe('tracelens run --compare', () => {
  const brokenTrace = (dir: string) => writeBrokenPokeshopTrace(join(dir, 'broken.otlp.json'));
  const vars = ['--var', 'POKESHOP_API_URL=http://localhost:8081'];

  test('prints what changed since the last pass under a failed test', async () => {
    const r = await cli(['run', IMPORT_TEST, '--trace', brokenTrace(tempDir()), '--compare', POKESHOP_TRACE, ...vars, '--reporter', 'pretty']);
    assert.equal(r.code, 1);
    const since = r.stdout.slice(r.stdout.indexOf('  since the last pass:'));
    assert.deepEqual(since.split('\n').slice(0, 3), [
      '  since the last pass:',
      "    pokeshop-worker 'import pokemon' missing (with 3 spans under it)",
      `    pokeshop-api 'POST /pokemon/import' http.status_code "200" → "500"`,
    ]);
  });

  test('adds the differences to the JSON report, with the spans they are about', async () => {
    const r = await cli(['run', IMPORT_TEST, '--trace', brokenTrace(tempDir()), '--compare', POKESHOP_TRACE, ...vars, '--reporter', 'json']);
    const [t] = JSON.parse(r.stdout).tests;
    assert.equal(t.status, 'failed');
    assert.deepEqual(t.sinceLastPass[0], {
      text: "pokeshop-worker 'import pokemon' missing (with 3 spans under it)",
      kind: 'missing',
      service: 'pokeshop-worker',
      name: 'import pokemon',
      path: [
        "tracetest 'Tracetest trigger'",
        "pokeshop-api 'POST /pokemon/import'",
        "pokeshop-api 'queue.synchronizePokemon publish'",
        "pokeshop-worker 'queue.synchronizePokemon process'",
      ],
      before: 1,
      after: 0,
      spanIds: ['1a2b3c4d5e6f7081'],
      descendants: 3,
    });
    assert.deepEqual(t.sinceLastPass[1].attributes, [{ key: 'http.status_code', before: '200', after: '500' }]);
  });

  test('says nothing under a test that passed', async () => {
    const r = await cli(['run', IMPORT_TEST, '--trace', POKESHOP_TRACE, '--compare', POKESHOP_TRACE, ...vars, '--reporter', 'json']);
    const [t] = JSON.parse(r.stdout).tests;
    assert.equal(t.status, 'passed');
    assert.equal(t.sinceLastPass, undefined);
  });

  test('a --compare file that is not a trace is a usage error', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.json'), '{"nope": 1}');
    const r = await cli(['run', IMPORT_TEST, '--trace', POKESHOP_TRACE, '--compare', join(dir, 'x.json'), ...vars]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /x\.json: not a trace file/);
  });
});

describe("tracelens run --trace on the Collector's file exporter output", () => {
  const vars = ['--var', 'POKESHOP_API_URL=http://localhost:8081'];

  test('JSON lines (format: json) and length-prefixed protobuf (format: proto), batches in any order, judge as the saved trace does', async () => {
    const decoded = decodeTraceText(readFileSync(POKESHOP_TRACE, 'utf8'));
    assert.ok(decoded.ok);
    // Batches of 3 spans, exported as they end: the last ones first.
    const batches: RawSpan[][] = [];
    for (let i = 0; i < decoded.value.spans.length; i += 3) batches.unshift(decoded.value.spans.slice(i, i + 3));
    assert.ok(batches.length > 2);
    const dir = tempDir();
    const jsonLines = join(dir, 'traces.json');
    writeFileSync(jsonLines, batches.map((batch) => `${JSON.stringify(encodeOtlpJson(batch))}\n`).join(''));
    const proto = join(dir, 'traces.proto');
    writeFileSync(proto, lengthPrefixed(encodeProtobufRequests(batches.flat(), 3)));
    const plain = await cli(['run', IMPORT_TEST, '--trace', POKESHOP_TRACE, ...vars, '--reporter', 'json']);
    for (const file of [jsonLines, proto]) {
      const r = await cli(['run', IMPORT_TEST, '--trace', file, ...vars, '--reporter', 'json']);
      assert.equal(r.stderr, '', file);
      assert.equal(r.code, 0, file);
      assert.deepEqual(verdict(r.stdout), verdict(plain.stdout), file);
    }
  });

  test('--trace-id picks the run of a file holding other traffic too; an id it does not hold lists the ones it does', async () => {
    const decoded = decodeTraceText(readFileSync(POKESHOP_TRACE, 'utf8'));
    assert.ok(decoded.ok);
    const pokeshop = decoded.value.spans;
    const traceId = pokeshop[0]!.traceId;
    const other = '0af7651916cd43dd8448eb211c80319c';
    // Another request's spans, with names the test's selectors also match, exported between the run's batches.
    const traffic = pokeshop.map((span) => ({ ...span, traceId: other, attributes: new Map([...span.attributes, ['http.status_code', '500']]) }));
    const file = join(tempDir(), 'traces.json');
    writeFileSync(file, [pokeshop.slice(0, 4), traffic, pokeshop.slice(4)].map((batch) => `${JSON.stringify(encodeOtlpJson(batch))}\n`).join(''));
    const plain = await cli(['run', IMPORT_TEST, '--trace', POKESHOP_TRACE, ...vars, '--reporter', 'json']);
    const picked = await cli(['run', IMPORT_TEST, '--trace', file, '--trace-id', traceId.toUpperCase(), ...vars, '--reporter', 'json']);
    assert.equal(picked.stderr, '');
    assert.equal(picked.code, 0);
    assert.deepEqual(verdict(picked.stdout), verdict(plain.stdout));
    const mixed = await cli(['run', IMPORT_TEST, '--trace', file, ...vars, '--reporter', 'json']);
    assert.equal(mixed.code, 1, 'the other request fails the test when both are judged');
    const missing = await cli(['run', IMPORT_TEST, '--trace', file, '--trace-id', 'f'.repeat(32), ...vars]);
    assert.equal(missing.code, 2);
    assert.match(
      missing.stderr,
      new RegExp(`--trace-id: .*traces\\.json: no trace f{32} in it; the traces it holds: (${traceId}, ${other}|${other}, ${traceId})`),
    );
    const alone = await cli(['run', IMPORT_TEST, '--trace-id', traceId, ...vars]);
    assert.equal(alone.code, 2);
    assert.match(alone.stderr, /--trace-id picks a trace of the --trace file/);
  });
});

describe('tracelens run --save-trace-format protobuf', () => {
  const vars = ['--var', 'POKESHOP_API_URL=http://localhost:8081'];
  const savedAs = async (dir: string, format: string, test = IMPORT_TEST) => {
    const r = await cli(['run', test, '--trace', POKESHOP_TRACE, ...vars, '--reporter', 'json', '--save-trace', dir, '--save-trace-format', format]);
    const files = readdirSync(dir);
    assert.equal(files.length, 1, r.stderr);
    return { run: r, file: join(dir, files[0]!) };
  };

  test('saves an .otlp.binpb file that replays with --trace and --compare to the same verdict as the JSON file', async () => {
    const dir = tempDir();
    const failing = join(dir, 'failing.yaml');
    writeFileSync(failing, readFileSync(IMPORT_TEST, 'utf8').replace('attr:http.status_code  =  200', 'attr:http.status_code = 201'));
    const json = await savedAs(join(dir, 'json'), 'json', failing);
    const protobuf = await savedAs(join(dir, 'protobuf'), 'protobuf', failing);
    assert.match(json.file, /-[0-9a-f]{32}\.otlp\.json$/);
    assert.match(protobuf.file, /-[0-9a-f]{32}\.otlp\.binpb$/);
    assert.ok(statSync(protobuf.file).size < statSync(json.file).size / 2, 'a fraction of the size');
    assert.equal(protobuf.run.code, 1);
    const fromJson = await cli(['run', failing, '--trace', json.file, '--compare', json.file, ...vars, '--reporter', 'json']);
    const fromProtobuf = await cli(['run', failing, '--trace', protobuf.file, '--compare', protobuf.file, ...vars, '--reporter', 'json']);
    assert.equal(fromProtobuf.code, 1);
    assert.equal(fromProtobuf.stderr, fromJson.stderr);
    assert.deepEqual(verdict(fromProtobuf.stdout), verdict(fromJson.stdout));
    assert.deepEqual(verdict(fromProtobuf.stdout), verdict(protobuf.run.stdout));
    assert.equal(verdict(fromProtobuf.stdout)[0]!.status, 'failed');
  });

  test('a protobuf file cut short is a usage error naming the file and where it ends', async () => {
    const dir = tempDir();
    const { file } = await savedAs(join(dir, 'saved'), 'protobuf');
    const cut = join(dir, 'cut.otlp.binpb');
    const bytes = readFileSync(file);
    writeFileSync(cut, bytes.subarray(0, bytes.length - 10));
    const r = await cli(['run', IMPORT_TEST, '--trace', cut, ...vars]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      new RegExp(`cut\\.otlp\\.binpb: not a trace file .*cut short: .*past the end of the data at byte ${bytes.length - 10} \\(a truncated file\\?\\)`),
    );
  });

  test('an unknown format, or a format without --save-trace, is a usage error', async () => {
    const unknown = await cli(['run', IMPORT_TEST, '--trace', POKESHOP_TRACE, '--save-trace', tempDir(), '--save-trace-format', 'xml']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--save-trace-format must be json or protobuf .*got "xml"/);
    const alone = await cli(['run', IMPORT_TEST, '--trace', POKESHOP_TRACE, '--save-trace-format', 'protobuf']);
    assert.equal(alone.code, 2);
    assert.match(alone.stderr, /--save-trace-format protobuf: needs --save-trace <dir>/);
  });

  test('tracelens receiver checks --out-format the same way, before it listens', async () => {
    const unknown = await cli(['receiver', '--http-port', '0', '--grpc-port', '0', '--out', tempDir(), '--out-format', 'xml']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--out-format must be json or protobuf .*got "xml"/);
    const alone = await cli(['receiver', '--http-port', '0', '--grpc-port', '0', '--out-format', 'protobuf']);
    assert.equal(alone.code, 2);
    assert.match(alone.stderr, /--out-format protobuf: needs --out <dir>/);
  });
});

describe('a broken selector, assertion or output errors alone; the rest of the test is judged', () => {
  const text = `type: Test
spec:
  id: broken-parts
  name: Broken parts
  trigger:
    type: traceid
    traceid:
      id: \${var:TRACE_ID}
  specs:
  - selector: span[tracetest.span.type = "database"]
    name: database
    assertions:
    - attr:db.system | nosuchfilter = "postgresql"
    - attr:db.system = = "postgresql"
    - attr:tracetest.span.type = "database"
    - attr:tracetest.span.type = "http"
  - selector: span[name = "broken"
    name: broken selector
    assertions:
    - attr:name = "x"
  outputs:
  - name: SYSTEM
    selector: span[tracetest.span.type = "database"]
    value: attr:db.system | nope
`;
  /** 1-based line and column of the first `needle` in the file, plus `shift` characters. */
  const placeOf = (needle: string, shift = 0): [number, number] => {
    const offset = text.indexOf(needle) + shift;
    const before = text.slice(0, offset).split('\n');
    return [before.length, before[before.length - 1]!.length + 1];
  };
  const write = (): string => {
    const file = join(tempDir(), 'broken-parts.yaml');
    writeFileSync(file, text);
    return file;
  };

  test('run exits 1; JSON says which items errored and where, and judges the others', async () => {
    const r = await cli(['run', write(), '--trace', POKESHOP_TRACE, '--reporter', 'json']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, '', 'nothing stops the run');
    const [t] = JSON.parse(r.stdout).tests;
    assert.equal(t.status, 'errored');
    const [database, broken] = t.specs;
    assert.deepEqual(
      database.assertions.map((a: { status: string; line: number; column: number }) => [a.status, a.line, a.column]),
      [
        ['errored', ...placeOf('nosuchfilter')],
        ['errored', ...placeOf('= = ', 2)],
        ['passed', ...placeOf('attr:tracetest.span.type = "database"')],
        ['failed', ...placeOf('attr:tracetest.span.type = "http"')],
      ],
    );
    assert.match(database.assertions[0].results[0].error, /nosuchfilter/);
    assert.equal(database.assertions[2].results.length, 2, 'judged on both database spans');
    assert.deepEqual(
      [broken.status, broken.line, broken.column],
      ['errored', placeOf('span[name = "broken"')[0], placeOf('span[name = "broken"')[1] + 'span[name = "broken"'.length],
    );
    assert.match(broken.error, /^selector: /);
    assert.deepEqual(
      t.outputs.map((o: { name: string; status: string; line: number; column: number }) => [o.name, o.status, o.line, o.column]),
      [['SYSTEM', 'errored', ...placeOf('nope')]],
    );
    assert.match(t.outputs[0].error, /nope/);
  });

  test('the pretty report points at each errored item with file:line:column', async () => {
    const file = write();
    const r = await cli(['run', file, '--trace', POKESHOP_TRACE, '--reporter', 'pretty']);
    assert.equal(r.code, 1);
    const at = (needle: string, shift = 0) => `${displayed(file)}:${placeOf(needle, shift).join(':')}`;
    assert.ok(r.stdout.includes(`! attr:db.system | nosuchfilter = "postgresql"  ${at('nosuchfilter')}`), r.stdout);
    assert.ok(r.stdout.includes(`! broken selector  ${at('span[name = "broken"', 'span[name = "broken"'.length)}`), r.stdout);
    assert.ok(r.stdout.includes(`! output SYSTEM: value does not parse: `), r.stdout);
    assert.ok(r.stdout.includes(at('nope')), r.stdout);
    assert.match(r.stdout, /✓ attr:tracetest\.span\.type = "database"|✗ attr:tracetest\.span\.type = "http"/);
  });

  test('JUnit: an error per broken item, starting with file:line:column; outputs have their own testsuite', async () => {
    const file = write();
    const r = await cli(['run', file, '--trace', POKESHOP_TRACE, '--reporter', 'junit']);
    assert.equal(r.code, 1);
    // 6 from the specs and outputs, 8 from the analyzer's suite (its score and 7 rules, none failing the test).
    assert.match(r.stdout, /<testsuites name="tracelens" tests="14" failures="1" errors="4" /);
    assert.match(r.stdout, /<testsuite name="Broken parts › analyzer" tests="8" failures="0" errors="0" skipped="0">/);
    assert.ok(r.stdout.includes(`message="${displayed(file)}:${placeOf('nosuchfilter').join(':')}: `), r.stdout);
    assert.match(r.stdout, /<testsuite name="Broken parts › outputs" tests="1" failures="0" errors="1" skipped="0">/);
  });

  test('a trigger field that does not parse errors the test at its line and column, and nothing is sent', async () => {
    const file = join(tempDir(), 'template.yaml');
    const broken = 'type: Test\nspec:\n  id: t\n  trigger:\n    type: http\n    httpRequest:\n      url: http://127.0.0.1:9/${var:HOST | nope}\n';
    writeFileSync(file, broken);
    const r = await cli(['run', file, '--otlp-http-port', '0', '--otlp-grpc-port', '0', '--reporter', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const [t] = JSON.parse(r.stdout).tests;
    assert.equal(t.status, 'errored');
    assert.match(t.error, /^trigger: trigger\.httpRequest\.url: unknown filter `nope`/);
    assert.deepEqual([t.line, t.column], [7, broken.split('\n')[6]!.indexOf('nope') + 1]);
    assert.equal(t.traceId, '', 'nothing was sent');
  });

  test('validate reports every one of them and exits 2', async () => {
    const file = write();
    const r = await cli(['validate', file]);
    assert.equal(r.code, 2);
    const lines = r.stderr.trim().split('\n');
    assert.deepEqual(
      lines.map((l) => l.slice(displayed(file).length + 1).split(': ')[0]),
      [placeOf('nosuchfilter'), placeOf('= = ', 2), placeOf('span[name = "broken"', 'span[name = "broken"'.length), placeOf('nope')].map((p) => p.join(':')),
    );
  });
});

test('a Tracetest Cloud environment next to the tests is not taken for a variable set; given with --vars it says why', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'import.yaml'), readFileSync(IMPORT_TEST, 'utf8'));
  const cloud = join(dir, 'environment.yaml');
  writeFileSync(cloud, 'type: Environment\nspec:\n  id: cloud\n  resources: ./resources\n  agentConfiguration:\n    serverless: true\n');
  const r = await cli(['run', dir, '--trace', POKESHOP_TRACE, '--var', 'POKESHOP_API_URL=x', '--reporter', 'json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const given = await cli(['run', dir, '--trace', POKESHOP_TRACE, '--vars', cloud, '--reporter', 'json']);
  assert.equal(given.code, 2);
  assert.match(given.stderr, /environment\.yaml: not a VariableSet file .*1:7: a Tracetest Cloud environment/);
});

test('problems of the saved trace are reported as warnings, and the run goes on', async () => {
  const dir = tempDir();
  const doc = JSON.parse(readFileSync(POKESHOP_TRACE, 'utf8'));
  const spans = doc.resourceSpans[0].scopeSpans[0].spans;
  spans.push({ ...spans[0] });
  const trace = join(dir, 'duplicated.json');
  writeFileSync(trace, JSON.stringify(doc));
  const r = await cli(['run', IMPORT_TEST, '--trace', trace, '--var', 'POKESHOP_API_URL=x', '--reporter', 'json']);
  assert.match(r.stderr, /duplicated\.json: span id [0-9a-f]{16} appears more than once/);
  assert.equal(JSON.parse(r.stdout).summary.passed, 1);
  assert.equal(r.code, 0);
  // The terminal report says it under the test that was judged on the repaired trace.
  const pretty = await cli(['run', IMPORT_TEST, '--trace', trace, '--var', 'POKESHOP_API_URL=x', '--reporter', 'pretty']);
  assert.match(pretty.stdout, /Import a Pokemon.*\n {2}⚠ trace: span id [0-9a-f]{16} appears more than once \("[^"]+"\); the first one is kept\n/);
});

describe('usage and file errors exit 2 and run nothing', () => {
  test('an invalid test file is reported at file:line:column', async () => {
    const dir = tempDir();
    const file = join(dir, 'broken.yaml');
    writeFileSync(
      file,
      'type: Test\nspec:\n  id: b\n  trigger:\n    type: traceid\n    traceid: {id: x}\n  specs:\n  - selector: span[name="a"]\n    asertions:\n    - attr:name = "a"\n',
    );
    const r = await cli(['run', file, '--trace', POKESHOP_TRACE, '--reporter', 'json']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /broken\.yaml:9:5: unknown property `asertions` in spec/);
  });

  for (const [label, args, message] of [
    ['unknown reporter', ['run', IMPORT_TEST, '--trace', POKESHOP_TRACE, '--reporter', 'xml'], /--reporter must be pretty, json or junit/],
    ['missing file', ['run', 'no/such/file.yaml', '--trace', POKESHOP_TRACE], /no\/such\/file\.yaml: no such file or directory/],
    ['missing trace file', ['run', IMPORT_TEST, '--trace', 'nope.json'], /nope\.json: cannot read trace file: ENOENT/],
    ['not a trace', ['run', IMPORT_TEST, '--trace', IMPORT_TEST], /not a trace file/],
    ['unknown option', ['run', IMPORT_TEST, '--frobnicate'], /frobnicate/],
    ['bad --var', ['run', IMPORT_TEST, '--trace', POKESHOP_TRACE, '--var', 'NOEQUALS'], /--var NOEQUALS: expected KEY=VALUE/],
    ['unknown command', ['frobnicate'], /unknown command "frobnicate"/],
    ['a VariableSet given as a test', ['run', join(TRACETEST, 'resources', 'config', 'variableset.yaml'), '--trace', POKESHOP_TRACE], /no Test or TestSuite/],
  ] as const) {
    test(label, async () => {
      const r = await cli([...args]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
    });
  }
});

describe('tracelens validate', () => {
  test('accepts every real Tracetest file', async () => {
    const r = await cli(['validate', TRACETEST]);
    assert.equal(r.stderr.trim(), '10 files valid');
    assert.equal(r.code, 0);
  });

  test("accepts every file of Tracetest's repository, printing the warnings about older forms", async () => {
    const r = await cli(['validate', join(FIXTURES, 'tracetest-corpus')]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.at(-1), '242 files valid');
    assert.ok(
      lines.slice(0, -1).every((l) => /^test\/fixtures\/tracetest-corpus\/[^:]+:\d+:\d+: warning: /.test(l)),
      r.stderr,
    );
  });

  test('reports each problem as file:line:column: message and exits 2', async () => {
    const dir = tempDir();
    const tests = join(TRACETEST, 'resources', 'tests');
    writeFileSync(
      join(dir, 'add.yaml'),
      readFileSync(join(tests, 'add-pokemon.yaml'), 'utf8').replace('    - attr:http.status_code = 201', '    - attr:http.status_code = = 201'),
    );
    writeFileSync(
      join(dir, 'list.yaml'),
      readFileSync(join(tests, 'list-pokemons.yaml'), 'utf8').replace('    name: A count operation', '    nmae: A count operation'),
    );
    const r = await cli(['validate', dir]);
    assert.equal(r.code, 2);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 2, r.stderr);
    assert.match(lines[0]!, /add\.yaml:25:31: assertion: /, 'the second `=` of `attr:http.status_code = = 201`');
    assert.match(lines[1]!, /list\.yaml:20:5: unknown property `nmae` in spec/);
  });
});

test('the built dist/cli.js runs as the tracelens binary', () => {
  const bin = join(ROOT, 'dist', 'cli.js');
  const version = execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
  assert.equal(version.trim(), JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  const run = spawnSync(process.execPath, [bin, 'run', IMPORT_TEST, '--trace', POKESHOP_TRACE, '--var', 'POKESHOP_API_URL=x'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(JSON.parse(run.stdout).summary.passed, 1, 'json is the default reporter when stdout is not a terminal');
});
