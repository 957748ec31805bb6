// What crosses the proxy: the request minus DJAM's own credentials (its cookies and the
// provider's, as upstream-isolation.ts names them; a consumed Authorization header, the authkey parameter) and minus identity and proxy-hop
// headers a client could forge, plus X-Forwarded-* and the signed identity; on the way back,
// redirects to the upstream are rewritten to this server.
import type { IncomingHttpHeaders } from 'node:http';
import type { Isolation } from './upstream-isolation.ts';

// docs/compatibility.md §8.3: the original drops Remote-User; an upstream behind an auth proxy may trust it. #17 item
// 15: Forwarded and X-Real-IP describe hops only proxies may speak of (DJAM's X-Forwarded-* say
// who the client is), and Proxy-Authorization is a credential for a proxy, not the upstream.
const FORGEABLE = ['remote-user', 'x-csrftoken', 'forwarded', 'x-real-ip', 'proxy-authorization'];

/** The Cookie header without DJAM's cookies (a pair without `=` is taken as a name, as an upstream reading it would). */
function stripOwnCookies(cookieHeader: string | undefined, isOwnCookie: Isolation['isOwnCookie']): string | undefined {
  if (!cookieHeader) return undefined;
  const kept = cookieHeader.split(';').map((c) => c.trim()).filter((c) => c && !isOwnCookie(c.split('=')[0]));
  return kept.length ? kept.join('; ') : undefined;
}

function paramName(pair: string): string {
  const end = pair.indexOf('=');
  const raw = end < 0 ? pair : pair.slice(0, end);
  if (!raw.includes('%') && !raw.includes('+')) return raw; // nothing to decode: most names
  const name = raw.replaceAll('+', ' ');
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/**
 * The query string to forward: the received bytes, pair by pair (repeated parameters in order,
 * encodings untouched, which signed URLs rely on), without `authkey`.
 */
export function forwardedQuery(rawUrl: string, upstreamSearch: string): string {
  const i = rawUrl.indexOf('?');
  const pairs = i < 0 ? [] : rawUrl.slice(i + 1).split('&').filter((p) => p && paramName(p) !== 'authkey');
  return [upstreamSearch.replace(/^\?/, ''), ...pairs].filter(Boolean).join('&');
}

export interface ForwardContext {
  consumedAuthorization: boolean; identity: string; clientIp: string; proto: string; host: string; hasBody: boolean;
  isOwnCookie: Isolation['isOwnCookie'];
}

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1) describe one connection, not the message: the upstream
 * connection gets its own (undici frames the request and sets Host from the resource URL, and
 * refuses some of these outright), the client's answer gets Node's. `expect` was answered here.
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);
const NOT_FORWARDED = new Set([...HOP_BY_HOP, 'host', 'expect', 'cookie', 'authorization', 'x-djam-identity', ...FORGEABLE]);

/**
 * A header name as the upstream may read it: WSGI and CGI servers turn `-` and `_` alike into
 * `_`, so a client's `X_DJAM_IDENTITY` reaches Django as the X-DJAM-Identity header (#17 item 15).
 */
function canonicalName(name: string): string {
  return name.includes('_') ? name.replaceAll('_', '-') : name;
}

/** Whether the client's header is DJAM's to drop or set: every X-Forwarded-* is DJAM's own account of the client. */
function isWithheld(canonical: string): boolean {
  return NOT_FORWARDED.has(canonical) || canonical.startsWith('x-forwarded-');
}

// What nearly every Connection header says, and names no other header.
const PLAIN_CONNECTION = new Set(['keep-alive', 'close']);

/** The header names a Connection header declares hop-by-hop as well. */
function connectionListed(connection: string | string[] | undefined): Set<string> | undefined {
  if (typeof connection !== 'string' || PLAIN_CONNECTION.has(connection.toLowerCase())) return undefined;
  return new Set(connection.split(',').map((name) => name.trim().toLowerCase()));
}

function forwardable(headers: IncomingHttpHeaders, listed: Set<string> | undefined, name: string): boolean {
  return headers[name] !== undefined && !listed?.has(name);
}

/** One pass over the client's headers; DJAM's own are added last, so no client header can remove them. */
export function upstreamRequestHeaders(headers: IncomingHttpHeaders, ctx: ForwardContext): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const listed = connectionListed(headers.connection);
  for (const name in headers) {
    const canonical = canonicalName(name);
    if (isWithheld(canonical) || !forwardable(headers, listed, name)) continue;
    // Without a body to stream (a GET's, or one Fastify does not read), no length may claim one.
    if (canonical === 'content-length' && !ctx.hasBody) continue;
    out[name] = headers[name]!;
  }
  const cookie = forwardable(headers, listed, 'cookie') ? stripOwnCookies(headers.cookie, ctx.isOwnCookie) : undefined;
  if (cookie) out.cookie = cookie;
  if (!ctx.consumedAuthorization && forwardable(headers, listed, 'authorization')) out.authorization = headers.authorization!;
  // The client as Fastify resolved it through the trusted proxies only (DJAM_TRUST_PROXY): one
  // address, so an upstream that trusts DJAM alone reads the client whichever end it reads.
  out['x-forwarded-for'] = ctx.clientIp;
  out['x-forwarded-proto'] = ctx.proto;
  out['x-forwarded-host'] = ctx.host;
  out['x-djam-identity'] = ctx.identity;
  return out;
}

/** The upstream's response headers for the client, without the hop-by-hop ones. */
export function clientResponseHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  const listed = connectionListed(headers.connection);
  for (const name in headers) {
    if (!HOP_BY_HOP.has(name) && !listed?.has(name)) out[name] = headers[name];
  }
  return out;
}

/**
 * A Location under the upstream URL maps to /service/<slug>/…, one elsewhere on its origin to
 * ours (docs/compatibility.md §8.3). Relative values resolve against the URL actually requested, as a browser would.
 */
export function rewriteLocation(location: string, requested: URL, upstream: URL, slug: string, ownOrigin: string): string {
  const target = URL.parse(location, requested.href);
  if (!target || target.origin !== upstream.origin) return location;
  const base = upstream.pathname.replace(/\/$/, '');
  // Segment-wise: a resource at /echo does not contain /echoes.
  const inside = target.pathname === base || target.pathname.startsWith(`${base}/`);
  const path = inside ? `/service/${slug}${target.pathname.slice(base.length)}` : target.pathname;
  return `${ownOrigin}${path}${target.search}${target.hash}`;
}
