// What crosses the proxy: the request minus DJAM's own credentials (session and CSRF cookies,
// a consumed Authorization header, the authkey parameter), plus X-Forwarded-* and the signed
// identity; on the way back, redirects to the upstream are rewritten to this server.
import type { IncomingHttpHeaders } from 'node:http';
import { CSRF_COOKIE, SESSION_COOKIE } from '../http/cookies.ts';

const OWN_COOKIES = new Set([SESSION_COOKIE, CSRF_COOKIE]);

export function stripOwnCookies(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  const kept = cookieHeader.split(';').map((c) => c.trim()).filter((c) => c && !OWN_COOKIES.has(c.split('=')[0]));
  return kept.length ? kept.join('; ') : undefined;
}

/** The query string to forward: as received (repeated parameters kept), without `authkey`. */
export function forwardedQuery(rawUrl: string, upstreamSearch: string): string {
  const i = rawUrl.indexOf('?');
  const params = new URLSearchParams(i < 0 ? '' : rawUrl.slice(i + 1));
  params.delete('authkey');
  const own = upstreamSearch.replace(/^\?/, '');
  return [own, params.toString()].filter(Boolean).join('&');
}

export interface ForwardContext { consumedAuthorization: boolean; identity: string; clientIp: string; proto: string; host: string }

export function upstreamRequestHeaders(headers: IncomingHttpHeaders, ctx: ForwardContext): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = { ...headers };
  const cookie = stripOwnCookies(headers.cookie);
  if (cookie) out.cookie = cookie;
  else delete out.cookie;
  if (ctx.consumedAuthorization) delete out.authorization;
  delete out['x-csrftoken'];
  const priorFor = headers['x-forwarded-for'];
  out['x-forwarded-for'] = priorFor ? `${priorFor}, ${ctx.clientIp}` : ctx.clientIp;
  out['x-forwarded-proto'] = ctx.proto;
  out['x-forwarded-host'] = ctx.host;
  out['x-djam-identity'] = ctx.identity;
  return out;
}

/** A Location under the upstream URL maps to /service/<slug>/…; one on its origin to ours. */
export function rewriteLocation(location: string, upstream: URL, slug: string, ownOrigin: string): string {
  const target = URL.parse(location, upstream.href);
  if (!target || target.origin !== upstream.origin) return location;
  const base = upstream.pathname.replace(/\/$/, '');
  const rest = target.pathname.startsWith(base) ? target.pathname.slice(base.length) : target.pathname;
  const prefix = target.pathname.startsWith(base) ? `/service/${slug}` : '';
  return `${ownOrigin}${prefix}${rest}${target.search}${target.hash}`;
}
