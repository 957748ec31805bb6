// The account's Security page (#22): its factors, adding an authenticator app, recovery codes,
// removing and renaming. An authenticator app being added is kept in a sealed cookie until the
// user confirms it with a code, so an abandoned set-up leaves nothing stored.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { userActor } from '../access/index.ts';
import { AppError } from '../errors.ts';
import { SESSION_COOKIE } from '../http/cookies.ts';
import { csrfToken, verifyCsrf } from '../http/csrf.ts';
import { loadSession } from '../http/session.ts';
import { findUser, raiseSession, type ActiveSession, type User } from '../users/index.ts';
import { addTotpFactor, hasFactor, listFactors, removeFactor, renameFactor } from './factors.service.ts';
import { sealState, unsealState, type TotpEnrolment } from './pending-sign-in.ts';
import { countUnusedRecoveryCodes, regenerateRecoveryCodes } from './recovery-codes.service.ts';
import { CONFIRM_PATH, isFresh, type MfaRouteDeps } from './second-step.routes.ts';
import { withSecondMethod } from './second-step.service.ts';
import {
  CODES_COOKIE, completeSignIn, cookieOptions, flashRecoveryCodes, freshRecoveryCodes, pendingSignInOf, SECURITY_PATH, TOTP_PATH, withNext,
} from './sign-in.ts';
import { matchingStep, newTotpSecret, totpOf } from './totp.ts';
import { recoveryCodesPage, securityPage, totpPage } from './views/mfa-pages.ts';

const CODES_PATH = '/accounts/security/recovery-codes/';
const ENROL_COOKIE = 'djam_totp_enrol';
const ENROL_SECONDS = 10 * 60;

type Who = { user: User; session?: ActiveSession };

/** The user adding an authenticator app: signed in, or held at sign-in because they must (forced enrolment). */
async function enrollingUser(deps: MfaRouteDeps, request: FastifyRequest): Promise<Who | undefined> {
  const session = await loadSession(deps, request);
  if (session) return { user: session.user, session };
  const pending = pendingSignInOf(deps.keys, request);
  if (pending?.purpose !== 'enrol') return undefined;
  const user = await findUser(deps, pending.userId);
  return user?.isActive ? { user } : undefined;
}

