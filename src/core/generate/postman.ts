// A Postman collection (v2.0 or v2.1, as Postman exports it) → Tracelens files: a test per request, with an HTTP
// or GraphQL trigger; a TestSuite running them in the collection's order; a VariableSet of the collection's
// variables. `{{name}}` becomes `${var:name}`. Credentials written into the collection (auth, credential-like
// headers and variables) never reach a file: they become secret variables the user provides. What a test cannot
// send (multipart forms, files) and what has no equivalent (scripts) is listed, not silently dropped.
import { Document, type Scalar } from 'yaml';
import { parseJsonText } from '../trace/decode/json-text';
import { sourceError, type Result } from '../text-position';
import { blockText } from './generate-test';
import { slug } from './slug';
import { bodyWithoutCredentials, headerWithoutCredentials, withoutCredentials } from './trigger';

export interface ImportedFile {
  /** Relative to the folder the collection is imported into. */
  path: string;
  text: string;
}

export interface PostmanImport {
  collection: string;
  /** The tests in the collection's order, then the suite and the variable set (when there are variables). */
  files: ImportedFile[];
  tests: number;
  /** Requests not imported, each as "Folder / Request: why". */
  skipped: string[];
  /** Imported with a part left out or to check, each as "Folder / Request: what". */
  notes: string[];
  /** Variables to give as secrets before running: credentials left out of the files. */
  secrets: string[];
}

interface Auth {
  type: 'bearer' | 'basic' | 'apiKey';
  fields: Record<string, string>;
}

interface Context {
  /** Names already used for test files. */
  used: Set<string>;
  secrets: Set<string>;
  result: PostmanImport;
}

const SUITE_FILE = 'suite.yaml';
const VARIABLES_FILE = 'variables.yaml';
/** What may stand beside a variable in a credential header's value and still leave no credential written. */
const CREDENTIAL_SCHEME = /^(bearer|basic|token|apikey)?$/i;
/** Variable names whose values are credentials: written as empty secrets, never copied. */
const CREDENTIAL_NAME = /pass(word)?|secret|token|api[-_.]?key|auth|credential|session|cookie|private/i;

