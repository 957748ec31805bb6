// The original's DRF endpoints authenticate by session cookie first, then HTTP Basic (e-mail +
// password), and report failures as 403 with these exact `detail` texts (§0.2), which clients
// and GeoServer configurations match on.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/client.ts';
import type { SecretKeys } from '../crypto/keys.ts';
import { AppError } from '../errors.ts';
import { authenticate, type User } from '../users/index.ts';
import { loadSession } from './session.ts';

export const DRF = {
  notProvided: 'Authentication credentials were not provided.',
  badBasic: 'Invalid username/password.',
  forbidden: 'You do not have permission to perform this action.',
} as const;

export type DrfAuth = { kind: 'user'; user: User } | { kind: 'anonymous' } | { kind: 'bad-credentials' };

function basicCredentials(header: string | undefined): { email: string; password: string } | 'malformed' | undefined {
  if (!header || !/^basic\s/i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  return i < 0 ? 'malformed' : { email: decoded.slice(0, i), password: decoded.slice(i + 1) };
}

export async function authenticateDrf(deps: { db: Db; keys: SecretKeys }, request: FastifyRequest): Promise<DrfAuth> {
  const session = await loadSession(deps, request);
  if (session) return { kind: 'user', user: session.user };
  const basic = basicCredentials(request.headers.authorization);
  if (!basic) return { kind: 'anonymous' };
  if (basic === 'malformed') return { kind: 'bad-credentials' };
  try {
    return { kind: 'user', user: await authenticate(deps, basic.email, basic.password, { requireConfirmedEmail: false, recordLogin: false }) };
  } catch (err) {
    if (err instanceof AppError) return { kind: 'bad-credentials' };
    throw err;
  }
}

export function drfDetail(reply: FastifyReply, status: number, detail: string) {
  return reply.status(status).send({ detail });
}

/** Staff only (DRF IsAdminUser); answers the original's 403s and returns undefined otherwise. */
export async function requireStaff(deps: { db: Db; keys: SecretKeys }, request: FastifyRequest, reply: FastifyReply): Promise<User | undefined> {
  const auth = await authenticateDrf(deps, request);
  if (auth.kind === 'anonymous') await drfDetail(reply, 403, DRF.notProvided);
  else if (auth.kind === 'bad-credentials') await drfDetail(reply, 403, DRF.badBasic);
  else if (!auth.user.isStaff) await drfDetail(reply, 403, DRF.forbidden);
  else return auth.user;
  return undefined;
}
