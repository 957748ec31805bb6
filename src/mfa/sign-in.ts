// Opening a session once every step of a sign-in is done, and the state between the steps
// (pending-sign-in.ts) as cookies. Shared by the password form, the second step, enrolment and
// passkeys, so every route that signs a user in opens the session the same way.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { SecretKeys } from '../crypto/keys.ts';
import { isSecureRequest, setSessionCookie } from '../http/cookies.ts';
import { rotateCsrfToken } from '../http/csrf.ts';
import { startSession, type User } from '../users/index.ts';
import type { SessionCache } from '../users/index.ts';
import { PENDING_TTL_MS, sealState, unsealState, type FreshCodes, type PendingSignIn } from './pending-sign-in.ts';
import { secondStepAfterPassword } from './factors.service.ts';

export interface SignInDeps { config: Config; db: Db; keys: SecretKeys; sessionCache?: SessionCache }

const PENDING_COOKIE = 'djam_mfa_pending';
const PENDING_KIND = 'pending-sign-in';

export const VERIFY_PATH = '/accounts/login/verify/';
export const TOTP_PATH = '/accounts/security/totp/';

export function withNext(path: string, next: string | undefined): string {
  return next ? `${path}?next=${encodeURIComponent(next)}` : path;
}

export function cookieOptions(request: FastifyRequest, path: string, maxAgeSeconds: number) {
  return { path, httpOnly: true, sameSite: 'lax' as const, secure: isSecureRequest(request), maxAge: maxAgeSeconds };
}

export function pendingSignInOf(keys: SecretKeys, request: FastifyRequest): PendingSignIn | undefined {
  return unsealState<PendingSignIn>(keys, PENDING_KIND, request.cookies[PENDING_COOKIE]);
}

function setPendingSignIn(keys: SecretKeys, request: FastifyRequest, reply: FastifyReply, pending: PendingSignIn): void {
  reply.setCookie(PENDING_COOKIE, sealState(keys, PENDING_KIND, pending), cookieOptions(request, '/', PENDING_TTL_MS / 1000));
}

/** Opens the session of a completed sign-in: cookie, CSRF token bound to it, pending state gone. */
export async function completeSignIn(deps: SignInDeps, request: FastifyRequest, reply: FastifyReply, user: User, amr: string[]): Promise<void> {
  const session = await startSession(deps, user, deps.config.DJAM_SESSION_TTL_SECONDS, amr);
  setSessionCookie(request, reply, session.token, deps.config.DJAM_SESSION_TTL_SECONDS);
  rotateCsrfToken(deps.keys, request, reply, session.token);
  if (request.cookies[PENDING_COOKIE]) reply.clearCookie(PENDING_COOKIE, cookieOptions(request, '/', 0));
  request.log.info({ userId: user.id, amr }, 'login.succeeded');
}

/**
 * After a right password: a user with a factor is sent to the second step, a user who must use
 * MFA and has none to enrolment; anyone else is signed in. Returns where to go.
 */
export async function afterFirstFactor(deps: SignInDeps, request: FastifyRequest, reply: FastifyReply, user: User, next: string | undefined): Promise<string | undefined> {
  const step = await secondStepAfterPassword(deps, user);
  if (step) {
    setPendingSignIn(deps.keys, request, reply, { userId: user.id, methods: ['pwd'], purpose: step });
    return withNext(step === 'verify' ? VERIFY_PATH : TOTP_PATH, next);
  }
  await completeSignIn(deps, request, reply, user, ['pwd']);
  return undefined;
}

export const SECURITY_PATH = '/accounts/security/';
export const CODES_COOKIE = 'djam_recovery_codes';
const FLASH_SECONDS = 10 * 60;

/** Recovery codes just made, readable by the codes page and its download for 10 minutes (never stored in clear). */
export function flashRecoveryCodes(keys: SecretKeys, request: FastifyRequest, reply: FastifyReply, codes: string[], userId: number): void {
  reply.setCookie(CODES_COOKIE, sealState<FreshCodes>(keys, 'recovery-codes', { userId, codes }, FLASH_SECONDS * 1000), cookieOptions(request, SECURITY_PATH, FLASH_SECONDS));
}

export function freshRecoveryCodes(keys: SecretKeys, request: FastifyRequest, userId: number): string[] | undefined {
  const fresh = unsealState<FreshCodes>(keys, 'recovery-codes', request.cookies[CODES_COOKIE]);
  return fresh?.userId === userId ? fresh.codes : undefined;
}
