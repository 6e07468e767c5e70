// Secret variables in the real editor: hover and completion name them but show `***`, and never stop to ask for one
// that is not stored yet (a password box would leave the hover hanging).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { labelOf, openNewFile, positionOf, waitFor, workspaceRoot } from './editor';

const SECRET_VARS = `type: VariableSet
spec:
  id: exthost-secrets
  values:
    - key: API_URL
      value: http://127.0.0.1:8081
    - key: API_TOKEN
      value: tok-written-in-the-file
      type: secret
    - key: DB_PASSWORD
      value: ""
      type: secret
`;

const TEST = `type: Test
spec:
  id: uses-secrets
  name: Uses secrets
  trigger:
    type: http
    httpRequest:
      url: \${var:API_URL}/pokemon
      headers:
        - key: Authorization
          value: Bearer \${var:API_TOKEN}
  specs:
    - selector: span[name="GET /pokemon"]
      assertions:
        - attr:http.status_code = 200
`;

suite('secrets', () => {
  suiteSetup(async () => {
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(workspaceRoot(), 'secret-vars.yaml'), new TextEncoder().encode(SECRET_VARS));
    await vscode.workspace.getConfiguration('tracelens').update('variableSet', 'secret-vars.yaml', vscode.ConfigurationTarget.Workspace);
  });
  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('tracelens').update('variableSet', undefined, vscode.ConfigurationTarget.Workspace);
  });

  test('hover on a secret variable shows *** and not its value', async () => {
    const editor = await openNewFile('uses-secrets.yaml', TEST);
    const position = positionOf(editor.document, 'var:API_TOKEN', 'var:API'.length);
    const text = await waitFor('a Tracelens hover on var:API_TOKEN', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, position);
      const found = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      return /API_TOKEN/.test(found) ? found : undefined;
    });
    assert.match(text, /`API_TOKEN` = `\*\*\*` in the active variable set/);
    assert.doesNotMatch(text, /tok-written-in-the-file/);
  });

  test('completion lists secret variables, stored or not, with *** for their values', async () => {
    const editor = await openNewFile('complete-secrets.yaml', TEST.replace('${var:API_TOKEN}', '${var:}'));
    const position = positionOf(editor.document, '${var:}', '${var:'.length);
    const items = await waitFor('the variables in completion', async () => {
      const result = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, position);
      const found = result.items.filter((i) => ['API_URL', 'API_TOKEN', 'DB_PASSWORD'].includes(labelOf(i)));
      return found.length === 3 ? found : undefined;
    });
    const details = Object.fromEntries(items.map((i) => [labelOf(i), i.detail]));
    assert.deepEqual(details, { API_URL: 'http://127.0.0.1:8081', API_TOKEN: '***', DB_PASSWORD: '***' });
  });
});
