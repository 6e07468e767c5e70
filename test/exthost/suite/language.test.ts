// Problems and their quick fixes, completion and CodeLens through VS Code's own commands: what the editor shows,
// provider wiring included.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { diagnosticsOf, labelOf, withoutIcons, openNewFile, openWorkspaceFile, positionOf, rangeOf, waitFor } from './editor';

const BROKEN = `type: Test
spec:
  id: broken
  name: A typo in the request
  trigger:
    type: http
    httpRequest:
      methd: POST
      url: http://127.0.0.1:8081/pokemon
  specs:
    - selector: span[name="POST /pokemon"]
      assertions:
        - attr:http.status_code = 201
`;

suite('language features', () => {
  test('a schema error is a diagnostic on the exact key', async () => {
    const editor = await openNewFile('broken.yaml', BROKEN);
    const problems = await waitFor('a diagnostic on broken.yaml', () => {
      const found = diagnosticsOf(editor.document.uri);
      return found.length > 0 ? found : undefined;
    });
    const typo = problems.find((d) => d.message.includes('`methd`'));
    assert.ok(typo, `no diagnostic names \`methd\`: ${problems.map((d) => d.message).join('; ')}`);
    assert.equal(typo.severity, vscode.DiagnosticSeverity.Error);
    const start = positionOf(editor.document, 'methd');
    assert.deepEqual(rangeOf(typo.range), [start.line, start.character, start.line, start.character + 'methd'.length]);
  });

  test('fixing the error clears the diagnostic', async () => {
    const editor = await openNewFile('fixed.yaml', BROKEN);
    await waitFor('a diagnostic on fixed.yaml', () => (diagnosticsOf(editor.document.uri).length > 0 ? true : undefined));
    const start = positionOf(editor.document, 'methd');
    await editor.edit((edit) => edit.replace(new vscode.Range(start, start.translate(0, 'methd'.length)), 'method'));
    await waitFor('the diagnostics to clear', () => (diagnosticsOf(editor.document.uri).length === 0 ? true : undefined));
  });

  test('an attribute written without `attr:` is a warning whose quick fix rewrites just that, keeping the comment', async () => {
    const text = BROKEN.replace('methd: POST', 'method: POST').replace('- attr:http.status_code = 201', '- http.status_code = 201 # created');
    const editor = await openNewFile('legacy.yaml', text);
    const [warning] = await waitFor('a warning on legacy.yaml', () => {
      const found = diagnosticsOf(editor.document.uri);
      return found.length > 0 ? found : undefined;
    });
    assert.equal(warning!.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(warning!.message, /read as `attr:http\.status_code`/);
    const actions = await waitFor('the quick fix', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        editor.document.uri,
        warning!.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      return found.some((a) => a.title === 'Write `attr:http.status_code`') ? found : undefined;
    });
    const fix = actions.find((a) => a.title === 'Write `attr:http.status_code`')!;
    assert.ok(fix.edit && (await vscode.workspace.applyEdit(fix.edit)));
    assert.equal(editor.document.getText(), text.replace('- http.status_code', '- attr:http.status_code'));
    await waitFor('the warning to clear', () => (diagnosticsOf(editor.document.uri).length === 0 ? true : undefined));
  });

  test('completion offers the trigger types from the schema', async () => {
    const editor = await openNewFile('completion.yaml', BROKEN.replace('    type: http\n', '    type: \n'));
    const position = positionOf(editor.document, '    type: \n', '    type: '.length);
    // Retried: the first request may come before the extension has registered its provider (word completion answers).
    let labels: string[] = [];
    await waitFor('the trigger types in completion', async () => {
      const result = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, position);
      labels = result.items.map(labelOf);
      return labels.includes('grpc') ? true : undefined;
    }).catch((error: Error) => assert.fail(`${error.message}; offered: ${labels.join(', ')}`));
    for (const type of ['http', 'grpc', 'graphql']) assert.ok(labels.includes(type), `"${type}" not offered; got ${labels.join(', ')}`);
  });

  test('hover explains a comparator of an assertion', async () => {
    const editor = await openNewFile('hover.yaml', BROKEN);
    const position = positionOf(editor.document, 'status_code = 201', 'status_code '.length);
    const text = await waitFor('a Tracelens hover on "="', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, position);
      const found = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      return /Equal/.test(found) ? found : undefined;
    });
    assert.match(text, /numerically/);
  });

  test('a demo test has a "Run test" CodeLens running it', async () => {
    const editor = await openWorkspaceFile('add-pokemon.yaml');
    const lenses = await waitFor('a Run test CodeLens', async () => {
      const result = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri, 10);
      const runs = result.filter((lens) => lens.command && withoutIcons(lens.command.title) === 'Run test');
      return runs.length > 0 ? runs : undefined;
    });
    assert.equal(lenses.length, 1, 'one test in the file, one Run test lens');
    assert.equal(lenses[0]!.command!.command, 'tracelens.runTest');
  });
});
