// The `graphql` trigger: an HTTP POST of `{query, variables, operationName}` as JSON. The query may be a file
// reference. `schema` only helps editors and is not needed to send the request, so it is not read here.
import type { GraphqlTrigger } from '../../core/testfile/model';
import { withTraceContext } from './context';
import { fieldText, looksLikeFileName } from './files';
import { Interpolator, type Pair } from './interpolate';
import { applyHttpAuth, checkAuth, checkHeaders, parseHttpUrl, sendHttp, shownUrl, type HttpCall } from './http-send';
import { errorText } from './outcome';
import type { TriggerFailure, TriggerOutcome, TriggerRequest } from './types';

const FIELD = 'trigger.graphql';

export async function runGraphql(request: TriggerRequest, trigger: GraphqlTrigger): Promise<TriggerOutcome> {
  const prepared = await prepareGraphql(request, trigger);
  return prepared.ok ? sendHttp({ ...prepared.call, headers: withTraceContext(prepared.call.headers, request.context) }) : prepared;
}

/** The POST rendered and checked, without the trace context headers (see prepareHttp). */
export async function prepareGraphql(
  request: TriggerRequest,
  trigger: GraphqlTrigger,
): Promise<{ ok: true; call: HttpCall } | { ok: false; error: TriggerFailure }> {
  const querySource = trigger.body.query ? await fieldText(trigger.body.query.value, request.testFile, `${FIELD}.body.query`, request.files) : undefined;
  if (querySource && !querySource.ok) return querySource;
  if (querySource && !querySource.path && looksLikeFileName(querySource.text, ['.graphql', '.gql'])) {
    return { ok: false, error: { message: `${FIELD}.body.query: file ${querySource.text.trim()} not found next to the test file`, sent: false } };
  }

  const render = Interpolator.for(request);
  const urlText = render.text(trigger.url, `${FIELD}.url`);
  const headers = render.pairs(trigger.headers, `${FIELD}.headers`);
  const queryField = querySource?.path ? `${FIELD}.body.query (file ${trigger.body.query!.value.trim()})` : `${FIELD}.body.query`;
  const query = querySource ? render.text(querySource.text, queryField) : '';
  const variablesText = render.optional(trigger.body.variables, `${FIELD}.body.variables`);
  const operationName = render.optional(trigger.body.operationName, `${FIELD}.body.operationName`);
  const auth = render.auth(trigger.auth, `${FIELD}.auth`);
  if (render.failure) return { ok: false, error: render.failure };

  if (query.trim() === '') return { ok: false, error: { message: `${FIELD}.body.query: a GraphQL request needs a query`, sent: false } };
  const variables = parseVariables(variablesText);
  if (!variables.ok) return { ok: false, error: { message: `${FIELD}.body.variables: ${variables.reason}`, sent: false } };
  const parsed = parseHttpUrl(urlText, `${FIELD}.url`);
  if (!parsed.ok) return parsed;
  const invalid = checkHeaders(headers, `${FIELD}.headers`) ?? checkAuth(auth, `${FIELD}.auth`);
  if (invalid) return { ok: false, error: invalid };

  const body = JSON.stringify({
    query,
    ...(variables.value !== undefined ? { variables: variables.value } : {}),
    ...(operationName?.trim() ? { operationName: operationName.trim() } : {}),
  });
  const authed = applyHttpAuth(parsed.url, withJsonContentType(headers), auth);
  return {
    ok: true,
    call: {
      method: 'POST',
      url: authed.url,
      shownUrl: shownUrl(parsed.url),
      headers: authed.headers,
      body,
      sslVerification: trigger.sslVerification,
      traceId: request.context.traceId,
      timeoutMs: request.timeoutMs,
      ...(request.signal ? { signal: request.signal } : {}),
    },
  };
}

/** A user's own Content-Type (e.g. `application/graphql-response+json` clients) is kept. */
function withJsonContentType(headers: Pair[]): Pair[] {
  if (headers.some((h) => h.key.toLowerCase() === 'content-type')) return headers;
  return [...headers, { key: 'Content-Type', value: 'application/json' }];
}

type Variables = { ok: true; value: Record<string, unknown> | undefined } | { ok: false; reason: string };

function parseVariables(text: string | undefined): Variables {
  if (text === undefined || text.trim() === '') return { ok: true, value: undefined };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `not valid JSON (${errorText(error)})` };
  }
  if (value === null) return { ok: true, value: undefined };
  if (typeof value !== 'object' || Array.isArray(value)) return { ok: false, reason: 'must be a JSON object of variable names to values' };
  return { ok: true, value: value as Record<string, unknown> };
}
