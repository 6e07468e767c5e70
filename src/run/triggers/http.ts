// The `http` trigger: render the request, read a body file, add auth and the run's trace context, send it.
import type { HttpTrigger } from '../../core/testfile/model';
import { withTraceContext } from './context';
import { fieldText } from './files';
import { Interpolator } from './interpolate';
import { applyHttpAuth, checkAuth, checkHeaders, checkMethod, parseHttpUrl, sendHttp, shownUrl, type HttpCall } from './http-send';
import type { TriggerFailure, TriggerOutcome, TriggerRequest } from './types';

const FIELD = 'trigger.httpRequest';

export async function runHttp(request: TriggerRequest, trigger: HttpTrigger): Promise<TriggerOutcome> {
  const prepared = await prepareHttp(request, trigger);
  return prepared.ok ? sendHttp({ ...prepared.call, headers: withTraceContext(prepared.call.headers, request.context) }) : prepared;
}

/**
 * The request rendered and checked, without the trace context headers: a run adds its own, and a load test renders
 * once and gives each request its own context.
 */
export async function prepareHttp(request: TriggerRequest, trigger: HttpTrigger): Promise<{ ok: true; call: HttpCall } | { ok: false; error: TriggerFailure }> {
  const bodySource = trigger.body ? await fieldText(trigger.body.value, request.testFile, `${FIELD}.body`, request.files) : undefined;
  if (bodySource && !bodySource.ok) return bodySource;

  const render = Interpolator.for(request);
  const method = render.text(trigger.method, `${FIELD}.method`).trim().toUpperCase() || 'GET';
  const urlText = render.text(trigger.url, `${FIELD}.url`);
  const headers = render.pairs(trigger.headers, `${FIELD}.headers`);
  const body = bodySource ? render.text(bodySource.text, bodySource.path ? `${FIELD}.body (file ${trigger.body!.value.trim()})` : `${FIELD}.body`) : undefined;
  const auth = render.auth(trigger.auth, `${FIELD}.auth`);
  if (render.failure) return { ok: false, error: render.failure };

  const parsed = parseHttpUrl(urlText, `${FIELD}.url`);
  if (!parsed.ok) return parsed;
  const invalid = checkMethod(method, `${FIELD}.method`) ?? checkHeaders(headers, `${FIELD}.headers`) ?? checkAuth(auth, `${FIELD}.auth`);
  if (invalid) return { ok: false, error: invalid };

  const authed = applyHttpAuth(parsed.url, headers, auth);
  return {
    ok: true,
    call: {
      method,
      url: authed.url,
      shownUrl: shownUrl(parsed.url),
      headers: authed.headers,
      ...(body !== undefined ? { body } : {}),
      sslVerification: trigger.sslVerification,
      traceId: request.context.traceId,
      timeoutMs: request.timeoutMs,
      ...(request.signal ? { signal: request.signal } : {}),
    },
  };
}
