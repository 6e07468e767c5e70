// Variables of runs in the editor: the active VariableSet file (chosen, or the only one), secret values from the
// editor's SecretStorage (kept per workspace folder), asked for once when missing, and cleared on request; values
// stored by an earlier version for every workspace are used only when the user says so. Also the other settings a
// run reads from the workspace: PollingProfiles, the Analyzer and the TestRunner.
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, it } from 'node:test';
import { DEFAULT_GATE_SETTINGS } from '../../../src/core/analyzer/index';
import { createRuntime, type Runtime } from '../../../src/extension/runtime/runtime';
import { FakeVscode, makeWorkspace, type MemorySecrets } from '../../support/vscode-fake/runtime';

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

/** A window on a workspace folder with these files; windows given the same `secrets` share the editor's storage. */
function setup(files: Record<string, string>, secrets?: MemorySecrets): { fake: FakeVscode; runtime: Runtime; root: string } {
  const ws = makeWorkspace(files);
  const fake = new FakeVscode(ws.root);
  const runtime = createRuntime(fake.api, { secrets: secrets ?? fake.secrets });
  cleanups.push(ws.remove, () => runtime.dispose());
  return { fake, runtime, root: ws.root };
}

/** Where a secret of the `staging` set is kept for the folder at `root`. */
const keyIn = (root: string, variable: string) => `tracelens.variable/${encodeURIComponent(pathToFileURL(root).href)}/staging/${variable}`;
const values = async (runtime: Runtime) => Object.fromEntries((await runtime.variables()).values);

