// Resolves the signed-in user of a request from the `djam_sessionid` cookie, once per request
// and only when a route asks (protocol endpoints never pay for it).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/client.ts';
import type { SecretKeys } from '../crypto/keys.ts';
import { findSession, type ActiveSession } from '../users/index.ts';
import { SESSION_COOKIE } from './cookies.ts';

const cache = new WeakMap<FastifyRequest, Promise<ActiveSession | undefined>>();

export function loadSession(deps: { db: Db; keys: SecretKeys }, request: FastifyRequest): Promise<ActiveSession | undefined> {
  let pending = cache.get(request);
  if (!pending) {
    const token = request.cookies[SESSION_COOKIE];
    pending = token ? findSession(deps, token) : Promise.resolve(undefined);
    cache.set(request, pending);
  }
  return pending;
}

/** The absolute login URL with `next` pointing back at this request (docs/compatibility.md §6.1). */
export function loginRedirectUrl(loginUrl: string, next: string): string {
  return `${loginUrl}?next=${encodeURIComponent(next)}`;
}

/**
 * Where the login page should send the visitor back to: the path when the login page is on the
 * same origin, else the absolute URL, or the visitor would land on the path of the other host
 * (Django's redirect_to_login, docs/compatibility.md §6.1).
 */
function nextForLogin(loginUrl: string, request: FastifyRequest): string {
  const origin = `${request.protocol}://${request.host}`;
  return new URL(loginUrl).origin === origin ? request.url : `${origin}${request.url}`;
}

/** Sends anonymous visitors to the login page; returns the session otherwise. */
export async function requireSession(deps: { db: Db; keys: SecretKeys; loginUrl: string }, request: FastifyRequest, reply: FastifyReply) {
  const session = await loadSession(deps, request);
  if (!session) {
    await reply.redirect(loginRedirectUrl(deps.loginUrl, nextForLogin(deps.loginUrl, request)), 302);
    return undefined;
  }
  return session;
}
