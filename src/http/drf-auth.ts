// The original's DRF endpoints authenticate by session cookie first, then HTTP Basic (e-mail +
// password), and report failures as 403 with these exact `detail` texts (docs/compatibility.md §0.2), which clients
// and GeoServer configurations match on.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/client.ts';
import type { SecretKeys } from '../crypto/keys.ts';
import type { Config } from '../config.ts';
import { AppError, catalogue } from '../errors.ts';
import { isPasswordAloneRefused } from '../mfa/index.ts';
import { authenticate, retryAfterOf, type CredentialThrottle, type User } from '../users/index.ts';
import { loadSession } from './session.ts';

export const DRF = {
  notProvided: 'Authentication credentials were not provided.',
  badBasic: 'Invalid username/password.',
  forbidden: 'You do not have permission to perform this action.',
} as const;

export type DrfAuth = { kind: 'user'; user: User } | { kind: 'anonymous' } | { kind: 'bad-credentials' }
  /** The credential throttle refused to check the password (#17 item 1). */
  | { kind: 'throttled'; retryAfterSeconds: number }
  /** #22: the password was right, but the user must also give a second factor, which Basic cannot carry. */
  | { kind: 'mfa-required' };
type DrfAuthDeps = { config: Pick<Config, 'DJAM_MFA_REQUIRED'>; db: Db; keys: SecretKeys; throttle: CredentialThrottle };

function basicCredentials(header: string | undefined): { email: string; password: string } | 'malformed' | undefined {
  if (!header || !/^basic\s/i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  return i < 0 ? 'malformed' : { email: decoded.slice(0, i), password: decoded.slice(i + 1) };
}

export async function authenticateDrf(deps: DrfAuthDeps, request: FastifyRequest): Promise<DrfAuth> {
  const session = await loadSession(deps, request);
  if (session) return { kind: 'user', user: session.user };
  const basic = basicCredentials(request.headers.authorization);
  if (!basic) return { kind: 'anonymous' };
  if (basic === 'malformed') return { kind: 'bad-credentials' };
  try {
    const user = await authenticate(deps, basic.email, basic.password, { requireConfirmedEmail: false, recordLogin: false, ip: request.ip, door: 'basic' });
    return (await isPasswordAloneRefused(deps, user)) ? { kind: 'mfa-required' } : { kind: 'user', user };
  } catch (err) {
    const retryAfterSeconds = retryAfterOf(err);
    if (retryAfterSeconds !== undefined) return { kind: 'throttled', retryAfterSeconds };
    if (err instanceof AppError) return { kind: 'bad-credentials' };
    throw err;
  }
}

export function drfDetail(reply: FastifyReply, status: number, detail: string) {
  return reply.status(status).send({ detail });
}

/** DRF's Throttled: 429, Retry-After, and the wait in the text. */
export function drfThrottled(reply: FastifyReply, seconds: number) {
  const wait = `Expected available in ${seconds} second${seconds === 1 ? '' : 's'}.`;
  return reply.header('retry-after', String(seconds)).status(429).send({ detail: `Request was throttled. ${wait}` });
}

/** Basic credentials that failed (403) or were not checked (429), or undefined when there are none. */
export function refusedBasic(reply: FastifyReply, auth: DrfAuth) {
  if (auth.kind === 'bad-credentials') return drfDetail(reply, 403, DRF.badBasic);
  if (auth.kind === 'mfa-required') return drfDetail(reply, 403, catalogue.MFA_REQUIRED.message);
  return auth.kind === 'throttled' ? drfThrottled(reply, auth.retryAfterSeconds) : undefined;
}

/** Staff only (DRF IsAdminUser); answers the original's 403s and returns undefined otherwise. */
export async function requireStaff(deps: DrfAuthDeps, request: FastifyRequest, reply: FastifyReply): Promise<User | undefined> {
  const auth = await authenticateDrf(deps, request);
  if (auth.kind === 'anonymous') await drfDetail(reply, 403, DRF.notProvided);
  else if (auth.kind !== 'user') await refusedBasic(reply, auth);
  else if (!auth.user.isStaff) await drfDetail(reply, 403, DRF.forbidden);
  else return auth.user;
  return undefined;
}