export function filesFromPostman(text: string): Result<PostmanImport> {
  const parsed = parseJsonText(text);
  if (!parsed.ok) return parsed;
  const root = parsed.value;
  if (!isRecord(root)) return notACollection(text, 'the file is not a JSON object');
  if (Array.isArray(root.requests) && !('item' in root))
    return notACollection(text, 'this is a Postman collection v1: export it again from Postman as Collection v2.1');
  const info = root.info;
  if (!isRecord(info) || !Array.isArray(root.item)) return notACollection(text, 'a Postman collection has `info` and an `item` list');
  const schema = typeof info.schema === 'string' ? info.schema : '';
  if (schema && !/\/v2\.[01]\.\d+\//.test(schema)) return notACollection(text, `its schema ${schema} is not Postman collection v2.0 or v2.1`);
  const collection = typeof info.name === 'string' && info.name.trim() ? info.name.trim() : 'Postman collection';
  const context: Context = {
    used: new Set([SUITE_FILE, VARIABLES_FILE]),
    secrets: new Set(),
    result: { collection, files: [], tests: 0, skipped: [], notes: [], secrets: [] },
  };
  if (root.event !== undefined && hasScripts(root.event)) context.result.notes.push(`${collection}: its scripts (pre-request and tests) are not imported`);
  walk(root.item, [], readAuth(root.auth, collection, context), context);
  const tests = context.result.files.map((f) => f.path);
  if (tests.length > 0) context.result.files.push({ path: SUITE_FILE, text: suiteText(collection, tests) });
  const variables = collectionVariables(root.variable, context);
  if (variables.length > 0) context.result.files.push({ path: VARIABLES_FILE, text: variableSetText(collection, variables) });
  context.result.secrets = [...context.secrets].sort();
  return { ok: true, value: context.result };
}

function notACollection(text: string, why: string): Result<PostmanImport> {
  return { ok: false, error: sourceError(text, 0, 0, `not a Postman collection: ${why}`) };
}

function walk(items: unknown[], folders: string[], inherited: Auth | null, context: Context): void {
  for (const item of items) {
    if (!isRecord(item)) continue;
    const name = typeof item.name === 'string' && item.name.trim() ? item.name.trim() : 'Request';
    const where = [...folders, name].join(' / ');
    // A folder's auth applies to its requests unless they set their own; `noauth` stops it.
    const auth = item.auth === undefined || item.auth === null ? inherited : readAuth(item.auth, where, context);
    if (Array.isArray(item.item)) {
      walk(item.item, [...folders, name], auth, context);
      continue;
    }
    if (item.request === undefined) continue;
    if (item.event !== undefined && hasScripts(item.event)) context.result.notes.push(`${where}: its scripts are not imported`);
    const test = testOf(item.request, name, where, auth, context);
    if ('skip' in test) {
      context.result.skipped.push(`${where}: ${test.skip}`);
      continue;
    }
    let file = `${slug(name)}.yaml`;
    for (let n = 2; context.used.has(file); n++) file = `${slug(name)}-${n}.yaml`;
    context.used.add(file);
    context.result.files.push({ path: file, text: test.text });
    context.result.tests++;
  }
}

/** The test's YAML, or why the request cannot be one. */
function testOf(request: unknown, name: string, where: string, auth: Auth | null, context: Context): { text: string } | { skip: string } {
  const req = typeof request === 'string' ? { url: request } : request;
  if (!isRecord(req)) return { skip: 'its request is not an object' };
  const method = typeof req.method === 'string' && req.method ? req.method.toUpperCase() : 'GET';
  const rawUrl = urlOf(req.url);
  if (!rawUrl) return { skip: 'it has no URL' };
  const { url, urlVariables } = withoutCredentials(templated(rawUrl));
  for (const v of urlVariables) context.secrets.add(v);
  const headers: Array<{ key: string; value: string }> = [];
  for (const [key, value] of headersOf(req.header)) {
    // A credential held in a variable already (`Bearer {{token}}`) stays that variable; a written one becomes a secret.
    if (value.includes('{{') && CREDENTIAL_SCHEME.test(value.replace(/\{\{[^{}]*\}\}/g, '').trim())) {
      headers.push({ key, value: templated(value) });
      continue;
    }
    const header = headerWithoutCredentials(key, templated(value));
    if (header.variable) context.secrets.add(header.variable);
    headers.push({ key: header.key, value: header.value });
  }
  const body = isRecord(req.body) && req.body.disabled !== true ? req.body : undefined;
  const mode = typeof body?.mode === 'string' ? body.mode : undefined;
  if (mode === 'formdata' || mode === 'file') return { skip: `its ${mode === 'formdata' ? 'multipart form' : 'file'} body cannot be a test's request body` };
  // The request's own auth wins over its folders'; `noauth` there stops theirs (null, as some exports have, inherits).
  if (req.auth !== undefined && req.auth !== null) auth = readAuth(req.auth, where, context);
  const description = `Imported from the Postman collection "${context.result.collection}" (${where}): run it, then add specs on its spans from the trace panel.`;
  const trigger =
    mode === 'graphql' && isRecord(body?.graphql)
      ? graphqlTrigger(url, headers, body.graphql, where, context)
      : httpTrigger(method, url, headers, body, mode, where, context);
  if (auth) {
    const target = trigger.type === 'graphql' ? trigger.graphql : trigger.httpRequest;
    target.auth = { type: auth.type, [auth.type]: auth.fields };
  }
  const doc = new Document(
    {
      type: 'Test',
      spec: {
        id: slug(`${context.result.collection} ${where}`),
        name,
        description,
        trigger,
        specs: [
          {
            selector: 'span[tracetest.span.type="general" name="Tracetest trigger"]',
            name: 'The request succeeds',
            assertions: ['attr:tracetest.response.status < 400'],
          },
        ],
      },
    },
    { keepUndefined: false },
  );
  return { text: doc.toString({ lineWidth: 0 }) };
}

type Trigger =
  { type: 'http'; httpRequest: Record<string, unknown> & { auth?: unknown } } | { type: 'graphql'; graphql: Record<string, unknown> & { auth?: unknown } };

function httpTrigger(
  method: string,
  url: string,
  headers: Array<{ key: string; value: string }>,
  body: Record<string, unknown> | undefined,
  mode: string | undefined,
  where: string,
  context: Context,
): Trigger {
  let text: string | undefined;
  if (mode === 'raw' && typeof body?.raw === 'string' && body.raw !== '') {
    const { body: cleaned, bodyVariables } = bodyWithoutCredentials(templated(body.raw));
    for (const v of bodyVariables) context.secrets.add(v);
    if (bodyVariables.length > 0) context.result.notes.push(`${where}: credentials in the body left out as ${bodyVariables.join(', ')}`);
    text = cleaned;
    const language = isRecord(body.options) && isRecord(body.options.raw) ? body.options.raw.language : undefined;
    if (language === 'json' && !headers.some((h) => h.key.toLowerCase() === 'content-type')) headers.push({ key: 'Content-Type', value: 'application/json' });
  } else if (mode === 'urlencoded' && Array.isArray(body?.urlencoded)) {
    text = enabledPairs(body.urlencoded)
      .map(([k, v]) => `${formEncoded(k)}=${formEncoded(v)}`)
      .join('&');
    if (!headers.some((h) => h.key.toLowerCase() === 'content-type')) headers.push({ key: 'Content-Type', value: 'application/x-www-form-urlencoded' });
  }
  return {
    type: 'http',
    httpRequest: {
      method,
      url,
      ...(headers.length > 0 ? { headers } : {}),
      ...(text !== undefined ? { body: blockText(text) as string | Scalar } : {}),
      ...(url.startsWith('https:') ? { sslVerification: true } : {}),
    },
  };
}

function graphqlTrigger(
  url: string,
  headers: Array<{ key: string; value: string }>,
  graphql: Record<string, unknown>,
  where: string,
  context: Context,
): Trigger {
  const query = typeof graphql.query === 'string' ? templated(graphql.query) : '';
  let variables: string | undefined;
  if (typeof graphql.variables === 'string' && graphql.variables.trim()) {
    const { body, bodyVariables } = bodyWithoutCredentials(templated(graphql.variables));
    for (const v of bodyVariables) context.secrets.add(v);
    if (bodyVariables.length > 0) context.result.notes.push(`${where}: credentials in the GraphQL variables left out as ${bodyVariables.join(', ')}`);
    variables = body;
  }
  return {
    type: 'graphql',
    graphql: {
      url,
      ...(headers.length > 0 ? { headers } : {}),
      body: { query: blockText(query), ...(variables !== undefined ? { variables: blockText(variables) } : {}) },
      ...(url.startsWith('https:') ? { sslVerification: true } : {}),
    },
  };
}

/** Postman's auth (v2.1: a list of `{key, value}`; v2.0: an object) as a trigger's `auth`, credentials as variables. */
function readAuth(auth: unknown, where: string, context: Context): Auth | null {
  if (!isRecord(auth) || typeof auth.type !== 'string' || auth.type === 'noauth') return null;
  const fields = authFields(auth[auth.type]);
  const secret = (value: string | undefined, variable: string): string => {
    if (value !== undefined && /^\{\{[^}]+\}\}$/.test(value.trim())) return templated(value.trim());
    context.secrets.add(variable);
    return `\${var:${variable}}`;
  };
  switch (auth.type) {
    case 'bearer':
      return { type: 'bearer', fields: { token: secret(fields.token, 'BEARER_TOKEN') } };
    case 'basic':
      return { type: 'basic', fields: { username: templated(fields.username ?? ''), password: secret(fields.password, 'BASIC_PASSWORD') } };
    case 'apikey':
      return {
        type: 'apiKey',
        fields: { key: templated(fields.key ?? 'X-API-Key'), value: secret(fields.value, 'API_KEY'), in: fields.in === 'query' ? 'query' : 'header' },
      };
    default:
      context.result.notes.push(`${where}: its ${auth.type} auth has no Tracelens equivalent: add the header it sends by hand`);
      return null;
  }
}

