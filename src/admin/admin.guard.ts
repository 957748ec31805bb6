// Who calls the admin API: a signed-in staff member (session cookie, X-CSRFToken on unsafe
// methods), or a holder of an access token from this server carrying the `admin` scope: a
// machine (client credentials, staff-level) or an application acting for a staff member. A
// DPoP-bound token (#24, RFC 9449) counts only as `DPoP <token>` with its proof.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { Db } from '../db/client.ts';
import type { SecretKeys } from '../crypto/keys.ts';
import { ADMIN_SCOPE, assertMay, clientActor, may, userActor, userTokenActor, type Actor } from '../access/index.ts';
import { AppError } from '../errors.ts';
import { verifyCsrf } from '../http/csrf.ts';
import { loadSession } from '../http/session.ts';
import { presentedToken, senderConstraintHolds, withRequestContext, type PresentedToken } from '../oidc/index.ts';
import { findUser } from '../users/index.ts';
import { isPasswordAloneRefused } from '../mfa/index.ts';
import type { Config } from '../config.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** RFC 8176 methods of a sign-in that used a second factor (or a passkey, which is two in one). */
const TWO_FACTOR_METHODS = new Set(['mfa', 'hwk', 'swk']);

const actors = new WeakMap<FastifyRequest, Actor>();

/** The caller the guard admitted; only reachable inside the admin plugin. */
export function actorOf(request: FastifyRequest): Actor {
  const actor = actors.get(request);
  if (!actor) throw new AppError('UNAUTHENTICATED');
  return actor;
}

/** Route-level hook of the operations reserved to superusers (other admins, signing keys, configuration). */
export function superuserFor(action: 'signing-keys.manage' | 'config.read' | 'initial-access-tokens.manage') {
  return async (request: FastifyRequest): Promise<void> => assertMay(actorOf(request), action);
}

function bearerChallenge(reply: FastifyReply, error?: string): FastifyReply {
  const params = error ? `, error="${error}"` : '';
  return reply.header('WWW-Authenticate', `Bearer realm="djam"${params}`);
}

/** The policy's 'admin.enter', answered with the admin API's own code for non-staff. */
function admitted(actor: Actor): Actor {
  if (!may(actor, 'admin.enter')) throw new AppError('STAFF_REQUIRED');
  return actor;
}

interface GuardDeps { db: Db; keys: SecretKeys; provider: Provider; config: Pick<Config, 'baseUrl' | 'DJAM_MFA_REQUIRED'> }

async function actorFromToken(deps: GuardDeps, request: FastifyRequest, reply: FastifyReply, presented: PresentedToken): Promise<Actor> {
  const { token } = presented;
  const found = await withRequestContext(async () => await deps.provider.AccessToken.find(token) ?? await deps.provider.ClientCredentials.find(token));
  const at = { proof: request.headers.dpop, method: request.method, url: `${deps.config.baseUrl}${request.url}` };
  if (!found || found.isExpired || !(await senderConstraintHolds(presented, found.jkt, at))) {
    bearerChallenge(reply, 'invalid_token');
    throw new AppError('UNAUTHENTICATED', { message: 'The access token is missing, expired, revoked or malformed.' });
  }
  const scopes = (found.scope ?? '').split(' ');
  if (!scopes.includes(ADMIN_SCOPE)) {
    bearerChallenge(reply, 'insufficient_scope');
    throw new AppError('FORBIDDEN', { message: 'The access token lacks the admin scope.', details: { requiredScope: ADMIN_SCOPE } });
  }
  const accountId = 'accountId' in found ? found.accountId : undefined;
  if (!accountId) return clientActor(String(found.clientId), request.ip);
  const user = await findUser(deps, Number(accountId));
  if (!user?.isActive) {
    bearerChallenge(reply, 'invalid_token');
    throw new AppError('UNAUTHENTICATED', { message: 'The access token speaks for no active user.' });
  }
  return admitted(userTokenActor(user, String(found.clientId), request.ip));
}

/** The plugin's onRequest hook: admits staff and admin-scoped tokens, refuses everyone else. */
export function adminGuard(deps: GuardDeps) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const presented = presentedToken(authorization);
      if (!presented) {
        bearerChallenge(reply);
        throw new AppError('UNAUTHENTICATED', { message: 'Send a Bearer access token or sign in.' });
      }
      actors.set(request, await actorFromToken(deps, request, reply, presented));
      return;
    }
    const session = await loadSession(deps, request);
    if (!session?.user.isActive) throw new AppError('UNAUTHENTICATED');
    const actor = admitted(userActor(session.user, request.ip));
    // #22: a session opened before a second factor was required of this administrator (a
    // password alone) does not reach the admin API: they sign in again, through the second step.
    if (!session.amr.some((m) => TWO_FACTOR_METHODS.has(m)) && await isPasswordAloneRefused(deps, session.user)) throw new AppError('MFA_REQUIRED');
    if (!SAFE_METHODS.has(request.method)) verifyCsrf(deps.keys, request);
    actors.set(request, actor);
  };
}
