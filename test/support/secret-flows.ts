// The leak matrix's inputs: one secret, test files that send it every way a trigger can (URL path and query, a
// header, each kind of auth, the body) to the echo service, use it as an expected value, and put it in errors;
// and a check for the secret in any of the forms it takes on the way out, computed here with Node's own encoders.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A space, @, /, + and a quote: every encoding on the way writes it differently. */
export const SECRET = 's3cr3t p@ss/+"w0rd';
export const BASIC_USER = 'ci-user';

/** The forms of SECRET found in `text`, by name (empty when none). */
export function leakedForms(text: string): string[] {
  const query = new URL(`http://h/?t=${SECRET}`).search.slice(3);
  const path = new URL(`http://h/${SECRET}`).pathname.slice(1);
  const form = new URLSearchParams({ t: SECRET }).toString().slice(2);
  const forms: Record<string, string> = {
    raw: SECRET,
    'URL query': query,
    'URL path': path,
    'form-encoded': form,
    encodeURIComponent: encodeURIComponent(SECRET),
    'JSON-escaped': JSON.stringify(SECRET).slice(1, -1),
    'JSON in JSON': JSON.stringify(JSON.stringify(SECRET).slice(1, -1)).slice(1, -1),
    'basic auth': Buffer.from(`${BASIC_USER}:${SECRET}`).toString('base64'),
    // The part of the encoding that is the secret's alone, wherever the credential starts.
    'basic auth (any user)': Buffer.from(`${BASIC_USER}:${SECRET}`).toString('base64').slice(12, 30),
  };
  return Object.entries(forms)
    .filter(([, form]) => text.includes(form))
    .map(([name]) => name);
}

/** Test ids and what each makes of the secret. */
export const FLOW_TESTS = {
  flows: 'path, query, header, bearer auth, body, an echoing response, expected values, an output',
  basic: 'basic auth',
  'apikey-query': 'an apiKey in the query',
  'apikey-header': 'an apiKey in a header',
  refused: 'a refused request with the secret in its query',
  'bad-header': 'a header name with the secret in it',
} as const;

function test(id: string, trigger: string, specs = '', outputs = ''): string {
  return `type: Test\nspec:\n  id: ${id}\n  name: ${id}\n  trigger:\n    type: http\n    httpRequest:\n${trigger}${specs ? `  specs:\n${specs}` : ''}${outputs ? `  outputs:\n${outputs}` : ''}`;
}

const ECHO_SPAN = 'span[app.route="echo"]';

/**
 * Writes the flow tests into `dir` (they read the secret as `${var:TOKEN}`); `serviceUrl` is the echo service,
 * `refusedUrl` a URL where nothing listens. Returns the file paths.
 */
export function writeFlowTests(dir: string, serviceUrl: string, refusedUrl: string): string[] {
  const files: Record<keyof typeof FLOW_TESTS, string> = {
    flows: test(
      'flows',
      `      method: POST\n      url: ${serviceUrl}/echo/\${var:TOKEN}?token=\${var:TOKEN}&plain=1\n      headers:\n      - key: X-Secret\n        value: \${var:TOKEN}\n      body: '{"token": "\${var:TOKEN}"}'\n      auth:\n        type: bearer\n        bearer:\n          token: \${var:TOKEN}\n`,
      // Passing assertions compare with the real value; failing ones print it as expected and observed.
      `  - selector: ${ECHO_SPAN}\n    name: the service got the secret\n    assertions:\n` +
        `    - attr:app.header.x-secret = "\${var:TOKEN}"\n` +
        `    - attr:app.header.authorization = "Bearer \${var:TOKEN}"\n` +
        `    - attr:app.body contains "\${var:TOKEN}"\n` +
        `    - attr:url.query contains "plain=1"\n` +
        `  - selector: ${ECHO_SPAN}\n    name: the secret as an expected value\n    assertions:\n` +
        `    - attr:app.header.x-secret = "\${var:TOKEN}-other"\n` +
        `  - selector: span[name="Tracetest trigger"]\n    name: the response echoes it\n    assertions:\n` +
        `    - attr:tracetest.response.body = "not the echo"\n` +
        `    - attr:tracetest.response.headers contains "no such header"\n`,
      `  - name: TOKEN_SEEN\n    selector: ${ECHO_SPAN}\n    value: attr:app.header.x-secret\n`,
    ),
    basic: test(
      'basic',
      `      url: ${serviceUrl}/echo\n      auth:\n        type: basic\n        basic:\n          username: ${BASIC_USER}\n          password: \${var:TOKEN}\n`,
      `  - selector: ${ECHO_SPAN}\n    assertions:\n    - attr:app.header.authorization contains "Basic "\n    - attr:app.header.authorization = "not it"\n`,
    ),
    'apikey-query': test(
      'apikey-query',
      `      url: ${serviceUrl}/echo\n      auth:\n        type: apiKey\n        apiKey:\n          key: api_key\n          value: \${var:TOKEN}\n          in: query\n`,
      `  - selector: ${ECHO_SPAN}\n    assertions:\n    - attr:url.query = "not it"\n`,
    ),
    'apikey-header': test(
      'apikey-header',
      `      url: ${serviceUrl}/echo\n      auth:\n        type: apiKey\n        apiKey:\n          key: X-Api-Key\n          value: \${var:TOKEN}\n          in: header\n`,
      `  - selector: ${ECHO_SPAN}\n    assertions:\n    - attr:app.header.x-api-key = "\${var:TOKEN}"\n    - attr:app.header.x-api-key = "not it"\n`,
    ),
    refused: test('refused', `      url: ${refusedUrl}/echo?token=\${var:TOKEN}\n`),
    'bad-header': test('bad-header', `      url: ${serviceUrl}/echo\n      headers:\n      - key: X-\${var:TOKEN}\n        value: "1"\n`),
  };
  return Object.entries(files).map(([id, text]) => {
    const path = join(dir, `${id}.yaml`);
    writeFileSync(path, text);
    return path;
  });
}
