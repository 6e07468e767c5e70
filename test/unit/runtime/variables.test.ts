// Variables of runs in the editor: the active VariableSet file (chosen, or the only one), secret values from the
// editor's SecretStorage, asked for once when missing, and cleared on request. Also the other settings a run reads
// from the workspace: PollingProfiles, the Analyzer and the TestRunner.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { DEFAULT_GATE_SETTINGS } from '../../../src/core/analyzer/index';
import { createRuntime, type Runtime } from '../../../src/extension/runtime/index';
import { FakeVscode, makeWorkspace } from '../../support/vscode-fake/runtime';

const STAGING = `type: VariableSet
spec:
  id: staging
  name: Staging
  values:
    - key: API_URL
      value: https://staging.example.test
    - key: API_KEY
      value: ""
      type: secret
    - key: DB_PASSWORD
      value: <db password>
      type: secret
    - key: LEGACY_TOKEN
      value: written-in-the-file
      type: secret
`;

const LOCAL = `type: VariableSet
spec:
  id: local
  name: Local
  values:
    - key: API_URL
      value: http://127.0.0.1:8081
`;

const TEST = `type: Test
spec:
  name: t
  trigger:
    type: traceid
    traceid:
      id: \${var:TRACE_ID}
`;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function setup(files: Record<string, string>): { fake: FakeVscode; runtime: Runtime } {
  const ws = makeWorkspace(files);
  const fake = new FakeVscode(ws.root);
  const runtime = createRuntime(fake.api, { secrets: fake.secrets });
  cleanups.push(ws.remove, () => runtime.dispose());
  return { fake, runtime };
}

