// The leak matrix of the command line: every reporter (pretty, live progress on a terminal, json, junit), the saved
// traces and stderr, against every way a secret flows (URL path and query, a header, bearer, basic and apiKey auth,
// the body, a response that echoes it, an expected value, an output, error text), with the secret given each way
// (a VariableSet `type: secret`, --secret KEY from the environment, --secret KEY=VALUE). Live runs against a real
// instrumented service: the secret is absent from everything written, and the assertions still judged it.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { main } from '../../../src/cli';
import { loadVariables } from '../../../src/run/variables';
import { startEchoService, type EchoService } from '../../support/echo-service';
import { FLOW_TESTS, leakedForms, SECRET, writeFlowTests } from '../../support/secret-flows';

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[], options: { env?: NodeJS.ProcessEnv; tty?: boolean } = {}): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (s: string) => (stdout += s), isTTY: options.tty ?? false, ...(options.tty ? { columns: 200 } : {}) } as {
      write(s: string): unknown;
      isTTY: boolean;
    },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    env: options.env ?? {},
  });
  return { code, stdout, stderr };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as import('node:net').AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Every file under the directory, as one text. */
function savedText(dir: string): { files: string[]; text: string } {
  const files = readdirSync(dir).sort();
  return { files, text: files.map((f) => readFileSync(join(dir, f), 'utf8')).join('\n') };
}

function assertNoLeak(what: string, text: string): void {
  assert.deepEqual(leakedForms(text), [], `${what} shows the secret`);
}

let service: EchoService;
let receiverPort: number;
let testDir: string;
let tests: string[];
const work = mkdtempSync(join(tmpdir(), 'tracelens-secrets-'));

before(async () => {
  receiverPort = await freePort();
  service = await startEchoService(`http://127.0.0.1:${receiverPort}`);
  testDir = join(work, 'tests');
  mkdirSync(testDir);
  tests = writeFlowTests(testDir, service.url, `http://127.0.0.1:${await freePort()}`);
});
after(() => service.close());

/** One live run of every flow test, all at once. */
function run(extra: string[], options: { env?: NodeJS.ProcessEnv; tty?: boolean } = {}): Promise<Captured> {
  return cli(
    ['run', testDir, '--otlp-http-port', String(receiverPort), '--otlp-grpc-port', '0', '--workers', String(tests.length), '--timeout', '10s', ...extra],
    options,
  );
}

