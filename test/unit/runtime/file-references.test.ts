// Where the files a run's triggers name may be, in the editor: the test file's workspace folder, unless the user
// allows more with tracelens.allowFileReferencesOutsideWorkspace.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { createRuntime } from '../../../src/extension/runtime/runtime';
import { FakeVscode, makeWorkspace } from '../../support/vscode-fake/runtime';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('file references of runs in the editor', () => {
  it('are confined to the test file’s workspace folder unless the setting allows more', () => {
    const ws = makeWorkspace({ 'tests/orders.yaml': '' });
    const fake = new FakeVscode(ws.root);
    const runtime = createRuntime(fake.api, { secrets: fake.secrets });
    cleanups.push(ws.remove, () => runtime.dispose());
    const root = ws.root;
    const inside = runtime.fileReferences(join(root, 'tests', 'orders.yaml'));
    assert.equal(inside.root, root);
    assert.equal(inside.allowOutside, false);
    assert.match(inside.widen, /move it into the workspace folder, or set tracelens\.allowFileReferencesOutsideWorkspace/);
    const loose = runtime.fileReferences('/elsewhere/tests/loose.yaml');
    assert.equal(loose.root, '/elsewhere/tests');
    fake.settings.set('tracelens.allowFileReferencesOutsideWorkspace', true);
    assert.equal(runtime.fileReferences(join(root, 'tests', 'orders.yaml')).allowOutside, true);
  });
});