describe('variables', () => {
  it('uses the only VariableSet of the workspace when none is chosen, and says so in the log', async () => {
    const { fake, runtime } = setup({ 'tests/vars.yaml': LOCAL, 'tests/test.yaml': TEST });
    assert.deepEqual([...(await runtime.variables())], [['API_URL', 'http://127.0.0.1:8081']]);
    assert.match(fake.channel().text(), /Variable set: tests\/vars\.yaml \(the only VariableSet file in the workspace/);
    assert.equal(fake.inputBoxes.length, 0);
  });

  it('uses no variables when several VariableSets exist and none is chosen', async () => {
    const { fake, runtime } = setup({ 'staging.yaml': STAGING, 'local.yaml': LOCAL });
    assert.equal((await runtime.variables()).size, 0);
    assert.match(fake.channel().text(), /2 VariableSet files in the workspace and none chosen/);
  });

  it('takes secret values from SecretStorage, asks once for a missing one and stores it', async () => {
    const { fake, runtime } = setup({ 'config/staging.yaml': STAGING });
    fake.settings.set('tracelens.variableSet', 'config/staging.yaml');
    await fake.secrets.store('tracelens.variable/staging/API_KEY', 'key-from-storage');
    fake.inputBoxAnswers = [() => 'typed-password'];

    // Two runs at once: one prompt.
    const [vars, again] = await Promise.all([runtime.variables(), runtime.variables()]);
    const expected = {
      API_URL: 'https://staging.example.test',
      API_KEY: 'key-from-storage',
      DB_PASSWORD: 'typed-password',
      LEGACY_TOKEN: 'written-in-the-file',
    };
    assert.deepEqual(Object.fromEntries(vars), expected);
    assert.deepEqual(Object.fromEntries(again), expected);
    assert.equal(fake.inputBoxes.length, 1);
    assert.equal(fake.inputBoxes[0]?.password, true);
    assert.match(fake.inputBoxes[0]?.prompt ?? '', /DB_PASSWORD \(Staging\)/);
    assert.equal(fake.secrets.values.get('tracelens.variable/staging/DB_PASSWORD'), 'typed-password');
    assert.ok(!fake.channel().text().includes('typed-password'), 'secrets never reach the log');

    assert.equal((await runtime.variables()).get('DB_PASSWORD'), 'typed-password');
    assert.equal(fake.inputBoxes.length, 1, 'stored: not asked again');
  });

  it('runs without a secret the user declined to enter, and does not ask again', async () => {
    const { fake, runtime } = setup({ 'staging.yaml': STAGING });
    fake.settings.set('tracelens.variableSet', 'staging.yaml');
    fake.inputBoxAnswers = [() => undefined, () => undefined];
    const vars = await runtime.variables();
    assert.equal(vars.has('API_KEY'), false);
    assert.equal(vars.has('DB_PASSWORD'), false);
    assert.equal(fake.inputBoxes.length, 2);
    assert.match(fake.channel().text(), /Secret variable API_KEY has no value: tests that use \$\{var:API_KEY\} will error/);
    await runtime.variables();
    assert.equal(fake.inputBoxes.length, 2);
  });

  it('chooses the active set from a quick pick of the workspace\'s sets, or none, and clears stored secrets', async () => {
    const { fake, runtime } = setup({ 'envs/staging.yaml': STAGING, 'envs/local.yaml': LOCAL, 'tests/test.yaml': TEST });
    fake.quickPickAnswers = [(items) => items.find((i) => i.label === 'envs/local.yaml')];
    await fake.execute('tracelens.chooseVariableSet');
    const labels = fake.quickPicks[0]!.items.map((i) => i.label);
    assert.deepEqual(labels, ['envs/local.yaml', 'envs/staging.yaml', 'None', '', '$(trash) Clear stored secrets']);
    assert.match(fake.quickPicks[0]!.items[1]!.detail ?? '', /^4 variables \(3 secret\): API_URL, API_KEY/);
    assert.deepEqual(fake.settingUpdates, [{ key: 'variableSet', value: 'envs/local.yaml', target: 2 }]);
    assert.equal((await runtime.variables()).get('API_URL'), 'http://127.0.0.1:8081');

    fake.quickPickAnswers = [(items) => items.find((i) => i.label === 'None')];
    await fake.execute('tracelens.chooseVariableSet');
    assert.match(fake.quickPicks[1]!.items[0]!.description ?? '', /\(active\)/);
    assert.equal(fake.settings.get('tracelens.variableSet'), '');
    assert.equal((await runtime.variables()).size, 0, 'None stands even though sets exist');

    await fake.secrets.store('tracelens.variable/staging/API_KEY', 'k');
    await fake.secrets.store('tracelens.variable/staging/DB_PASSWORD', 'p');
    await fake.secrets.store('unrelated', 'kept');
    fake.quickPickAnswers = [(items) => items.find((i) => i.label.includes('Clear stored secrets'))];
    await fake.execute('tracelens.chooseVariableSet');
    assert.deepEqual([...fake.secrets.values.keys()], ['unrelated']);
    assert.match(fake.notifications.at(-1)?.message ?? '', /cleared 2 stored secrets/);
  });

  it('reports an unreadable or invalid variable set file by name', async () => {
    const { fake, runtime } = setup({ 'vars.yaml': 'type: VariableSet\nspec:\n  values: 3\n' });
    fake.settings.set('tracelens.variableSet', 'missing.yaml');
    await assert.rejects(runtime.variables(), /missing\.yaml: cannot read: ENOENT/);
    fake.settings.set('tracelens.variableSet', 'vars.yaml');
    await assert.rejects(runtime.variables(), /vars\.yaml:3:\d+: /);
  });
});

describe('polling profiles and timing', () => {
  it('finds the PollingProfiles of the workspace and takes the quiet window, and the timeout only when set', async () => {
    const { fake, runtime } = setup({
      'config/polling.yaml': 'type: PollingProfile\nspec:\n  id: slow\n  name: Slow\n  default: true\n  strategy: periodic\n  periodic:\n    retryDelay: 2s\n    timeout: 2m\n',
      'tests/test.yaml': TEST,
    });
    const profiles = await runtime.pollingProfiles();
    assert.deepEqual(profiles.map((p) => [p.id?.value, p.default, p.timeoutMs, p.retryDelayMs]), [['slow', true, 120_000, 2_000]]);
    assert.deepEqual(runtime.timing(), { quietMs: 300 });
    fake.settings.set('tracelens.timeout', '45s');
    fake.settings.set('tracelens.quietWindow', '1s');
    assert.deepEqual(runtime.timing(), { quietMs: 1_000, timeoutMs: 45_000 });
  });
});

describe('analyzer and required gates', () => {
  it('takes the first Analyzer and TestRunner of the workspace, says which in the log, and the defaults without them', async () => {
    const none = setup({ 'tests/test.yaml': TEST });
    assert.deepEqual(await none.runtime.gateSettings(), DEFAULT_GATE_SETTINGS);
    const { fake, runtime } = setup({
      'config/analyzer.yaml': 'type: Analyzer\nspec:\n  minimumScore: 70\n  plugins:\n  - id: security\n    enabled: false\n',
      'config/provision.yaml': 'type: DataStore\nspec:\n  name: otlp\n  type: otlp\n---\ntype: TestRunner\nspec:\n  requiredGates: [analyzer-rules]\n',
      'z/analyzer.yaml': 'type: Analyzer\nspec:\n  minimumScore: 10\n',
      'tests/test.yaml': TEST,
    });
    const settings = await runtime.gateSettings();
    assert.equal(settings.analyzer.minimumScore, 70);
    assert.deepEqual(settings.analyzer.plugins.map((p) => [p.id, p.enabled]), [['standards', true], ['common', true], ['security', false]]);
    assert.deepEqual(settings.requiredGates, ['analyzer-rules']);
    assert.match(fake.channel().text(), /Using the Analyzer of config\/analyzer\.yaml \(ignoring z\/analyzer\.yaml\)/);
    assert.match(fake.channel().text(), /Using the TestRunner of config\/provision\.yaml/);
  });
});