describe('secrets in what tracelens run writes', () => {
  test('json report and saved traces, the secret from a VariableSet `type: secret`: masked everywhere, judged with the real value', async () => {
    const vars = join(work, 'secret-vars.yaml');
    writeFileSync(vars, `type: VariableSet\nspec:\n  id: ci\n  values:\n    - key: TOKEN\n      value: '${SECRET.replace(/'/g, "''")}'\n      type: secret\n`);
    const saved = join(work, 'saved-json');
    const r = await run(['--vars', vars, '--reporter', 'json', '--save-trace', saved]);
    assertNoLeak('stdout', r.stdout);
    assertNoLeak('stderr', r.stderr);
    const report = JSON.parse(r.stdout) as {
      tests: Array<{
        id: string;
        status: string;
        error?: string;
        specs: Array<{ status: string; assertions: Array<{ status: string; results: Array<{ spanId: string; observed: string; expected: string }> }> }>;
        outputs: Array<{ name: string; value: string }>;
      }>;
    };
    const byId = new Map(report.tests.map((t) => [t.id, t]));
    assert.deepEqual([...byId.keys()].sort(), Object.keys(FLOW_TESTS).sort());

    // Judged with the real value: the assertions that compare with the secret pass, the ones that differ fail.
    const flows = byId.get('flows')!;
    assert.deepEqual(
      flows.specs.map((s) => s.status),
      ['passed', 'failed', 'failed'],
      r.stdout,
    );
    assert.deepEqual(
      flows.specs[0]!.assertions.map((a) => a.status),
      ['passed', 'passed', 'passed', 'passed'],
    );
    assert.deepEqual(flows.specs[0]!.assertions[0]!.results[0], {
      spanId: flows.specs[0]!.assertions[0]!.results[0]!.spanId,
      observed: '***',
      expected: '***',
      passed: true,
    });
    assert.equal(flows.specs[0]!.assertions[1]!.results[0]!.expected, 'Bearer ***');
    assert.equal(flows.specs[1]!.assertions[0]!.results[0]!.expected, '***-other');
    assert.match(flows.specs[2]!.assertions[0]!.results[0]!.observed, /"query":"token=\*\*\*&plain=1".*"x-secret":"\*\*\*"/);
    assert.match(flows.specs[2]!.assertions[1]!.results[0]!.observed, /"key":"x-echo","value":"\*\*\*"/);
    assert.deepEqual(
      flows.outputs.map((o) => [o.name, o.value]),
      [['TOKEN_SEEN', '***']],
    );
    assert.deepEqual(
      byId.get('apikey-header')!.specs[0]!.assertions.map((a) => a.status),
      ['passed', 'failed'],
    );
    assert.equal(byId.get('basic')!.specs[0]!.assertions[1]!.results[0]!.observed, 'Basic ***');
    assert.equal(byId.get('apikey-query')!.specs[0]!.assertions[0]!.results[0]!.observed, 'api_key=***');
    assert.equal(byId.get('refused')!.status, 'errored');
    assert.match(byId.get('refused')!.error!, /^trigger: GET http:\/\/127\.0\.0\.1:\d+\/echo\?token=\*\*\*: connection refused/);
    assert.match(byId.get('bad-header')!.error!, /trigger\.httpRequest\.headers\[0\]\.key: `X-\*\*\*` is not a valid header name/);

    const { files, text } = savedText(saved);
    assert.deepEqual(
      files.map((f) => f.replace(/-[0-9a-f]{32}\.otlp\.json$/, '')),
      ['apikey-header', 'apikey-query', 'basic', 'flows'],
    );
    assertNoLeak('saved traces', text);
    assert.match(text, /"key": "tracetest\.request\.url",\s*"value": \{\s*"stringValue": "http:\/\/127\.0\.0\.1:\d+\/echo\/\*\*\*\?token=\*\*\*&plain=1"/);
    assert.match(text, /"name": "POST \/echo\/\*\*\*"/, 'span names are masked too');
    // A saved trace replays: the masked values are what the replay sees.
    const flowsTrace = join(
      saved,
      files.find((f) => f.startsWith('flows-'))!,
    );
    const replay = await cli(['run', tests.find((t) => t.endsWith('flows.yaml'))!, '--trace', flowsTrace, '--var', 'TOKEN=***', '--reporter', 'json']);
    assert.equal(JSON.parse(replay.stdout).tests[0].specs[0].status, 'passed', replay.stdout + replay.stderr);
  });

  test('junit report written with --out, the secret from --secret KEY and the environment', async () => {
    const out = join(work, 'junit.xml');
    const saved = join(work, 'saved-junit');
    const r = await run(['--secret', 'TOKEN', '--reporter', 'junit', '--out', out, '--save-trace', saved], { env: { TOKEN: SECRET } });
    assert.equal(r.code, 1);
    const xml = readFileSync(out, 'utf8');
    assertNoLeak('junit report', xml);
    assertNoLeak('stdout and stderr', r.stdout + r.stderr);
    assertNoLeak('saved traces', savedText(saved).text);
    assert.match(xml, /expected \*\*\*-other, observed \*\*\*/);
    assert.match(xml, /<error type="error" message="trigger: GET http:\/\/127\.0\.0\.1:\d+\/echo\?token=\*\*\*: connection refused/);
    assert.match(xml, /failures="6" errors="2"/, 'the same verdicts as with the real value shown');
  });

  test('pretty report, the secret from --secret KEY=VALUE', async () => {
    const r = await run(['--secret', `TOKEN=${SECRET}`, '--reporter', 'pretty']);
    assertNoLeak('pretty report', r.stdout + r.stderr);
    assert.match(r.stdout, /expected \*\*\*-other, observed \*\*\*/);
    assert.match(r.stdout, /output TOKEN_SEEN = \*\*\*/);
    assert.match(r.stdout, /`X-\*\*\*` is not a valid header name/);
    assert.match(r.stdout, /Tests: 0 passed, 4 failed, 2 errored/);
  });

  test('live progress on a terminal', async () => {
    const r = await run(['--secret', `TOKEN=${SECRET}`], { tty: true });
    assert.match(r.stdout, /\u001b\[/, 'drawn as on a terminal');
    assertNoLeak('live progress', r.stdout + r.stderr);
    assert.match(r.stdout, /observed \S*\*\*\*/);
  });
});

describe('secret variables on the command line', () => {
  const file = (text: string) => {
    const path = join(work, `vars-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(path, text);
    return path;
  };

  test('a placeholder secret of a VariableSet takes the environment variable of its name; without one it is left unset, with a note', async () => {
    const vars = file(
      'type: VariableSet\nspec:\n  values:\n    - key: API_KEY\n      value: "<api key>"\n      type: secret\n    - key: DB_PASSWORD\n      value: ""\n      type: secret\n    - key: URL\n      value: http://x\n',
    );
    const { variables, notes } = await loadVariables({ files: [vars], assignments: [], secrets: [], env: (name) => ({ API_KEY: 'key-from-env' })[name] });
    assert.deepEqual(Object.fromEntries(variables.values), { API_KEY: 'key-from-env', URL: 'http://x' });
    assert.deepEqual([...variables.secrets], ['API_KEY', 'DB_PASSWORD']);
    assert.equal(notes.length, 1);
    assert.match(
      notes[0]!,
      /secret variable DB_PASSWORD of .*vars-.*\.yaml has no value in the file: set the environment variable DB_PASSWORD, or pass --secret DB_PASSWORD=…/,
    );
  });

  test('--var and --secret win over files; a secret stays secret when --var sets it; a value too short to mask is said', async () => {
    const vars = file('type: VariableSet\nspec:\n  values:\n    - key: TOKEN\n      value: from-file\n      type: secret\n');
    const { variables, notes } = await loadVariables({ files: [vars], assignments: ['TOKEN=from-var', 'PIN=1'], secrets: ['PIN=123'], env: () => undefined });
    assert.deepEqual(Object.fromEntries(variables.values), { TOKEN: 'from-var', PIN: '123' });
    assert.deepEqual([...variables.secrets].sort(), ['PIN', 'TOKEN']);
    assert.deepEqual(notes, ['secret variable PIN is shorter than 4 characters: it cannot be masked in what the run writes']);
  });

  for (const [flag, env, message] of [
    ['TOKEN', {}, /--secret TOKEN: the environment variable TOKEN is not set/],
    ['TOKEN=', {}, /--secret TOKEN=: the value is empty/],
    [SECRET, {}, /--secret: expected KEY=VALUE, or the name of an environment variable/],
  ] as const) {
    test(`usage error: --secret ${flag === SECRET ? '<a value without KEY=>' : flag}, without repeating a value`, async () => {
      const r = await cli(['run', testDir, '--secret', flag, '--reporter', 'json'], { env });
      assert.equal(r.code, 2);
      assert.match(r.stderr, message);
      assertNoLeak('the usage error', r.stderr);
    });
  }
});
