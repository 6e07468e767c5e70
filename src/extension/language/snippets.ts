// Templates for new tests and snippets for the parts of one (spec, output, each trigger). Snippet syntax is
// VS Code's (`${1:placeholder}`); each body is written at column 0 and indented to where it is inserted.

export interface Template {
  id: string;
  label: string;
  description: string;
  /** Snippet body of a whole test file. */
  body: string;
}

export const TRIGGER_SNIPPETS: Readonly<Record<string, { label: string; body: string }>> = {
  http: {
    label: 'HTTP request',
    body: 'type: http\nhttpRequest:\n  method: ${1|GET,POST,PUT,PATCH,DELETE|}\n  url: ${2:\\${var:API_URL\\}/path}\n  headers:\n    - key: Content-Type\n      value: application/json',
  },
  grpc: {
    label: 'gRPC call',
    body: 'type: grpc\ngrpc:\n  protobufFile: ${1:./service.proto}\n  address: ${2:localhost:8082}\n  method: ${3:package.Service.Method}\n  request: |\n    ${4:{}}',
  },
  graphql: {
    label: 'GraphQL request',
    body: 'type: graphql\ngraphql:\n  url: ${1:\\${var:API_URL\\}/graphql}\n  body:\n    query: |\n      ${2:query { __typename \\}}',
  },
  traceid: {
    label: 'Existing trace id',
    body: 'type: traceid\ntraceid:\n  id: ${1:\\${var:TRACE_ID\\}}',
  },
  playwrightengine: {
    label: 'Playwright script in a browser',
    body: "type: playwrightengine\nplaywrightEngine:\n  target: ${1:\\${var:WEB_URL\\}/}\n  method: ${2:run}\n  script: |\n    module.exports = {\n      async ${2:run}(page) {\n        await page.getByRole('button', { name: '${3:Submit}' }).click();\n      },\n    };",
  },
  kafka: {
    label: 'Kafka message',
    body: 'type: kafka\nkafka:\n  brokerUrls:\n    - ${1:localhost:9092}\n  topic: ${2:topic}\n  messageKey: ${3:key}\n  messageValue: |\n    ${4:{}}',
  },
};

export const SPEC_SNIPPET = 'selector: span[${1:tracetest.span.type="http"}]\nname: ${2:What this checks}\nassertions:\n  - ${3:attr:http.status_code = 200}';

export const OUTPUT_SNIPPET =
  'name: ${1:NAME}\nselector: span[${2:tracetest.span.type="general" name="Tracetest trigger"}]\nvalue: ${3:attr:tracetest.response.body | json_path \'$.id\'}';

function testBody(trigger: string, spec: string): string {
  return `type: Test\nspec:\n  id: \${1:my-test}\n  name: \${2:My test}\n  trigger:\n${indent(trigger, 4)}\n  specs:\n${indent(spec, 4)}\n`;
}

export const TEMPLATES: readonly Template[] = [
  {
    id: 'http',
    label: 'HTTP test',
    description: 'Send an HTTP request and check the API answered',
    body: testBody(
      'type: http\nhttpRequest:\n  method: GET\n  url: ${3:\\${var:API_URL\\}/health}',
      '- selector: span[tracetest.span.type="general" name="Tracetest trigger"]\n  name: The API answers 200\n  assertions:\n    - attr:tracetest.response.status = ${4:200}',
    ),
  },
  {
    id: 'grpc',
    label: 'gRPC test',
    description: 'Call a unary gRPC method and check the server span',
    body: testBody(
      'type: grpc\ngrpc:\n  protobufFile: ${3:./service.proto}\n  address: ${4:localhost:8082}\n  method: ${5:package.Service.Method}\n  request: |\n    {}',
      '- selector: span[tracetest.span.type="rpc" kind="server"]\n  name: The call succeeded\n  assertions:\n    - attr:rpc.grpc.status_code = 0',
    ),
  },
  {
    id: 'graphql',
    label: 'GraphQL test',
    description: 'Post a GraphQL query and check the response',
    body: testBody(
      'type: graphql\ngraphql:\n  url: ${3:\\${var:API_URL\\}/graphql}\n  body:\n    query: |\n      ${4:query { __typename \\}}',
      '- selector: span[tracetest.span.type="general" name="Tracetest trigger"]\n  name: The query has no errors\n  assertions:\n    - attr:tracetest.response.status = 200\n    - attr:tracetest.response.body not-contains "errors"',
    ),
  },
  {
    id: 'playwrightengine',
    label: 'Web page test',
    description: 'Run a Playwright script on a web page in Chromium and check the page load and its requests',
    body: testBody(
      "type: playwrightengine\nplaywrightEngine:\n  target: ${3:\\${var:WEB_URL\\}/}\n  method: ${4:run}\n  script: |\n    module.exports = {\n      async ${4:run}(page) {\n        await page.getByRole('button', { name: '${5:Submit}' }).click();\n      },\n    };",
      '- selector: span[tracetest.span.type="general" name="documentLoad"]\n  name: The page loaded in the run\'s trace\n  assertions:\n    - attr:tracetest.span.duration < ${6:3s}',
    ),
  },
  {
    id: 'traceid',
    label: 'Existing trace test',
    description: 'Assert on a trace produced elsewhere (its id in a variable)',
    body: testBody(
      'type: traceid\ntraceid:\n  id: ${3:\\${var:TRACE_ID\\}}',
      '- selector: span[]\n  name: Every span succeeded\n  assertions:\n    - attr:tracetest.span.status_code != "STATUS_CODE_ERROR"',
    ),
  },
  {
    id: 'kafka',
    label: 'Kafka test',
    description: 'Publish a Kafka message and check it was consumed',
    body: testBody(
      'type: kafka\nkafka:\n  brokerUrls:\n    - ${3:localhost:9092}\n  topic: ${4:topic}\n  messageValue: |\n    {}',
      '- selector: span[tracetest.span.type="messaging" kind="consumer"]\n  name: The message was consumed\n  assertions:\n    - attr:tracetest.selected_spans.count >= 1',
    ),
  },
];

/** Indents every line but the first by `spaces` (the first line goes where the cursor is). */
export function indentSnippet(body: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return body
    .split('\n')
    .map((line, i) => (i === 0 || line === '' ? line : pad + line))
    .join('\n');
}

function indent(body: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return body
    .split('\n')
    .map((line) => (line === '' ? line : pad + line))
    .join('\n');
}

/** Turns snippet syntax into the plain text it inserts with default placeholders (for files created on disk). */
export function snippetToText(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\' && i + 1 < body.length) {
      out += body[++i];
      continue;
    }
    if (c === '$' && body[i + 1] === '{' && /\d/.test(body[i + 2] ?? '')) {
      let j = i + 2;
      while (/\d/.test(body[j]!)) j++;
      const choice = body[j] === '|';
      const close = findPlaceholderEnd(body, j);
      const inner = body.slice(j + 1, close);
      out += choice ? inner.replace(/\|$/, '').split(',')[0] : snippetToText(inner);
      i = close;
      continue;
    }
    out += c;
  }
  return out;
}

function findPlaceholderEnd(body: string, from: number): number {
  let depth = 1;
  for (let i = from; i < body.length; i++) {
    if (body[i] === '\\') {
      i++;
      continue;
    }
    if (body[i] === '$' && body[i + 1] === '{') {
      depth++;
      i++;
    } else if (body[i] === '}' && --depth === 0) return i;
  }
  return body.length;
}
