// CSRF protection for forms and the console (Django's model, tightened by issue #17 item 12):
// - a signed double-submit token: the XSRF-TOKEN cookie holds `<nonce>.<mac>`; a form echoes it in
//   `csrfmiddlewaretoken`, a script in X-CSRFToken. A forged request cannot read the cookie, and a
//   token not signed by us is refused;
// - the MAC covers the browser session (the djam_sessionid cookie; before sign-in, nothing but the
//   token's own nonce, the anonymous pre-session cookie), so a token from another session, or one
//   from before sign-in, fails; sign-in rotates it (rotateCsrfToken);
// - an unsafe request from another site is refused whatever its token: its Origin must be the
//   site's own, Sec-Fetch-Site must not say cross-site, and over https a request without Origin
//   needs a same-origin Referer (Django's rule; our pages send it: Referrer-Policy same-origin).
import { createHmac, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { safeEqual, type SecretKeys } from '../crypto/keys.ts';
import { AppError } from '../errors.ts';
import { CSRF_COOKIE, isSecureRequest, SESSION_COOKIE } from './cookies.ts';
import { isHttpsRequest, ownOrigins } from './https-rule.ts';

const YEAR_SECONDS = 365 * 24 * 3600;

/** What the token is bound to: the session cookie the browser sends, or none. */
function sessionOf(request: FastifyRequest): string {
  return request.cookies[SESSION_COOKIE] ?? '';
}

function sign(keys: SecretKeys, nonce: string, session: string): string {
  // The nonce is base64url, so the newline cannot be forged into either part.
  return createHmac('sha256', keys.csrf).update(`${nonce}\n${session}`).digest('base64url');
}

function isValid(keys: SecretKeys, token: string | undefined, session: string): token is string {
  if (!token) return false;
  const [nonce, mac, extra] = token.split('.');
  return Boolean(nonce && mac) && extra === undefined && safeEqual(mac, sign(keys, nonce, session));
}

function mint(keys: SecretKeys, session: string): string {
  const nonce = randomBytes(18).toString('base64url');
  return `${nonce}.${sign(keys, nonce, session)}`;
}

function setTokenCookie(request: FastifyRequest, reply: FastifyReply, token: string): void {
  reply.setCookie(CSRF_COOKIE, token, { path: '/', sameSite: 'lax', secure: isSecureRequest(request), maxAge: YEAR_SECONDS });
}

/** The token to embed in a form; sets the cookie when the browser has none valid for its session. */
export function csrfToken(keys: SecretKeys, request: FastifyRequest, reply: FastifyReply): string {
  const existing = request.cookies[CSRF_COOKIE];
  if (isValid(keys, existing, sessionOf(request))) return existing;
  const token = mint(keys, sessionOf(request));
  setTokenCookie(request, reply, token);
  request.cookies[CSRF_COOKIE] = token;
  return token;
}

/** At sign-in: a token bound to the new session replaces the one from before, which stops working. */
export function rotateCsrfToken(keys: SecretKeys, request: FastifyRequest, reply: FastifyReply, sessionToken: string): void {
  setTokenCookie(request, reply, mint(keys, sessionToken));
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Why the request does not come from one of our own pages, if it does not. */
function foreignSource(request: FastifyRequest): string | undefined {
  if (header(request, 'sec-fetch-site')?.toLowerCase() === 'cross-site') return 'cross-site request';
  const isHttps = isHttpsRequest(request);
  // Over https, a page served over http (where anyone on the path can write) is no page of ours.
  const own = ownOrigins(request).filter((o) => !isHttps || o.startsWith('https:'));
  const origin = header(request, 'origin');
  if (origin !== undefined) return own.includes(origin) ? undefined : 'foreign Origin';
  // No Origin: a client that is no browser, or an older one. Over http, as Django, the token
  // decides; over https a man in the middle could plant the cookie, so the Referer must be ours.
  if (!isHttps) return undefined;
  const referer = URL.parse(header(request, 'referer') ?? '');
  return referer && own.includes(referer.origin) ? undefined : 'no Referer of this site';
}

/** Throws CSRF_FAILED unless the request comes from this site with the token of its session. */
export function verifyCsrf(keys: SecretKeys, request: FastifyRequest): void {
  const reason = foreignSource(request);
  if (reason) throw new AppError('CSRF_FAILED', { details: { reason } });
  const cookie = request.cookies[CSRF_COOKIE];
  const body = request.body as Record<string, unknown> | undefined;
  const submitted = (typeof body?.csrfmiddlewaretoken === 'string' ? body.csrfmiddlewaretoken : undefined) ?? header(request, 'x-csrftoken');
  if (!isValid(keys, cookie, sessionOf(request)) || !submitted || !safeEqual(submitted, cookie)) {
    throw new AppError('CSRF_FAILED', { details: { reason: 'missing, foreign or expired token' } });
  }
}
