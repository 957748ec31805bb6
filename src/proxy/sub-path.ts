// The part of /service/<slug>/<rest> that goes after the resource URL, taken from the raw request
// line: the router's decoded parameter would turn `a%2Fb` into two segments and lose a trailing
// slash, both of which upstreams may tell apart.

function decodes(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * `/rest` as received; undefined without one; false when a segment is malformed or, decoded,
 * a dot segment (`..`, `%2e%2e`, `..%2F..`, `..%5C`) that an upstream could resolve above the
 * resource URL.
 */
export function subPathOf(rawUrl: string): string | undefined | false {
  const segments = rawUrl.split('?')[0].split('/'); // ['', 'service', slug, ...rest]
  if (segments.length <= 3) return undefined;
  const rest = segments.slice(3);
  for (const segment of rest) {
    const decoded = decodes(segment);
    if (decoded === undefined || decoded.split(/[/\\]/).some((part) => part === '.' || part === '..')) return false;
  }
  return `/${rest.join('/')}`;
}
