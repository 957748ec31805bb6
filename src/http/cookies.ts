// Cookie names and attributes shared by the pages. Names are the original's (docs/compatibility.md §0.2) so that
// nothing in front of the server (proxies, load balancers) needs reconfiguring.
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'djam_sessionid';
export const CSRF_COOKIE = 'XSRF-TOKEN';

/**
 * Secure cookies whenever the browser reached us over https (directly or via a trusted proxy),
 * and always in prod (issue #17 item 16), where plain http never reaches a page.
 */
export function isSecureRequest(request: FastifyRequest): boolean {
  return request.transport?.secureCookies ?? request.protocol === 'https';
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, maxAgeSeconds: number): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/', httpOnly: true, sameSite: 'lax', secure: isSecureRequest(request), maxAge: maxAgeSeconds,
  });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: isSecureRequest(request) });
}
