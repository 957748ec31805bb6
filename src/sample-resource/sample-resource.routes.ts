// The tutorial's protected sample resource: GET /resource with a Bearer access token issued by
// this server answers who the token speaks for; anything else is a 401 with a Bearer challenge
// (RFC 6750 §3). A DPoP-bound token (#24, RFC 9449) counts only as `DPoP <token>` with its proof.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type Provider from 'oidc-provider';
import type { Db } from '../db/client.ts';
import { findUser } from '../users/index.ts';
import { presentedToken, senderConstraintHolds, withRequestContext } from '../oidc/index.ts';

function challenge(reply: FastifyReply, error?: string) {
  const params = error ? `, error="${error}", error_description="The access token is missing, expired, revoked or malformed."` : '';
  return reply.status(401).header('WWW-Authenticate', `Bearer realm="djam"${params}`)
    .send({ error: error ?? 'unauthorized', message: 'A valid Bearer access token is required.' });
}

export async function sampleResourceRoutes(app: FastifyInstance, deps: { provider: Provider; db: Db; config: { baseUrl: string } }): Promise<void> {
  app.get('/resource', async (request, reply) => {
    const presented = presentedToken(request.headers.authorization);
    if (!presented) return challenge(reply);
    // One statement finds the token under either model (see oidc/request-context.ts).
    const token = await withRequestContext(async () => await deps.provider.AccessToken.find(presented.token) ?? await deps.provider.ClientCredentials.find(presented.token));
    if (!token || token.isExpired) return challenge(reply, 'invalid_token');
    const at = { proof: request.headers.dpop, method: request.method, url: `${deps.config.baseUrl}${request.url}` };
    if (!(await senderConstraintHolds(presented, token.jkt, at))) return challenge(reply, 'invalid_token');
    const accountId = 'accountId' in token ? token.accountId : undefined;
    const user = accountId ? await findUser(deps, Number(accountId)) : undefined;
    if (accountId && !user?.isActive) return challenge(reply, 'invalid_token');
    return {
      message: user ? `Hello, ${user.email}!` : `Hello, client ${token.clientId}!`,
      client_id: token.clientId,
      scope: token.scope ?? '',
      user: user ? { id: user.id, email: user.email, first_name: user.firstName, last_name: user.lastName } : null,
    };
  });
}
