// The run's trace context in the browser (test-format.md, `playwrightengine`): as `<meta name="traceparent">` and
// `tracestate` in every document of the target's origin before its scripts run (what OpenTelemetry's document-load
// instrumentation reads), and as headers on the page's requests to that origin, unless a request already carries a
// `traceparent` of the run's trace (the page's own fetch instrumentation, whose span is the better parent).
import { contextHeaders, withTraceContext } from '../context';
import type { Pair } from '../interpolate';
import type { TraceContext } from '../types';

/**
 * A script for `BrowserContext.addInitScript`: it runs when a document is created, before the document has even a
 * root element. The tags go in as soon as the parser creates the root: the parser runs a microtask checkpoint, and
 * so delivers mutation records, before it runs any script of the page.
 */
export function metaInitScript(origin: string, context: TraceContext): string {
  const tags = contextHeaders(context).filter((h) => h.key === 'traceparent' || h.key === 'tracestate');
  return `(() => {
  if (location.origin !== ${JSON.stringify(origin)}) return;
  const tags = ${JSON.stringify(tags.map((t) => [t.key, t.value]))};
  const place = () => {
    const parent = document.head || document.documentElement;
    if (!parent) return false;
    for (const [name, content] of tags.slice().reverse()) {
      const meta = document.createElement('meta');
      meta.setAttribute('name', name);
      meta.setAttribute('content', content);
      parent.prepend(meta);
    }
    return true;
  };
  if (place()) return;
  const observer = new MutationObserver(() => {
    if (place()) observer.disconnect();
  });
  observer.observe(document, { childList: true, subtree: true });
})();`;
}

/** True when `traceparent` (a W3C header value) belongs to the run's trace. */
export function isSameTrace(traceparent: string | undefined, context: TraceContext): boolean {
  const parts = traceparent?.trim().toLowerCase().split('-');
  return parts !== undefined && parts.length >= 4 && parts[1] === context.traceId;
}

/**
 * The headers a request to the target's origin goes out with: as it is when it already carries the run's trace
 * (its parent is the page's own span), else with the run's context replacing any other.
 */
export function requestHeaders(headers: Readonly<Record<string, string>>, context: TraceContext): Record<string, string> {
  if (isSameTrace(headers['traceparent'], context)) return { ...headers };
  const pairs: Pair[] = Object.entries(headers).map(([key, value]) => ({ key, value }));
  return Object.fromEntries(withTraceContext(pairs, context).map((p) => [p.key, p.value]));
}