describe('variables', () => {
  it('uses the only VariableSet of the workspace when none is chosen, and says so in the log', async () => {
    const { fake, runtime } = setup({ 'tests/vars.yaml': LOCAL, 'tests/test.yaml': TEST });
    assert.deepEqual(await runtime.variables(), { values: new Map([['API_URL', 'http://127.0.0.1:8081']]), secrets: new Set() });
    assert.match(fake.channel().text(), /Variable set: tests\/vars\.yaml \(the only VariableSet file in the workspace/);
    assert.equal(fake.inputBoxes.length, 0);
  });

  it('uses no variables when several VariableSets exist and none is chosen', async () => {
    const { fake, runtime } = setup({ 'staging.yaml': STAGING, 'local.yaml': LOCAL });
    assert.equal((await runtime.variables()).values.size, 0);
    assert.match(fake.channel().text(), /2 VariableSet files in the workspace and none chosen/);
  });

  it('takes secret values from SecretStorage, asks once for a missing one and stores it for the folder', async () => {
    const { fake, runtime, root } = setup({ 'config/staging.yaml': STAGING });
    fake.settings.set('tracelens.variableSet', 'config/staging.yaml');
    await fake.secrets.store(keyIn(root, 'API_KEY'), 'key-from-storage');
    fake.inputBoxAnswers = [() => 'typed-password'];

    // Two runs at once: one prompt.
    const [vars, again] = await Promise.all([values(runtime), values(runtime)]);
    const expected = {
      API_URL: 'https://staging.example.test',
      API_KEY: 'key-from-storage',
      DB_PASSWORD: 'typed-password',
      LEGACY_TOKEN: 'written-in-the-file',
    };
    assert.deepEqual(vars, expected);
    assert.deepEqual(again, expected);
    assert.deepEqual([...(await runtime.variables()).secrets], ['API_KEY', 'DB_PASSWORD', 'LEGACY_TOKEN']);
    assert.equal(fake.inputBoxes.length, 1);
    assert.equal(fake.inputBoxes[0]?.password, true);
    assert.match(fake.inputBoxes[0]?.prompt ?? '', /DB_PASSWORD \(Staging\) for workspace/);
    assert.equal(fake.secrets.values.get(keyIn(root, 'DB_PASSWORD')), 'typed-password');
    assert.ok(!fake.channel().text().includes('typed-password'), 'secrets never reach the log');

    assert.equal((await values(runtime)).DB_PASSWORD, 'typed-password');
    assert.equal(fake.inputBoxes.length, 1, 'stored: not asked again');
  });

  it('runs without a secret the user declined to enter, and does not ask again', async () => {
    const { fake, runtime } = setup({ 'staging.yaml': STAGING });
    fake.settings.set('tracelens.variableSet', 'staging.yaml');
    fake.inputBoxAnswers = [() => undefined, () => undefined];
    const vars = (await runtime.variables()).values;
    assert.equal(vars.has('API_KEY'), false);
    assert.equal(vars.has('DB_PASSWORD'), false);
    assert.equal(fake.inputBoxes.length, 2);
    assert.match(fake.channel().text(), /Secret variable API_KEY has no value: tests that use \$\{var:API_KEY\} will error/);
    await runtime.variables();
    assert.equal(fake.inputBoxes.length, 2);
  });

  it("chooses the active set from a quick pick of the workspace's sets, or none, and clears stored secrets", async () => {
    const { fake, runtime } = setup({ 'envs/staging.yaml': STAGING, 'envs/local.yaml': LOCAL, 'tests/test.yaml': TEST });
    fake.quickPickAnswers = [(items) => items.find((i) => i.label === 'envs/local.yaml')];
    await fake.execute('tracelens.chooseVariableSet');
    const labels = fake.quickPicks[0]!.items.map((i) => i.label);
    assert.deepEqual(labels, ['envs/local.yaml', 'envs/staging.yaml', 'None', '', '$(trash) Clear stored secrets']);
    assert.match(fake.quickPicks[0]!.items[1]!.detail ?? '', /^4 variables \(3 secret\): API_URL, API_KEY/);
    assert.deepEqual(fake.settingUpdates, [{ key: 'variableSet', value: 'envs/local.yaml', target: 2 }]);
    assert.equal((await values(runtime)).API_URL, 'http://127.0.0.1:8081');

    fake.quickPickAnswers = [(items) => items.find((i) => i.label === 'None')];
    await fake.execute('tracelens.chooseVariableSet');
    assert.match(fake.quickPicks[1]!.items[0]!.description ?? '', /\(active\)/);
    assert.equal(fake.settings.get('tracelens.variableSet'), '');
    assert.equal((await runtime.variables()).values.size, 0, 'None stands even though sets exist');

    await fake.secrets.store(keyIn(fake.root!, 'API_KEY'), 'k');
    await fake.secrets.store(keyIn(fake.root!, 'DB_PASSWORD'), 'p');
    await fake.secrets.store('tracelens.variable/staging/API_KEY', 'stored by an earlier version');
    await fake.secrets.store(keyIn('/another/workspace', 'API_KEY'), "another workspace's");
    await fake.secrets.store('unrelated', 'kept');
    fake.quickPickAnswers = [(items) => items.find((i) => i.label.includes('Clear stored secrets'))];
    await fake.execute('tracelens.chooseVariableSet');
    assert.deepEqual([...fake.secrets.values.keys()], [keyIn('/another/workspace', 'API_KEY'), 'unrelated']);
    assert.match(fake.notifications.at(-1)?.message ?? '', /cleared 3 stored secrets/);
  });

  it('keeps a secret for its workspace folder: another repository with a set of the same id is asked, not given it', async () => {
    const first = setup({ 'staging.yaml': STAGING });
    first.fake.settings.set('tracelens.variableSet', 'staging.yaml');
    first.fake.inputBoxAnswers = [() => 'first-key', () => 'first-password'];
    assert.equal((await values(first.runtime)).API_KEY, 'first-key');

    // A second window, on a repository that declares a set with the same id: the editor's storage is shared.
    const second = setup({ 'vars.yaml': STAGING }, first.fake.secrets);
    second.fake.settings.set('tracelens.variableSet', 'vars.yaml');
    second.fake.inputBoxAnswers = [() => 'second-key', () => undefined];
    const vars = await values(second.runtime);
    assert.equal(vars.API_KEY, 'second-key');
    assert.equal(vars.DB_PASSWORD, undefined);
    assert.equal(second.fake.inputBoxes.length, 2, 'asked for both, given neither');
    assert.equal(first.fake.secrets.values.get(keyIn(first.root, 'API_KEY')), 'first-key', "the first folder's value is untouched");
    assert.equal((await values(first.runtime)).API_KEY, 'first-key');
  });

  it('offers a value stored by an earlier version (shared by every workspace) and uses it only when the user says so', async () => {
    const legacy = 'tracelens.variable/staging/API_KEY';
    const { fake, runtime, root } = setup({ 'staging.yaml': STAGING });
    fake.settings.set('tracelens.variableSet', 'staging.yaml');
    await fake.secrets.store(legacy, 'old-shared-key');
    await fake.secrets.store(keyIn(root, 'DB_PASSWORD'), 'p');

    // Completion and hover never ask and never take it.
    assert.equal((await runtime.variables({ ask: false })).values.has('API_KEY'), false);
    assert.deepEqual([fake.notifications.length, fake.inputBoxes.length], [0, 0]);

    // Dismissed: not used, and a value is asked for instead; the old entry stays for the workspace it belongs to.
    fake.notificationAnswers = [undefined];
    fake.inputBoxAnswers = [() => 'typed-here'];
    assert.equal((await values(runtime)).API_KEY, 'typed-here');
    const [question] = fake.notifications;
    assert.equal(question?.severity, 'warning');
    assert.equal(question?.options?.modal, true);
    assert.match(
      question?.message ?? '',
      /secret variable API_KEY \(Staging\) stored by an earlier version, which shared it with every workspace\. Use it for workspace\?/,
    );
    assert.deepEqual(question?.items, ['Use Here', 'Enter Another Value']);
    assert.equal(fake.secrets.values.get(legacy), 'old-shared-key');
    assert.ok(!question?.message.includes('old-shared-key'));

    // Taken: moved to this folder, and no longer offered anywhere else.
    await fake.secrets.delete(keyIn(root, 'API_KEY'));
    fake.notificationAnswers = ['Use Here'];
    assert.equal((await values(runtime)).API_KEY, 'old-shared-key');
    assert.equal(fake.secrets.values.get(keyIn(root, 'API_KEY')), 'old-shared-key');
    assert.equal(fake.secrets.values.has(legacy), false);
    assert.equal(fake.inputBoxes.length, 1, 'nothing typed the second time');
    assert.match(fake.channel().text(), /Secret variable API_KEY moved to the secret storage of workspace/);
  });

  it('masks the secrets it handed out in the output channel, and says which are too short to mask', async () => {
    const { fake, runtime, root } = setup({ 'staging.yaml': STAGING.replace('value: written-in-the-file', 'value: abc') });
    fake.settings.set('tracelens.variableSet', 'staging.yaml');
    await fake.secrets.store(keyIn(root, 'API_KEY'), 'key-from-storage');
    await fake.secrets.store(keyIn(root, 'DB_PASSWORD'), 'p4ssw0rd');
    await runtime.variables();
    runtime.log('GET https://staging.example.test/?key=key-from-storage: connection refused (p4ssw0rd)');
    assert.match(fake.channel().text(), /\?key=\*\*\*: connection refused \(\*\*\*\)/);
    assert.match(fake.channel().text(), /Secret variable LEGACY_TOKEN is shorter than 4 characters: it cannot be masked/);
    assert.ok(!fake.channel().text().includes('key-from-storage'));
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
      'config/polling.yaml':
        'type: PollingProfile\nspec:\n  id: slow\n  name: Slow\n  default: true\n  strategy: periodic\n  periodic:\n    retryDelay: 2s\n    timeout: 2m\n',
      'tests/test.yaml': TEST,
    });
    const profiles = await runtime.pollingProfiles();
    assert.deepEqual(
      profiles.map((p) => [p.id?.value, p.default, p.timeoutMs, p.retryDelayMs]),
      [['slow', true, 120_000, 2_000]],
    );
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
    assert.deepEqual(
      settings.analyzer.plugins.map((p) => [p.id, p.enabled]),
      [
        ['standards', true],
        ['common', true],
        ['security', false],
      ],
    );
    assert.deepEqual(settings.requiredGates, ['analyzer-rules']);
    assert.match(fake.channel().text(), /Using the Analyzer of config\/analyzer\.yaml \(ignoring z\/analyzer\.yaml\)/);
    assert.match(fake.channel().text(), /Using the TestRunner of config\/provision\.yaml/);
  });
});
