// A `Test` with an HTTP trigger from a pasted curl command: the request as curl would send it, credentials (the
// -u user, credential-like headers, URL and JSON body fields) as `${var:…}` references, and a first spec on the
// response, for the author to add to once the test has run and its trace is on screen.
import { Document, isMap, isSeq, Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Result } from '../text-position';
import { parseCurl } from './curl';
import { blockText, pathOf } from './index';
import { slug } from './slug';
import { bodyWithoutCredentials, headerWithoutCredentials, withoutCredentials, type HeaderSuggestion } from './trigger';

export interface CurlTest {
  text: string;
  name: string;
  /** Variables the file references that the user must provide. */
  variables: string[];
}

/** The Authorization header `-u user:password` becomes. */
export const BASIC_AUTH_VARIABLE = 'AUTHORIZATION';

export function testFromCurl(command: string): Result<CurlTest> {
  const parsed = parseCurl(command);
  if (!parsed.ok) return parsed;
  const request = parsed.value;
  const { url, urlVariables } = withoutCredentials(request.url);
  const headers: HeaderSuggestion[] = request.headers.map((h) => headerWithoutCredentials(h.key, h.value));
  if (request.user !== undefined && !headers.some((h) => h.key.toLowerCase() === 'authorization'))
    headers.push({ key: 'Authorization', value: `\${var:${BASIC_AUTH_VARIABLE}}`, variable: BASIC_AUTH_VARIABLE });
  const { body, bodyVariables } = request.body === undefined ? { body: undefined, bodyVariables: [] } : bodyWithoutCredentials(request.body);
  const name = `${request.method} ${pathOf(url)}`;
  const doc = new Document(
    {
      type: 'Test',
      spec: {
        id: slug(name),
        name,
        description: 'Written from a curl command: run it, then add specs on its spans from the trace panel.',
        trigger: {
          type: 'http',
          httpRequest: {
            method: request.method,
            url,
            ...(headers.length > 0 ? { headers: headers.map(({ key, value }) => ({ key, value })) } : {}),
            ...(body !== undefined ? { body: blockText(body) } : {}),
            // curl checks certificates unless told not to (-k); a test does only when asked.
            ...(url.startsWith('https:') && !request.insecure ? { sslVerification: true } : {}),
          },
        },
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
  const http = doc.getIn(['spec', 'trigger', 'httpRequest'], true) as YAMLMap;
  if (urlVariables.length > 0)
    (doc.getIn(['spec', 'trigger', 'httpRequest', 'url'], true) as Scalar).comment = ` credentials left out: ${urlVariables.join(', ')}`;
  if (bodyVariables.length > 0) {
    const pair = http.items.find((p) => p.key instanceof Scalar && p.key.value === 'body');
    if (pair?.key instanceof Scalar) pair.key.commentBefore = ` Credentials left out: ${bodyVariables.join(', ')}.`;
  }
  const headerSeq = doc.getIn(['spec', 'trigger', 'httpRequest', 'headers'], true);
  if (isSeq(headerSeq))
    for (const [i, header] of headers.entries()) {
      const item = (headerSeq as YAMLSeq).items[i];
      if (!header.variable || !isMap(item)) continue;
      item.commentBefore =
        header.variable === BASIC_AUTH_VARIABLE && request.user !== undefined
          ? ` The -u credentials were left out: pass "Basic <base64 of user:password>" with --secret ${BASIC_AUTH_VARIABLE}=… (or a secret in a VariableSet).`
          : ` The ${header.key} was left out: pass it with --secret ${header.variable}=… (or a secret in a VariableSet).`;
    }
  const variables = [...new Set([...urlVariables, ...bodyVariables, ...headers.flatMap((h) => (h.variable ? [h.variable] : []))])];
  return { ok: true, value: { text: doc.toString({ lineWidth: 0 }), name, variables } };
}
