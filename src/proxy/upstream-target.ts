// Where a proxied request goes: the resource URL (parsed once per cached resource row, not per
// request) plus the sub-path, as a URL whose path is normalised the way a client library would.
import type { Resource } from '../protected-resources/index.ts';

// Access decisions hand out the same resource object while cached: its parsed URL lives as long.
const parsed = new WeakMap<Resource, URL | null>();

const HTTP = new Set(['http:', 'https:']);

/** The resource's upstream URL; undefined when it is not a valid http(s) URL. */
export function upstreamOf(resource: Resource): URL | undefined {
  let url = parsed.get(resource);
  if (url === undefined) {
    const candidate = URL.parse(resource.url ?? '');
    url = candidate && HTTP.has(candidate.protocol) ? candidate : null;
    parsed.set(resource, url);
  }
  return url ?? undefined;
}

// The target of /service/<slug> itself, the most requested, built once per upstream URL.
const bare = new WeakMap<URL, URL>();

/** The upstream URL of `/service/<slug><rest>` (its query string is forwarded separately). */
export function targetOf(upstream: URL, rest: string | undefined): URL {
  if (rest !== undefined) return new URL(`${upstream.origin}${upstream.pathname.replace(/\/$/, '')}${rest}`);
  let target = bare.get(upstream);
  if (!target) {
    target = new URL(`${upstream.origin}${upstream.pathname}`);
    bare.set(upstream, target);
  }
  return target;
}
