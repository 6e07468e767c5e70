// A recorded URL written with the variable that already names its base, so the test runs wherever the
// VariableSet points: `http://localhost:8081/pokemon` → `${var:POKESHOP_API_URL}/pokemon`.

/** `url` with the longest variable value it starts with (at a path, query or fragment boundary) as that variable. */
export function withBaseUrlVariable(url: string, variables: ReadonlyMap<string, string>): { url: string; variable?: string } {
  let best: { name: string; base: string } | undefined;
  for (const [name, value] of variables) {
    const base = value.trim().replace(/\/+$/, '');
    if (!/^[a-z][a-z0-9+.-]*:\/\/[^/?#]+/i.test(base)) continue;
    if (!startsWithBase(url, base)) continue;
    if (!best || base.length > best.base.length) best = { name, base };
  }
  return best ? { url: `\${var:${best.name}}${url.slice(best.base.length)}`, variable: best.name } : { url };
}

/** Scheme and host compare without case, as URLs do; the path part exactly. */
function startsWithBase(url: string, base: string): boolean {
  if (url.length < base.length) return false;
  const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]+/i.exec(base)![0];
  if (url.slice(0, origin.length).toLowerCase() !== origin.toLowerCase()) return false;
  if (url.slice(origin.length, base.length) !== base.slice(origin.length)) return false;
  const next = url[base.length];
  return next === undefined || next === '/' || next === '?' || next === '#';
}
