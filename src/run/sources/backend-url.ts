// URLs of tracing backends' query APIs: the trace-by-id address, and a form safe to show in messages.

/** `{base}/api/traces/{traceId}`; a path prefix (a backend behind a proxy) and query parameters (an API key) are kept. */
export function traceUrl(base: string, traceId: string): string {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/traces/${encodeURIComponent(traceId.toLowerCase())}`;
  return url.toString();
}

/** The base URL without credentials or query parameters, which may hold secrets. */
export function displayUrl(base: string): string {
  try {
    const url = new URL(base);
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return base;
  }
}

/** An `http:` or `https:` URL, or why not. */
export function checkHttpUrl(text: string): { ok: true; value: string } | { ok: false; error: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, error: `"${text}" is not a URL (expected e.g. http://jaeger:16686)` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, error: `"${text}" is not an http:// or https:// URL` };
  return { ok: true, value: text };
}
