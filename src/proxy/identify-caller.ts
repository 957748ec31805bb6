// Who is calling the proxy (docs/compatibility.md §8.1, first match wins): an Authorization header (Basic e-mail +
// password, or a Bearer access token meant for the proxy: bearer-token.ts), then `?authkey=`
// with a VALID resource key (the original accepted any key) when no browser session is signed
// in, then the session.
import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/client.ts';
import type { SecretKeys } from '../crypto/keys.ts';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';
import { isPasswordAloneRefused } from '../mfa/index.ts';
import { isKeyUsable, noteRevokedKeyUse, type KeyCache } from '../api-keys/index.ts';
import { authenticate, checkKey, findUser, type CredentialThrottle, type User } from '../users/index.ts';
import { loadSession } from '../http/session.ts';
import type { BearerCheck } from './bearer-token.ts';
import { presentedToken, type PresentedToken } from '../oidc/index.ts';

export type CallerVia = 'basic' | 'bearer' | 'authkey' | 'session';
/** What the proxy needs of a caller: the access decision and the signed identity. */
type ProxyUser = Pick<User, 'id' | 'email' | 'username' | 'isStaff' | 'isSuperuser'>;
export type Caller = { user: ProxyUser; via: CallerVia } | 'rejected' | 'anonymous';
export interface CallerDeps { config: Pick<Config, 'DJAM_MFA_REQUIRED'>; db: Db; keys: SecretKeys; bearer: BearerCheck; keyCache: KeyCache; throttle: CredentialThrottle; authkeyAllowed: boolean; baseUrl: string }

// Passwords and keys count in the credential throttle (#17 item 1); past its limits they throw
// RATE_LIMITED, which the proxy answers with a 429.
async function fromBasic(deps: CallerDeps, encoded: string, ip: string): Promise<Caller> {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return 'rejected';
  try {
    // Credentials on a request are no sign-in (Django's authenticate() leaves last_login alone, only
    // login() sets it): the users export filters on it, and a busy client must not write per call.
    const user = await authenticate(deps, decoded.slice(0, i), decoded.slice(i + 1), { requireConfirmedEmail: false, recordLogin: false, ip, door: 'proxy-basic' });
    // #22: Basic carries no second factor; proxy.routes.ts answers 403 with the reason.
    if (await isPasswordAloneRefused(deps, user)) throw new AppError('MFA_REQUIRED');
    return { user, via: 'basic' };
  } catch (err) {
    if (err instanceof AppError && err.code !== 'RATE_LIMITED' && err.code !== 'MFA_REQUIRED') return 'rejected';
    throw err;
  }
}

async function fromBearer(deps: CallerDeps, presented: PresentedToken, request: FastifyRequest<{ Params: { slug: string } }>): Promise<Caller> {
  const at = { proof: request.headers.dpop, method: request.method, url: `${deps.baseUrl}${request.url}` };
  const userId = await deps.bearer.userIdOf(presented, request.params.slug, at);
  if (userId === undefined) return 'rejected';
  const user = await findUser(deps, userId);
  return user?.isActive ? { user, via: 'bearer' } : 'rejected';
}

async function fromAuthkey(deps: CallerDeps, value: string, ip: string): Promise<Caller> {
  if (!deps.authkeyAllowed) return 'rejected';
  // The key's row carries what the proxy needs of its owner: one statement, none on a cache hit.
  const usable = async () => {
    const found = await deps.keyCache.find(value);
    if (found && isKeyUsable(found, 'resource') && found.owner.isActive) return found;
    await noteRevokedKeyUse(deps, found, 'proxy-authkey'); // #21: the refusal path only
    return undefined;
  };
  const key = await checkKey(deps.throttle, ip, usable, (k) => !k);
  if (!key) return 'rejected';
  const { email, username, isStaff, isSuperuser } = key.owner;
  return { user: { id: key.userId, email, username, isStaff, isSuperuser }, via: 'authkey' };
}

export async function identifyCaller(deps: CallerDeps, request: FastifyRequest<{ Params: { slug: string } }>): Promise<Caller> {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const basic = /^\s*basic\s+(\S+)\s*$/i.exec(authorization);
    if (basic) return fromBasic(deps, basic[1], request.ip);
    // #24: a Bearer token, or a DPoP-bound one with its proof.
    const presented = presentedToken(authorization);
    return presented ? fromBearer(deps, presented, request) : 'rejected';
  }
  const session = await loadSession(deps, request);
  const authkey = (request.query as Record<string, unknown>).authkey;
  if (authkey !== undefined && !session) return fromAuthkey(deps, String(authkey), request.ip);
  return session ? { user: session.user, via: 'session' } : 'anonymous';
}
