// Workspace Trust in the editor's runtime, against the vscode fake: in Restricted Mode a run gets no trace source
// (so it sends nothing), the receiver does not start, the VariableSet and its secrets are not read, and the user is
// told how to trust the workspace; once trusted, all of it works.
// The real editor's Restricted Mode is exercised in test/e2e/restricted.e2e.ts.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { createRuntime, RESTRICTED_MODE, type Runtime } from '../../../src/extension/runtime/runtime';
import { FakeVscode, makeWorkspace, waitForStatus } from '../../support/vscode-fake/runtime';

const SECRETS = `type: VariableSet
spec:
  id: staging
  values:
    - key: API_URL
      value: https://staging.example.test
    - key: API_KEY
      value: ""
      type: secret
`;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function setup(trusted: boolean): { fake: FakeVscode; runtime: Runtime; root: string } {
  const ws = makeWorkspace({ 'tests/vars.yaml': SECRETS });
  const fake = new FakeVscode(ws.root);
  fake.trusted = trusted;
  fake.settings.set('tracelens.otlp.httpPort', 0);
  fake.settings.set('tracelens.otlp.grpcPort', 0);
  const runtime = createRuntime(fake.api, { secrets: fake.secrets });
  cleanups.push(ws.remove, () => runtime.dispose());
  return { fake, runtime, root: ws.root };
}

const canConnect = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

describe('Restricted Mode', () => {
  it('gives runs no trace source, starts no receiver, and says how to trust the workspace', async () => {
    const { fake, runtime } = setup(false);
    fake.notificationAnswers.push('Manage Workspace Trust');
    await assert.rejects(runtime.acquireSource(), (e: Error) => e.message === RESTRICTED_MODE);
    assert.equal(runtime.receiver.state.kind, 'off');
    const warning = fake.notifications.find((n) => n.severity === 'warning')!;
    assert.match(warning.message, /Restricted Mode: running tests \(which sends requests\), the OTLP receiver and stored secrets need a trusted workspace/);
    assert.deepEqual(warning.items, ['Manage Workspace Trust']);
    await fake.waitForExecuted('workbench.trust.manage');
    assert.equal(fake.statusBarItem().text, '$(workspace-untrusted) Tracelens: restricted');
    assert.match(fake.channel().text(), /Restricted Mode: test files are checked and completed/);
  });

  it('does not start the receiver from its command either', async () => {
    const { fake, runtime } = setup(false);
    await fake.execute('tracelens.startReceiver');
    assert.equal(runtime.receiver.state.kind, 'off');
    assert.equal(fake.notifications.at(-1)?.severity, 'warning');
  });

  it('reads no variables and asks for no secret, and will not choose a VariableSet', async () => {
    const { fake, runtime } = setup(false);
    fake.settings.set('tracelens.variableSet', 'tests/vars.yaml');
    assert.equal((await runtime.variables()).values.size, 0);
    await fake.execute('tracelens.chooseVariableSet');
    assert.equal(fake.inputBoxes.length, 0);
    assert.equal(fake.quickPicks.length, 0);
    assert.equal(fake.secrets.values.size, 0);
  });

  it('once the workspace is trusted: the status bar, runs, the receiver and the variables work', async () => {
    const { fake, runtime } = setup(false);
    fake.inputBoxAnswers.push(() => 'k-123');
    fake.grantTrust();
    await waitForStatus(fake.statusBarItem(), (text) => text === '$(circle-slash) OTLP off');
    assert.match(fake.channel().text(), /Workspace trusted: runs, the OTLP receiver and stored secrets are available/);
    const source = await runtime.acquireSource();
    assert.match(source.description, /embedded OTLP receiver/);
    const state = runtime.receiver.state;
    assert.ok(state.kind === 'on' && (await canConnect(state.receiver.httpPort)));
    fake.settings.set('tracelens.variableSet', 'tests/vars.yaml');
    assert.deepEqual(Object.fromEntries((await runtime.variables()).values), { API_URL: 'https://staging.example.test', API_KEY: 'k-123' });
  });
});