const fieldOf = (request: FastifyRequest, name: string) => {
  const value = (request.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
};

export async function securityRoutes(app: FastifyInstance, deps: MfaRouteDeps): Promise<void> {
  const issuer = new URL(deps.config.baseUrl).host;

  const signedIn = async (request: FastifyRequest, reply: FastifyReply) => {
    const session = await loadSession(deps, request);
    if (!session) await reply.redirect(withNext('/accounts/login/', request.url), 302);
    return session;
  };
  /** A change that needs a fresh proof: the session, or undefined once the visitor was sent to confirm. */
  const freshSession = async (request: FastifyRequest, reply: FastifyReply) => {
    const session = await signedIn(request, reply);
    if (session && !isFresh(session)) {
      await reply.redirect(withNext(CONFIRM_PATH, SECURITY_PATH), 302);
      return undefined;
    }
    return session;
  };

  app.get(SECURITY_PATH, async (request, reply) => {
    const session = await signedIn(request, reply);
    if (!session) return reply;
    if (request.cookies[CODES_COOKIE]) reply.clearCookie(CODES_COOKIE, cookieOptions(request, SECURITY_PATH, 0));
    const [factors, unusedCodes] = await Promise.all([listFactors(deps, session.user.id), countUnusedRecoveryCodes(deps, session.user.id)]);
    return reply.type('text/html').send(securityPage({ factors, unusedCodes, csrfToken: csrfToken(deps.keys, request, reply), user: session.user }));
  });

  const renderTotp = async (request: FastifyRequest, reply: FastifyReply, who: Who, secret: string, error?: string) => {
    const uri = totpOf(secret, issuer, who.user.email).toString();
    const qrDataUrl = await QRCode.toDataURL(uri, { margin: 1, width: 200 });
    return reply.type('text/html').header('cache-control', 'no-store').send(totpPage({
      csrfToken: csrfToken(deps.keys, request, reply), qrDataUrl, uri, secret, action: request.url, error, user: who.session?.user, forced: !who.session,
    }));
  };

  /**
   * Adding a factor needs the same fresh proof as removing one: with an old session (a stolen
   * cookie, an unattended browser) an attacker would otherwise add their own app, become "fresh"
   * through it, then remove the owner's factors (#22 review).
   */
  const staleAdder = (who: Who) => who.session !== undefined && !isFresh(who.session);
  const confirmFirst = (reply: FastifyReply) => reply.redirect(withNext(CONFIRM_PATH, TOTP_PATH), 302);

  app.get(TOTP_PATH, async (request, reply) => {
    const who = await enrollingUser(deps, request);
    if (!who) return reply.redirect(withNext('/accounts/login/', request.url), 302);
    if (staleAdder(who)) return confirmFirst(reply);
    // A reload keeps the secret already shown (and perhaps already scanned).
    const kept = unsealState<TotpEnrolment>(deps.keys, 'totp-enrolment', request.cookies[ENROL_COOKIE]);
    const secret = kept?.userId === who.user.id ? kept.secret : newTotpSecret();
    reply.setCookie(ENROL_COOKIE, sealState(deps.keys, 'totp-enrolment', { userId: who.user.id, secret }), cookieOptions(request, TOTP_PATH, ENROL_SECONDS));
    return renderTotp(request, reply, who, secret);
  });

  app.post(TOTP_PATH, async (request, reply) => {
    verifyCsrf(deps.keys, request);
    const who = await enrollingUser(deps, request);
    if (!who) return reply.redirect(withNext('/accounts/login/', request.url), 302);
    if (staleAdder(who)) return confirmFirst(reply);
    const enrolment = unsealState<TotpEnrolment>(deps.keys, 'totp-enrolment', request.cookies[ENROL_COOKIE]);
    if (enrolment?.userId !== who.user.id) return reply.redirect(request.url, 303);
    const step = matchingStep(enrolment.secret, fieldOf(request, 'code').trim());
    if (step === undefined) return renderTotp(request, reply, who, enrolment.secret, 'That code is not right. Check the time on your device and enter the code now shown by the app.');
    const actor = userActor(who.user, request.ip);
    const isFirst = !(await hasFactor(deps, who.user.id));
    await addTotpFactor(deps, actor, who.user, enrolment.secret, step);
    reply.clearCookie(ENROL_COOKIE, cookieOptions(request, TOTP_PATH, 0));
    // The password, then a code of the app just added: two factors, this session has them.
    const amr = withSecondMethod(who.session?.amr ?? ['pwd'], 'otp');
    if (who.session) await raiseSession(deps, request.cookies[SESSION_COOKIE]!, amr);
    else await completeSignIn(deps, request, reply, who.user, amr);
    const next = deps.nextOf(request);
    if (!isFirst) return reply.redirect(next ?? SECURITY_PATH, 302);
    flashCodes(request, reply, await regenerateRecoveryCodes(deps, actor, who.user), who.user.id);
    return reply.redirect(withNext(CODES_PATH, next), 302);
  });

  const flashCodes = (request: FastifyRequest, reply: FastifyReply, codes: string[], userId: number) => flashRecoveryCodes(deps.keys, request, reply, codes, userId);
  const freshCodes = (request: FastifyRequest, userId: number) => freshRecoveryCodes(deps.keys, request, userId);

  app.get(CODES_PATH, async (request, reply) => {
    const session = await signedIn(request, reply);
    if (!session) return reply;
    const codes = freshCodes(request, session.user.id);
    const unused = codes ? codes.length : await countUnusedRecoveryCodes(deps, session.user.id);
    return reply.type('text/html').header('cache-control', 'no-store')
      .send(recoveryCodesPage({ codes, unused, csrfToken: csrfToken(deps.keys, request, reply), user: session.user, next: deps.nextOf(request) }));
  });

  app.get('/accounts/security/recovery-codes.txt', async (request, reply) => {
    const session = await loadSession(deps, request);
    const codes = session && freshCodes(request, session.user.id);
    if (!codes) throw new AppError('NOT_FOUND', { message: 'Recovery codes can be downloaded only right after they are made.' });
    return reply.type('text/plain; charset=utf-8').header('cache-control', 'no-store')
      .header('content-disposition', 'attachment; filename="djam-recovery-codes.txt"').send(`${codes.join('\n')}\n`);
  });

  app.post(CODES_PATH, async (request, reply) => {
    verifyCsrf(deps.keys, request);
    const session = await freshSession(request, reply);
    if (!session) return reply;
    if (!(await hasFactor(deps, session.user.id))) return reply.redirect(SECURITY_PATH, 302);
    flashCodes(request, reply, await regenerateRecoveryCodes(deps, userActor(session.user, request.ip), session.user), session.user.id);
    return reply.redirect(CODES_PATH, 303);
  });

  app.post<{ Params: { id: string; action: string } }>('/accounts/security/factors/:id/:action', async (request, reply) => {
    verifyCsrf(deps.keys, request);
    const { id, action } = request.params;
    if (!/^\d{1,9}$/.test(id) || (action !== 'remove' && action !== 'rename')) throw new AppError('NOT_FOUND');
    const session = action === 'remove' ? await freshSession(request, reply) : await signedIn(request, reply);
    if (!session) return reply;
    const actor = userActor(session.user, request.ip);
    if (action === 'remove') await removeFactor(deps, actor, session.user, Number(id));
    else await renameFactor(deps, actor, session.user, Number(id), fieldOf(request, 'name').trim().slice(0, 100) || 'Passkey');
    return reply.redirect(SECURITY_PATH, 303);
  });
}
