// Regular expressions of the regex filters. Test files were written for Go's RE2 syntax; the two differences that
// show up in practice are translated: leading inline flags `(?i)` and named groups `(?P<name>...)`.

/** A global RegExp, or the reason the pattern is invalid. */
export function compileRegex(pattern: string): RegExp | string {
  let flags = 'g';
  let body = pattern;
  const inline = /^\(\?([a-zA-Z]+)\)/.exec(body);
  if (inline) {
    for (const flag of inline[1]!) {
      if (flag !== 'i' && flag !== 'm' && flag !== 's') return `the inline flag \`${flag}\` is not supported (use i, m or s)`;
      if (!flags.includes(flag)) flags += flag;
    }
    body = body.slice(inline[0].length);
  }
  try {
    return new RegExp(body.replace(/\(\?P</g, '(?<'), flags);
  } catch (e) {
    return (e as Error).message;
  }
}
