// Passkeys over JSON for the pages' script (views/passkey-script.ts): add one on the Security
// page, sign in with one (no password), or use one as the second step. Each call carries the
// page's CSRF token in X-CSRFToken; the challenge of each ceremony is sealed in a cookie.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { userActor } from '../access/index.ts';
import { AppError } from '../errors.ts';
import { SESSION_COOKIE } from '../http/cookies.ts';
import { verifyCsrf } from '../http/csrf.ts';
import { loadSession } from '../http/session.ts';
import { findUser, raiseSession } from '../users/index.ts';
import { recordAudit } from '../access/index.ts';
import { hasFactor } from './factors.service.ts';
import { addPasskey, passkeyRegistrationOptions, passkeySignInOptions, usePasskey } from './passkeys.service.ts';
import { sealState, unsealState } from './pending-sign-in.ts';
import { regenerateRecoveryCodes } from './recovery-codes.service.ts';
import { isFresh, secondStepUser, type MfaRouteDeps } from './second-step.routes.ts';
import { withSecondMethod } from './second-step.service.ts';
import { completeSignIn, cookieOptions, flashRecoveryCodes } from './sign-in.ts';
import { PASSKEY_SCRIPT, PASSKEY_SCRIPT_PATH, WEBAUTHN_BROWSER_PATH } from './views/passkey-script.ts';

const CHALLENGE_COOKIE = 'djam_webauthn';
const CHALLENGE_SECONDS = 5 * 60;
interface Ceremony { challenge: string; purpose: 'register' | 'login' | 'verify'; userId?: number }

const bodyOf = (request: FastifyRequest) => (request.body ?? {}) as Record<string, unknown>;

function loadBrowserBundle(): string {
  // The package exports only its modules: the bundle is found beside its CommonJS entry.
  const entry = createRequire(import.meta.url).resolve('@simplewebauthn/browser');
  return readFileSync(join(dirname(entry), '..', 'dist', 'bundle', 'index.umd.min.js'), 'utf8');
}

export async function passkeyRoutes(app: FastifyInstance, deps: MfaRouteDeps): Promise<void> {
  const bundle = loadBrowserBundle();
  const script = (body: string) => async (_request: FastifyRequest, reply: FastifyReply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(body);
  app.get(WEBAUTHN_BROWSER_PATH, script(bundle));
  app.get(PASSKEY_SCRIPT_PATH, script(PASSKEY_SCRIPT));

  const begin = (request: FastifyRequest, reply: FastifyReply, ceremony: Ceremony) =>
    reply.setCookie(CHALLENGE_COOKIE, sealState(deps.keys, 'webauthn', ceremony, CHALLENGE_SECONDS * 1000), cookieOptions(request, '/accounts/', CHALLENGE_SECONDS));
  /** The ceremony this answer belongs to, spent: a challenge is answered once. */
  const finish = (request: FastifyRequest, reply: FastifyReply, purpose: Ceremony['purpose']) => {
    const ceremony = unsealState<Ceremony>(deps.keys, 'webauthn', request.cookies[CHALLENGE_COOKIE]);
    reply.clearCookie(CHALLENGE_COOKIE, cookieOptions(request, '/accounts/', 0));
    if (ceremony?.purpose !== purpose) throw new AppError('MFA_PASSKEY_FAILED');
    return ceremony;
  };
  /** JSON errors for the script: the catalogue's message, never a page. */
  const json = (handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>) => async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      verifyCsrf(deps.keys, request);
      return await handler(request, reply);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      request.log.info({ reason: err.code, cause: err.cause instanceof Error ? err.cause.message : undefined }, 'mfa.passkey_refused');
      return reply.status(err.status).send({ error: err.code, message: err.message });
    }
  };

  /** Adding a passkey needs a fresh proof, as adding an app does (security.routes.ts, #22 review). */
  const freshAdder = async (request: FastifyRequest) => {
    const session = await loadSession(deps, request);
    if (!session) throw new AppError('UNAUTHENTICATED');
    if (!isFresh(session)) throw new AppError('MFA_REAUTHENTICATION_REQUIRED');
    return session;
  };

  app.post('/accounts/security/passkeys/options', json(async (request, reply) => {
    const session = await freshAdder(request);
    const options = await passkeyRegistrationOptions(deps, session.user);
    begin(request, reply, { challenge: options.challenge, purpose: 'register', userId: session.user.id });
    return options;
  }));

  app.post('/accounts/security/passkeys/', json(async (request, reply) => {
    const session = await freshAdder(request);
    const ceremony = finish(request, reply, 'register');
    if (ceremony.userId !== session.user.id) throw new AppError('MFA_PASSKEY_FAILED');
    const body = bodyOf(request);
    const name = (typeof body.name === 'string' ? body.name.trim().slice(0, 100) : '') || 'Passkey';
    const actor = userActor(session.user, request.ip);
    const isFirst = !(await hasFactor(deps, session.user.id));
    await addPasskey(deps, actor, session.user, body.response as Parameters<typeof addPasskey>[3], ceremony.challenge, name);
    if (!isFirst) return { redirect: '/accounts/security/' };
    flashRecoveryCodes(deps.keys, request, reply, await regenerateRecoveryCodes(deps, actor, session.user), session.user.id);
    return { redirect: '/accounts/security/recovery-codes/' };
  }));

  app.post('/accounts/login/passkey/options', json(async (request, reply) => {
    const purpose = bodyOf(request).purpose === 'verify' ? 'verify' : 'login';
    const who = purpose === 'verify' ? await secondStepUser(deps, request) : undefined;
    if (purpose === 'verify' && !who) throw new AppError('UNAUTHENTICATED');
    const options = await passkeySignInOptions(deps, who?.user.id);
    begin(request, reply, { challenge: options.challenge, purpose, userId: who?.user.id });
    return options;
  }));

  app.post('/accounts/login/passkey/', json(async (request, reply) => {
    const purpose = bodyOf(request).purpose === 'verify' ? 'verify' : 'login';
    const ceremony = finish(request, reply, purpose);
    const used = await usePasskey(deps, bodyOf(request).response as Parameters<typeof usePasskey>[1], ceremony.challenge).catch(async (err: unknown) => {
      if (ceremony.userId !== undefined) await recordAudit(deps.db, { kind: 'user', id: String(ceremony.userId), label: `user ${ceremony.userId}`, userId: ceremony.userId, isStaff: false, isSuperuser: false, ip: request.ip }, { action: 'mfa.second-step-failed', entityType: 'user', entityId: ceremony.userId, after: { ip: request.ip, method: 'passkey' } });
      throw err;
    });
    const next = deps.nextOf(request);
    if (purpose === 'login') {
      const user = await findUser(deps, used.userId);
      if (!user?.isActive || !user.emailConfirmed) throw new AppError('MFA_PASSKEY_FAILED');
      await completeSignIn(deps, request, reply, user, [used.method]);
      return { redirect: next ?? `/user/account/edit/${user.id}/` };
    }
    const who = await secondStepUser(deps, request);
    if (!who || who.user.id !== used.userId || who.user.id !== ceremony.userId) throw new AppError('MFA_PASSKEY_FAILED');
    const amr = withSecondMethod(who.methods, used.method);
    if (who.session) await raiseSession(deps, request.cookies[SESSION_COOKIE]!, amr);
    else await completeSignIn(deps, request, reply, who.user, amr);
    return { redirect: next ?? `/user/account/edit/${who.user.id}/` };
  }));
}
