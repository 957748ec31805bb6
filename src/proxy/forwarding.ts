// What crosses the proxy: the request minus DJAM's own credentials (session and CSRF cookies,
// a consumed Authorization header, the authkey parameter) and minus identity headers a client
// could forge, plus X-Forwarded-* and the signed identity; on the way back, redirects to the
// upstream are rewritten to this server.
import type { IncomingHttpHeaders } from 'node:http';
import { CSRF_COOKIE, SESSION_COOKIE } from '../http/cookies.ts';

const OWN_COOKIES = new Set([SESSION_COOKIE, CSRF_COOKIE]);
// §8.3: the original drops Remote-User; an upstream behind an auth proxy may trust it.
const FORGEABLE = ['remote-user', 'x-csrftoken'];

export function stripOwnCookies(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  const kept = cookieHeader.split(';').map((c) => c.trim()).filter((c) => c && !OWN_COOKIES.has(c.split('=')[0]));
  return kept.length ? kept.join('; ') : undefined;
}

function paramName(pair: string): string {
  const name = pair.split('=')[0].replaceAll('+', ' ');
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

export interface ForwardContext { consumedAuthorization: boolean; identity: string; clientIp: string; proto: string; host: string }

export function upstreamRequestHeaders(headers: IncomingHttpHeaders, ctx: ForwardContext): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = { ...headers };
  const cookie = stripOwnCookies(headers.cookie);
  if (cookie) out.cookie = cookie;
  else delete out.cookie;
  if (ctx.consumedAuthorization) delete out.authorization;
  for (const name of FORGEABLE) delete out[name];
  const priorFor = headers['x-forwarded-for'];
  out['x-forwarded-for'] = priorFor ? `${priorFor}, ${ctx.clientIp}` : ctx.clientIp;
  out['x-forwarded-proto'] = ctx.proto;
  out['x-forwarded-host'] = ctx.host;
  out['x-djam-identity'] = ctx.identity;
  return out;
}

/**
 * A Location under the upstream URL maps to /service/<slug>/…, one elsewhere on its origin to
 * ours (§8.3). Relative values resolve against the URL actually requested, as a browser would.
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
