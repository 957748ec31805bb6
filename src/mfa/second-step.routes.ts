// The second step (#22): `/accounts/login/verify/` asks a user whose password was right (no
// session yet), or a signed-in user an application asks more of (step-up), for a code of their
// authenticator app or a recovery code; `/accounts/security/confirm/` asks a signed-in user to
// prove who they are again before a factor goes or codes are remade.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import { SESSION_COOKIE } from '../http/cookies.ts';
import { csrfToken, verifyCsrf } from '../http/csrf.ts';
import { loadSession } from '../http/session.ts';
import { authenticate, findUser, raiseSession, retryAfterOf, type ActiveSession, type CredentialThrottle, type User } from '../users/index.ts';
import { hasFactor, listFactors } from './factors.service.ts';
import { checkSecondStep } from './second-step.service.ts';
import { completeSignIn, pendingSignInOf, TOTP_PATH, VERIFY_PATH, withNext, type SignInDeps } from './sign-in.ts';
import { confirmPage, verifyPage } from './views/mfa-pages.ts';

export interface MfaRouteDeps extends SignInDeps {
  throttle: CredentialThrottle;
  /** The `next` of the request, when it is a safe target on this site (accounts/safe-next.ts). */
  nextOf(request: FastifyRequest): string | undefined;
}

const REAUTH_WINDOW_MS = 5 * 60_000;
export const CONFIRM_PATH = '/accounts/security/confirm/';

/** Who the second step is for: a pending sign-in (no session yet), or the signed-in user. */
export async function secondStepUser(deps: MfaRouteDeps, request: FastifyRequest): Promise<{ user: User; methods: string[]; session?: ActiveSession } | undefined> {
  const pending = pendingSignInOf(deps.keys, request);
  if (pending?.purpose === 'verify') {
    const user = await findUser(deps, pending.userId);
    return user?.isActive ? { user, methods: pending.methods } : undefined;
  }
  const session = await loadSession(deps, request);
  return session ? { user: session.user, methods: session.amr, session } : undefined;
}

const fieldOf = (request: FastifyRequest, name: string) => {
  const value = (request.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
};

/** Answers a refused code or password: the form again, with 429/503 and Retry-After when limited. */
function refusal(reply: FastifyReply, err: unknown): { error: string } {
  if (!(err instanceof AppError)) throw err;
  const retryAfterSeconds = retryAfterOf(err);
  if (retryAfterSeconds !== undefined) reply.header('retry-after', String(retryAfterSeconds));
  reply.status(err.status === 429 || err.status === 503 ? err.status : 200);
  return { error: err.message };
}

/** The session proved itself within the last 5 minutes, else the visitor is sent to confirm it. */
export function isFresh(session: ActiveSession): boolean {
  return Date.now() - session.verifiedAt.getTime() < REAUTH_WINDOW_MS;
}

export async function secondStepRoutes(app: FastifyInstance, deps: MfaRouteDeps): Promise<void> {
  const renderVerify = async (request: FastifyRequest, reply: FastifyReply, user: User, error?: string) => {
    const hasPasskey = (await listFactors(deps, user.id)).some((f) => f.kind === 'passkey');
    return reply.type('text/html').send(verifyPage({ action: request.url, csrfToken: csrfToken(deps.keys, request, reply), error, hasPasskey, next: deps.nextOf(request) }));
  };

  app.get(VERIFY_PATH, async (request, reply) => {
    const who = await secondStepUser(deps, request);
    if (!who) return reply.redirect(withNext('/accounts/login/', deps.nextOf(request)), 302);
    // Asked for more than this account has (a step-up, no factor yet): enrolment first.
    if (!(await hasFactor(deps, who.user.id))) return reply.redirect(withNext(TOTP_PATH, deps.nextOf(request)), 302);
    return renderVerify(request, reply, who.user);
  });

  app.post(VERIFY_PATH, async (request, reply) => {
    verifyCsrf(deps.keys, request);
    const who = await secondStepUser(deps, request);
    if (!who) return reply.redirect(withNext('/accounts/login/', deps.nextOf(request)), 302);
    try {
      const amr = await checkSecondStep(deps, who.user, who.methods, fieldOf(request, 'code'), request.ip);
      if (who.session) await raiseSession(deps, request.cookies[SESSION_COOKIE]!, amr);
      else await completeSignIn(deps, request, reply, who.user, amr);
      return reply.redirect(deps.nextOf(request) ?? `/user/account/edit/${who.user.id}/`, 302);
    } catch (err) {
      request.log.info({ userId: who.user.id, reason: (err as AppError).code }, 'mfa.second_step_failed');
      return renderVerify(request, reply, who.user, refusal(reply, err).error);
    }
  });

  app.get(CONFIRM_PATH, async (request, reply) => {
    const session = await loadSession(deps, request);
    if (!session) return reply.redirect(withNext('/accounts/login/', request.url), 302);
    return reply.type('text/html').send(confirmPage({ action: request.url, csrfToken: csrfToken(deps.keys, request, reply), user: session.user }));
  });

  app.post(CONFIRM_PATH, async (request, reply) => {
    verifyCsrf(deps.keys, request);
    const session = await loadSession(deps, request);
    if (!session) return reply.redirect(withNext('/accounts/login/', request.url), 302);
    try {
      const code = fieldOf(request, 'code').trim();
      if (code) await checkSecondStep(deps, session.user, session.amr, code, request.ip);
      else await authenticate(deps, session.user.email, fieldOf(request, 'password').slice(0, 4096), { requireConfirmedEmail: false, recordLogin: false, ip: request.ip, door: 'reauthentication' });
      await raiseSession(deps, request.cookies[SESSION_COOKIE]!);
      return reply.redirect(deps.nextOf(request) ?? '/accounts/security/', 302);
    } catch (err) {
      const { error } = refusal(reply, err);
      return reply.type('text/html').send(confirmPage({ action: request.url, csrfToken: csrfToken(deps.keys, request, reply), user: session.user, error }));
    }
  });
}
