// CSRF protection for forms: a signed double-submit token. The XSRF-TOKEN cookie holds
// `<nonce>.<hmac>`; a form echoes it in `csrfmiddlewaretoken` (or a script in X-CSRFToken).
// A forged request cannot read the cookie, and a token not signed by us is refused.
import { createHmac, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { safeEqual, type SecretKeys } from '../crypto/keys.ts';
import { AppError } from '../errors.ts';
import { CSRF_COOKIE, isSecureRequest } from './cookies.ts';

const YEAR_SECONDS = 365 * 24 * 3600;

function sign(keys: SecretKeys, nonce: string): string {
  return createHmac('sha256', keys.csrf).update(nonce).digest('base64url');
}

function isValid(keys: SecretKeys, token: string | undefined): token is string {
  if (!token) return false;
  const [nonce, mac] = token.split('.');
  return Boolean(nonce && mac) && safeEqual(mac, sign(keys, nonce));
}

/** The token to embed in a form; sets the cookie when the browser has no valid one yet. */
export function csrfToken(keys: SecretKeys, request: FastifyRequest, reply: FastifyReply): string {
  const existing = request.cookies[CSRF_COOKIE];
  if (isValid(keys, existing)) return existing;
  const nonce = randomBytes(18).toString('base64url');
  const token = `${nonce}.${sign(keys, nonce)}`;
  reply.setCookie(CSRF_COOKIE, token, { path: '/', sameSite: 'lax', secure: isSecureRequest(request), maxAge: YEAR_SECONDS });
  request.cookies[CSRF_COOKIE] = token;
  return token;
}

/** Throws CSRF_FAILED unless the submitted token matches the signed cookie. */
export function verifyCsrf(keys: SecretKeys, request: FastifyRequest): void {
  const cookie = request.cookies[CSRF_COOKIE];
  const body = request.body as Record<string, unknown> | undefined;
  const submitted = (typeof body?.csrfmiddlewaretoken === 'string' ? body.csrfmiddlewaretoken : undefined)
    ?? (request.headers['x-csrftoken'] as string | undefined);
  if (!isValid(keys, cookie) || !submitted || !safeEqual(submitted, cookie)) throw new AppError('CSRF_FAILED');
}
