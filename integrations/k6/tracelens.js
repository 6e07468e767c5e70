// Tracelens helper for k6: each request gets its own W3C trace context (traceparent, tracestate), and its trace id
// is recorded with the request's metrics, so `tracelens check <test> --trace-ids <k6 JSON output>` can judge the
// traces the load produced.
//
//   import { tracedParams } from './tracelens.js';
//   http.post(url, body, tracedParams({ headers: { 'Content-Type': 'application/json' } }));
import exec from 'k6/execution';
import { randomBytes } from 'k6/crypto';

function hex(bytes) {
  const view = new Uint8Array(randomBytes(bytes));
  // An all-zero id is invalid in every propagation format.
  if (view.every((b) => b === 0)) view[bytes - 1] = 1;
  return Array.from(view, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A new trace context: { traceId, spanId, traceparent }. */
export function traceContext() {
  const traceId = hex(16);
  const spanId = hex(8);
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}

/**
 * `params` for one k6 http call with a new trace context: the traceparent and tracestate headers, and the trace id
 * as `trace_id` in the request's metadata (k6 0.42 and later; not a tag, so it does not multiply k6's time series),
 * or as a tag with `{ asTag: true }` for older k6.
 */
export function tracedParams(params = {}, { asTag = false } = {}) {
  const context = traceContext();
  const headers = Object.assign({}, params.headers, { traceparent: context.traceparent, tracestate: 'tracelens=1' });
  if (asTag) return Object.assign({}, params, { headers, tags: Object.assign({}, params.tags, { trace_id: context.traceId }) });
  exec.vu.metadata['trace_id'] = context.traceId;
  return Object.assign({}, params, { headers });
}
