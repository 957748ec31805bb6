// Open-redirect guard for `next` (issue #17 item 6). A browser reads a Location with the WHATWG
// URL parser: it drops tabs and newlines, strips leading controls and spaces, and reads `\` as `/`,
// so `/%09/evil.example/` goes to evil.example. The value is therefore parsed here the same way,
// its origin compared with the site's own, and the parser's serialisation returned: what the
// browser will follow is exactly what was checked, and it is printable ASCII (non-ASCII is
// percent-encoded), safe to put in a Location header.

const MAX_LENGTH = 4096;
// C0 controls, space, DEL and the backslash: no legitimate `next` needs them unencoded, and each
// one is a way to make the browser read the URL differently from a naive check.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const SUSPICIOUS = /[\u0000-\u0020\u007f\\]/;

/**
 * The target to redirect to: a path on this site (for a `/…` input), or an absolute URL of one
 * of `ownOrigins` (for an absolute input); undefined for anything else. `ownOrigins[0]` is the
 * origin the browser is on.
 */
export function safeNext(next: unknown, ownOrigins: readonly string[]): string | undefined {
  if (typeof next !== 'string' || !next || next.length > MAX_LENGTH || SUSPICIOUS.test(next)) return undefined;
  if (next.startsWith('/')) {
    const url = URL.parse(next, `${ownOrigins[0]}/`);
    // `/.//evil` serialises to the path `//evil`, which a browser reads as another host.
    if (!url || url.origin !== ownOrigins[0] || url.pathname.startsWith('//')) return undefined;
    return `${url.pathname}${url.search}${url.hash}`;
  }
  const url = URL.parse(next);
  return url && ownOrigins.includes(url.origin) ? url.href : undefined;
}