function authFields(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(value)) {
    for (const f of value) if (isRecord(f) && typeof f.key === 'string') out[f.key] = stringOf(f.value);
  } else if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) out[k] = stringOf(v);
  }
  return out;
}

function collectionVariables(variables: unknown, context: Context): Array<{ key: string; value: string; type: 'raw' | 'secret' }> {
  if (!Array.isArray(variables)) return [];
  const out: Array<{ key: string; value: string; type: 'raw' | 'secret' }> = [];
  for (const v of variables) {
    if (!isRecord(v) || v.disabled === true) continue;
    const key = typeof v.key === 'string' ? v.key : typeof v.id === 'string' ? v.id : '';
    if (!key) continue;
    const name = variableName(key);
    const value = stringOf(v.value);
    if (v.type === 'secret' || CREDENTIAL_NAME.test(key)) {
      context.secrets.add(name);
      out.push({ key: name, value: '', type: 'secret' });
    } else {
      out.push({ key: name, value: templated(value), type: 'raw' });
    }
  }
  return out;
}

function suiteText(collection: string, tests: string[]): string {
  const doc = new Document({
    type: 'TestSuite',
    spec: {
      id: slug(collection),
      name: collection,
      description: "The collection's requests in its order, imported from Postman.",
      steps: tests.map((t) => `./${t}`),
    },
  });
  return doc.toString({ lineWidth: 0 });
}

