// `Tracelens: New Test from cURL…`: a curl command (the clipboard's, when it holds one, with its line breaks; else one
// pasted into a box) becomes an HTTP-trigger test in the tests folder, opened for review before it is run.
import { slug } from '../../core/generate/slug';
import type { VscodeApi } from '../editor/vscode-api';
import { loadRunBundle } from '../runtime/load-run';
import { writeNewTest } from './new-test-file';

const TITLE = 'New Test from cURL';

export async function newTestFromCurl(api: VscodeApi): Promise<void> {
  const { testFromCurl } = await loadRunBundle();
  const clipboard = (await api.env.clipboard.readText()).trim();
  let command = /^curl\s/.test(clipboard) ? clipboard : undefined;
  if (command !== undefined) {
    const made = testFromCurl(command);
    // A clipboard command that does not parse is shown in the box with its error, to be fixed there.
    if (!made.ok) command = undefined;
  }
  command ??= await api.window.showInputBox({
    title: TITLE,
    prompt: 'Paste a curl command (a browser\'s "Copy as cURL (bash)" works): method, URL, headers and body become the test\'s trigger',
    placeHolder: "curl -X POST https://api.example.com/orders -H 'Content-Type: application/json' -d '{\"id\": 1}'",
    value: /^curl\s/.test(clipboard) ? clipboard : '',
    ignoreFocusOut: true,
    validateInput: (value) => {
      if (!value.trim()) return undefined;
      const made = testFromCurl(value);
      return made.ok ? undefined : `Column ${made.error.column}: ${made.error.message}`;
    },
  });
  if (!command?.trim()) return;
  const made = testFromCurl(command);
  if (!made.ok) {
    await api.window.showErrorMessage(`Tracelens: line ${made.error.line}, column ${made.error.column} of the curl command: ${made.error.message}`);
    return;
  }
  const uri = await writeNewTest(api, made.value.text, slug(made.value.name), TITLE);
  if (uri && made.value.variables.length > 0) {
    void api.window.showInformationMessage(
      `Tracelens: the credentials of the command were left out of the file as ${made.value.variables.join(', ')}: set them in a VariableSet (as secrets) before running it.`,
    );
  }
}
