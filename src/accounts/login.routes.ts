// Sign-in and sign-out pages (docs/compatibility.md §6.2, §6.3) and the site root (§6.1).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { SecretKeys } from '../crypto/keys.ts';
import { AppError } from '../errors.ts';
import { authenticate, deleteSession, retryAfterOf, type CredentialThrottle, type SessionCache } from '../users/index.ts';
import { afterFirstFactor, mfaRoutes } from '../mfa/index.ts';
import { clearSessionCookie, SESSION_COOKIE } from '../http/cookies.ts';
import { csrfToken, verifyCsrf } from '../http/csrf.ts';
import { ownOrigins } from '../http/https-rule.ts';
import { loadSession } from '../http/session.ts';
import { listSignInButtons, upstreamSignOutUrl } from '../federation/index.ts';
import { loginPage, notConfirmedMessage } from './views/login.ts';
import { logoutPage } from './views/logout.ts';
import { safeNext } from './safe-next.ts';

export interface LoginDeps {
  config: Config; db: Db; keys: SecretKeys;
  /** Counts every password attempt, with the other doors that take passwords (#17 item 1). */
  throttle: CredentialThrottle;
  sessionCache?: SessionCache;
  /** Also ends the provider's own session, so the next authorize asks again. */
  onLogout(request: FastifyRequest, reply: FastifyReply): Promise<void>;
}

const HOME_ROUTES: Record<string, string> = { login: '/accounts/login/', register: '/user/register/' };

function nextOf(request: FastifyRequest): string | undefined {
  return safeNext((request.query as Record<string, unknown>).next, ownOrigins(request));
}

export async function loginRoutes(app: FastifyInstance, deps: LoginDeps): Promise<void> {
  await app.register(mfaRoutes, { ...deps, nextOf });
  const render = async (request: FastifyRequest, reply: FastifyReply, extra: { email?: string; error?: Parameters<typeof loginPage>[0]['error'] } = {}) =>
    reply.type('text/html').send(loginPage({ action: request.url, csrfToken: csrfToken(deps.keys, request, reply), next: nextOf(request), upstreams: await listSignInButtons(deps), ...extra }));

  // A signed-in user sent here to sign in again (prompt=login, an elapsed max_age) finds their
  // e-mail filled in: they confirm who they are with the password, as Keycloak's re-auth form.
  app.get('/accounts/login/', async (request, reply) => render(request, reply, { email: (await loadSession(deps, request))?.user.email }));

  app.post('/accounts/login/', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const email = typeof body.username === 'string' ? body.username.trim().slice(0, 254) : '';
    const password = typeof body.password === 'string' ? body.password.slice(0, 4096) : '';
    // Outside the try: a forged or expired form is a 403 from the error handler (as Django's CSRF
    // failure page), not a re-rendered form answering 200.
    verifyCsrf(deps.keys, request);
    try {
      const user = await authenticate(deps, email, password, { requireConfirmedEmail: true, recordLogin: false, ip: request.ip, door: 'login-form', auditSuccess: true });
      const next = nextOf(request);
      // #22: a user with a second factor (or who must have one) is not signed in yet.
      const secondStep = await afterFirstFactor(deps, request, reply, user, next);
      return reply.redirect(secondStep ?? next ?? `/user/account/edit/${user.id}/`, 302);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      request.log.info({ reason: err.code }, 'login.failed');
      const error = err.code === 'EMAIL_NOT_CONFIRMED' ? notConfirmedMessage : err.message;
      const retryAfterSeconds = retryAfterOf(err);
      if (retryAfterSeconds !== undefined) reply.header('retry-after', String(retryAfterSeconds));
      return render(request, reply.status(err.status === 429 || err.status === 503 ? err.status : 200), { email, error });
    }
  });

  // Signing out takes a POST with the token (issue #17 item 11): a GET, or a POST whose token
  // fails, only shows the confirmation form, so another site cannot sign anyone out.
  const confirmLogout = (request: FastifyRequest, reply: FastifyReply, error?: string) =>
    reply.type('text/html').send(logoutPage({ csrfToken: csrfToken(deps.keys, request, reply), next: nextOf(request), error }));

  app.get('/accounts/logout/', async (request, reply) => confirmLogout(request, reply));

  app.post('/accounts/logout/', async (request, reply) => {
    try {
      verifyCsrf(deps.keys, request);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return confirmLogout(request, reply.status(err.status), err.message);
    }
    const token = request.cookies[SESSION_COOKIE];
    if (token) await deleteSession(deps, token);
    clearSessionCookie(request, reply);
    await deps.onLogout(request, reply);
    const target = deps.config.DJAM_LOGOUT_REDIRECT;
    const after = nextOf(request) ?? HOME_ROUTES[target] ?? target;
    // #23: after a sign-in through an upstream that asks for it, the upstream's session ends too.
    return reply.redirect((await upstreamSignOutUrl(deps, request, reply, after)) ?? after, 302);
  });

  app.get('/', async (request, reply) => {
    const session = await loadSession(deps, request);
    if (session) return reply.redirect(`/user/account/${session.user.id}/`, 302);
    return reply.redirect(HOME_ROUTES[deps.config.DJAM_HOME_VIEW] ?? '/accounts/login/', 302);
  });
}