function variableSetText(collection: string, values: Array<{ key: string; value: string; type: 'raw' | 'secret' }>): string {
  const doc = new Document({
    type: 'VariableSet',
    spec: {
      id: slug(`${collection} variables`),
      name: `${collection} variables`,
      description:
        "The collection's variables, imported from Postman. Secrets are empty here: the editor asks for them, `tracelens run` reads them from the environment.",
      values: values.map(({ key, value, type }) => (type === 'secret' ? { key, value, type } : { key, value })),
    },
  });
  return doc.toString({ lineWidth: 0 });
}

/** `{{name}}` → `${var:name}`; Postman's dynamic variables (`{{$guid}}`) are left as written. */
function templated(text: string): string {
  return text.replace(/\{\{\s*([^{}$\s][^{}]*?)\s*\}\}/g, (_, name: string) => `\${var:${variableName(name)}}`);
}

/** Percent-encoded as a form field, its `{{variables}}` kept as references. */
function formEncoded(text: string): string {
  return text
    .split(/(\{\{[^{}]*\}\})/)
    .map((part, i) => (i % 2 === 1 ? templated(part) : encodeURIComponent(part)))
    .join('');
}

/** Postman allows any name; Tracelens variables are letters, digits, `_`, `.` and `-`. */
function variableName(name: string): string {
  return name.trim().replace(/[^A-Za-z0-9_.-]/g, '_');
}

function urlOf(url: unknown): string {
  if (typeof url === 'string') return url.trim();
  if (!isRecord(url)) return '';
  if (typeof url.raw === 'string' && url.raw.trim()) return url.raw.trim();
  const host = Array.isArray(url.host) ? url.host.join('.') : stringOf(url.host);
  if (!host) return '';
  const path = Array.isArray(url.path) ? url.path.map(stringOf).join('/') : stringOf(url.path).replace(/^\//, '');
  const query = Array.isArray(url.query) ? enabledPairs(url.query).map(([k, v]) => `${k}=${v}`) : [];
  const protocol = typeof url.protocol === 'string' ? `${url.protocol}://` : '';
  const port = url.port !== undefined ? `:${stringOf(url.port)}` : '';
  return `${protocol}${host}${port}${path ? `/${path}` : ''}${query.length > 0 ? `?${query.join('&')}` : ''}`;
}

function headersOf(header: unknown): Array<[string, string]> {
  if (typeof header === 'string')
    return header
      .split(/\r?\n/)
      .map((line) => /^([^:]+):\s*(.*)$/.exec(line.trim()))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1]!.trim(), m[2]!]);
  return Array.isArray(header) ? enabledPairs(header) : [];
}

function enabledPairs(list: unknown[]): Array<[string, string]> {
  return list
    .filter((p): p is Record<string, unknown> => isRecord(p) && typeof p.key === 'string' && p.disabled !== true)
    .map((p) => [p.key as string, stringOf(p.value)]);
}

function hasScripts(events: unknown): boolean {
  return (
    Array.isArray(events) &&
    events.some(
      (e) => isRecord(e) && isRecord(e.script) && (Array.isArray(e.script.exec) ? e.script.exec.some((l) => typeof l === 'string' && l.trim()) : false),
    )
  );
}

function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
