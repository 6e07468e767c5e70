// The extension activates on a test file and registers every command it contributes.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, openWorkspaceFile, waitFor } from './editor';

suite('activation', () => {
  test('opening a demo test activates the extension', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    await openWorkspaceFile('add-pokemon.yaml');
    await waitFor('the extension to activate', () => (extension.isActive ? true : undefined));
  });
});
